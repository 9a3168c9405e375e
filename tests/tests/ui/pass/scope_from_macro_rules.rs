//! A scope passed through `macro_rules!` as `$scope:literal` or `$scope:expr` is accepted.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use axum::{Router, routing::get};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};

macro_rules! reader_for_literal {
    ($name:ident, $scope:literal) => {
        #[oneloop(scope = $scope, read)]
        async fn $name() -> &'static str {
            $scope
        }
    };
}

macro_rules! reader_for_expr {
    ($name:ident, $scope:expr) => {
        #[oneloop(scope = $scope, read)]
        async fn $name() -> &'static str {
            $scope
        }
    };
}

reader_for_literal!(show_profile, "profile");
reader_for_expr!(show_billing, "billing");

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profile", get(show_profile))
        .route("/billing", get(show_billing))
        .layer(OneloopLayer::new(verifier));
}
