//! Oneloop API-key checks for axum handlers.
//!
//! Put `#[oneloop(scope = "...", flags...)]` on a handler and [`OneloopLayer`] on the router:
//! every request to that handler has its `Authorization: Bearer` key verified, with the scopes
//! the attribute names, before any other extractor runs.
//!
//! ```no_run
//! use axum::{Router, routing::get};
//! use oneloop_runtime::{LocalVerifier, OneloopLayer, VerifiedKey, oneloop};
//!
//! #[oneloop(scope = "profile", read)]
//! async fn show_profile(key: VerifiedKey) -> String {
//!     format!("profile of {}", key.customer_id().unwrap_or("?"))
//! }
//!
//! # async fn run() {
//! let verifier = LocalVerifier::from_file("keys.toml").unwrap();
//! let app: Router = Router::new()
//!     .route("/profile", get(show_profile))
//!     .layer(OneloopLayer::new(verifier));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await.unwrap();
//! axum::serve(listener, app).await.unwrap();
//! # }
//! ```
//!
//! Verifiers: [`Oneloop`] (the hosted service), [`LocalVerifier`] (an embedded key store),
//! [`CachedVerifier`] (a cache in front of either), or your own [`Verify`] implementation.

mod cache;
mod credentials;
mod error;
mod failure_log;
mod guard;
mod layer;
mod local;
mod oneloop;
mod rejection;
mod scope;
mod scope_type;
mod unix_time;
mod verdict;
mod verified;
mod verify;

pub use cache::{CachedVerifier, CachedVerifierBuilder};
pub use credentials::{CredentialsError, MAX_KEY_LEN};
pub use error::VerifyError;
pub use layer::{GlobalDefaultAlreadySet, OneloopLayer, OneloopService};
pub use local::{DuplicateKey, KeyDigest, LoadError, LocalKey, LocalVerifier, MintedKey};
pub use oneloop::{BuildError, Oneloop, OneloopBuilder};
pub use oneloop_macros::oneloop;
pub use rejection::{DEFAULT_RETRY_AFTER, MAX_RETRY_AFTER_SECS, Rejection};
pub use scope::{GrantedScope, Permissions, RequiredScope, satisfies};
pub use scope_type::MAX_SCOPE_NAME_LEN;
pub use verdict::{KeyDetails, KeyStatus, RateLimit, Verdict};
pub use verified::VerifiedKey;
pub use verify::{RateLimitConfig, Usage, Verify, VerifyRequest};

/// Items the `#[oneloop]` expansion names. Not a public API: it may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::guard::Guard;
    pub use crate::scope_type::{Scope, ScopeItem, ScopeSet};
}
