//! Minting new keys for the embedded store.

use std::fmt;
use std::fmt::Write as _;

use super::entry::{KeyDigest, LocalKey};
use super::time;
use crate::scope::Permissions;

/// The prefix of minted keys, so they are easy to spot in a secret scanner.
pub const MINTED_KEY_PREFIX: &str = "sk_local_";

/// A freshly minted key: the secret to hand to the customer and the entry to store.
pub struct MintedKey {
    secret: String,
    key: LocalKey,
}

impl MintedKey {
    /// Mints a key with 192 random bits from the operating system.
    ///
    /// `configure` fills in the entry (customer, scopes, expiry) after the digest is set.
    ///
    /// # Errors
    ///
    /// Returns an error when the operating system's random source fails.
    pub fn generate(
        id: impl Into<String>,
        configure: impl FnOnce(LocalKey) -> LocalKey,
    ) -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; 24];
        getrandom::fill(&mut bytes)?;
        let secret = format!("{MINTED_KEY_PREFIX}{}", hex::encode(bytes));
        let key = configure(LocalKey::new(id, KeyDigest::of(&secret)));
        Ok(Self { secret, key })
    }

    /// Returns the secret. Show it once and never store it.
    #[must_use]
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// Returns the entry the store holds.
    #[must_use]
    pub fn key(&self) -> &LocalKey {
        &self.key
    }

    /// Renders the entry as a `[[keys]]` table for a key file.
    #[must_use]
    pub fn to_toml(&self) -> String {
        render_entry(&self.key)
    }
}

impl fmt::Debug for MintedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MintedKey")
            .field("secret", &"<redacted>")
            .field("key", &self.key)
            .finish()
    }
}

fn render_entry(key: &LocalKey) -> String {
    let mut out = String::from("[[keys]]\n");
    let _ = writeln!(out, "id = {}", quoted(&key.id));
    let _ = writeln!(out, "sha256 = \"{}\"", key.digest.to_hex());
    if let Some(customer) = &key.customer_id {
        let _ = writeln!(out, "customer = {}", quoted(customer));
    }
    let scopes: Vec<String> = merged_scopes(key)
        .into_iter()
        .map(|(name, permissions)| {
            let flags: Vec<String> = permissions.names().map(quoted).collect();
            format!("{} = [{}]", quoted(name), flags.join(", "))
        })
        .collect();
    let _ = writeln!(out, "scopes = {{ {} }}", scopes.join(", "));
    if let Some(at) = key.expires_at {
        let _ = writeln!(out, "expires_at = {}", time::to_rfc3339(at));
    }
    if !key.enabled {
        out.push_str("enabled = false\n");
    }
    if key.deleted {
        out.push_str("deleted = true\n");
    }
    if !key.metadata.is_empty() {
        let pairs: Vec<String> = key
            .metadata
            .iter()
            .map(|(name, value)| format!("{} = {}", quoted(name), quoted(value)))
            .collect();
        let _ = writeln!(out, "metadata = {{ {} }}", pairs.join(", "));
    }
    out
}

/// Returns each scope name once with the union of its flags, in first-seen order, because a TOML
/// table cannot repeat a name.
fn merged_scopes(key: &LocalKey) -> Vec<(&str, Permissions)> {
    let mut merged: Vec<(&str, Permissions)> = Vec::new();
    for scope in &key.scopes {
        match merged.iter_mut().find(|(name, _)| *name == scope.name()) {
            Some((_, permissions)) => *permissions = *permissions | scope.permissions(),
            None => merged.push((scope.name(), scope.permissions())),
        }
    }
    merged
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Verify;
    use crate::local::LocalVerifier;
    use crate::scope::{GrantedScope, RequiredScope};
    use crate::verdict::KeyStatus;
    use crate::verify::VerifyRequest;

    async fn status_of(minted: &MintedKey, scopes: &[RequiredScope]) -> KeyStatus {
        let verifier = LocalVerifier::from_toml(&minted.to_toml()).unwrap();
        let request = VerifyRequest::new(minted.secret(), scopes);
        verifier.verify(request).await.unwrap().status().clone()
    }

    #[tokio::test]
    async fn deleted_key_stays_deleted() {
        let minted = MintedKey::generate("k1", |key| key.deleted(true)).unwrap();
        assert!(minted.to_toml().contains("deleted = true"));
        assert_eq!(status_of(&minted, &[]).await, KeyStatus::Deleted);
    }

    #[tokio::test]
    async fn disabled_key_stays_disabled() {
        let minted = MintedKey::generate("k1", |key| key.enabled(false)).unwrap();
        assert_eq!(status_of(&minted, &[]).await, KeyStatus::Disabled);
    }

    #[tokio::test]
    async fn repeated_scope_is_merged() {
        let minted = MintedKey::generate("k1", |key| {
            key.scope(GrantedScope::new("profile", Permissions::READ))
                .scope(GrantedScope::new("profile", Permissions::UPDATE))
        })
        .unwrap();
        let both = [RequiredScope::new(
            "profile",
            Permissions::READ | Permissions::UPDATE,
        )];
        assert_eq!(status_of(&minted, &both).await, KeyStatus::Valid);
    }

    #[tokio::test]
    async fn minted_entry_loads_and_verifies() {
        let minted = MintedKey::generate("k1", |key| {
            key.customer("c1")
                .scope(GrantedScope::new(
                    "profile",
                    Permissions::READ | Permissions::UPDATE,
                ))
                .metadata("plan", "pro")
        })
        .unwrap();
        let verifier = LocalVerifier::from_toml(&minted.to_toml()).unwrap();
        let scopes = [RequiredScope::new("profile", Permissions::UPDATE)];
        let verdict = verifier
            .verify(VerifyRequest::new(minted.secret(), &scopes))
            .await
            .unwrap();
        assert!(verdict.status().is_valid());
        assert_eq!(
            verdict.metadata().get("plan").map(String::as_str),
            Some("pro")
        );
    }

    #[test]
    fn secrets_differ_and_have_prefix() {
        let first = MintedKey::generate("a", |key| key).unwrap();
        let second = MintedKey::generate("b", |key| key).unwrap();
        assert_ne!(first.secret(), second.secret());
        assert!(first.secret().starts_with(MINTED_KEY_PREFIX));
        assert_eq!(first.secret().len(), MINTED_KEY_PREFIX.len() + 48);
    }

    #[test]
    fn debug_hides_secret() {
        let minted = MintedKey::generate("a", |key| key).unwrap();
        assert!(!format!("{minted:?}").contains(minted.secret()));
    }
}
