//! Reading the caller's key from the `Authorization` header (RFC 6750 section 2.1).

use http::HeaderMap;
use http::header::AUTHORIZATION;

/// The maximum key length accepted, in bytes. Longer tokens are rejected without calling the verifier.
pub const MAX_KEY_LEN: usize = 512;

/// A reason an `Authorization` header could not be read as a bearer key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsError {
    /// No `Authorization` header, or one with a scheme other than `Bearer`.
    Missing,
    /// More than one `Authorization` header.
    SeveralHeaders,
    /// `Bearer` with no token after it.
    EmptyToken,
    /// A space inside the token, or a byte that is not visible ASCII.
    InvalidCharacters,
    /// A token longer than [`MAX_KEY_LEN`].
    TooLong,
}

impl CredentialsError {
    /// Returns a short description for callers and logs; it never contains the token.
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            Self::Missing => "missing bearer credentials in the Authorization header",
            Self::SeveralHeaders => "more than one Authorization header",
            Self::EmptyToken => "empty bearer token",
            Self::InvalidCharacters => {
                "bearer token contains a space or a character other than visible ASCII"
            }
            Self::TooLong => "bearer token is longer than 512 bytes",
        }
    }
}

/// Extracts the bearer token from `headers`.
///
/// The scheme is matched case-insensitively and whitespace around the token is trimmed; the
/// token itself is returned unchanged.
pub fn bearer_token(headers: &HeaderMap) -> Result<&str, CredentialsError> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let value = values.next().ok_or(CredentialsError::Missing)?;
    if values.next().is_some() {
        return Err(CredentialsError::SeveralHeaders);
    }
    // Work on bytes, so that another scheme is rejected as missing bearer credentials whatever
    // bytes follow it.
    let value = value.as_bytes().trim_ascii();
    let split = value.iter().position(|byte| is_space(*byte));
    let (scheme, rest) = match split {
        Some(at) => (&value[..at], &value[at..]),
        None => (value, &b""[..]),
    };
    if !scheme.eq_ignore_ascii_case(b"bearer") {
        return Err(CredentialsError::Missing);
    }
    check_token(rest.trim_ascii())
}

fn check_token(token: &[u8]) -> Result<&str, CredentialsError> {
    if token.is_empty() {
        return Err(CredentialsError::EmptyToken);
    }
    if token.len() > MAX_KEY_LEN {
        return Err(CredentialsError::TooLong);
    }
    if !token.iter().all(u8::is_ascii_graphic) {
        return Err(CredentialsError::InvalidCharacters);
    }
    std::str::from_utf8(token).map_err(|_| CredentialsError::InvalidCharacters)
}

fn is_space(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(values: &[&[u8]]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(AUTHORIZATION, HeaderValue::from_bytes(value).unwrap());
        }
        map
    }

    #[test]
    fn scheme_is_case_insensitive() {
        for value in ["Bearer k_1", "bearer k_1", "BEARER k_1", "  Bearer   k_1  "] {
            let map = headers(&[value.as_bytes()]);
            assert_eq!(bearer_token(&map), Ok("k_1"), "{value}");
        }
    }

    #[test]
    fn token_keeps_its_case() {
        let map = headers(&[b"Bearer AbC"]);
        assert_eq!(bearer_token(&map), Ok("AbC"));
    }

    #[test]
    fn bearer_word_inside_token_is_kept() {
        let map = headers(&[b"Bearer Bearerkey"]);
        assert_eq!(bearer_token(&map), Ok("Bearerkey"));
    }

    #[test]
    fn rejects_malformed_forms() {
        let cases: [(&[u8], CredentialsError); 7] = [
            (b"Basic dXNlcjpwYXNz", CredentialsError::Missing),
            (b"Bearerk_1", CredentialsError::Missing),
            (b"Bearer", CredentialsError::EmptyToken),
            (b"Bearer    ", CredentialsError::EmptyToken),
            (b"Bearer a b", CredentialsError::InvalidCharacters),
            (b"Bearer a\tb", CredentialsError::InvalidCharacters),
            (
                b"Bearer \xc3\xa9t\xc3\xa9",
                CredentialsError::InvalidCharacters,
            ),
        ];
        for (value, expected) in cases {
            assert_eq!(bearer_token(&headers(&[value])), Err(expected), "{value:?}");
        }
    }

    #[test]
    fn other_scheme_with_any_bytes_is_missing() {
        let map = headers(&[b"Basic \xc3\xa9t\xc3\xa9"]);
        assert_eq!(bearer_token(&map), Err(CredentialsError::Missing));
    }

    #[test]
    fn limit_in_description_matches_constant() {
        let description = CredentialsError::TooLong.description();
        assert!(
            description.contains(&MAX_KEY_LEN.to_string()),
            "{description}"
        );
    }

    #[test]
    fn rejects_missing_header() {
        assert_eq!(
            bearer_token(&HeaderMap::new()),
            Err(CredentialsError::Missing)
        );
    }

    #[test]
    fn rejects_two_headers() {
        let map = headers(&[b"Bearer a", b"Bearer a"]);
        assert_eq!(bearer_token(&map), Err(CredentialsError::SeveralHeaders));
    }

    #[test]
    fn length_limit_is_inclusive() {
        let at_limit = format!("Bearer {}", "k".repeat(MAX_KEY_LEN));
        let over = format!("Bearer {}", "k".repeat(MAX_KEY_LEN + 1));
        assert!(bearer_token(&headers(&[at_limit.as_bytes()])).is_ok());
        assert_eq!(
            bearer_token(&headers(&[over.as_bytes()])),
            Err(CredentialsError::TooLong)
        );
    }
}
