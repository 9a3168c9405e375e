//! Protected handlers of every common shape, in a library that denies `clippy::pedantic` and
//! the strict rustc lints. `cargo clippy --workspace --all-targets -- -D warnings` checks it, so
//! an expansion that trips a lint in users' crates fails CI. The trybuild pass cases run rustc
//! only and cannot catch clippy lints.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use oneloop_runtime::{OneloopLayer, VerifiedKey, oneloop};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

/// Shared state the handlers read.
#[derive(Clone, Default)]
pub struct Store {
    names: Arc<RwLock<Vec<String>>>,
}

/// A page request.
#[derive(Debug, Deserialize)]
pub struct Page {
    /// The first item to return.
    pub offset: usize,
}

/// A name as handlers return it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Named {
    /// The name.
    pub name: String,
}

/// An error that becomes a 404.
#[derive(Debug)]
pub struct NotFound;

impl IntoResponse for NotFound {
    fn into_response(self) -> Response {
        StatusCode::NOT_FOUND.into_response()
    }
}

/// Builds a router over every handler shape.
pub fn router(layer: OneloopLayer) -> Router {
    Router::new()
        .route("/names", get(list_names).post(add_name))
        .route("/names/{index}", get(show_name))
        .route("/whoami", get(whoami))
        .route("/pairs/{a}/{b}", post(add_pair))
        .route("/ping", get(ping))
        .route("/count", get(Api::count))
        .route("/described", get(describe::<Store>))
        .with_state(Store::default())
        .layer(layer)
}

/// Lists names from an offset; any valid key.
#[oneloop]
pub async fn list_names(State(store): State<Store>, Query(page): Query<Page>) -> Json<Vec<String>> {
    let names = store.names.read().await;
    Json(names.iter().skip(page.offset).cloned().collect())
}

/// Adds a name from the JSON body; needs `names:create`.
#[oneloop(scope = "names", create)]
pub async fn add_name(State(store): State<Store>, Json(named): Json<Named>) -> StatusCode {
    store.names.write().await.push(named.name);
    StatusCode::CREATED
}

/// Returns one name, or 404; needs `names:read`.
///
/// # Errors
///
/// [`NotFound`] when no name has that index.
#[oneloop(scope = "names", read)]
pub async fn show_name(
    State(store): State<Store>,
    Path(index): Path<usize>,
) -> Result<Json<Named>, NotFound> {
    let names = store.names.read().await;
    let name = names.get(index).ok_or(NotFound)?;
    Ok(Json(Named { name: name.clone() }))
}

/// Returns the caller's key id; needs `names:read` and `audit:read`.
#[oneloop(scope = "names", read)]
#[oneloop(scope = "audit", read)]
pub async fn whoami(State(store): State<Store>, key: VerifiedKey) -> impl IntoResponse {
    let count = store.names.read().await.len();
    format!("{} ({count} names)", key.key_id().unwrap_or("unknown"))
}

/// Adds two path numbers; needs `math:update`.
#[oneloop(scope = "math", update)]
pub async fn add_pair(State(store): State<Store>, Path((a, b)): Path<(u32, u32)>) -> String {
    let count = store.names.read().await.len();
    format!("{} after {count} names", a + b)
}

/// Returns a constant; any valid key, no other extractor.
#[oneloop]
pub async fn ping() -> Response {
    tokio::task::yield_now().await;
    (StatusCode::OK, "pong").into_response()
}

/// Handlers grouped as associated functions.
pub struct Api;

impl Api {
    /// Counts names; needs `names:read`.
    #[oneloop(scope = "names", read)]
    pub async fn count(State(store): State<Store>, mut page: Query<Page>) -> String {
        page.offset = page.offset.min(1);
        let count = store.names.read().await.len();
        format!("{count} names, offset {}", page.offset)
    }
}

/// State that can describe itself.
pub trait Describe {
    /// Returns a description.
    fn describe(&self) -> impl std::future::Future<Output = String> + Send;
}

impl Describe for Store {
    async fn describe(&self) -> String {
        format!("{} names", self.names.read().await.len())
    }
}

/// Describes any state; needs `names:read`.
#[oneloop(scope = "names", read)]
pub async fn describe<S>(State(state): State<S>) -> String
where
    S: Describe + Clone + Send + Sync + 'static,
{
    state.describe().await
}
