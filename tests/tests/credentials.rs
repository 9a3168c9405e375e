//! Reading the caller's key from `Authorization`, end to end: malformed forms are rejected
//! without calling Oneloop, and the `Bearer` scheme matches in any case while the token is sent
//! to Oneloop once and unchanged.

mod common;

use common::{
    KEY, SDK_KEY, TestResponse, app_routes, client_for, json_response, serve, valid_response,
    verify_mock,
};
use http::HeaderValue;
use oneloop_runtime::{MAX_KEY_LEN, OneloopLayer};
use wiremock::MockServer;

/// Sends `GET {base}/profile` with one `Authorization` header per entry of `values`.
async fn get_with_headers(base: &str, values: &[Vec<u8>]) -> TestResponse {
    let mut request = reqwest::Client::new().get(format!("{base}/profile"));
    for value in values {
        let value = HeaderValue::from_bytes(value).expect("valid header bytes");
        request = request.header("authorization", value);
    }
    TestResponse::read(request.send().await.expect("request is sent")).await
}

/// A malformed `Authorization` form and the response it must get.
struct Case {
    name: &'static str,
    headers: Vec<Vec<u8>>,
    status: u16,
    code: &'static str,
    challenge: &'static str,
}

fn malformed_cases() -> Vec<Case> {
    let missing = |name, headers| Case {
        name,
        headers,
        status: 401,
        code: "missing_credentials",
        challenge: "Bearer",
    };
    let invalid = |name, headers| Case {
        name,
        headers,
        status: 400,
        code: "invalid_request",
        challenge: r#"Bearer error="invalid_request""#,
    };
    let long_token = format!("Bearer {}", "k".repeat(MAX_KEY_LEN + 1));
    vec![
        missing("no header", vec![]),
        missing("Basic scheme", vec![b"Basic dXNlcjpwYXNz".to_vec()]),
        missing("scheme glued to token", vec![b"Bearersk_live_abc".to_vec()]),
        invalid("empty token", vec![b"Bearer ".to_vec()]),
        invalid("scheme alone", vec![b"Bearer".to_vec()]),
        invalid(
            "two headers",
            vec![
                b"Bearer sk_live_abc".to_vec(),
                b"Bearer sk_live_abc".to_vec(),
            ],
        ),
        invalid("non-ASCII bytes", vec![b"Bearer sk_live_\xc3\xa9".to_vec()]),
        invalid("space inside token", vec![b"Bearer sk_live abc".to_vec()]),
        invalid(
            "scheme repeated",
            vec![b"Bearer Bearer sk_live_abc".to_vec()],
        ),
        invalid("tab inside token", vec![b"Bearer sk_live\tabc".to_vec()]),
        invalid("513-byte token", vec![long_token.into_bytes()]),
    ]
}

#[tokio::test]
async fn malformed_credentials_skip_oneloop() {
    let mock = MockServer::start().await;
    let base = serve(app_routes().layer(OneloopLayer::new(client_for(&mock.uri())))).await;

    for case in malformed_cases() {
        let response = get_with_headers(&base, &case.headers).await;
        let name = case.name;
        assert_eq!(
            response.status, case.status,
            "status for {name}: {response:?}"
        );
        assert_eq!(
            response.content_type.as_deref(),
            Some("application/problem+json"),
            "content type for {name}"
        );
        assert_eq!(response.code(), case.code, "code for {name}");
        assert_eq!(
            response.challenge.as_deref(),
            Some(case.challenge),
            "challenge for {name}"
        );
    }

    let received = mock.received_requests().await.expect("recording is on");
    assert!(received.is_empty(), "{} verify calls", received.len());
}

#[tokio::test]
async fn token_at_max_length_reaches_oneloop() {
    let mock = MockServer::start().await;
    let long_key = "k".repeat(MAX_KEY_LEN);
    let mut request = common::wire("verify-request-one-scope.json");
    request["key"] = long_key.clone().into();
    common::verify_mock_for(request, json_response(valid_response()))
        .expect(1)
        .mount(&mock)
        .await;
    let base = serve(app_routes().layer(OneloopLayer::new(client_for(&mock.uri())))).await;

    let response = get_with_headers(&base, &[format!("Bearer {long_key}").into_bytes()]).await;

    assert_eq!(response.status, 200, "{response:?}");
}

#[tokio::test]
async fn scheme_matches_in_any_case() {
    let mock = MockServer::start().await;
    verify_mock(json_response(valid_response()))
        .expect(3)
        .mount(&mock)
        .await;
    let base = serve(app_routes().layer(OneloopLayer::new(client_for(&mock.uri())))).await;

    for scheme in ["bearer", "BEARER", "  Bearer  "] {
        let header = format!("{scheme} {KEY}");
        let response = get_with_headers(&base, &[header.into_bytes()]).await;
        assert_eq!(response.status, 200, "scheme {scheme:?}: {response:?}");
    }

    let received = mock.received_requests().await.expect("recording is on");
    assert_eq!(received.len(), 3, "one verify call per request");
    for request in received {
        let body: serde_json::Value = request.body_json().expect("JSON body");
        assert_eq!(body["key"], KEY, "key sent to Oneloop");
        let authorizations: Vec<_> = request.headers.get_all("authorization").iter().collect();
        assert_eq!(
            authorizations,
            [format!("Bearer {SDK_KEY}").as_str()],
            "Oneloop sees only the SDK key"
        );
    }
}

#[tokio::test]
async fn token_case_is_kept() {
    let mock = MockServer::start().await;
    let mut request = common::wire("verify-request-one-scope.json");
    request["key"] = "SK_Live_ABC".into();
    common::verify_mock_for(request, json_response(valid_response()))
        .expect(1)
        .mount(&mock)
        .await;
    let base = serve(app_routes().layer(OneloopLayer::new(client_for(&mock.uri())))).await;

    let response = get_with_headers(&base, &[b"bearer SK_Live_ABC".to_vec()]).await;

    assert_eq!(response.status, 200, "{response:?}");
}
