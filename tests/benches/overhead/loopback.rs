//! Requests per second over loopback HTTP with several concurrent connections.

use std::time::{Duration, Instant};

use axum::Router;
use tokio::task::JoinSet;

use crate::routers::{CASES, KEY, Routers};
use crate::stats::median;

const CONNECTIONS: usize = 8;
const ROUNDS: usize = 7;
const ROUND_TIME: Duration = Duration::from_millis(700);

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}/")
}

/// Returns requests per second over one round.
async fn round(client: &reqwest::Client, url: &str) -> f64 {
    let start = Instant::now();
    let mut tasks = JoinSet::new();
    for _ in 0..CONNECTIONS {
        let client = client.clone();
        let url = url.to_owned();
        tasks.spawn(async move {
            let mut count = 0_u32;
            while start.elapsed() < ROUND_TIME {
                let response = client
                    .get(&url)
                    .bearer_auth(KEY)
                    .send()
                    .await
                    .expect("send");
                assert!(
                    response.status().is_success(),
                    "rejected: {}",
                    response.status()
                );
                response.bytes().await.expect("body");
                count += 1;
            }
            count
        });
    }
    let total: u32 = tasks.join_all().await.into_iter().sum();
    f64::from(total) / start.elapsed().as_secs_f64()
}

pub async fn run(routers: &Routers) {
    let mut urls = Vec::new();
    for router in &routers.all {
        urls.push(serve(router.clone()).await);
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .expect("client");
    for url in &urls {
        round(&client, url).await;
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); CASES.len()];
    for _ in 0..ROUNDS {
        for (url, rates) in urls.iter().zip(samples.iter_mut()) {
            rates.push(round(&client, url).await);
        }
    }
    println!(
        "loopback HTTP, {CONNECTIONS} connections, {ROUNDS} rounds of {} ms, median requests/s:",
        ROUND_TIME.as_millis()
    );
    let baseline = median(&mut samples[0].clone());
    for (name, rates) in CASES.iter().zip(samples.iter_mut()) {
        let value = median(rates);
        println!(
            "  {name:<24} {value:>9.0} req/s ratio {:.2}x",
            value / baseline
        );
    }
}
