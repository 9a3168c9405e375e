//! The meaning of the arguments, and every rule they must follow.

use proc_macro2::Span;
use syn::{Expr, ExprLit, Ident, Lit, LitStr};

use crate::args::RawArg;
use crate::suggest::closest;

/// The maximum length of a scope name, in bytes; the runtime's type encoding carries up to this many.
pub(crate) const MAX_SCOPE_LEN: usize = 64;

const FLAG_NAMES: [&str; 4] = ["read", "create", "update", "delete"];
const OPTION_NAMES: [&str; 1] = ["scope"];

/// A permission flag, with the bit the runtime's `Permissions` gives it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flag {
    Read,
    Create,
    Update,
    Delete,
}

impl Flag {
    fn from_name(name: &str) -> Option<Self> {
        match name {
            "read" => Some(Self::Read),
            "create" => Some(Self::Create),
            "update" => Some(Self::Update),
            "delete" => Some(Self::Delete),
            _ => None,
        }
    }

    pub(crate) fn bit(self) -> u8 {
        match self {
            Self::Read => 1,
            Self::Create => 1 << 1,
            Self::Update => 1 << 2,
            Self::Delete => 1 << 3,
        }
    }
}

/// A checked scope requirement.
pub(crate) struct ScopeSpec {
    pub(crate) name: String,
    pub(crate) literal: LitStr,
    pub(crate) flags: Vec<Flag>,
}

/// A checked attribute: `None` for a bare `#[oneloop]`.
pub(crate) type AttrSpec = Option<ScopeSpec>;

/// Collects errors so independent mistakes are reported together.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(first) => first.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub(crate) fn at(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    pub(crate) fn into_result(self) -> Result<(), syn::Error> {
        self.0.map_or(Ok(()), Err)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }
}

/// Checks one attribute's arguments.
pub(crate) fn check_args(args: Vec<RawArg>, errors: &mut Errors) -> AttrSpec {
    let mut scope: Option<(String, LitStr)> = None;
    let mut flags: Vec<(Flag, Ident)> = Vec::new();
    // Count every flag and option as written, valid or not. An invalid `scope` value, a
    // misspelled `scope` and a flag given a value are already reported, so these counts keep
    // them from also being reported as a missing scope or flag.
    let mut flag_words = 0;
    let mut scope_words = 0;
    for arg in args {
        match arg {
            RawArg::Option { name, value } => {
                if FLAG_NAMES.contains(&name.to_string().as_str()) {
                    flag_words += 1;
                } else {
                    scope_words += 1;
                }
                check_option(&name, value, &mut scope, errors);
            }
            RawArg::Flag(word) => {
                if word == "scope" {
                    scope_words += 1;
                } else {
                    flag_words += 1;
                }
                check_flag(word, &mut flags, errors);
            }
        }
    }
    match (scope, flags.first()) {
        (None, None) => None,
        (None, Some((_, first))) => {
            if scope_words == 0 {
                let message =
                    format!("flag `{first}` needs a scope: write `scope = \"...\", {first}`");
                errors.at(first.span(), message);
            }
            None
        }
        (Some((name, literal)), _) => {
            if flags.is_empty() && flag_words == 0 {
                errors.at(
                    literal.span(),
                    format!(
                        "scope `{name}` has no permission flag; add one or more of \
                         `read`, `create`, `update`, `delete`"
                    ),
                );
            }
            let flags = flags.into_iter().map(|(flag, _)| flag).collect();
            Some(ScopeSpec {
                name,
                literal,
                flags,
            })
        }
    }
}

fn check_option(
    name: &Ident,
    value: Expr,
    scope: &mut Option<(String, LitStr)>,
    errors: &mut Errors,
) {
    let word = name.to_string();
    if word != "scope" {
        errors.at(name.span(), unknown_option_message(&word));
        return;
    }
    if scope.is_some() {
        errors.at(
            name.span(),
            "duplicate `scope`; to require a second scope, stack another `#[oneloop(scope = \"...\", ...)]`",
        );
        return;
    }
    let value = without_groups(value);
    let Expr::Lit(ExprLit {
        lit: Lit::Str(literal),
        ..
    }) = value
    else {
        errors.at(
            syn::spanned::Spanned::span(&value),
            "`scope` takes a string literal, such as `scope = \"profile\"`",
        );
        return;
    };
    if !literal.suffix().is_empty() {
        let message = format!(
            "unexpected suffix `{}` on the scope string",
            literal.suffix()
        );
        errors.at(literal.span(), message);
        return;
    }
    let text = literal.value();
    match scope_name_problem(&text) {
        Some(problem) => errors.at(literal.span(), problem),
        None => *scope = Some((text, literal)),
    }
}

/// Removes the invisible groups `macro_rules!` puts around a `$value:expr` or `$value:literal`.
fn without_groups(mut value: Expr) -> Expr {
    while let Expr::Group(group) = value {
        value = *group.expr;
    }
    value
}

fn unknown_option_message(word: &str) -> String {
    if FLAG_NAMES.contains(&word) {
        return format!("`{word}` is a flag and takes no value; write `{word}` alone");
    }
    match closest(word, &OPTION_NAMES) {
        Some(option) => format!("unknown option `{word}`; did you mean `{option}`?"),
        None => format!("unknown option `{word}`; the only option is `scope = \"...\"`"),
    }
}

fn check_flag(word: Ident, flags: &mut Vec<(Flag, Ident)>, errors: &mut Errors) {
    let text = word.to_string();
    let Some(flag) = Flag::from_name(&text) else {
        errors.at(word.span(), unknown_flag_message(&text));
        return;
    };
    if flags.iter().any(|(seen, _)| *seen == flag) {
        errors.at(word.span(), format!("duplicate flag `{text}`"));
        return;
    }
    flags.push((flag, word));
}

fn unknown_flag_message(word: &str) -> String {
    if word == "del" {
        return "unknown flag `del`; write `delete` (`del` is only how the Oneloop wire spells it)"
            .to_owned();
    }
    if word == "scope" {
        return "`scope` needs a value: `scope = \"name\"`".to_owned();
    }
    if let Some(flag) = closest(word, &FLAG_NAMES) {
        return format!("unknown flag `{word}`; did you mean `{flag}`?");
    }
    if let Some(option) = closest(word, &OPTION_NAMES) {
        return format!("unknown flag `{word}`; did you mean `{option} = \"...\"`?");
    }
    format!("unknown flag `{word}`; expected one of `read`, `create`, `update`, `delete`")
}

/// Returns why `name` cannot be a scope name, if it cannot.
fn scope_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("scope name must not be empty".to_owned());
    }
    if let Some((scope, flag)) = name.split_once(':') {
        if FLAG_NAMES.contains(&flag) {
            return Some(format!(
                "a scope name cannot contain `:`; to require `{name}`, write \
                 `scope = \"{scope}\", {flag}`"
            ));
        }
    }
    if let Some(bad) = name.chars().find(|c| !is_scope_char(*c)) {
        return Some(format!(
            "invalid character {bad:?} in scope name {name:?}; scope names contain only ASCII \
             letters, digits, `_`, `-` and `.`"
        ));
    }
    if name.len() > MAX_SCOPE_LEN {
        return Some(format!(
            "scope name is {} bytes long; the limit is {MAX_SCOPE_LEN}",
            name.len()
        ));
    }
    None
}

fn is_scope_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::parse_args;
    use quote::quote;

    fn check(tokens: proc_macro2::TokenStream) -> (AttrSpec, Option<String>) {
        let mut errors = Errors::default();
        let spec = check_args(parse_args(tokens).unwrap(), &mut errors);
        let message = errors.into_result().err().map(|error| error.to_string());
        (spec, message)
    }

    #[test]
    fn accepts_scope_and_flags() {
        let (spec, error) = check(quote!(scope = "profile", read, update,));
        assert!(error.is_none());
        let spec = spec.unwrap();
        assert_eq!(spec.name, "profile");
        assert!(spec.flags == [Flag::Read, Flag::Update]);
    }

    #[test]
    fn flags_may_come_before_scope() {
        let (spec, error) = check(quote!(read, scope = "profile"));
        assert!(error.is_none(), "{error:?}");
        assert_eq!(spec.unwrap().name, "profile");
    }

    #[test]
    fn bare_attribute_has_no_scope() {
        let (spec, error) = check(quote!());
        assert!(spec.is_none());
        assert!(error.is_none());
    }

    #[test]
    fn del_points_to_delete() {
        let (_, error) = check(quote!(scope = "files", del));
        assert!(error.unwrap().contains("write `delete`"));
    }

    #[test]
    fn scope_names_limited_to_documented_set() {
        for bad in ["", "my profile", "a\tb", "naïve", "a/b", "a:b"] {
            assert!(scope_name_problem(bad).is_some(), "{bad:?}");
        }
        for good in ["profile", "user-profile", "billing.invoices", "v2_keys"] {
            assert!(scope_name_problem(good).is_none(), "{good:?}");
        }
        assert!(scope_name_problem(&"a".repeat(64)).is_none());
        assert!(scope_name_problem(&"a".repeat(65)).is_some());
    }

    fn messages(tokens: proc_macro2::TokenStream) -> Vec<String> {
        let mut errors = Errors::default();
        check_args(parse_args(tokens).unwrap(), &mut errors);
        match errors.into_result() {
            Ok(()) => Vec::new(),
            Err(error) => error.into_iter().map(|error| error.to_string()).collect(),
        }
    }

    #[test]
    fn invalid_scope_is_not_also_missing() {
        let cases = [
            quote!(scope = "", read),
            quote!(scope = "my profile", read),
            quote!(scope = 42, read),
            quote!(scpoe = "profile", read),
            quote!(audience = "internal", read),
            quote!(scope, read),
        ];
        for tokens in cases {
            let text = tokens.to_string();
            let all = messages(tokens);
            assert_eq!(all.len(), 1, "{text}: {all:?}");
            assert!(!all[0].contains("needs a scope"), "{text}: {all:?}");
        }
    }

    #[test]
    fn flag_with_value_is_not_also_missing() {
        let all = messages(quote!(scope = "profile", read = true));
        assert_eq!(all.len(), 1, "{all:?}");
        assert!(all[0].contains("takes no value"), "{all:?}");
    }

    #[test]
    fn missing_scope_and_flag_still_reported() {
        let all = messages(quote!(read));
        assert_eq!(all.len(), 1, "{all:?}");
        assert!(all[0].contains("needs a scope"), "{all:?}");
        let all = messages(quote!(scope = "profile"));
        assert_eq!(all.len(), 1, "{all:?}");
        assert!(all[0].contains("no permission flag"), "{all:?}");
    }

    #[test]
    fn reports_independent_mistakes_together() {
        let (_, error) = check(quote!(scope = "profile", raed, read, read));
        let mut errors = Errors::default();
        check_args(
            parse_args(quote!(scope = "p", raed, read, read)).unwrap(),
            &mut errors,
        );
        let all: Vec<String> = errors
            .into_result()
            .unwrap_err()
            .into_iter()
            .map(|error| error.to_string())
            .collect();
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(error.is_some());
    }
}
