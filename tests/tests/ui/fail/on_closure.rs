use axum::{Router, routing::get};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route(
            "/profile",
            get(
                #[oneloop(scope = "profile", read)]
                || async { "profile" },
            ),
        )
        .layer(OneloopLayer::new(verifier));
}
