//! One key of the embedded store, held only as a SHA-256 digest.

use std::collections::BTreeMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use crate::scope::GrantedScope;

/// The SHA-256 digest of a key, the only form in which the store keeps a key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct KeyDigest([u8; 32]);

impl Hash for KeyDigest {
    /// Feeds the first 8 bytes only: SHA-256 output is already uniform, and equality still
    /// compares all 32 bytes.
    fn hash<H: Hasher>(&self, state: &mut H) {
        let mut prefix = [0; 8];
        prefix.copy_from_slice(&self.0[..8]);
        state.write_u64(u64::from_le_bytes(prefix));
    }
}

/// A hasher for maps keyed by [`KeyDigest`] alone, which passes the digest's prefix through.
///
/// Only for maps an attacker cannot insert into: finding keys whose digests share a prefix costs
/// about 2^(prefix bits) SHA-256 evaluations, cheap for a few bits.
#[derive(Default)]
pub(crate) struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 ^= value;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl KeyDigest {
    /// Hashes a key.
    #[must_use]
    pub fn of(key: &str) -> Self {
        Self(Sha256::digest(key.as_bytes()).into())
    }

    /// Parses a digest written as 64 hexadecimal digits.
    ///
    /// # Errors
    ///
    /// Returns a message when `text` is not 64 hexadecimal digits.
    pub fn from_hex(text: &str) -> Result<Self, String> {
        let mut bytes = [0; 32];
        hex::decode_to_slice(text, &mut bytes).map_err(|_| {
            "invalid sha256: expected 64 hexadecimal digits (mint keys with `cargo run --example mint_key`)"
                .to_owned()
        })?;
        Ok(Self(bytes))
    }

    /// Returns the digest as 64 lowercase hexadecimal digits.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Debug for KeyDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyDigest({})", self.to_hex())
    }
}

/// A key of the embedded store and what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalKey {
    /// The key's id, reported as the verdict's key id and safe to log.
    pub id: String,
    /// The SHA-256 digest of the key.
    pub digest: KeyDigest,
    /// The customer the key belongs to.
    pub customer_id: Option<String>,
    /// The scopes the key holds.
    pub scopes: Vec<GrantedScope>,
    /// When the key stops being valid; `None` for never.
    pub expires_at: Option<SystemTime>,
    /// Whether the key is enabled; a disabled key gets the status `DISABLED`.
    pub enabled: bool,
    /// Whether the key was deleted; a deleted key gets the status `DELETED`.
    pub deleted: bool,
    /// Free-form metadata returned with the verdict.
    pub metadata: BTreeMap<String, String>,
}

impl LocalKey {
    /// Builds an enabled key that never expires, with no scopes and no metadata.
    pub fn new(id: impl Into<String>, digest: KeyDigest) -> Self {
        Self {
            id: id.into(),
            digest,
            customer_id: None,
            scopes: Vec::new(),
            expires_at: None,
            enabled: true,
            deleted: false,
            metadata: BTreeMap::new(),
        }
    }

    /// Sets the customer id.
    #[must_use]
    pub fn customer(mut self, customer_id: impl Into<String>) -> Self {
        self.customer_id = Some(customer_id.into());
        self
    }

    /// Adds a granted scope.
    #[must_use]
    pub fn scope(mut self, scope: GrantedScope) -> Self {
        self.scopes.push(scope);
        self
    }

    /// Sets the expiry time.
    #[must_use]
    pub fn expires_at(mut self, at: SystemTime) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// Sets whether the key is enabled.
    #[must_use]
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = enabled;
        self
    }

    /// Sets whether the key was deleted.
    #[must_use]
    pub fn deleted(mut self, deleted: bool) -> Self {
        self.deleted = deleted;
        self
    }

    /// Adds a metadata entry.
    #[must_use]
    pub fn metadata(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.insert(name.into(), value.into());
        self
    }
}
