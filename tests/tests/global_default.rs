//! The process-wide default verifier. This binary sets it, so no other test shares the process.

use std::sync::Once;

use axum::Router;
use axum::routing::get;
use oneloop_runtime::{
    GrantedScope, KeyDigest, LocalKey, LocalVerifier, OneloopLayer, Permissions, oneloop,
};
use reqwest::StatusCode;

const GLOBAL_KEY: &str = "sk_global_8d1f";
const LAYER_KEY: &str = "sk_layer_2c7a";

#[oneloop(scope = "profile", read)]
async fn protected() -> &'static str {
    "ok"
}

fn verifier_for(key: &str) -> LocalVerifier {
    let entry = LocalKey::new("ak_1", KeyDigest::of(key))
        .scope(GrantedScope::new("profile", Permissions::READ));
    LocalVerifier::new([entry]).unwrap()
}

fn install_global_default() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        OneloopLayer::new(verifier_for(GLOBAL_KEY))
            .set_global_default()
            .unwrap();
    });
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}/")
}

async fn status_with(url: &str, key: &str) -> StatusCode {
    let client = reqwest::Client::new();
    client
        .get(url)
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn router_without_layer_uses_global() {
    install_global_default();
    let url = serve(Router::new().route("/", get(protected))).await;
    assert_eq!(status_with(&url, GLOBAL_KEY).await, StatusCode::OK);
    assert_eq!(status_with(&url, LAYER_KEY).await, StatusCode::UNAUTHORIZED);
    let without_key = reqwest::get(&url).await.unwrap().status();
    assert_eq!(without_key, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn layer_wins_over_global() {
    install_global_default();
    let router = Router::new()
        .route("/", get(protected))
        .layer(OneloopLayer::new(verifier_for(LAYER_KEY)));
    let url = serve(router).await;
    assert_eq!(status_with(&url, LAYER_KEY).await, StatusCode::OK);
    assert_eq!(
        status_with(&url, GLOBAL_KEY).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn global_default_is_set_once() {
    install_global_default();
    let again = OneloopLayer::new(verifier_for(LAYER_KEY)).set_global_default();
    assert!(again.is_err());
}
