//! What a verifier decides about a key.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::scope::GrantedScope;

/// The status a verifier gives a key, as Oneloop names them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyStatus {
    /// The key exists, is enabled, has not expired and has every required scope.
    Valid,
    /// The key is not known.
    Invalid,
    /// The key has expired.
    Expired,
    /// The key was disabled.
    Disabled,
    /// The key was deleted.
    Deleted,
    /// The key lacks a required scope or flag.
    InvalidScopes,
    /// The key went over a rate limit.
    RateLimited,
    /// The key's customer went over a usage limit.
    UsageLimited,
    /// A status this version does not know; treated as not valid.
    Unknown(Box<str>),
}

impl KeyStatus {
    /// Parses a status as Oneloop spells it (`VALID`, `INVALID_SCOPES`, ...).
    #[must_use]
    pub fn from_wire(status: &str) -> Self {
        match status {
            "VALID" => Self::Valid,
            "INVALID" => Self::Invalid,
            "EXPIRED" => Self::Expired,
            "DISABLED" => Self::Disabled,
            "DELETED" => Self::Deleted,
            "INVALID_SCOPES" => Self::InvalidScopes,
            "RATE_LIMITED" => Self::RateLimited,
            "USAGE_LIMITED" => Self::UsageLimited,
            other => Self::Unknown(other.into()),
        }
    }

    /// Returns the status as Oneloop spells it.
    #[must_use]
    pub fn as_wire(&self) -> &str {
        match self {
            Self::Valid => "VALID",
            Self::Invalid => "INVALID",
            Self::Expired => "EXPIRED",
            Self::Disabled => "DISABLED",
            Self::Deleted => "DELETED",
            Self::InvalidScopes => "INVALID_SCOPES",
            Self::RateLimited => "RATE_LIMITED",
            Self::UsageLimited => "USAGE_LIMITED",
            Self::Unknown(other) => other,
        }
    }

    /// Returns whether the key may pass.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        matches!(self, Self::Valid)
    }
}

/// Rate-limit information a verifier reported.
///
/// Its presence alone means a rate limit applied, so a cache never stores the verdict. Either
/// field may be missing when the verifier sent it in an unexpected form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// Calls left in the current window.
    pub remaining: Option<i64>,
    /// When the window resets, as Oneloop reports it (most likely Unix epoch milliseconds).
    pub reset_at: Option<i64>,
}

impl RateLimit {
    /// Returns the delay until the window resets, if the reset time is known.
    #[must_use]
    pub fn reset_after(&self) -> Option<std::time::Duration> {
        crate::unix_time::until(self.reset_at?)
    }
}

/// A verifier's decision about one key and one list of required scopes.
///
/// Cheap to clone: the details sit behind an `Arc`, so a cached verdict is shared, not copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    status: KeyStatus,
    details: Arc<KeyDetails>,
}

/// The details a verifier reports about a key beyond its status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyDetails {
    /// The key's id, safe to log.
    pub key_id: Option<String>,
    /// The customer the key belongs to.
    pub customer_id: Option<String>,
    /// The scopes the key holds.
    pub scopes: Vec<GrantedScope>,
    /// Metadata set when the key was created.
    pub metadata: BTreeMap<String, String>,
    /// Rate-limit information, when the verifier applied a rate limit.
    pub rate_limit: Option<RateLimit>,
    /// When the key expires, as the verifier reports it (Unix seconds for the embedded store;
    /// Oneloop does not document its unit).
    pub expires_at: Option<i64>,
}

impl Verdict {
    /// Builds a verdict with a status and no details.
    #[must_use]
    pub fn new(status: KeyStatus) -> Self {
        Self::with_details(status, Arc::default())
    }

    /// Builds a verdict with a status and shared details.
    #[must_use]
    pub fn with_details(status: KeyStatus, details: Arc<KeyDetails>) -> Self {
        Self { status, details }
    }

    /// Returns the key's status.
    #[must_use]
    pub fn status(&self) -> &KeyStatus {
        &self.status
    }

    /// Returns the details shared by clones of this verdict.
    #[must_use]
    pub fn details(&self) -> &Arc<KeyDetails> {
        &self.details
    }

    /// Returns the key's id, if the verifier reported one.
    #[must_use]
    pub fn key_id(&self) -> Option<&str> {
        self.details.key_id.as_deref()
    }

    /// Returns the customer id, if the verifier reported one.
    #[must_use]
    pub fn customer_id(&self) -> Option<&str> {
        self.details.customer_id.as_deref()
    }

    /// Returns the scopes the key holds.
    #[must_use]
    pub fn scopes(&self) -> &[GrantedScope] {
        &self.details.scopes
    }

    /// Returns the key's metadata.
    #[must_use]
    pub fn metadata(&self) -> &BTreeMap<String, String> {
        &self.details.metadata
    }

    /// Returns the rate-limit information, if any.
    #[must_use]
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.details.rate_limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_round_trips_wire_names() {
        for name in [
            "VALID",
            "INVALID",
            "EXPIRED",
            "DISABLED",
            "DELETED",
            "INVALID_SCOPES",
            "RATE_LIMITED",
            "USAGE_LIMITED",
        ] {
            assert_eq!(KeyStatus::from_wire(name).as_wire(), name);
        }
    }

    #[test]
    fn unknown_status_is_not_valid() {
        let status = KeyStatus::from_wire("SUSPENDED");
        assert_eq!(status, KeyStatus::Unknown("SUSPENDED".into()));
        assert!(!status.is_valid());
    }

    #[test]
    fn lowercase_valid_is_not_valid() {
        assert!(!KeyStatus::from_wire("valid").is_valid());
    }
}
