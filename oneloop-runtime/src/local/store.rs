//! The embedded verifier.

use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasherDefault;
use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use super::entry::{DigestHasher, KeyDigest, LocalKey};
use super::file::{LoadError, parse_keys};
use crate::error::VerifyError;
use crate::scope::satisfies;
use crate::verdict::{KeyDetails, KeyStatus, Verdict};
use crate::verify::{Verify, VerifyRequest};

/// Two keys given to [`LocalVerifier::new`] clash.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DuplicateKey {
    /// A key has the same id as an earlier one.
    #[error("duplicate key id `{id}`")]
    Id {
        /// The repeated id.
        id: String,
        /// The position of the later key in the input.
        index: usize,
    },
    /// A key has the same SHA-256 digest, and so the same secret, as an earlier one.
    #[error("key `{id}` has the same sha256 as an earlier key")]
    Digest {
        /// The later key's id.
        id: String,
        /// The position of the later key in the input.
        index: usize,
    },
}

impl DuplicateKey {
    /// Returns the position of the later of the two keys in the input.
    #[must_use]
    pub fn index(&self) -> usize {
        match self {
            Self::Id { index, .. } | Self::Digest { index, .. } => *index,
        }
    }
}

/// A verifier over keys held in memory as SHA-256 digests.
///
/// It applies Oneloop's rules and returns Oneloop's statuses: an unknown key is `INVALID`,
/// then `DELETED`, `DISABLED` and `EXPIRED` in that order, then `INVALID_SCOPES` when a required
/// scope or flag is missing, else `VALID`. It does not apply rate limits or record usage.
///
/// Load it from a TOML file (the format is in the crate's README) or build it in code:
///
/// ```
/// use oneloop_runtime::{GrantedScope, KeyDigest, LocalKey, LocalVerifier, Permissions};
///
/// let verifier = LocalVerifier::new([LocalKey::new("key_1", KeyDigest::of("sk_local_demo"))
///     .customer("cust_1")
///     .scope(GrantedScope::new("profile", Permissions::READ))])
/// .unwrap();
/// ```
#[derive(Clone)]
pub struct LocalVerifier {
    keys: Arc<HashMap<KeyDigest, StoredKey, BuildHasherDefault<DigestHasher>>>,
}

struct StoredKey {
    key: LocalKey,
    /// Shared by every verdict for this key, so a verification allocates nothing for it.
    details: Arc<KeyDetails>,
}

impl LocalVerifier {
    /// Builds a store from keys.
    ///
    /// # Errors
    ///
    /// [`DuplicateKey`] when two keys share an id or a digest.
    pub fn new(keys: impl IntoIterator<Item = LocalKey>) -> Result<Self, DuplicateKey> {
        let mut by_digest = HashMap::default();
        let mut ids = std::collections::HashSet::new();
        for (index, key) in keys.into_iter().enumerate() {
            if !ids.insert(key.id.clone()) {
                return Err(DuplicateKey::Id { id: key.id, index });
            }
            let details = Arc::new(KeyDetails {
                key_id: Some(key.id.clone()),
                customer_id: key.customer_id.clone(),
                scopes: key.scopes.clone(),
                metadata: key.metadata.clone(),
                rate_limit: None,
                expires_at: key.expires_at.map(unix_seconds),
            });
            let id = key.id.clone();
            if by_digest
                .insert(key.digest, StoredKey { key, details })
                .is_some()
            {
                return Err(DuplicateKey::Digest { id, index });
            }
        }
        Ok(Self {
            keys: Arc::new(by_digest),
        })
    }

    /// Loads a store from a TOML key file.
    ///
    /// # Errors
    ///
    /// Returns a [`LoadError`] naming the file, line and column of the first problem.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|error| LoadError::io(path, &error))?;
        let verifier = Self::from_toml(&text).map_err(|error| error.in_file(path))?;
        if verifier.is_empty() {
            tracing::warn!(
                path = %path.display(),
                "key file has no [[keys]] entries; every protected request will be rejected"
            );
        }
        Ok(verifier)
    }

    /// Parses a store from the text of a TOML key file.
    ///
    /// # Errors
    ///
    /// Returns a [`LoadError`] naming the line and column of the first problem.
    pub fn from_toml(text: &str) -> Result<Self, LoadError> {
        parse_keys(text)
    }

    /// Returns how many keys the store holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Returns whether the store is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    fn decide(&self, request: &VerifyRequest<'_>) -> Verdict {
        let Some(stored) = self.keys.get(&KeyDigest::of(request.key())) else {
            return Verdict::new(KeyStatus::Invalid);
        };
        let key = &stored.key;
        let status = if key.deleted {
            KeyStatus::Deleted
        } else if !key.enabled {
            KeyStatus::Disabled
        } else if key.expires_at.is_some_and(|at| at <= SystemTime::now()) {
            KeyStatus::Expired
        } else if !satisfies(&key.scopes, request.scopes()) {
            KeyStatus::InvalidScopes
        } else {
            KeyStatus::Valid
        };
        Verdict::with_details(status, stored.details.clone())
    }
}

/// Returns the Unix time of `at` in seconds; times before 1970 count as 0.
fn unix_seconds(at: SystemTime) -> i64 {
    let seconds = at
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    i64::try_from(seconds).unwrap_or(i64::MAX)
}

impl Verify for LocalVerifier {
    async fn verify(&self, request: VerifyRequest<'_>) -> Result<Verdict, VerifyError> {
        Ok(self.decide(&request))
    }

    fn verify_now(&self, request: &VerifyRequest<'_>) -> Option<Result<Verdict, VerifyError>> {
        Some(Ok(self.decide(request)))
    }
}

impl fmt::Debug for LocalVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalVerifier")
            .field("keys", &self.keys.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{GrantedScope, Permissions, RequiredScope};
    use std::time::Duration;

    const PROFILE_READ: RequiredScope = RequiredScope::new("profile", Permissions::READ);

    fn status(verifier: &LocalVerifier, key: &str) -> KeyStatus {
        let scopes = [PROFILE_READ];
        verifier
            .decide(&VerifyRequest::new(key, &scopes))
            .status()
            .clone()
    }

    fn key(id: &str, secret: &str) -> LocalKey {
        LocalKey::new(id, KeyDigest::of(secret))
            .scope(GrantedScope::new("profile", Permissions::READ))
    }

    #[test]
    fn applies_oneloop_rules() {
        let past = SystemTime::now() - Duration::from_secs(1);
        let verifier = LocalVerifier::new([
            key("ok", "s_ok"),
            key("gone", "s_gone").deleted(true).enabled(false),
            key("off", "s_off").enabled(false),
            key("old", "s_old").expires_at(past),
            LocalKey::new("none", KeyDigest::of("s_none")),
        ])
        .unwrap();
        assert_eq!(status(&verifier, "s_ok"), KeyStatus::Valid);
        assert_eq!(status(&verifier, "s_gone"), KeyStatus::Deleted);
        assert_eq!(status(&verifier, "s_off"), KeyStatus::Disabled);
        assert_eq!(status(&verifier, "s_old"), KeyStatus::Expired);
        assert_eq!(status(&verifier, "s_none"), KeyStatus::InvalidScopes);
        assert_eq!(status(&verifier, "s_unknown"), KeyStatus::Invalid);
        assert_eq!(status(&verifier, "S_OK"), KeyStatus::Invalid);
    }

    #[test]
    fn reports_key_id_and_customer() {
        let verifier = LocalVerifier::new([key("k1", "s").customer("c1")]).unwrap();
        let scopes = [PROFILE_READ];
        let verdict = verifier.decide(&VerifyRequest::new("s", &scopes));
        assert_eq!(verdict.key_id(), Some("k1"));
        assert_eq!(verdict.customer_id(), Some("c1"));
    }

    #[tokio::test]
    async fn verify_now_matches_verify() {
        let verifier = LocalVerifier::new([key("k1", "s")]).unwrap();
        let scopes = [PROFILE_READ];
        for secret in ["s", "unknown"] {
            let request = VerifyRequest::new(secret, &scopes);
            let now = verifier.verify_now(&request).unwrap().unwrap();
            let later = verifier.verify(request).await.unwrap();
            assert_eq!(now, later, "{secret}");
        }
    }

    #[test]
    fn rejects_duplicate_ids_and_digests() {
        assert!(LocalVerifier::new([key("a", "s1"), key("a", "s2")]).is_err());
        assert!(LocalVerifier::new([key("a", "s1"), key("b", "s1")]).is_err());
    }

    #[test]
    fn debug_shows_no_digest() {
        let verifier = LocalVerifier::new([key("a", "s1")]).unwrap();
        assert!(!format!("{verifier:?}").contains(&KeyDigest::of("s1").to_hex()));
    }
}
