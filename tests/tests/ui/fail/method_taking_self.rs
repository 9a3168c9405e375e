use axum::{Router, routing::get};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};

#[derive(Clone)]
struct Api {
    name: &'static str,
}

impl Api {
    #[oneloop(scope = "profile", read)]
    async fn show_profile(self) -> &'static str {
        self.name
    }
}

fn main() {
    let api = Api { name: "profile" };
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profile", get(move || api.show_profile()))
        .layer(OneloopLayer::new(verifier));
}
