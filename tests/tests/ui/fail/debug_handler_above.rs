// NOTE: `#[axum::debug_handler]` must go below `#[oneloop]` (see pass/debug_handler_below.rs).
// Above it, axum-macros 0.5 copies the handler, with its `#[oneloop]` still unexpanded, into a
// check function and calls the copy with one argument per parameter it saw. `#[oneloop]` then
// inserts the guard into the copy as well, so the call is one argument short (E0061). The
// attribute cannot tell the copy from the handler, so this case records the failure.

use axum::extract::State;
use axum::{Json, Router, routing::post};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};

#[derive(Clone)]
struct Db {
    name: &'static str,
}

#[axum::debug_handler]
#[oneloop(scope = "profile", read, update)]
async fn update_profile(State(db): State<Db>, Json(name): Json<String>) -> String {
    format!("{name} in {}", db.name)
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profile", post(update_profile))
        .with_state(Db { name: "profiles" })
        .layer(OneloopLayer::new(verifier));
}
