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
use crate::scope_type::MAX_SCOPE_NAME_LEN;

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
    scopes: BTreeMap<Spanned<String>, Vec<Flag>>,
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
    let mut spans = Vec::with_capacity(file.keys.len());
    let mut keys = Vec::with_capacity(file.keys.len());
    for record in file.keys {
        spans.push(record.span());
        keys.push(record.into_inner().into_key(text)?);
    }
    LocalVerifier::new(keys).map_err(|error| {
        let span = spans.get(error.index()).cloned();
        LoadError::at(text, span, error.to_string())
    })
}

impl KeyRecord {
    fn into_key(self, text: &str) -> Result<LocalKey, LoadError> {
        let digest = KeyDigest::from_hex(self.sha256.get_ref())
            .map_err(|message| LoadError::at(text, Some(self.sha256.span()), message))?;
        if self.id.get_ref().is_empty() {
            let message = "key id must not be empty";
            return Err(LoadError::at(text, Some(self.id.span()), message));
        }
        let mut key = LocalKey::new(self.id.into_inner(), digest)
            .enabled(self.enabled)
            .deleted(self.deleted);
        key.customer_id = self.customer;
        key.metadata = self.metadata;
        for (name, flags) in self.scopes {
            key.scopes.push(granted_scope(text, name, flags)?);
        }
        if let Some(expires_at) = self.expires_at {
            let at = time::from_toml(expires_at.get_ref())
                .map_err(|message| LoadError::at(text, Some(expires_at.span()), message))?;
            key = key.expires_at(at);
        }
        Ok(key)
    }
}

/// Checks one `scopes` entry: a name `#[oneloop]` accepts and at least one flag.
fn granted_scope(
    text: &str,
    name: Spanned<String>,
    flags: Vec<Flag>,
) -> Result<GrantedScope, LoadError> {
    let span = Some(name.span());
    if !is_scope_name(name.get_ref()) {
        let message = format!(
            "invalid scope name {:?}: scope names are 1 to 64 ASCII letters, digits, `_`, `-` \
             or `.`, as in #[oneloop]",
            name.get_ref()
        );
        return Err(LoadError::at(text, span, message));
    }
    if flags.is_empty() {
        let message = format!(
            "scope `{}` has no flags; list one or more of \"read\", \"create\", \"update\", \
             \"delete\"",
            name.get_ref()
        );
        return Err(LoadError::at(text, span, message));
    }
    let permissions = flags
        .into_iter()
        .fold(Permissions::NONE, |acc, flag| acc | flag.permission());
    Ok(GrantedScope::new(name.into_inner(), permissions))
}

/// Returns whether `name` is a scope name `#[oneloop]` accepts. The macro crate checks the same
/// rule at compile time; the two crates cannot share code, because the macro crate comes first.
fn is_scope_name(name: &str) -> bool {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    !name.is_empty() && name.len() <= MAX_SCOPE_NAME_LEN && name.chars().all(allowed)
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
    fn empty_id_names_its_line() {
        let text = format!("[[keys]]\nid = \"\"\nsha256 = \"{DIGEST}\"\n");
        let error = LocalVerifier::from_toml(&text).err().unwrap();
        assert_eq!(error.line(), Some(2));
    }

    #[test]
    fn invalid_scope_names_are_rejected() {
        for scopes in [r#"{ "my profile" = ["read"] }"#, r#"{ "" = ["read"] }"#] {
            let text = format!("[[keys]]\nid = \"k\"\nsha256 = \"{DIGEST}\"\nscopes = {scopes}\n");
            let error = LocalVerifier::from_toml(&text).err().unwrap();
            assert_eq!(error.line(), Some(4), "{scopes}");
            assert!(error.message().contains("invalid scope name"), "{error}");
        }
    }

    #[test]
    fn scope_without_flags_is_rejected() {
        let text = format!("[[keys]]\nid = \"k\"\nsha256 = \"{DIGEST}\"\nscopes = {{ x = [] }}\n");
        let error = LocalVerifier::from_toml(&text).err().unwrap();
        assert!(error.message().contains("has no flags"), "{error}");
    }

    #[test]
    fn duplicate_digest_names_later_key() {
        let text = format!(
            "[[keys]]\nid = \"a\"\nsha256 = \"{DIGEST}\"\n\n[[keys]]\nid = \"b\"\nsha256 = \"{DIGEST}\"\n"
        );
        let error = LocalVerifier::from_toml(&text).err().unwrap();
        assert_eq!(error.line(), Some(5));
        assert!(error.message().contains("same sha256"), "{error}");
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
