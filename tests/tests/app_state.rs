//! The `app_state` example's router: protected handlers share application state with the
//! verifier coming from the layer.

use oneloop_examples::app_state::{AppState, router};
use oneloop_runtime::{
    GrantedScope, KeyDigest, LocalKey, LocalVerifier, OneloopLayer, Permissions,
};
use reqwest::StatusCode;
use serde_json::Value;

const WRITER: &str = "sk_reports_writer_41ce";
const READER: &str = "sk_reports_reader_9a02";

fn verifier() -> LocalVerifier {
    let writer = LocalKey::new("ak_writer", KeyDigest::of(WRITER)).scope(GrantedScope::new(
        "reports",
        Permissions::READ | Permissions::CREATE,
    ));
    let reader = LocalKey::new("ak_reader", KeyDigest::of(READER))
        .scope(GrantedScope::new("reports", Permissions::READ));
    LocalVerifier::new([writer, reader]).unwrap()
}

async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let state = AppState {
        service: "reports",
        ..AppState::default()
    };
    let app = router(state, OneloopLayer::new(verifier()));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}

async fn create_report(base: &str, key: &str) -> reqwest::Response {
    let client = reqwest::Client::new();
    let request = client.post(format!("{base}/reports")).bearer_auth(key);
    request.send().await.unwrap()
}

async fn report_count(base: &str, key: &str) -> Value {
    let client = reqwest::Client::new();
    let request = client.get(format!("{base}/reports/count")).bearer_auth(key);
    request.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn writer_creates_reports_in_state() {
    let base = serve().await;
    let first: Value = create_report(&base, WRITER).await.json().await.unwrap();
    let second: Value = create_report(&base, WRITER).await.json().await.unwrap();
    assert_eq!(first["report"], 1);
    assert_eq!(second["report"], 2);
    assert_eq!(second["key_id"], "ak_writer");
    assert_eq!(second["service"], "reports");
    assert_eq!(report_count(&base, READER).await["count"], 2);
}

#[tokio::test]
async fn reader_cannot_create_reports() {
    let base = serve().await;
    let response = create_report(&base, READER).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(report_count(&base, READER).await["count"], 0);
}
