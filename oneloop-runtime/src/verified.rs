//! The extractor a protected handler takes to learn who called.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::FromRequestParts;
use axum::response::{IntoResponse, Response};
use http::request::Parts;

use crate::rejection::Rejection;
use crate::scope::GrantedScope;
use crate::verdict::{RateLimit, Verdict};

/// The key that passed the `#[oneloop]` check on this request.
///
/// Take it as any argument after the ones that need the request body's absence:
///
/// ```
/// use oneloop_runtime::{VerifiedKey, oneloop};
///
/// #[oneloop(scope = "profile", read)]
/// async fn show_profile(key: VerifiedKey) -> String {
///     format!("hello, {}", key.customer_id().unwrap_or("anonymous"))
/// }
/// ```
///
/// On a handler without `#[oneloop]` it responds 500 and logs an error, because no check ran.
#[derive(Debug, Clone)]
pub struct VerifiedKey {
    verdict: Verdict,
}

impl VerifiedKey {
    pub(crate) fn new(verdict: Verdict) -> Self {
        Self { verdict }
    }

    /// Returns the key's id, if the verifier reported one.
    #[must_use]
    pub fn key_id(&self) -> Option<&str> {
        self.verdict.key_id()
    }

    /// Returns the customer the key belongs to, if the verifier reported one.
    #[must_use]
    pub fn customer_id(&self) -> Option<&str> {
        self.verdict.customer_id()
    }

    /// Returns the scopes the key holds.
    #[must_use]
    pub fn scopes(&self) -> &[GrantedScope] {
        self.verdict.scopes()
    }

    /// Returns the key's metadata.
    #[must_use]
    pub fn metadata(&self) -> &BTreeMap<String, String> {
        self.verdict.metadata()
    }

    /// Returns the rate-limit information, if the verifier applied a rate limit.
    #[must_use]
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.verdict.rate_limit()
    }

    /// Returns the whole verdict.
    #[must_use]
    pub fn verdict(&self) -> &Verdict {
        &self.verdict
    }
}

impl<State: Send + Sync> FromRequestParts<State> for VerifiedKey {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &State) -> Result<Self, Response> {
        if let Some(key) = parts.extensions.get::<Self>() {
            return Ok(key.clone());
        }
        tracing::error!(
            path = parts.uri.path(),
            "VerifiedKey is taken by a handler without #[oneloop]; add the attribute; answering 500"
        );
        Err(Rejection::MissingGuard.into_response())
    }
}

/// Converts Oneloop's `resetAt` into a delay from now.
///
/// NOTE: Oneloop does not document the unit of `resetAt`. Values below 10^11 are read as Unix
/// seconds, because 10^11 seconds is past the year 5000, and larger ones as Unix milliseconds.
pub(crate) fn retry_after_from_reset(rate_limit: RateLimit) -> Option<Duration> {
    let reset_ms = u64::try_from(rate_limit.reset_at).ok()?;
    let reset_ms = if reset_ms < 100_000_000_000 {
        reset_ms.checked_mul(1000)?
    } else {
        reset_ms
    };
    let now_ms = u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_millis(),
    )
    .ok()?;
    Some(Duration::from_millis(reset_ms.saturating_sub(now_ms)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now_ms() -> i64 {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis();
        i64::try_from(ms).unwrap()
    }

    #[test]
    fn reset_in_milliseconds() {
        let reset_at = now_ms() + 30_000;
        let delay = retry_after_from_reset(RateLimit {
            remaining: 0,
            reset_at,
        })
        .unwrap();
        assert!(
            delay > Duration::from_secs(28) && delay <= Duration::from_secs(30),
            "{delay:?}"
        );
    }

    #[test]
    fn reset_in_seconds() {
        let reset_at = now_ms() / 1000 + 60;
        let delay = retry_after_from_reset(RateLimit {
            remaining: 0,
            reset_at,
        })
        .unwrap();
        assert!(
            delay > Duration::from_secs(58) && delay <= Duration::from_secs(60),
            "{delay:?}"
        );
    }

    #[test]
    fn reset_in_past_is_zero() {
        let delay = retry_after_from_reset(RateLimit {
            remaining: 0,
            reset_at: 1_000,
        })
        .unwrap();
        assert_eq!(delay, Duration::ZERO);
    }

    #[test]
    fn negative_reset_is_ignored() {
        assert_eq!(
            retry_after_from_reset(RateLimit {
                remaining: 0,
                reset_at: -5
            }),
            None
        );
    }
}
