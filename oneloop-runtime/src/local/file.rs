//! The TOML key file of the embedded store.
//!
//! ```toml
//! [[keys]]
//! id = "key_reader"                       # required, unique, safe to log
//! sha256 = "9f86d081884c7d65..."          # required: SHA-256 of the key, 64 hex digits
//! customer = "cust_demo"                  # optional
//! scopes = { profile = ["read"] }         # scope name = flags: read, create, update, delete
//! expires_at = 2027-01-31T00:00:00Z       # optional RFC 3339 date-time with an offset
//! enabled = true                          # optional, default true
//! deleted = false                         # optional, default false
//! metadata = { plan = "free" }            # optional, string values
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::entry::{KeyDigest, LocalKey};
use super::store::LocalVerifier;
use super::time;
use crate::scope::{GrantedScope, Permissions};

/// A key file that could not be read or parsed.
#[derive(Debug)]
pub struct LoadError {
    path: Option<PathBuf>,
    position: Option<(usize, usize)>,
    message: String,
}

impl LoadError {
    pub(crate) fn io(path: &Path, error: &std::io::Error) -> Self {
        Self {
            path: Some(path.to_owned()),
            position: None,
            message: format!("failed to read key file: {error}"),
        }
    }

    fn at(text: &str, span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Self {
            path: None,
            position: span.map(|span| line_and_column(text, span.start)),
            message: message.into(),
        }
    }

    pub(crate) fn in_file(mut self, path: &Path) -> Self {
        self.path = Some(path.to_owned());
        self
    }

    /// Returns the 1-based line of the problem, when known.
    #[must_use]
    pub fn line(&self) -> Option<usize> {
        self.position.map(|(line, _)| line)
    }

    /// Returns the message without the location.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.as_deref().unwrap_or(Path::new("<key file>"));
        match self.position {
            Some((line, column)) => {
                write!(f, "{}:{line}:{column}: {}", path.display(), self.message)
            }
            None => write!(f, "{}: {}", path.display(), self.message),
        }
    }
}

impl std::error::Error for LoadError {}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |at| at + 1) + 1;
    (line, column)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    #[serde(default)]
    keys: Vec<Spanned<KeyRecord>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyRecord {
    id: Spanned<String>,
    sha256: Spanned<String>,
    #[serde(default)]
    customer: Option<String>,
    #[serde(default)]
    scopes: BTreeMap<String, Vec<Flag>>,
    #[serde(default)]
    expires_at: Option<Spanned<toml::value::Datetime>>,
    #[serde(default = "default_enabled")]
    enabled: bool,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
}

fn default_enabled() -> bool {
    true
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Flag {
    Read,
    Create,
    Update,
    Delete,
}

impl Flag {
    fn permission(self) -> Permissions {
        match self {
            Self::Read => Permissions::READ,
            Self::Create => Permissions::CREATE,
            Self::Update => Permissions::UPDATE,
            Self::Delete => Permissions::DELETE,
        }
    }
}

pub(crate) fn parse_keys(text: &str) -> Result<LocalVerifier, LoadError> {
    let file: KeyFile =
        toml::from_str(text).map_err(|error| LoadError::at(text, error.span(), error.message()))?;
    let mut keys = Vec::with_capacity(file.keys.len());
    for record in file.keys {
        let span = record.span();
        let key = record.into_inner().into_key(text)?;
        if keys.iter().any(|earlier: &LocalKey| earlier.id == key.id) {
            return Err(LoadError::at(
                text,
                Some(span),
                format!("duplicate key id `{}`", key.id),
            ));
        }
        if keys
            .iter()
            .any(|earlier: &LocalKey| earlier.digest == key.digest)
        {
            let message = format!("key `{}` has the same sha256 as an earlier key", key.id);
            return Err(LoadError::at(text, Some(span), message));
        }
        keys.push(key);
    }
    LocalVerifier::new(keys).map_err(|message| LoadError::at(text, None, message))
}

impl KeyRecord {
    fn into_key(self, text: &str) -> Result<LocalKey, LoadError> {
        let digest = KeyDigest::from_hex(self.sha256.get_ref())
            .map_err(|message| LoadError::at(text, Some(self.sha256.span()), message))?;
        let id = self.id.into_inner();
        if id.is_empty() {
            return Err(LoadError::at(text, None, "key id must not be empty"));
        }
        let mut key = LocalKey::new(id, digest)
            .enabled(self.enabled)
            .deleted(self.deleted);
        key.customer_id = self.customer;
        key.metadata = self.metadata;
        key.scopes = self
            .scopes
            .into_iter()
            .map(|(name, flags)| {
                let permissions = flags
                    .into_iter()
                    .fold(Permissions::NONE, |acc, flag| acc | flag.permission());
                GrantedScope::new(name, permissions)
            })
            .collect();
        if let Some(expires_at) = self.expires_at {
            let at = time::from_toml(expires_at.get_ref())
                .map_err(|message| LoadError::at(text, Some(expires_at.span()), message))?;
            key = key.expires_at(at);
        }
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn parses_full_entry() {
        let text = format!(
            "[[keys]]\nid = \"k1\"\nsha256 = \"{DIGEST}\"\ncustomer = \"c1\"\n\
             scopes = {{ profile = [\"read\", \"delete\"] }}\n\
             expires_at = 2999-01-01T00:00:00Z\nmetadata = {{ plan = \"pro\" }}\n"
        );
        let verifier = LocalVerifier::from_toml(&text).unwrap();
        assert_eq!(verifier.len(), 1);
    }

    #[test]
    fn unknown_flag_names_its_line() {
        let text = format!(
            "[[keys]]\nid = \"k1\"\nsha256 = \"{DIGEST}\"\nscopes = {{ profile = [\"raed\"] }}\n"
        );
        let error = LocalVerifier::from_toml(&text).err().unwrap();
        assert_eq!(error.line(), Some(4));
        assert!(error.message().contains("raed"), "{error}");
    }

    #[test]
    fn bad_digest_names_its_line() {
        let text = "[[keys]]\nid = \"k1\"\nsha256 = \"abc\"\n";
        let error = LocalVerifier::from_toml(text).err().unwrap();
        assert_eq!(error.line(), Some(3));
        assert!(error.message().contains("64 hexadecimal"), "{error}");
    }

    #[test]
    fn unknown_field_is_rejected() {
        let text = format!("[[keys]]\nid = \"k1\"\nsha256 = \"{DIGEST}\"\nenabeld = true\n");
        let error = LocalVerifier::from_toml(&text).err().unwrap();
        assert_eq!(error.line(), Some(4));
    }

    #[test]
    fn duplicate_id_is_rejected() {
        let other = "0".repeat(64);
        let text = format!(
            "[[keys]]\nid = \"k1\"\nsha256 = \"{DIGEST}\"\n\n[[keys]]\nid = \"k1\"\nsha256 = \"{other}\"\n"
        );
        let error = LocalVerifier::from_toml(&text).err().unwrap();
        assert!(error.message().contains("duplicate key id"), "{error}");
        assert_eq!(error.line(), Some(5));
    }

    #[test]
    fn error_names_the_file() {
        let error = LocalVerifier::from_file("/nonexistent/keys.toml")
            .err()
            .unwrap();
        assert!(
            error.to_string().starts_with("/nonexistent/keys.toml: "),
            "{error}"
        );
    }
}
