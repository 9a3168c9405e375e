//! The responses a protected handler returns when a request may not pass.

use std::time::Duration;

use axum::response::{IntoResponse, Response};
use http::header::{CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use http::{HeaderValue, StatusCode};

use crate::credentials::CredentialsError;
use crate::scope::{RequiredScope, challenge_scope};
use crate::verdict::KeyStatus;

/// The `Retry-After` delay sent when the verifier gave no delay of its own.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(5);

/// Why a request was not let through to a protected handler.
///
/// Each variant has a status, a stable `code` for the `application/problem+json` body and, where
/// RFC 6750 requires one, a `WWW-Authenticate` challenge. Replace the response with
/// [`OneloopLayer::on_rejection`](crate::OneloopLayer::on_rejection).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Rejection {
    /// No bearer credentials: 401 with `WWW-Authenticate: Bearer`.
    MissingCredentials,
    /// Malformed credentials: 400 with `error="invalid_request"`. The verifier was not called.
    InvalidRequest(CredentialsError),
    /// The key is unknown, expired, disabled, deleted or has an unknown status: 401 with
    /// `error="invalid_token"`.
    InvalidKey(KeyStatus),
    /// The key lacks a required scope: 403 with `error="insufficient_scope"`.
    InsufficientScope(&'static [RequiredScope]),
    /// The key went over its rate limit: 429, with `Retry-After` when the verifier gave a reset.
    RateLimited(Option<Duration>),
    /// The customer went over a usage limit: 402.
    UsageLimited,
    /// The verifier could not be reached or responded badly: 503 with `Retry-After`.
    VerifierUnavailable(Duration),
    /// The verifier rejected this service's configuration, such as a wrong SDK key: 500.
    VerifierMisconfigured,
    /// The router has no verifier: 500. Add [`OneloopLayer`](crate::OneloopLayer) to it.
    MissingVerifier,
    /// A handler took [`VerifiedKey`](crate::VerifiedKey) without `#[oneloop]`: 500.
    MissingGuard,
}

impl Rejection {
    /// Returns the HTTP status of the default response.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            Self::MissingCredentials | Self::InvalidKey(_) => StatusCode::UNAUTHORIZED,
            Self::InvalidRequest(_) => StatusCode::BAD_REQUEST,
            Self::InsufficientScope(_) => StatusCode::FORBIDDEN,
            Self::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::UsageLimited => StatusCode::PAYMENT_REQUIRED,
            Self::VerifierUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::VerifierMisconfigured | Self::MissingVerifier | Self::MissingGuard => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// Returns the stable machine-readable code sent as the body's `code` member.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingCredentials => "missing_credentials",
            Self::InvalidRequest(_) => "invalid_request",
            Self::InvalidKey(KeyStatus::Expired) => "expired_key",
            Self::InvalidKey(KeyStatus::Disabled) => "disabled_key",
            Self::InvalidKey(KeyStatus::Deleted) => "deleted_key",
            Self::InvalidKey(_) => "invalid_key",
            Self::InsufficientScope(_) => "insufficient_scope",
            Self::RateLimited(_) => "rate_limited",
            Self::UsageLimited => "usage_limited",
            Self::VerifierUnavailable(_) => "verifier_unavailable",
            Self::VerifierMisconfigured | Self::MissingVerifier | Self::MissingGuard => {
                "internal_error"
            }
        }
    }

    fn detail(&self) -> &'static str {
        match self {
            Self::MissingCredentials => "send the API key as `Authorization: Bearer <key>`",
            Self::InvalidRequest(reason) => reason.description(),
            Self::InvalidKey(KeyStatus::Expired) => "the API key has expired",
            Self::InvalidKey(KeyStatus::Disabled) => "the API key is disabled",
            Self::InvalidKey(KeyStatus::Deleted) => "the API key was deleted",
            Self::InvalidKey(_) => "the API key is not valid",
            Self::InsufficientScope(_) => "the API key lacks a scope this route requires",
            Self::RateLimited(_) => "the API key went over its rate limit",
            Self::UsageLimited => "the API key's usage limit is reached",
            Self::VerifierUnavailable(_) => "the API key could not be verified; retry later",
            Self::VerifierMisconfigured | Self::MissingVerifier | Self::MissingGuard => {
                "internal server error"
            }
        }
    }

    fn challenge(&self) -> Option<HeaderValue> {
        let fixed = match self {
            Self::MissingCredentials => "Bearer",
            Self::InvalidRequest(_) => r#"Bearer error="invalid_request""#,
            Self::InvalidKey(_) => r#"Bearer error="invalid_token""#,
            Self::InsufficientScope(scopes) => return Some(insufficient_scope_challenge(scopes)),
            _ => return None,
        };
        Some(HeaderValue::from_static(fixed))
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited(delay) => *delay,
            Self::VerifierUnavailable(delay) => Some(*delay),
            _ => None,
        }
    }

    fn body(&self) -> String {
        let status = self.status();
        serde_json::json!({
            "type": "about:blank",
            "title": status.canonical_reason().unwrap_or("Error"),
            "status": status.as_u16(),
            "detail": self.detail(),
            "code": self.code(),
        })
        .to_string()
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let mut response = (self.status(), self.body()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(challenge) = self.challenge() {
            headers.insert(WWW_AUTHENTICATE, challenge);
        }
        if let Some(delay) = self.retry_after() {
            headers.insert(RETRY_AFTER, HeaderValue::from(retry_after_secs(delay)));
        }
        response
    }
}

/// Builds the 403 challenge, with the `scope` parameter when every scope name is an RFC 6749
/// scope token. The attribute only produces such names; `RequiredScope::new` may not.
fn insufficient_scope_challenge(scopes: &[RequiredScope]) -> HeaderValue {
    let is_token_char = |byte: u8| byte.is_ascii_graphic() && byte != b'"' && byte != b'\\';
    let tokens_only = scopes
        .iter()
        .all(|scope| !scope.name().is_empty() && scope.name().bytes().all(is_token_char));
    let challenge = format!(
        r#"Bearer error="insufficient_scope", scope="{}""#,
        challenge_scope(scopes)
    );
    match HeaderValue::try_from(challenge) {
        Ok(value) if tokens_only => value,
        _ => HeaderValue::from_static(r#"Bearer error="insufficient_scope""#),
    }
}

/// The longest `Retry-After` sent, in seconds: one day. A verifier's or proxy's larger value is
/// more likely a unit mistake than a real wait.
pub const MAX_RETRY_AFTER_SECS: u64 = 86_400;

/// Rounds a delay up to whole seconds, from 1 to [`MAX_RETRY_AFTER_SECS`], as `Retry-After`
/// takes.
fn retry_after_secs(delay: Duration) -> u64 {
    let secs = delay
        .as_secs()
        .saturating_add(u64::from(delay.subsec_nanos() > 0));
    secs.clamp(1, MAX_RETRY_AFTER_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_capped() {
        assert_eq!(retry_after_secs(Duration::MAX), MAX_RETRY_AFTER_SECS);
        let year = Duration::from_secs(365 * 86_400);
        assert_eq!(retry_after_secs(year), MAX_RETRY_AFTER_SECS);
    }

    #[test]
    fn odd_scope_names_leave_challenge_without_scope() {
        static ODD: [RequiredScope; 1] =
            [RequiredScope::new("a\"b", crate::scope::Permissions::READ)];
        let response = Rejection::InsufficientScope(&ODD).into_response();
        let challenge = &response.headers()[WWW_AUTHENTICATE];
        assert_eq!(challenge, r#"Bearer error="insufficient_scope""#);
    }

    #[test]
    fn scope_names_reach_challenge() {
        static PROFILE: [RequiredScope; 1] = [RequiredScope::new(
            "profile",
            crate::scope::Permissions::READ,
        )];
        let response = Rejection::InsufficientScope(&PROFILE).into_response();
        let challenge = &response.headers()[WWW_AUTHENTICATE];
        assert_eq!(
            challenge,
            r#"Bearer error="insufficient_scope", scope="profile:read""#
        );
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(1500)), 2);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(30)), 30);
    }

    #[test]
    fn every_key_status_but_valid_has_a_code() {
        let rejection = Rejection::InvalidKey(KeyStatus::Unknown("NEW".into()));
        assert_eq!(rejection.code(), "invalid_key");
        assert_eq!(rejection.status(), StatusCode::UNAUTHORIZED);
    }
}
