//! The tower layer that gives a router its verifier.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use axum::response::Response;
use http::Request;
use tower_layer::Layer;
use tower_service::Service;

use crate::failure_log::FailureLog;
use crate::rejection::Rejection;
use crate::verify::{DynVerify, Verify};

type RejectionHandler = dyn Fn(Rejection) -> Response + Send + Sync;

/// Gives every request below it the verifier that `#[oneloop]` handlers check keys with.
///
/// ```no_run
/// use axum::{Router, routing::get};
/// use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};
///
/// #[oneloop(scope = "profile", read)]
/// async fn show_profile() -> &'static str {
///     "profile"
/// }
///
/// let verifier = LocalVerifier::from_file("keys.toml").unwrap();
/// let app: Router = Router::new()
///     .route("/profile", get(show_profile))
///     .layer(OneloopLayer::new(verifier));
/// ```
///
/// A protected handler on a router without this layer responds 500 and logs an error.
#[derive(Clone)]
pub struct OneloopLayer {
    shared: Arc<Shared>,
}

pub(crate) struct Shared {
    pub(crate) verifier: Arc<dyn DynVerify>,
    on_rejection: Option<Box<RejectionHandler>>,
    pub(crate) failures: FailureLog,
}

impl Shared {
    pub(crate) fn respond(&self, rejection: Rejection) -> Response {
        match &self.on_rejection {
            Some(handler) => handler(rejection),
            None => axum::response::IntoResponse::into_response(rejection),
        }
    }
}

/// The verifier handle the layer puts in each request's extensions.
#[derive(Clone)]
pub(crate) struct Handle(pub(crate) Arc<Shared>);

/// The verifier for requests that no [`OneloopLayer`] has seen.
static GLOBAL_DEFAULT: OnceLock<Arc<Shared>> = OnceLock::new();

/// Returns the settings of the layer that saw this request, else the global default.
pub(crate) fn shared_for(extensions: &http::Extensions) -> Option<&Shared> {
    match extensions.get::<Handle>() {
        Some(Handle(shared)) => Some(shared),
        None => GLOBAL_DEFAULT.get().map(|shared| &**shared),
    }
}

/// [`OneloopLayer::set_global_default`] was called more than once.
#[derive(Debug, thiserror::Error)]
#[error("a global default verifier is already set; it can be set once per process")]
pub struct GlobalDefaultAlreadySet;

impl OneloopLayer {
    /// Builds a layer around `verifier`.
    pub fn new(verifier: impl Verify) -> Self {
        Self {
            shared: Arc::new(Shared {
                verifier: Arc::new(verifier),
                on_rejection: None,
                failures: FailureLog::default(),
            }),
        }
    }

    /// Replaces the response for every rejection with what `handler` returns.
    ///
    /// The handler receives the [`Rejection`], so it can keep the default for some and change
    /// others; `rejection.into_response()` is the default.
    #[must_use]
    pub fn on_rejection<F>(self, handler: F) -> Self
    where
        F: Fn(Rejection) -> Response + Send + Sync + 'static,
    {
        Self {
            shared: Arc::new(Shared {
                verifier: self.shared.verifier.clone(),
                on_rejection: Some(Box::new(handler)),
                failures: FailureLog::default(),
            }),
        }
    }
}

impl OneloopLayer {
    /// Makes these settings the verifier of every protected handler on a router without a
    /// [`OneloopLayer`]. A layer, where present, still wins.
    ///
    /// This saves the per-request cost of a tower layer (about 150 ns in-process, measured by
    /// the overhead benchmark) and suits a service with one verifier. Tests that give routers
    /// different verifiers should keep using layers.
    ///
    /// # Errors
    ///
    /// [`GlobalDefaultAlreadySet`] when a global default was set before.
    pub fn set_global_default(self) -> Result<(), GlobalDefaultAlreadySet> {
        GLOBAL_DEFAULT
            .set(self.shared)
            .map_err(|_| GlobalDefaultAlreadySet)
    }
}

impl fmt::Debug for OneloopLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OneloopLayer")
            .field("on_rejection", &self.shared.on_rejection.is_some())
            .finish_non_exhaustive()
    }
}

impl<S> Layer<S> for OneloopLayer {
    type Service = OneloopService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        OneloopService {
            inner,
            handle: Handle(self.shared.clone()),
        }
    }
}

/// The service [`OneloopLayer`] wraps around a router.
#[derive(Clone)]
pub struct OneloopService<S> {
    inner: S,
    handle: Handle,
}

impl<S> fmt::Debug for OneloopService<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OneloopService").finish_non_exhaustive()
    }
}

impl<S, B> Service<Request<B>> for OneloopService<S>
where
    S: Service<Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        request.extensions_mut().insert(self.handle.clone());
        self.inner.call(request)
    }
}
