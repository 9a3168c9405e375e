//! Every handler shape in the strict-lints library returns 401 without a key and passes with a
//! key that has the scopes, over real HTTP.

use oneloop_runtime::{
    GrantedScope, KeyDigest, LocalKey, LocalVerifier, OneloopLayer, Permissions,
};
use oneloop_tests::router;
use reqwest::{Method, StatusCode};

const KEY: &str = "sk_shapes_5b0e";

/// A route as method, path, JSON body and the status a valid key gets.
type Route = (&'static str, &'static str, Option<&'static str>, u16);

const ROUTES: [Route; 8] = [
    ("GET", "/names?offset=0", None, 200),
    ("POST", "/names", Some(r#"{"name":"ada"}"#), 201),
    ("GET", "/names/0", None, 200),
    ("GET", "/whoami", None, 200),
    ("POST", "/pairs/2/3", None, 200),
    ("GET", "/ping", None, 200),
    ("GET", "/count?offset=4", None, 200),
    ("GET", "/described", None, 200),
];

fn verifier() -> LocalVerifier {
    let key = LocalKey::new("ak_shapes", KeyDigest::of(KEY))
        .scope(GrantedScope::new(
            "names",
            Permissions::READ | Permissions::CREATE,
        ))
        .scope(GrantedScope::new("audit", Permissions::READ))
        .scope(GrantedScope::new("math", Permissions::UPDATE));
    LocalVerifier::new([key]).unwrap()
}

async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = router(OneloopLayer::new(verifier()));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}

async fn send(base: &str, route: Route, key: Option<&str>) -> StatusCode {
    let (method, path, body, _) = route;
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = reqwest::Client::new().request(method, format!("{base}{path}"));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body);
    }
    request.send().await.unwrap().status()
}

#[tokio::test]
async fn every_shape_needs_a_key() {
    let base = serve().await;
    for route in ROUTES {
        let status = send(&base, route, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{} {}", route.0, route.1);
    }
}

#[tokio::test]
async fn every_shape_passes_valid_key() {
    let base = serve().await;
    // The POST first, so `/names/0` finds a name.
    for route in ROUTES.iter().skip(1).chain(ROUTES.iter().take(1)) {
        let status = send(&base, *route, Some(KEY)).await;
        assert_eq!(status.as_u16(), route.3, "{} {}", route.0, route.1);
    }
}

#[tokio::test]
async fn stacked_scopes_both_required() {
    let base = serve().await;
    let names_only = LocalKey::new("ak_names", KeyDigest::of("sk_names_only"))
        .scope(GrantedScope::new("names", Permissions::READ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = router(OneloopLayer::new(LocalVerifier::new([names_only]).unwrap()));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let whoami = ROUTES[3];
    let status = send(&format!("http://{address}"), whoami, Some("sk_names_only")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(send(&base, whoami, Some(KEY)).await, StatusCode::OK);
}
