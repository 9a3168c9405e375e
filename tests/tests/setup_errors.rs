//! Setup mistakes and verifier errors in the logs: throttled, routed through `on_rejection`,
//! and without the caller's key. One test per binary, because the setup-error log window is
//! process-wide.

mod common;

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use common::capture::Capture;
use oneloop_runtime::{
    OneloopLayer, Rejection, Verdict, VerifiedKey, Verify, VerifyError, VerifyRequest, oneloop,
};
use tower::ServiceExt;

const KEY: &str = "sk_setup_77aa01";

#[oneloop(scope = "profile", read)]
async fn protected() -> &'static str {
    "ok"
}

async fn unguarded(key: VerifiedKey) -> String {
    key.key_id().unwrap_or("none").to_owned()
}

/// Fails every verification with a message that quotes the key.
struct Echoing;

impl Verify for Echoing {
    async fn verify(&self, request: VerifyRequest<'_>) -> Result<Verdict, VerifyError> {
        Err(VerifyError::unavailable(format!(
            "backend refused key {}",
            request.key()
        )))
    }
}

async fn status_of(router: &Router, path: &str) -> StatusCode {
    let request = axum::http::Request::get(path)
        .header("authorization", format!("Bearer {KEY}"))
        .body(axum::body::Body::empty())
        .unwrap();
    router.clone().oneshot(request).await.unwrap().status()
}

#[tokio::test(flavor = "current_thread")]
async fn setup_errors_are_throttled_and_redacted() {
    let capture = Capture::default();
    let _guard = capture.install();
    let bare = Router::new().route("/", get(protected));
    let custom = Router::new()
        .route("/unguarded", get(unguarded))
        .route("/echo", get(protected))
        .layer(
            OneloopLayer::new(Echoing).on_rejection(|rejection| match rejection {
                Rejection::MissingGuard => (StatusCode::IM_A_TEAPOT, "custom").into_response(),
                other => other.into_response(),
            }),
        );

    for _ in 0..5 {
        assert_eq!(
            status_of(&bare, "/").await,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
    let unguarded = status_of(&custom, "/unguarded").await;
    let echoed = status_of(&custom, "/echo").await;

    let text = capture.text();
    assert_eq!(
        text.matches("served without a verifier").count(),
        1,
        "{text}"
    );
    assert_eq!(unguarded, StatusCode::IM_A_TEAPOT);
    assert!(
        text.contains("VerifiedKey is taken by a handler without"),
        "{text}"
    );
    assert_eq!(echoed, StatusCode::SERVICE_UNAVAILABLE);
    assert!(text.contains("backend refused key <redacted>"), "{text}");
    assert!(!text.contains(KEY), "{text}");
}
