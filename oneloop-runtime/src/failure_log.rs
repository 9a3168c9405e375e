//! Logging verifier failures without flooding the log when the verifier is down.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::error::VerifyError;

/// At most one verifier failure is logged per window; the rest are counted.
const WINDOW: Duration = Duration::from_secs(10);

/// Logs the first verifier failure of each window and counts the others.
pub(crate) struct FailureLog {
    start: Instant,
    /// Milliseconds since `start` at the last logged failure, plus one; zero means never.
    last_logged: AtomicU64,
    suppressed: AtomicU64,
}

impl Default for FailureLog {
    fn default() -> Self {
        Self {
            start: Instant::now(),
            last_logged: AtomicU64::new(0),
            suppressed: AtomicU64::new(0),
        }
    }
}

impl FailureLog {
    pub(crate) fn record(&self, error: &VerifyError, route: &str) {
        if !self.claim_window() {
            self.suppressed.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let suppressed = self.suppressed.swap(0, Ordering::Relaxed);
        if error.is_misconfigured() {
            tracing::error!(
                route,
                suppressed,
                error = error.message(),
                "oneloop verifier rejected this service's configuration; check the SDK key and base URL"
            );
        } else {
            tracing::warn!(
                route,
                suppressed,
                error = error.message(),
                "oneloop verifier unavailable; answering 503"
            );
        }
    }

    /// Returns whether this failure opens a new window and so should be logged.
    fn claim_window(&self) -> bool {
        let now = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX) + 1;
        let last = self.last_logged.load(Ordering::Relaxed);
        let window = u64::try_from(WINDOW.as_millis()).unwrap_or(u64::MAX);
        if last != 0 && now.saturating_sub(last) < window {
            return false;
        }
        self.last_logged
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
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
        assert_eq!(log.suppressed.load(Ordering::Relaxed), 2);
    }
}
