//! Delays until the Unix timestamps verifiers report, whose unit Oneloop does not document.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Timestamps below this are read as Unix seconds and the rest as Unix milliseconds: 10^11
/// seconds is past the year 5000, and 10^11 milliseconds is in 1973.
const SECONDS_BELOW: u64 = 100_000_000_000;

/// Returns the delay from now until `timestamp`, zero if it has passed, or `None` if it is
/// negative.
///
/// NOTE: Oneloop does not document the unit of `resetAt` or `expiresAt`; the unit is guessed
/// from the magnitude, as [`SECONDS_BELOW`] describes.
pub(crate) fn until(timestamp: i64) -> Option<Duration> {
    let timestamp = u64::try_from(timestamp).ok()?;
    let at_ms = if timestamp < SECONDS_BELOW {
        timestamp.saturating_mul(1000)
    } else {
        timestamp
    };
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
    let now_ms = u64::try_from(now.as_millis()).ok()?;
    Some(Duration::from_millis(at_ms.saturating_sub(now_ms)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now_ms() -> i64 {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        i64::try_from(now.as_millis()).unwrap()
    }

    #[test]
    fn milliseconds_timestamp() {
        let delay = until(now_ms() + 30_000).unwrap();
        assert!(delay > Duration::from_secs(28), "{delay:?}");
        assert!(delay <= Duration::from_secs(30), "{delay:?}");
    }

    #[test]
    fn seconds_timestamp() {
        let delay = until(now_ms() / 1000 + 60).unwrap();
        assert!(delay > Duration::from_secs(58), "{delay:?}");
        assert!(delay <= Duration::from_secs(60), "{delay:?}");
    }

    #[test]
    fn past_timestamp_is_zero() {
        assert_eq!(until(1_000), Some(Duration::ZERO));
    }

    #[test]
    fn negative_timestamp_is_none() {
        assert_eq!(until(-5), None);
    }

    #[test]
    fn huge_timestamp_does_not_overflow() {
        assert!(until(i64::MAX).is_some());
    }
}
