//! Each Oneloop response, end to end: a `#[oneloop(scope = "profile", read)]` handler behind
//! `OneloopLayer` over a `Oneloop` client, served on loopback, with a `wiremock` stand-in that
//! accepts only the exact captured verify request.

mod common;

use std::time::Duration;

use common::{
    KEY, KEY_ID, SDK_KEY, TestResponse, app_routes, client_for, epoch_ms, get_profile,
    json_response, refused_address, response_with_status, serve, valid_response, verify_mock, wire,
};
use oneloop_runtime::{Oneloop, OneloopLayer};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

/// Serves the app with a verifier for the stand-in and returns its base URL.
async fn app_for(mock: &MockServer) -> String {
    let layer = OneloopLayer::new(client_for(&mock.uri()));
    serve(app_routes().layer(layer)).await
}

/// Mounts `response` for the captured request, expecting one call, and sends one request.
async fn response_for(response: ResponseTemplate) -> TestResponse {
    let mock = MockServer::start().await;
    verify_mock(response).expect(1).mount(&mock).await;
    let base = app_for(&mock).await;
    get_profile(&base, &format!("Bearer {KEY}")).await
}

/// Checks the status, the problem content type and the `code` member of the response to `case`.
fn assert_problem(case: &str, response: &TestResponse, status: u16, code: &str) {
    assert_eq!(response.status, status, "status after {case}: {response:?}");
    assert_eq!(
        response.content_type.as_deref(),
        Some("application/problem+json"),
        "content type after {case}"
    );
    assert_eq!(response.code(), code, "code after {case}");
}

#[tokio::test]
async fn valid_key_reaches_handler() {
    let response = response_for(json_response(wire("verify-response-valid.json"))).await;
    assert_eq!(response.status, 200, "{response:?}");
    assert_eq!(response.json()["keyId"], KEY_ID);
}

#[tokio::test]
async fn rejected_statuses_return_401() {
    let cases = [
        ("INVALID", "invalid_key"),
        ("DELETED", "deleted_key"),
        ("EXPIRED", "expired_key"),
        ("DISABLED", "disabled_key"),
        ("SUSPENDED", "invalid_key"),
        ("valid", "invalid_key"),
        ("", "invalid_key"),
    ];
    for (status, code) in cases {
        let response = response_for(json_response(response_with_status(status))).await;
        assert_problem(status, &response, 401, code);
        assert_eq!(
            response.challenge.as_deref(),
            Some(r#"Bearer error="invalid_token""#),
            "challenge for {status}"
        );
    }
}

#[tokio::test]
async fn invalid_scopes_returns_403() {
    let response = response_for(json_response(wire("verify-response-minimal.json"))).await;
    assert_problem("INVALID_SCOPES", &response, 403, "insufficient_scope");
    let challenge = response.challenge.expect("WWW-Authenticate is set");
    assert!(
        challenge.contains(r#"error="insufficient_scope""#),
        "{challenge}"
    );
    assert!(challenge.contains(r#"scope="profile:read""#), "{challenge}");
}

#[tokio::test]
async fn rate_limited_returns_429_with_reset() {
    let mut body = response_with_status("RATE_LIMITED");
    body["rateLimit"] = json!({ "remaining": 0, "resetAt": epoch_ms() + 30_000 });
    let response = response_for(json_response(body)).await;
    assert_problem("RATE_LIMITED", &response, 429, "rate_limited");
    let delay = response.retry_after_secs();
    assert!((28..=30).contains(&delay), "Retry-After {delay}");
}

#[tokio::test]
async fn usage_limited_returns_402() {
    let response = response_for(json_response(response_with_status("USAGE_LIMITED"))).await;
    assert_problem("USAGE_LIMITED", &response, 402, "usage_limited");
}

#[tokio::test]
async fn oneloop_client_errors_return_500() {
    let message = "SDK key sdk_test_9f2c41 has no access to workspace ws_private_77";
    for status in [400, 401, 403] {
        let body = json!({ "error": { "code": status, "message": message } });
        let response = response_for(ResponseTemplate::new(status).set_body_json(body)).await;
        assert_problem(&status.to_string(), &response, 500, "internal_error");
        assert!(response.challenge.is_none(), "challenge after {status}");
        assert!(
            !response.body.contains("ws_private_77"),
            "Oneloop's message reached the caller after {status}: {}",
            response.body
        );
        assert!(
            !response.body.contains(SDK_KEY),
            "SDK key reached the caller after {status}: {}",
            response.body
        );
    }
}

#[tokio::test]
async fn oneloop_outages_return_503() {
    let cases = [
        ("500", ResponseTemplate::new(500)),
        (
            "502 with HTML",
            ResponseTemplate::new(502)
                .set_body_raw("<html><body>Bad Gateway</body></html>", "text/html"),
        ),
        (
            "200 with malformed JSON",
            ResponseTemplate::new(200).set_body_raw(r#"{"status": "VAL"#, "application/json"),
        ),
        (
            "200 without status",
            json_response(json!({ "apiKeyId": KEY_ID, "customerId": "cust_1" })),
        ),
    ];
    for (case, response) in cases {
        let response = response_for(response).await;
        assert_problem(case, &response, 503, "verifier_unavailable");
        assert!(response.retry_after.is_some(), "Retry-After after {case}");
    }
}

#[tokio::test]
async fn oneloop_retry_after_is_passed_on() {
    let response = response_for(ResponseTemplate::new(503).insert_header("retry-after", "7")).await;
    assert_problem(
        "503 with Retry-After",
        &response,
        503,
        "verifier_unavailable",
    );
    assert_eq!(response.retry_after_secs(), 7);
}

#[tokio::test]
async fn slow_oneloop_returns_503() {
    let mock = MockServer::start().await;
    let slow = json_response(valid_response()).set_delay(Duration::from_secs(2));
    verify_mock(slow).expect(1).mount(&mock).await;
    let client = Oneloop::builder(SDK_KEY)
        .base_url(mock.uri())
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client builds");
    let base = serve(app_routes().layer(OneloopLayer::new(client))).await;

    let response = get_profile(&base, &format!("Bearer {KEY}")).await;

    assert_problem("timeout", &response, 503, "verifier_unavailable");
    assert!(response.retry_after.is_some(), "{response:?}");
}

#[tokio::test]
async fn refused_connection_returns_503() {
    let address = refused_address().await;
    let client = client_for(&format!("http://{address}"));
    let base = serve(app_routes().layer(OneloopLayer::new(client))).await;

    let response = get_profile(&base, &format!("Bearer {KEY}")).await;

    assert_problem("refused connection", &response, 503, "verifier_unavailable");
    assert!(response.retry_after.is_some(), "{response:?}");
}

#[tokio::test]
async fn unprotected_route_skips_oneloop() {
    let mock = MockServer::start().await;
    let base = app_for(&mock).await;

    let response = reqwest::get(format!("{base}/health")).await.expect("sent");

    assert_eq!(response.status(), 200);
    let received = mock.received_requests().await.expect("recording is on");
    assert!(received.is_empty(), "{} verify calls", received.len());
}

#[tokio::test]
async fn redirect_is_not_followed() {
    let mock = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let location = format!("{}{}", elsewhere.uri(), common::VERIFY_PATH);
    verify_mock(ResponseTemplate::new(307).insert_header("location", location.as_str()))
        .expect(1)
        .mount(&mock)
        .await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(json_response(valid_response()))
        .mount(&elsewhere)
        .await;
    let base = app_for(&mock).await;

    let response = get_profile(&base, &format!("Bearer {KEY}")).await;

    let forwarded = elsewhere
        .received_requests()
        .await
        .expect("recording is on");
    assert!(
        forwarded.is_empty(),
        "the key was sent to the redirect target"
    );
    assert_problem("307", &response, 500, "internal_error");
}

#[tokio::test]
async fn oversized_response_returns_503() {
    let mut body = valid_response();
    body["metadata"] = json!({ "padding": "x".repeat(70 * 1024) });
    let response = response_for(json_response(body)).await;
    assert_problem(
        "a 70 KiB VALID body",
        &response,
        503,
        "verifier_unavailable",
    );
}

#[tokio::test]
async fn large_valid_response_under_limit_passes() {
    let mut body = valid_response();
    body["metadata"] = json!({ "padding": "x".repeat(60 * 1024) });
    let response = response_for(json_response(body)).await;
    assert_eq!(response.status, 200, "{response:?}");
}
