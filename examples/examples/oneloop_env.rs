//! The hosted Oneloop service configured from the environment, behind a verdict cache.
//!
//! ```text
//! ONELOOP_API_KEY=sk_... cargo run --example oneloop_env
//! ```
//!
//! `ONELOOP_BASE_URL` overrides the service address (a proxy or a staging host).

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use oneloop_runtime::{CachedVerifier, Oneloop, OneloopLayer, VerifiedKey, oneloop};

/// Returns who called; needs `profile:read`.
#[oneloop(scope = "profile", read)]
async fn whoami(key: VerifiedKey) -> String {
    format!("key {}", key.key_id().unwrap_or("?"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().init();
    let client = match Oneloop::from_env() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(2);
        }
    };
    // A revoked key keeps passing for at most `valid_ttl`, unless `invalidate` is called.
    let cached = CachedVerifier::builder()
        .valid_ttl(Duration::from_secs(10))
        .build(client);
    let app = Router::new()
        .route("/whoami", get(whoami))
        .layer(OneloopLayer::new(cached));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
