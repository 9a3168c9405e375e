//! A handler generic over its state, with a `where` clause, routed with a turbofish.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use axum::extract::State;
use axum::{Router, routing::get};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};

trait Describe {
    fn describe(&self) -> String;
}

#[derive(Clone)]
struct AppState {
    name: &'static str,
}

impl Describe for AppState {
    fn describe(&self) -> String {
        self.name.to_owned()
    }
}

#[oneloop(scope = "profile", read)]
async fn show_state<S>(State(state): State<S>) -> String
where
    S: Describe + Clone + Send + Sync + 'static,
{
    state.describe()
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/state", get(show_state::<AppState>))
        .with_state(AppState { name: "app" })
        .layer(OneloopLayer::new(verifier));
}
