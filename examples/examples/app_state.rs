//! A router whose state holds other things besides the verifier layer.
//!
//! ```text
//! cargo run --example app_state
//! curl -i -X POST -H 'Authorization: Bearer sk_demo_editor_3Nc8wK5rHd1Z' http://127.0.0.1:3000/reports
//! ```
//!
//! The demo keys hold only `profile` scopes, so both routes answer 403 with them; mint a key with
//! `reports` scopes with `cargo run --example mint_key -- reports:read,create`.

use oneloop_examples::app_state::{AppState, router};
use oneloop_examples::quickstart::demo_verifier;
use oneloop_runtime::OneloopLayer;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().init();
    let state = AppState {
        service: "reports",
        ..AppState::default()
    };
    let app = router(state, OneloopLayer::new(demo_verifier()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
