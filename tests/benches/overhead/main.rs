//! Measures what `#[oneloop]` adds to a handler, as ratios against an unprotected handler
//! measured in the same run. Run from the workspace root:
//!
//! ```text
//! cargo bench -p oneloop-tests --bench overhead
//! ```
//!
//! BENCHMARKS.md explains each case and how to read the output.

mod cold;
mod in_process;
mod loopback;
mod routers;
mod stats;
mod verifiers;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo bench` passes `--bench`; any other argument is a case filter.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let wanted = |case: &str| filter.is_empty() || filter.iter().any(|f| case.contains(f.as_str()));
    let routers = routers::Routers::start().await;
    if wanted("in-process") {
        in_process::run(&routers).await;
    }
    if wanted("loopback") {
        loopback::run(&routers).await;
    }
    if wanted("cold") {
        cold::run().await;
    }
    if wanted("verifiers") {
        verifiers::run().await;
    }
}
