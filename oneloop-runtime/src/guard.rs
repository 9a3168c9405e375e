//! The extractor `#[oneloop]` inserts as a handler's first argument.

use std::marker::PhantomData;

use axum::extract::{FromRequestParts, MatchedPath};
use axum::response::{IntoResponse, Response};
use http::request::Parts;

use crate::credentials::{CredentialsError, bearer_token};
use crate::failure_log::MISSING_VERIFIER;
use crate::layer::shared_for;
use crate::rejection::{DEFAULT_RETRY_AFTER, Rejection};
use crate::scope::RequiredScope;
use crate::scope_type::ScopeSet;
use crate::verdict::{KeyStatus, Verdict};
use crate::verified::VerifiedKey;
use crate::verify::VerifyRequest;

/// Verifies the request's key against the scopes in `S` before any later extractor runs.
///
/// Written by the `#[oneloop]` attribute; there is no need to name it by hand.
pub struct Guard<S>(PhantomData<fn() -> S>);

impl<S: ScopeSet, State: Send + Sync> FromRequestParts<State> for Guard<S> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &State) -> Result<Self, Response> {
        check(parts, S::SCOPES).await?;
        Ok(Self(PhantomData))
    }
}

/// Checks the key in `parts` and stores the [`VerifiedKey`] in its extensions.
async fn check(parts: &mut Parts, scopes: &'static [RequiredScope]) -> Result<(), Response> {
    let verdict = verify(parts, scopes).await?;
    parts.extensions.insert(VerifiedKey::new(verdict));
    Ok(())
}

/// Returns the verdict for a key that may pass, or the response for one that may not.
async fn verify(parts: &Parts, scopes: &'static [RequiredScope]) -> Result<Verdict, Response> {
    let Some(shared) = shared_for(&parts.extensions) else {
        MISSING_VERIFIER.record_setup(
            route(parts),
            "a #[oneloop] handler is served without a verifier; add \
             `.layer(oneloop_runtime::OneloopLayer::new(verifier))` to the router or call \
             `OneloopLayer::set_global_default` at startup; answering 500",
        );
        return Err(Rejection::MissingVerifier.into_response());
    };
    let key = match bearer_token(&parts.headers) {
        Ok(key) => key,
        Err(error) => return Err(shared.respond(reject_credentials(error, parts))),
    };
    let request = VerifyRequest::new(key, scopes);
    let result = match shared.verifier.verify_now(&request) {
        Some(result) => result,
        None => shared.verifier.verify_boxed(request).await,
    };
    let rejection = match result {
        Ok(verdict) if verdict.status().is_valid() => return Ok(verdict),
        Ok(verdict) => reject_verdict(&verdict, scopes, parts, key),
        Err(error) => {
            // A verifier's message may quote what it was sent.
            let error = error.redact(key);
            shared.failures.record(&error, route(parts));
            if error.is_misconfigured() {
                Rejection::VerifierMisconfigured
            } else {
                Rejection::VerifierUnavailable(error.retry_after().unwrap_or(DEFAULT_RETRY_AFTER))
            }
        }
    };
    Err(shared.respond(rejection))
}

fn reject_credentials(error: CredentialsError, parts: &Parts) -> Rejection {
    tracing::debug!(
        route = route(parts),
        reason = error.description(),
        "rejected credentials"
    );
    match error {
        CredentialsError::Missing => Rejection::MissingCredentials,
        other => Rejection::InvalidRequest(other),
    }
}

fn reject_verdict(
    verdict: &Verdict,
    scopes: &'static [RequiredScope],
    parts: &Parts,
    key: &str,
) -> Rejection {
    tracing::debug!(
        route = route(parts),
        key_id = verdict.key_id().map(|id| scrub(id, key)),
        status = scrub(verdict.status().as_wire(), key),
        "rejected key"
    );
    match verdict.status() {
        KeyStatus::InvalidScopes => Rejection::InsufficientScope(scopes),
        KeyStatus::RateLimited => {
            Rejection::RateLimited(verdict.rate_limit().and_then(|limit| limit.reset_after()))
        }
        KeyStatus::UsageLimited => Rejection::UsageLimited,
        other => Rejection::InvalidKey(other.clone()),
    }
}

/// Returns `text` for a log line, or a placeholder if a verifier echoed the key into it.
fn scrub<'a>(text: &'a str, key: &str) -> &'a str {
    if text.contains(key) {
        "<redacted>"
    } else {
        text
    }
}

pub(crate) fn route(parts: &Parts) -> &str {
    match parts.extensions.get::<MatchedPath>() {
        Some(path) => path.as_str(),
        None => parts.uri.path(),
    }
}
