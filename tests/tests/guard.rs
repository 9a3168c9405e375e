//! The guard `#[oneloop]` inserts, end to end: it runs before the body is parsed, hands the
//! verdict to `VerifiedKey`, lets the application replace rejections, and fails closed on a
//! router without a verifier.

mod common;

use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use common::{
    KEY, KEY_ID, TestResponse, app_routes, client_for, get_profile, json_response,
    response_with_status, serve, valid_response, verify_mock, wire,
};
use http::StatusCode;
use oneloop_runtime::{OneloopLayer, Rejection, VerifiedKey, oneloop};
use serde_json::{Value, json};
use wiremock::MockServer;

/// Sends `POST {base}/profile` with a JSON content type and `body`.
async fn post_profile(base: &str, authorization: &str, body: &'static str) -> TestResponse {
    let response = reqwest::Client::new()
        .post(format!("{base}/profile"))
        .header("authorization", authorization)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("request is sent");
    TestResponse::read(response).await
}

#[tokio::test]
async fn bad_key_with_bad_body_returns_401() {
    let mock = MockServer::start().await;
    verify_mock(json_response(response_with_status("INVALID")))
        .expect(1)
        .mount(&mock)
        .await;
    let base = serve(app_routes().layer(OneloopLayer::new(client_for(&mock.uri())))).await;

    let response = post_profile(&base, &format!("Bearer {KEY}"), "{not json").await;

    assert_eq!(response.status, 401, "{response:?}");
    assert_eq!(response.code(), "invalid_key");
}

#[tokio::test]
async fn missing_key_with_bad_body_returns_401() {
    let mock = MockServer::start().await;
    let base = serve(app_routes().layer(OneloopLayer::new(client_for(&mock.uri())))).await;

    let response = reqwest::Client::new()
        .post(format!("{base}/profile"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("request is sent");
    let response = TestResponse::read(response).await;

    assert_eq!(response.status, 401, "{response:?}");
    assert_eq!(response.code(), "missing_credentials");
}

#[tokio::test]
async fn valid_key_with_bad_body_returns_400() {
    let mock = MockServer::start().await;
    verify_mock(json_response(valid_response()))
        .expect(1)
        .mount(&mock)
        .await;
    let base = serve(app_routes().layer(OneloopLayer::new(client_for(&mock.uri())))).await;

    let response = post_profile(&base, &format!("Bearer {KEY}"), "{not json").await;

    // axum's `Json` rejects a syntax error with 400 and a plain-text body.
    assert_eq!(response.status, 400, "{response:?}");
    assert_ne!(
        response.content_type.as_deref(),
        Some("application/problem+json"),
        "the rejection came from the guard, not from `Json`"
    );
}

#[tokio::test]
async fn valid_key_with_good_body_passes() {
    let mock = MockServer::start().await;
    verify_mock(json_response(valid_response()))
        .expect(1)
        .mount(&mock)
        .await;
    let base = serve(app_routes().layer(OneloopLayer::new(client_for(&mock.uri())))).await;

    let response = post_profile(&base, &format!("Bearer {KEY}"), r#"{"name":"Ada"}"#).await;

    assert_eq!(response.status, 200, "{response:?}");
    assert_eq!(response.body, "Ada");
}

#[tokio::test]
async fn verified_key_carries_verdict_details() {
    let mock = MockServer::start().await;
    verify_mock(json_response(wire("verify-response-valid.json")))
        .expect(1)
        .mount(&mock)
        .await;
    let base = serve(app_routes().layer(OneloopLayer::new(client_for(&mock.uri())))).await;

    let response = get_profile(&base, &format!("Bearer {KEY}")).await;

    assert_eq!(response.status, 200, "{response:?}");
    let body = response.json();
    assert_eq!(body["keyId"], KEY_ID);
    assert_eq!(body["customerId"], "cust_1");
    assert_eq!(body["metadata"], serde_json::json!({ "plan": "pro" }));
}

/// Returns 418 with the rejection's code for invalid keys and keeps the default otherwise.
fn teapot_for_invalid_keys(rejection: Rejection) -> Response {
    match rejection {
        Rejection::InvalidKey(_) => (
            StatusCode::IM_A_TEAPOT,
            format!("custom {}", rejection.code()),
        )
            .into_response(),
        other => other.into_response(),
    }
}

#[tokio::test]
async fn on_rejection_replaces_response() {
    let mock = MockServer::start().await;
    verify_mock(json_response(response_with_status("DISABLED")))
        .expect(1)
        .mount(&mock)
        .await;
    let layer = OneloopLayer::new(client_for(&mock.uri())).on_rejection(teapot_for_invalid_keys);
    let base = serve(app_routes().layer(layer)).await;

    let custom_response = get_profile(&base, &format!("Bearer {KEY}")).await;
    let default_response = get_profile(&base, "Basic dXNlcjpwYXNz").await;

    assert_eq!(custom_response.status, 418, "{custom_response:?}");
    assert_eq!(custom_response.body, "custom disabled_key");
    assert_eq!(default_response.status, 401, "{default_response:?}");
    assert_eq!(default_response.code(), "missing_credentials");
}

#[tokio::test]
async fn router_without_layer_returns_500() {
    let base = serve(app_routes()).await;

    let response = get_profile(&base, &format!("Bearer {KEY}")).await;

    assert_eq!(response.status, 500, "{response:?}");
    assert_eq!(response.code(), "internal_error");
}

#[oneloop]
async fn any_valid_key() -> &'static str {
    "any"
}

#[oneloop(scope = "profile", read)]
#[oneloop(scope = "files", delete, update)]
async fn delete_file() -> &'static str {
    "deleted"
}

/// Sends `method path` with the test key to a stand-in that returns VALID for any request, and
/// returns the verify request bodies it received.
async fn verify_bodies(method: http::Method, path: &str) -> Vec<Value> {
    let mock = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(json_response(valid_response()))
        .mount(&mock)
        .await;
    let app = Router::new()
        .route("/any", get(any_valid_key))
        .route("/files", delete(delete_file))
        .layer(OneloopLayer::new(client_for(&mock.uri())));
    let base = serve(app).await;

    let response = reqwest::Client::new()
        .request(method, format!("{base}{path}"))
        .bearer_auth(KEY)
        .send()
        .await
        .expect("request is sent");

    assert_eq!(response.status(), 200, "{path}");
    let received = mock.received_requests().await.expect("recording is on");
    received
        .iter()
        .map(|request| request.body_json().expect("JSON body"))
        .collect()
}

#[tokio::test]
async fn bare_attribute_sends_no_scopes() {
    let bodies = verify_bodies(http::Method::GET, "/any").await;

    assert_eq!(bodies, [json!({ "key": KEY, "requestedScopes": [] })]);
}

#[tokio::test]
async fn stacked_attributes_verify_once() {
    let bodies = verify_bodies(http::Method::DELETE, "/files").await;

    assert_eq!(bodies.len(), 1, "verify calls: {bodies:?}");
    let scopes = bodies[0]["requestedScopes"]
        .as_array()
        .expect("requestedScopes is an array");
    let profile = json!({
        "id": "profile", "representation": "profile",
        "create": false, "read": true, "update": false, "del": false
    });
    let files = json!({
        "id": "files", "representation": "files",
        "create": false, "read": false, "update": true, "del": true
    });
    assert_eq!(scopes.len(), 2, "{scopes:?}");
    assert!(scopes.contains(&profile), "{scopes:?}");
    assert!(scopes.contains(&files), "{scopes:?}");
}

/// Takes `VerifiedKey` without `#[oneloop]`, so no check runs before it.
async fn unguarded(key: VerifiedKey) -> String {
    key.key_id().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn verified_key_without_guard_returns_500() {
    let mock = MockServer::start().await;
    let app = Router::new()
        .route("/unguarded", get(unguarded))
        .layer(OneloopLayer::new(client_for(&mock.uri())));
    let base = serve(app).await;

    let response = reqwest::Client::new()
        .get(format!("{base}/unguarded"))
        .bearer_auth(KEY)
        .send()
        .await
        .expect("request is sent");
    let response = TestResponse::read(response).await;

    assert_eq!(response.status, 500, "{response:?}");
    assert_eq!(response.code(), "internal_error");
    let received = mock.received_requests().await.expect("recording is on");
    assert!(received.is_empty(), "{} verify calls", received.len());
}
