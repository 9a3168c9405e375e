//! The quickstart service. Run it from the workspace root with
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! It listens on 127.0.0.1:3000 (or `PORT`). With `ONELOOP_API_KEY` set it verifies keys with the
//! hosted Oneloop service; otherwise it uses the embedded key store and the demo keys it prints.

use std::net::SocketAddr;
use std::process::ExitCode;

use oneloop_examples::quickstart::{DEMO_KEYS, demo_verifier, router};
use oneloop_runtime::{Oneloop, OneloopLayer};
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,oneloop_runtime=debug".into()),
        )
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let port = match std::env::var("PORT") {
        Ok(port) => port
            .parse()
            .map_err(|_| format!("invalid PORT {port:?}: expected 0-65535"))?,
        Err(_) => 3000,
    };
    let (layer, demo) = choose_verifier()?;
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
        .await
        .map_err(|error| format!("failed to listen on 127.0.0.1:{port}: {error}"))?;
    let address = listener.local_addr()?;
    println!("listening on http://{address}");
    if demo {
        println!(
            "try: curl -i -H 'Authorization: Bearer {}' http://{address}/profile",
            DEMO_KEYS[0].secret
        );
    }
    axum::serve(listener, router(layer))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    println!("stopped");
    Ok(())
}

/// Returns the verifier layer and whether it uses the demo keys.
fn choose_verifier() -> Result<(OneloopLayer, bool), Box<dyn std::error::Error>> {
    if std::env::var_os("ONELOOP_API_KEY").is_some() {
        let client = Oneloop::from_env()?;
        println!("verifier: Oneloop ({client:?})");
        return Ok((OneloopLayer::new(client), false));
    }
    println!(
        "verifier: embedded key store with the demo keys (set ONELOOP_API_KEY to use Oneloop)"
    );
    for key in DEMO_KEYS {
        println!("  {:<7} {}  scopes: {}", key.name, key.secret, key.scopes);
    }
    Ok((OneloopLayer::new(demo_verifier()), true))
}

async fn shutdown_signal() {
    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::error!(%error, "failed to listen for Ctrl-C; stopping");
    }
    println!("shutting down");
}
