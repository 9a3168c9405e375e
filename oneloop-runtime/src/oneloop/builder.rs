//! Building a [`Oneloop`] client from code or from the environment.

use std::fmt;
use std::time::Duration;

use http::HeaderValue;

use super::client::Oneloop;

/// The hosted service's address.
pub const DEFAULT_BASE_URL: &str = "https://prod.oneloop.ai";
/// The environment variable holding the SDK key.
pub const API_KEY_VAR: &str = "ONELOOP_API_KEY";
/// The environment variable that overrides the base URL.
pub const BASE_URL_VAR: &str = "ONELOOP_BASE_URL";

/// An error building a [`Oneloop`] client. No variant carries the SDK key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// `ONELOOP_API_KEY` is not set, or is not valid Unicode.
    #[error("environment variable {API_KEY_VAR} is not set; set it to your Oneloop SDK key")]
    MissingApiKey,
    /// The SDK key is empty or contains characters that cannot go into an HTTP header.
    #[error(
        "invalid Oneloop SDK key: it must be non-empty visible ASCII without spaces; \
         copy it again from the Oneloop dashboard"
    )]
    InvalidApiKey,
    /// The base URL is not an absolute `http` or `https` URL with a host and nothing after its
    /// path.
    #[error(
        "invalid Oneloop base URL `{0}`: expected an absolute http or https URL with a host and \
         no query, fragment, credentials or spaces, such as https://prod.oneloop.ai"
    )]
    InvalidBaseUrl(String),
    /// The HTTP client could not be built.
    #[error("failed to build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

/// Settings for a [`Oneloop`] client; [`build`](Self::build) checks them all.
#[derive(Clone)]
pub struct OneloopBuilder {
    sdk_key: String,
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    pool_idle_timeout: Duration,
    pool_max_idle_per_host: usize,
}

impl fmt::Debug for OneloopBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OneloopBuilder")
            .field("sdk_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("pool_max_idle_per_host", &self.pool_max_idle_per_host)
            .finish()
    }
}

impl OneloopBuilder {
    pub(crate) fn new(sdk_key: String) -> Self {
        Self {
            sdk_key,
            base_url: DEFAULT_BASE_URL.to_owned(),
            connect_timeout: Duration::from_secs(2),
            timeout: Duration::from_secs(5),
            // Below the 60 s keep-alive limit common on load balancers, so a pooled connection
            // is dropped by us before the server closes it under a request.
            pool_idle_timeout: Duration::from_secs(50),
            pool_max_idle_per_host: 64,
        }
    }

    /// Sets the base URL, such as a staging address or a test server. Default:
    /// `https://prod.oneloop.ai`.
    #[must_use]
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Sets the limit for opening a connection. Default: 2 s.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the limit for a whole verification, connection included. Default: 5 s.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets how long an idle pooled connection is kept. Default: 50 s.
    #[must_use]
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// Sets how many idle connections are kept. Default: 64.
    #[must_use]
    pub fn pool_max_idle(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidApiKey`] when the SDK key cannot go into a header,
    /// [`BuildError::InvalidBaseUrl`] when the base URL is not absolute `http` or `https`, and
    /// [`BuildError::Http`] when the TLS backend fails to start.
    pub fn build(self) -> Result<Oneloop, BuildError> {
        let authorization = authorization_header(&self.sdk_key)?;
        let verify_url = verify_url(&self.base_url)?;
        if verify_url.scheme() == "http" && !is_loopback(&verify_url) {
            tracing::warn!(
                base_url = %self.base_url,
                "the Oneloop base URL uses plain http, so the SDK key and callers' keys cross \
                 the network unencrypted; use https"
            );
        }
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            // Following a 307 or 308 would resend the body, which contains the caller's key, to
            // whatever host `Location` names. A redirect is handled like any other undocumented
            // response instead.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(BuildError::Http)?;
        Ok(Oneloop::from_parts(http, verify_url, authorization))
    }
}

fn authorization_header(sdk_key: &str) -> Result<HeaderValue, BuildError> {
    let valid = !sdk_key.is_empty() && sdk_key.bytes().all(|byte| byte.is_ascii_graphic());
    if !valid {
        return Err(BuildError::InvalidApiKey);
    }
    let mut value = HeaderValue::try_from(format!("Bearer {sdk_key}"))
        .map_err(|_| BuildError::InvalidApiKey)?;
    value.set_sensitive(true);
    Ok(value)
}

/// Builds the verify endpoint's URL from a base URL, which must be an absolute `http` or `https`
/// URL with a host and nothing after its path, so no part of it can redirect the keys elsewhere.
fn verify_url(base_url: &str) -> Result<reqwest::Url, BuildError> {
    let invalid = || BuildError::InvalidBaseUrl(base_url.to_owned());
    if base_url.chars().any(char::is_whitespace) {
        return Err(invalid());
    }
    let base = reqwest::Url::parse(base_url).map_err(|_| invalid())?;
    let has_host = base.host_str().is_some_and(|host| !host.is_empty());
    let plain = base.query().is_none() && base.fragment().is_none();
    let credentials = !base.username().is_empty() || base.password().is_some();
    if !matches!(base.scheme(), "http" | "https") || !has_host || !plain || credentials {
        return Err(invalid());
    }
    let path = base.path().trim_end_matches('/');
    let mut url = base.clone();
    url.set_path(&format!("{path}/api/v1/api-key/verify"));
    Ok(url)
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_key_with_newline() {
        let error = Oneloop::builder("sk_live\nInjected: 1")
            .build()
            .unwrap_err();
        assert!(matches!(error, BuildError::InvalidApiKey));
        assert!(!error.to_string().contains("sk_live"));
    }

    #[test]
    fn rejects_empty_and_spaced_keys() {
        for key in ["", "sk live", "sk_é"] {
            let error = Oneloop::builder(key).build().unwrap_err();
            assert!(matches!(error, BuildError::InvalidApiKey), "{key:?}");
        }
    }

    #[test]
    fn rejects_non_http_base_url() {
        let cases = [
            "ftp://example.test",
            "not a url",
            "/relative",
            "http://",
            "http://127.0.0.1:9?x=1",
            "http://127.0.0.1:9#frag",
            "https://prod.oneloop.ai/ ",
            " https://prod.oneloop.ai",
            "https://user:pass@prod.oneloop.ai",
            "",
        ];
        for base in cases {
            let error = Oneloop::builder("sk").base_url(base).build().unwrap_err();
            assert!(matches!(error, BuildError::InvalidBaseUrl(_)), "{base}");
        }
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        for base in ["http://127.0.0.1:9", "http://[::1]:9", "http://localhost"] {
            assert!(is_loopback(&verify_url(base).unwrap()), "{base}");
        }
        assert!(!is_loopback(&verify_url("http://10.0.0.1").unwrap()));
    }

    #[test]
    fn default_base_url_builds() {
        let url = verify_url(DEFAULT_BASE_URL).unwrap();
        assert_eq!(
            url.as_str(),
            "https://prod.oneloop.ai/api/v1/api-key/verify"
        );
    }

    #[test]
    fn keeps_base_url_path_prefix() {
        let url = verify_url("http://127.0.0.1:9/proxy/").unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/proxy/api/v1/api-key/verify"
        );
    }

    #[test]
    fn debug_hides_sdk_key() {
        let builder = Oneloop::builder("sk_secret_123");
        assert!(!format!("{builder:?}").contains("sk_secret_123"));
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains("sk_secret_123"));
    }
}
