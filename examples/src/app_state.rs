//! A router whose state already holds other things: protected handlers take `State<AppState>`
//! as usual, and the verifier comes from the layer, not from the state.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use oneloop_runtime::{OneloopLayer, VerifiedKey, oneloop};
use serde_json::{Value, json};

/// Application state unrelated to API keys.
#[derive(Clone, Default)]
pub struct AppState {
    /// How many reports were created.
    pub reports: Arc<AtomicU64>,
    /// The service name included in responses.
    pub service: &'static str,
}

/// Builds a router with its own state and a verifier layer.
pub fn router(state: AppState, layer: OneloopLayer) -> Router {
    Router::new()
        .route("/reports", post(create_report))
        .route("/reports/count", get(count_reports))
        .with_state(state)
        .layer(layer)
}

/// Creates a report; needs `reports:create`.
#[oneloop(scope = "reports", create)]
async fn create_report(State(state): State<AppState>, key: VerifiedKey) -> Json<Value> {
    let number = state.reports.fetch_add(1, Ordering::Relaxed) + 1;
    Json(json!({ "service": state.service, "report": number, "key_id": key.key_id() }))
}

/// Counts reports; needs `reports:read`.
#[oneloop(scope = "reports", read)]
async fn count_reports(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "count": state.reports.load(Ordering::Relaxed) }))
}
