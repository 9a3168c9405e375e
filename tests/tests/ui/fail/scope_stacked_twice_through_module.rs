use axum::{Router, routing::get};
use oneloop_runtime as auth;
use oneloop_runtime::{LocalVerifier, OneloopLayer};

#[auth::oneloop(scope = "profile", read)]
#[auth::oneloop(scope = "profile", update)]
async fn edit_profile() -> &'static str {
    "profile"
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profile", get(edit_profile))
        .layer(OneloopLayer::new(verifier));
}
