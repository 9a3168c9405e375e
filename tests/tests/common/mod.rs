//! Shared setup for the end-to-end tests: a protected axum app served on loopback, a Oneloop
//! stand-in on `wiremock`, and helpers that read `application/problem+json` responses.
//!
//! Each test binary compiles this module on its own and uses only part of it.
#![allow(dead_code)]

pub mod capture;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::routing::get;
use http::header::{CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use oneloop_runtime::{Oneloop, VerifiedKey, oneloop};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The SDK key the tests configure the client with.
pub const SDK_KEY: &str = "sdk_test_9f2c41";
/// The caller's key in the captured request `verify-request-one-scope.json`.
pub const KEY: &str = "sk_live_abc";
/// The key id in `verify-response-valid.json`.
pub const KEY_ID: &str = "ak_1";
/// The verify endpoint's path.
pub const VERIFY_PATH: &str = "/api/v1/api-key/verify";

/// Reads a capture from `tests/wire/`.
pub fn wire(name: &str) -> Value {
    let file: PathBuf = [env!("CARGO_MANIFEST_DIR"), "wire", name].iter().collect();
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|error| panic!("failed to read {}: {error}", file.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not JSON: {error}", file.display()))
}

/// Returns the captured VALID response without `rateLimit`, so a cache may keep it.
pub fn valid_response() -> Value {
    let mut body = wire("verify-response-valid.json");
    body.as_object_mut()
        .expect("verify-response-valid.json is an object")
        .remove("rateLimit");
    body
}

/// Returns the captured VALID response with its status replaced and without `rateLimit`.
pub fn response_with_status(status: &str) -> Value {
    let mut body = valid_response();
    body["status"] = json!(status);
    body
}

/// Returns the milliseconds since the Unix epoch, as Oneloop sends `resetAt`.
pub fn epoch_ms() -> i64 {
    let elapsed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock is after 1970");
    i64::try_from(elapsed.as_millis()).expect("epoch milliseconds fit in i64")
}

/// Builds a mock that matches only the exact one-scope verify request for [`KEY`] sent with
/// the SDK key, and responds with `response`.
pub fn verify_mock(response: ResponseTemplate) -> Mock {
    verify_mock_for(wire("verify-request-one-scope.json"), response)
}

/// Builds a mock that matches only a verify request with exactly `body` sent with the SDK key.
pub fn verify_mock_for(body: Value, response: ResponseTemplate) -> Mock {
    Mock::given(method("POST"))
        .and(path(VERIFY_PATH))
        .and(header(
            "authorization",
            format!("Bearer {SDK_KEY}").as_str(),
        ))
        .and(header("content-type", "application/json"))
        .and(body_json(body))
        .respond_with(response)
}

/// Returns a 200 response with `body` as JSON.
pub fn json_response(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// Builds a client for the stand-in at `base_url` with the test SDK key.
pub fn client_for(base_url: &str) -> Oneloop {
    Oneloop::builder(SDK_KEY)
        .base_url(base_url)
        .build()
        .expect("client builds")
}

/// Returns the address of a loopback port that nothing listens on.
pub async fn refused_address() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("local address");
    drop(listener);
    address
}

/// Returns the key id, customer id and metadata that [`VerifiedKey`] carries.
#[oneloop(scope = "profile", read)]
pub async fn show_profile(key: VerifiedKey) -> axum::Json<Value> {
    axum::Json(json!({
        "keyId": key.key_id(),
        "customerId": key.customer_id(),
        "metadata": key.metadata(),
    }))
}

/// A profile update, to check that the key is verified before the body is parsed.
#[derive(serde::Deserialize)]
pub struct ProfileUpdate {
    /// The new display name.
    pub name: String,
}

#[oneloop(scope = "profile", read)]
async fn update_profile(axum::Json(update): axum::Json<ProfileUpdate>) -> String {
    update.name
}

/// Returns the app under test without a verifier: `GET /profile` and `POST /profile`, both
/// protected with `profile:read`, and an unprotected `GET /health`.
pub fn app_routes() -> Router {
    Router::new()
        .route("/profile", get(show_profile).post(update_profile))
        .route("/health", get(|| async { "ok" }))
}

/// Serves `app` on a loopback port and returns its base URL.
pub async fn serve(app: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("server runs");
    });
    format!("http://{address}")
}

/// A response read whole: status, the headers the tests check, and the body.
#[derive(Debug)]
pub struct TestResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub challenge: Option<String>,
    pub retry_after: Option<String>,
    pub body: String,
}

impl TestResponse {
    /// Reads `response` to the end.
    pub async fn read(response: reqwest::Response) -> Self {
        let text = |name| {
            response
                .headers()
                .get(name)
                .map(|value: &http::HeaderValue| {
                    value.to_str().expect("header is ASCII").to_owned()
                })
        };
        let content_type = text(CONTENT_TYPE);
        let challenge = text(WWW_AUTHENTICATE);
        let retry_after = text(RETRY_AFTER);
        let status = response.status().as_u16();
        let body = response.text().await.expect("body reads");
        Self {
            status,
            content_type,
            challenge,
            retry_after,
            body,
        }
    }

    /// Parses the body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {}", self.body))
    }

    /// Returns the problem body's `code` member.
    pub fn code(&self) -> String {
        self.json()["code"]
            .as_str()
            .unwrap_or_else(|| panic!("body has no string `code`: {}", self.body))
            .to_owned()
    }

    /// Returns `Retry-After` in whole seconds.
    pub fn retry_after_secs(&self) -> u64 {
        let value = self.retry_after.as_deref().expect("Retry-After is set");
        value
            .parse()
            .unwrap_or_else(|_| panic!("Retry-After is not whole seconds: {value}"))
    }
}

/// Sends `GET {base}/profile` with `authorization` as the only `Authorization` header.
pub async fn get_profile(base: &str, authorization: &str) -> TestResponse {
    let response = reqwest::Client::new()
        .get(format!("{base}/profile"))
        .header("authorization", authorization)
        .send()
        .await
        .expect("request is sent");
    TestResponse::read(response).await
}

/// Waits until the stand-in has received `count` requests, for at most five seconds.
pub async fn wait_for_requests(mock: &MockServer, count: usize) {
    for _ in 0..500 {
        let received = mock.received_requests().await.map_or(0, |list| list.len());
        if received >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the stand-in did not receive {count} requests within five seconds");
}
