//! Logging verifier failures without flooding the log when the verifier is down.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::error::VerifyError;

/// At most one verifier failure of each kind is logged per window; the rest are counted.
const WINDOW: Duration = Duration::from_secs(10);

/// Logs the first verifier failure of each kind in each window and counts the others.
///
/// Unavailable and misconfigured verifiers have separate windows, so an outage's warnings never
/// hide the error that reports this service's own configuration is wrong.
pub(crate) struct FailureLog {
    start: Instant,
    unavailable: Window,
    misconfigured: Window,
    setup: Window,
}

/// Protected handlers served without a verifier: this repeats on every request until fixed.
pub(crate) static MISSING_VERIFIER: LazyLock<FailureLog> = LazyLock::new(FailureLog::default);

/// `VerifiedKey` taken without `#[oneloop]`: this repeats on every request until fixed.
pub(crate) static MISSING_GUARD: LazyLock<FailureLog> = LazyLock::new(FailureLog::default);

#[derive(Default)]
struct Window {
    /// Milliseconds since `start` at the last logged failure, plus one; zero means never.
    last_logged: AtomicU64,
    suppressed: AtomicU64,
}

impl Default for FailureLog {
    fn default() -> Self {
        Self {
            start: Instant::now(),
            unavailable: Window::default(),
            misconfigured: Window::default(),
            setup: Window::default(),
        }
    }
}

impl FailureLog {
    /// Logs `error`, which must not contain the caller's key, unless its window is taken.
    pub(crate) fn record(&self, error: &VerifyError, route: &str) {
        let window = if error.is_misconfigured() {
            &self.misconfigured
        } else {
            &self.unavailable
        };
        if !window.claim(self.elapsed_ms()) {
            window.suppressed.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let suppressed = window.suppressed.swap(0, Ordering::Relaxed);
        if error.is_misconfigured() {
            tracing::error!(
                route,
                suppressed,
                error = error.message(),
                "verifier rejected this service's configuration (for Oneloop: check the SDK key \
                 and base URL); answering 500"
            );
        } else {
            tracing::warn!(
                route,
                suppressed,
                error = error.message(),
                "verifier unavailable; answering 503"
            );
        }
    }

    /// Logs a setup mistake, such as a protected handler without a verifier, unless its window
    /// is taken.
    pub(crate) fn record_setup(&self, route: &str, message: &'static str) {
        if !self.setup.claim(self.elapsed_ms()) {
            self.setup.suppressed.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let suppressed = self.setup.suppressed.swap(0, Ordering::Relaxed);
        tracing::error!(route, suppressed, "{message}");
    }

    fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX - 1) + 1
    }
}

impl Window {
    /// Returns whether a failure at `now_ms` opens a new window and so should be logged.
    fn claim(&self, now_ms: u64) -> bool {
        let last = self.last_logged.load(Ordering::Relaxed);
        let window = u64::try_from(WINDOW.as_millis()).unwrap_or(u64::MAX);
        if last != 0 && now_ms.saturating_sub(last) < window {
            return false;
        }
        self.last_logged
            .compare_exchange(last, now_ms, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_failure_in_window_is_suppressed() {
        let log = FailureLog::default();
        let error = VerifyError::unavailable("connection refused");
        log.record(&error, "/a");
        log.record(&error, "/a");
        log.record(&error, "/a");
        assert_eq!(log.unavailable.suppressed.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn misconfiguration_has_its_own_window() {
        let log = FailureLog::default();
        log.record(&VerifyError::unavailable("connection refused"), "/a");
        log.record(&VerifyError::misconfigured("401 from Oneloop"), "/a");
        assert_eq!(log.unavailable.suppressed.load(Ordering::Relaxed), 0);
        assert_eq!(log.misconfigured.suppressed.load(Ordering::Relaxed), 0);
        assert_ne!(log.misconfigured.last_logged.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn window_reopens_after_its_length() {
        let window = Window::default();
        assert!(window.claim(1));
        assert!(!window.claim(9_999));
        assert!(window.claim(10_001));
    }
}
