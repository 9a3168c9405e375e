//! The attribute's limits reach the runtime intact: a 64-byte scope name, all four flags and 12
//! stacked scopes arrive at the verifier exactly as written.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::routing::get;
use http::Request;
use oneloop_runtime::{
    KeyStatus, MAX_SCOPE_NAME_LEN, OneloopLayer, Permissions, RequiredScope, Verdict, Verify,
    VerifyError, VerifyRequest, oneloop,
};
use tower::ServiceExt;

const LONG_NAME: &str = "a123456789b123456789c123456789d123456789e123456789f123456789-._Z";

#[oneloop(
    scope = "a123456789b123456789c123456789d123456789e123456789f123456789-._Z",
    read
)]
#[oneloop(scope = "s2", create)]
#[oneloop(scope = "s3", update)]
#[oneloop(scope = "s4", delete)]
#[oneloop(scope = "s5", read, create, update, delete)]
#[oneloop(scope = "s6", read)]
#[oneloop(scope = "s7", read)]
#[oneloop(scope = "s8", read)]
#[oneloop(scope = "s9", read)]
#[oneloop(scope = "s10", read)]
#[oneloop(scope = "s11", read)]
#[oneloop(scope = "s12", read, delete)]
async fn twelve_scopes() -> &'static str {
    "ok"
}

/// Records the scopes of every request and lets it pass.
#[derive(Clone, Default)]
struct Recording(Arc<Mutex<Vec<Vec<RequiredScope>>>>);

impl Verify for Recording {
    async fn verify(&self, request: VerifyRequest<'_>) -> Result<Verdict, VerifyError> {
        self.0.lock().unwrap().push(request.scopes().to_vec());
        Ok(Verdict::new(KeyStatus::Valid))
    }
}

#[tokio::test]
async fn twelve_scopes_reach_verifier() {
    let recording = Recording::default();
    let app = Router::new()
        .route("/", get(twelve_scopes))
        .layer(OneloopLayer::new(recording.clone()));
    let request = Request::get("/")
        .header("authorization", "Bearer sk_limits")
        .body(Body::empty())
        .unwrap();

    let status = app.oneshot(request).await.unwrap().status();

    assert_eq!(status, 200);
    let calls = recording.0.lock().unwrap().clone();
    assert_eq!(calls.len(), 1, "stacked attributes make one call");
    let all = Permissions::ALL;
    let read = Permissions::READ;
    let expected = vec![
        RequiredScope::new(LONG_NAME, read),
        RequiredScope::new("s2", Permissions::CREATE),
        RequiredScope::new("s3", Permissions::UPDATE),
        RequiredScope::new("s4", Permissions::DELETE),
        RequiredScope::new("s5", all),
        RequiredScope::new("s6", read),
        RequiredScope::new("s7", read),
        RequiredScope::new("s8", read),
        RequiredScope::new("s9", read),
        RequiredScope::new("s10", read),
        RequiredScope::new("s11", read),
        RequiredScope::new("s12", read | Permissions::DELETE),
    ];
    assert_eq!(calls[0], expected);
}

#[test]
fn long_name_is_at_the_limit() {
    assert_eq!(LONG_NAME.len(), MAX_SCOPE_NAME_LEN);
}
