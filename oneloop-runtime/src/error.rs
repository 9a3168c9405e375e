//! The error a verifier returns when it could not reach a decision about a key.

use std::time::Duration;

/// A verifier failed to reach a decision.
///
/// This is never about the caller's key: a bad key is a [`Verdict`](crate::Verdict). An error
/// means the verifier is unavailable (respond 503 and retry later) or misconfigured (respond 500 and
/// fix the service).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct VerifyError {
    kind: ErrorKind,
    message: String,
    retry_after: Option<Duration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ErrorKind {
    Unavailable,
    Misconfigured,
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Unavailable => "verifier unavailable",
            Self::Misconfigured => "verifier misconfigured",
        })
    }
}

impl VerifyError {
    /// Builds an error for a verifier that cannot be reached or responded badly; callers get 503.
    ///
    /// The message goes to logs, never to callers; it must not contain the caller's key.
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unavailable, message.into())
    }

    /// Builds an error for a verifier that rejects this service's own configuration, such as a
    /// wrong SDK key; callers get 500.
    ///
    /// The message goes to logs, never to callers; it must not contain the caller's key.
    pub fn misconfigured(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Misconfigured, message.into())
    }

    fn new(kind: ErrorKind, message: String) -> Self {
        Self {
            kind,
            message,
            retry_after: None,
        }
    }

    /// Sets how long callers should wait before retrying, sent as `Retry-After`.
    #[must_use]
    pub fn with_retry_after(mut self, retry_after: Duration) -> Self {
        self.retry_after = Some(retry_after);
        self
    }

    /// Replaces every occurrence of `secret` in the message with `<redacted>`.
    pub(crate) fn redact(mut self, secret: &str) -> Self {
        if !secret.is_empty() && self.message.contains(secret) {
            self.message = self.message.replace(secret, "<redacted>");
        }
        self
    }

    /// Returns whether the verifier could not be reached or did not respond as documented.
    #[must_use]
    pub fn is_unavailable(&self) -> bool {
        self.kind == ErrorKind::Unavailable
    }

    /// Returns whether the verifier rejected this service's own configuration.
    #[must_use]
    pub fn is_misconfigured(&self) -> bool {
        self.kind == ErrorKind::Misconfigured
    }

    /// Returns the suggested retry delay, if the verifier gave one.
    #[must_use]
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Returns the message for logs.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}
