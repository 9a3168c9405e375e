//! What the runtime logs and prints: never the caller's key or the SDK key, the key id where a
//! key was rejected, and one line for a run of verifier failures rather than one per request.
//!
//! Each test installs its own subscriber with `set_default` on a current-thread runtime, so the
//! app, the `Oneloop` client and their spawned tasks all log into that test's buffer. The
//! `wiremock` stand-in runs on its own thread and is not captured.

mod common;

use common::capture::Capture;
use common::{
    KEY, KEY_ID, SDK_KEY, app_routes, client_for, get_profile, json_response, refused_address,
    response_with_status, serve, valid_response, verify_mock,
};
use oneloop_runtime::{
    CachedVerifier, Oneloop, OneloopLayer, Permissions, RequiredScope, Verify, VerifyRequest,
};
use wiremock::{MockServer, ResponseTemplate};

/// Serves the app with its own layer, and so its own flood limit, over the stand-in.
async fn app_for(mock: &MockServer) -> String {
    serve(app_routes().layer(OneloopLayer::new(client_for(&mock.uri())))).await
}

#[tokio::test]
async fn logs_never_contain_keys() {
    let capture = Capture::default();
    let _guard = capture.install();
    let mock = MockServer::start().await;
    let echo = format!("key {KEY} sent with SDK key {SDK_KEY} is malformed");
    let echo_body = serde_json::json!({ "error": { "code": 400, "message": echo } });
    let responses = [
        json_response(valid_response()),
        json_response(response_with_status("INVALID")),
        ResponseTemplate::new(400).set_body_json(echo_body.clone()),
        ResponseTemplate::new(502).set_body_json(echo_body),
        ResponseTemplate::new(200).set_body_raw(format!(r#"{{"status": {KEY}}}"#), "text/plain"),
    ];
    let calls = responses.len();
    for (priority, response) in (1..).zip(responses) {
        verify_mock(response)
            .up_to_n_times(1)
            .with_priority(priority)
            .expect(1)
            .mount(&mock)
            .await;
    }
    let bearer = format!("Bearer {KEY}");
    let shared = app_for(&mock).await;

    // VALID and INVALID on one app, then one app per failure so each one is logged, then
    // malformed headers that carry the key.
    let mut statuses = Vec::new();
    statuses.push(get_profile(&shared, &bearer).await.status);
    statuses.push(get_profile(&shared, &bearer).await.status);
    statuses.push(get_profile(&app_for(&mock).await, &bearer).await.status);
    statuses.push(get_profile(&app_for(&mock).await, &bearer).await.status);
    statuses.push(get_profile(&app_for(&mock).await, &bearer).await.status);
    for malformed in [
        format!("Bearer {KEY} {KEY}"),
        format!("Bearer {KEY}{}", "x".repeat(600)),
        format!("Basic {KEY}"),
    ] {
        statuses.push(get_profile(&shared, &malformed).await.status);
    }

    assert_eq!(statuses, [200, 401, 500, 503, 503, 400, 400, 401]);
    let received = mock.received_requests().await.expect("recording is on");
    assert_eq!(received.len(), calls, "verify calls");
    let logs = capture.text();
    assert!(!logs.contains(KEY), "the caller's key was logged:\n{logs}");
    assert!(!logs.contains(SDK_KEY), "the SDK key was logged:\n{logs}");
    let rejected = logs
        .lines()
        .find(|line| line.contains(&format!(r#"key_id="{KEY_ID}""#)))
        .unwrap_or_else(|| panic!("the key id was not logged:\n{logs}"));
    assert!(rejected.contains(r#"route="/profile""#), "{rejected}");
}

#[tokio::test]
async fn oneloop_rejection_logs_error_with_message() {
    let capture = Capture::default();
    let _guard = capture.install();
    let mock = MockServer::start().await;
    let body = serde_json::json!({ "error": { "code": 401, "message": "unknown SDK key" } });
    verify_mock(ResponseTemplate::new(401).set_body_json(body))
        .expect(1)
        .mount(&mock)
        .await;

    let response = get_profile(&app_for(&mock).await, &format!("Bearer {KEY}")).await;

    assert_eq!(response.status, 500, "{response:?}");
    let alerts = capture.alerts();
    assert_eq!(alerts.len(), 1, "{alerts:#?}");
    assert!(alerts[0].trim_start().starts_with("ERROR"), "{}", alerts[0]);
    assert!(alerts[0].contains("unknown SDK key"), "{}", alerts[0]);
    assert!(alerts[0].contains(r#"route="/profile""#), "{}", alerts[0]);
}

#[tokio::test]
async fn missing_layer_logs_the_fix() {
    let capture = Capture::default();
    let _guard = capture.install();
    let base = serve(app_routes()).await;

    let response = get_profile(&base, &format!("Bearer {KEY}")).await;

    assert_eq!(response.status, 500, "{response:?}");
    let alerts = capture.alerts();
    assert_eq!(alerts.len(), 1, "{alerts:#?}");
    assert!(alerts[0].contains("OneloopLayer::new"), "{}", alerts[0]);
}

#[tokio::test]
async fn down_oneloop_logs_once() {
    let capture = Capture::default();
    let _guard = capture.install();
    let address = refused_address().await;
    let client = client_for(&format!("http://{address}"));
    let base = serve(app_routes().layer(OneloopLayer::new(client))).await;

    let mut statuses = Vec::new();
    for _ in 0..20 {
        statuses.push(get_profile(&base, &format!("Bearer {KEY}")).await.status);
    }

    assert_eq!(statuses, [503; 20]);
    let alerts = capture.alerts();
    assert!(!alerts.is_empty(), "the outage was not logged");
    assert!(
        alerts.len() <= 2,
        "{} alert lines: {alerts:#?}",
        alerts.len()
    );
}

#[tokio::test]
async fn debug_output_hides_secrets() {
    let builder = Oneloop::builder(SDK_KEY).base_url("http://127.0.0.1:9");
    let client = builder.clone().build().expect("client builds");
    let cached = CachedVerifier::new(client.clone());
    let layer = OneloopLayer::new(cached.clone());
    let scopes = [RequiredScope::new("profile", Permissions::READ)];
    let request = VerifyRequest::new(KEY, &scopes);
    let printed = [
        ("OneloopBuilder", format!("{builder:?}")),
        ("Oneloop", format!("{client:?}")),
        ("CachedVerifier", format!("{cached:?}")),
        ("OneloopLayer", format!("{layer:?}")),
        ("VerifyRequest", format!("{request:?}")),
        ("VerifyRequest alternate", format!("{request:#?}")),
    ];

    for (name, text) in printed {
        assert!(!text.contains(SDK_KEY), "{name} prints the SDK key: {text}");
        assert!(
            !text.contains(KEY),
            "{name} prints the caller's key: {text}"
        );
    }
}

#[tokio::test]
async fn verify_error_hides_echoed_key() {
    let mock = MockServer::start().await;
    let echo = format!("key {KEY} sent with SDK key {SDK_KEY} is malformed");
    let body = serde_json::json!({ "error": { "code": 400, "message": echo } });
    verify_mock(ResponseTemplate::new(400).set_body_json(body))
        .expect(1)
        .mount(&mock)
        .await;
    let scopes = [RequiredScope::new("profile", Permissions::READ)];

    let error = client_for(&mock.uri())
        .verify(VerifyRequest::new(KEY, &scopes))
        .await
        .expect_err("Oneloop responded 400");

    assert!(error.is_misconfigured(), "{error:?}");
    assert!(!error.message().contains(KEY), "{}", error.message());
    assert!(!error.message().contains(SDK_KEY), "{}", error.message());
    assert!(!format!("{error:?}").contains(KEY), "{error:?}");
    assert!(
        error.message().contains("is malformed"),
        "{}",
        error.message()
    );
}
