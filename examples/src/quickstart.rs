//! The quickstart service: one public route and a profile behind `#[oneloop]`.

use axum::routing::get;
use axum::{Json, Router};
use oneloop_runtime::{LocalVerifier, OneloopLayer, VerifiedKey, oneloop};
use serde::{Deserialize, Serialize};

/// A demo key shipped with the examples.
#[derive(Debug, Clone, Copy)]
pub struct DemoKey {
    /// The name printed at startup.
    pub name: &'static str,
    /// The secret a caller sends. Demo keys only: a real key is never written in source.
    pub secret: &'static str,
    /// The scopes the key holds, as printed at startup.
    pub scopes: &'static str,
}

/// The demo keys. `keys/demo.toml` contains their SHA-256 digests.
pub const DEMO_KEYS: [DemoKey; 2] = [
    DemoKey {
        name: "reader",
        secret: "sk_demo_reader_7Qm2xV9pLs4T",
        scopes: "profile:read",
    },
    DemoKey {
        name: "editor",
        secret: "sk_demo_editor_3Nc8wK5rHd1Z",
        scopes: "profile:read profile:update",
    },
];

const DEMO_KEY_FILE: &str = include_str!("../keys/demo.toml");

/// Returns the embedded key store holding the demo keys.
///
/// # Panics
///
/// Panics if the key file shipped with the examples is malformed, which its test rules out.
#[must_use]
pub fn demo_verifier() -> LocalVerifier {
    LocalVerifier::from_toml(DEMO_KEY_FILE).expect("keys/demo.toml is a valid key file")
}

/// Builds the quickstart router around a verifier layer.
pub fn router(layer: OneloopLayer) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/profile", get(show_profile).put(update_profile))
        .layer(layer)
}

/// The profile as the service returns it.
#[derive(Debug, Serialize)]
pub struct Profile {
    /// The customer id of the key that called.
    pub customer: Option<String>,
    /// The id of the key that called.
    pub key_id: Option<String>,
    /// The display name, when the request set one.
    pub display_name: Option<String>,
}

/// The body `PUT /profile` takes.
#[derive(Debug, Deserialize)]
pub struct ProfileUpdate {
    /// The new display name.
    pub display_name: String,
}

async fn health() -> &'static str {
    "ok"
}

/// Returns the caller's profile; needs `profile:read`.
#[oneloop(scope = "profile", read)]
async fn show_profile(key: VerifiedKey) -> Json<Profile> {
    Json(profile_of(&key, None))
}

/// Updates the caller's profile; needs `profile:update`. The key is checked before the body is
/// read, so a bad key never gets a JSON error.
#[oneloop(scope = "profile", update)]
async fn update_profile(key: VerifiedKey, Json(update): Json<ProfileUpdate>) -> Json<Profile> {
    Json(profile_of(&key, Some(update.display_name)))
}

fn profile_of(key: &VerifiedKey, display_name: Option<String>) -> Profile {
    Profile {
        customer: key.customer_id().map(str::to_owned),
        key_id: key.key_id().map(str::to_owned),
        display_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_key_file_loads() {
        assert_eq!(demo_verifier().len(), DEMO_KEYS.len());
    }
}
