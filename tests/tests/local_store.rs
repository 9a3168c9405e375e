//! The embedded key store behind a router, end to end: each key state gets the same HTTP response
//! as the matching Oneloop status, and keys load from a TOML file written by `MintedKey`.

mod common;

use std::time::{Duration, SystemTime};

use common::{app_routes, get_profile, serve};
use oneloop_runtime::{
    GrantedScope, KeyDigest, LocalKey, LocalVerifier, MintedKey, OneloopLayer, Permissions,
};

/// Returns a key named `id` whose secret is `sk_local_{id}`, holding `profile:read`.
fn reader(id: &str) -> LocalKey {
    LocalKey::new(id, KeyDigest::of(&format!("sk_local_{id}")))
        .customer("cust_local")
        .scope(GrantedScope::new("profile", Permissions::READ))
        .metadata("plan", "free")
}

async fn app_for(keys: Vec<LocalKey>) -> String {
    let verifier = LocalVerifier::new(keys).expect("keys are distinct");
    serve(app_routes().layer(OneloopLayer::new(verifier))).await
}

#[tokio::test]
async fn key_states_map_to_statuses() {
    let an_hour = Duration::from_secs(3_600);
    let base = app_for(vec![
        reader("valid"),
        reader("deleted").deleted(true),
        reader("disabled").enabled(false),
        reader("expired").expires_at(SystemTime::now() - an_hour),
        reader("future").expires_at(SystemTime::now() + an_hour),
        LocalKey::new("writer", KeyDigest::of("sk_local_writer"))
            .scope(GrantedScope::new("profile", Permissions::UPDATE)),
    ])
    .await;
    let cases = [
        ("valid", 200, None),
        ("future", 200, None),
        ("deleted", 401, Some("deleted_key")),
        ("disabled", 401, Some("disabled_key")),
        ("expired", 401, Some("expired_key")),
        ("unknown", 401, Some("invalid_key")),
        ("writer", 403, Some("insufficient_scope")),
    ];

    for (id, status, code) in cases {
        let response = get_profile(&base, &format!("Bearer sk_local_{id}")).await;
        assert_eq!(response.status, status, "status for {id}: {response:?}");
        if let Some(code) = code {
            assert_eq!(response.code(), code, "code for {id}");
        }
    }
}

#[tokio::test]
async fn verified_key_carries_local_details() {
    let base = app_for(vec![reader("valid")]).await;

    let response = get_profile(&base, "Bearer sk_local_valid").await;

    assert_eq!(response.status, 200, "{response:?}");
    let body = response.json();
    assert_eq!(body["keyId"], "valid");
    assert_eq!(body["customerId"], "cust_local");
    assert_eq!(body["metadata"], serde_json::json!({ "plan": "free" }));
}

#[tokio::test]
async fn minted_key_file_serves_requests() {
    let minted = MintedKey::generate("key_minted", |key| {
        key.customer("cust_minted")
            .scope(GrantedScope::new("profile", Permissions::READ))
    })
    .expect("the OS random source works");
    let file = std::env::temp_dir().join(format!("oneloop-keys-{}.toml", std::process::id()));
    std::fs::write(&file, minted.to_toml()).expect("temp file is writable");
    let verifier = LocalVerifier::from_file(&file);
    std::fs::remove_file(&file).expect("temp file is removable");
    let verifier = verifier.expect("minted entry loads");
    let base = serve(app_routes().layer(OneloopLayer::new(verifier))).await;

    let accepted = get_profile(&base, &format!("Bearer {}", minted.secret())).await;
    let digest_as_key = format!("Bearer {}", minted.key().digest.to_hex());
    let rejected = get_profile(&base, &digest_as_key).await;

    assert_eq!(accepted.status, 200, "{accepted:?}");
    assert_eq!(accepted.json()["keyId"], "key_minted");
    assert_eq!(rejected.status, 401, "the stored digest works as a key");
}
