//! The routers every case compares, and the Oneloop stand-in behind the cached one.

use axum::Router;
use axum::routing::get;
use oneloop_runtime::{
    CachedVerifier, GrantedScope, KeyDigest, LocalKey, LocalVerifier, Oneloop, OneloopLayer,
    Permissions, RequiredScope, oneloop,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The key every protected request sends.
pub const KEY: &str = "sk_bench_3f9a1c7e5b2d";

async fn unprotected() -> &'static str {
    "ok"
}

#[oneloop(scope = "profile", read)]
async fn protected() -> &'static str {
    "ok"
}

/// A name for each router, in the order they are reported; the first is the baseline.
pub const CASES: [&str; 4] = [
    "unprotected",
    "LocalVerifier, global",
    "LocalVerifier, layer",
    "cached Oneloop, layer",
];

pub struct Routers {
    pub all: [Router; 4],
    /// Kept alive for the cached router's first verification.
    _stand_in: MockServer,
}

impl Routers {
    /// Builds the routers. The embedded store becomes the process's global default verifier,
    /// so the "global" router carries no layer at all.
    pub async fn start() -> Self {
        let stand_in = MockServer::start().await;
        let body = serde_json::json!({
            "status": "VALID",
            "apiKeyId": "ak_bench",
            "scopes": [{ "representation": "profile", "read": true }],
        });
        Mock::given(method("POST"))
            .and(path("/api/v1/api-key/verify"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&stand_in)
            .await;
        let client = Oneloop::builder("sk_bench_sdk")
            .base_url(stand_in.uri())
            .build()
            .expect("bench client builds");
        OneloopLayer::new(local_verifier())
            .set_global_default()
            .expect("the bench sets the global default once");
        let protected_router = || Router::new().route("/", get(protected));
        let all = [
            Router::new().route("/", get(unprotected)),
            protected_router(),
            protected_router().layer(OneloopLayer::new(local_verifier())),
            protected_router().layer(OneloopLayer::new(CachedVerifier::new(client))),
        ];
        Self {
            all,
            _stand_in: stand_in,
        }
    }
}

/// The scope every protected handler requires.
pub fn profile_read() -> RequiredScope {
    RequiredScope::new("profile", Permissions::READ)
}

pub fn local_verifier() -> LocalVerifier {
    let key = LocalKey::new("ak_bench", KeyDigest::of(KEY))
        .scope(GrantedScope::new("profile", Permissions::READ));
    LocalVerifier::new([key]).expect("one key")
}
