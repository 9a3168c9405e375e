//! The cache key: a digest of the key and a hash of the required scopes.

use std::hash::{DefaultHasher, Hash, Hasher};

use crate::local::KeyDigest;
use crate::scope::RequiredScope;

/// A cache key. It never contains the plain key.
///
/// Two scope lists may share a hash, so every entry also stores its scope list and a hit counts
/// only when the lists are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct CacheKey {
    pub(crate) key: KeyDigest,
    scopes_hash: u64,
}

impl CacheKey {
    pub(crate) fn new(key: &str, scopes: &[RequiredScope]) -> Self {
        let mut hasher = DefaultHasher::new();
        scopes.hash(&mut hasher);
        Self {
            key: KeyDigest::of(key),
            scopes_hash: hasher.finish(),
        }
    }
}
