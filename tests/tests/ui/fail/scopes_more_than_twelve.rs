use axum::{Router, routing::get};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};

#[oneloop(scope = "s1", read)]
#[oneloop(scope = "s2", read)]
#[oneloop(scope = "s3", read)]
#[oneloop(scope = "s4", read)]
#[oneloop(scope = "s5", read)]
#[oneloop(scope = "s6", read)]
#[oneloop(scope = "s7", read)]
#[oneloop(scope = "s8", read)]
#[oneloop(scope = "s9", read)]
#[oneloop(scope = "s10", read)]
#[oneloop(scope = "s11", read)]
#[oneloop(scope = "s12", read)]
#[oneloop(scope = "s13", read)]
async fn thirteen_scopes() -> &'static str {
    "ok"
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/", get(thirteen_scopes))
        .layer(OneloopLayer::new(verifier));
}
