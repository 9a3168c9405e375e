//! The quickstart router, served on loopback, responds exactly as the README promises.

use oneloop_examples::quickstart::{DEMO_KEYS, demo_verifier, router};
use oneloop_runtime::OneloopLayer;
use reqwest::StatusCode;
use serde_json::{Value, json};

const READER: &str = DEMO_KEYS[0].secret;
const EDITOR: &str = DEMO_KEYS[1].secret;

async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = router(OneloopLayer::new(demo_verifier()));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}

fn get_profile(base: &str, key: Option<&str>) -> reqwest::RequestBuilder {
    let request = reqwest::Client::new().get(format!("{base}/profile"));
    match key {
        Some(key) => request.bearer_auth(key),
        None => request,
    }
}

fn put_profile(base: &str, key: &str, body: &'static str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .put(format!("{base}/profile"))
        .bearer_auth(key)
        .header("content-type", "application/json")
        .body(body)
}

#[tokio::test]
async fn health_needs_no_key() {
    let base = serve().await;
    let response = reqwest::get(format!("{base}/health")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn profile_without_key_is_401() {
    let base = serve().await;
    let response = get_profile(&base, None).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
}

#[tokio::test]
async fn reader_gets_profile() {
    let base = serve().await;
    let response = get_profile(&base, Some(READER)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["customer"], "cust_demo_reader");
    assert_eq!(body["key_id"], "key_demo_reader");
}

#[tokio::test]
async fn reader_cannot_update_profile() {
    let base = serve().await;
    let body = r#"{"display_name":"Ada"}"#;
    let response = put_profile(&base, READER, body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let challenge = response.headers()["www-authenticate"].to_str().unwrap();
    assert!(
        challenge.contains(r#"scope="profile:update""#),
        "{challenge}"
    );
}

#[tokio::test]
async fn editor_updates_profile() {
    let base = serve().await;
    let body = r#"{"display_name":"Ada"}"#;
    let response = put_profile(&base, EDITOR, body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let expected = json!({
        "customer": "cust_demo_editor",
        "key_id": "key_demo_editor",
        "display_name": "Ada",
    });
    assert_eq!(body, expected);
}

#[tokio::test]
async fn made_up_key_is_401() {
    let base = serve().await;
    let response = get_profile(&base, Some("sk_demo_made_up"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "invalid_key");
}

#[tokio::test]
async fn made_up_key_with_bad_json_is_401() {
    let base = serve().await;
    let response = put_profile(&base, "sk_demo_made_up", "{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
