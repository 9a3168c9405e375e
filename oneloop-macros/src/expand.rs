//! Turning a checked handler into one whose first extractor verifies the key.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{ToTokens, quote};
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, FnArg, Item, ItemFn, Meta, Token, parse_quote};

use crate::args::parse_args;
use crate::rules::{AttrSpec, Errors, MAX_SCOPE_LEN, ScopeSpec, check_args};

/// The maximum number of scopes one handler may require; the runtime implements scope lists up to this size.
const MAX_SCOPES: usize = 12;

/// Expands `#[oneloop(args)]` on `item`. On any error the item is emitted unchanged (less the
/// other `#[oneloop]` attributes, which this call has consumed) beside the errors, so a mistake
/// in the attribute does not turn into errors about the handler's callers.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut specs = Vec::new();
    match parse_args(args) {
        Ok(raw) => specs.push((check_args(raw, &mut errors), Span::call_site())),
        Err(error) => errors.push(error),
    }
    let Ok(mut function) = syn::parse2::<ItemFn>(item.clone()) else {
        errors.push(not_a_function(&item));
        return not_a_function_output(errors, item);
    };
    for attr in take_stacked(&mut function.attrs) {
        let span = attr.span();
        match stacked_args(&attr) {
            Ok(raw) => specs.push((check_args(raw, &mut errors), span)),
            Err(error) => errors.push(error),
        }
    }
    check_signature(&function, &mut errors);
    let scopes = merge(specs, &mut errors);
    if !errors.is_empty() {
        // Add the missing `async`, as the error message suggests. A plain `fn` is not an axum handler, so
        // routing it would add an unrelated `Handler` error.
        if function.sig.asyncness.is_none() {
            function.sig.asyncness = Some(Token![async](function.sig.fn_token.span));
        }
        return with_errors(errors, function.into_token_stream());
    }
    let guard = guard_type(&scopes);
    function.sig.inputs.insert(0, parse_quote!(_: #guard));
    function.into_token_stream()
}

/// Emits the errors for an input that is not a function. rustc expands an attribute on an
/// expression even after rejecting it on stable, and the output must then be one expression.
/// `compile_error! {..} || async {..}` would parse as `||` between a `bool` and an async block,
/// so the errors and the expression go in a block.
fn not_a_function_output(errors: Errors, item: TokenStream) -> TokenStream {
    if syn::parse2::<Item>(item.clone()).is_err() {
        if let Some(expression) = parse_expression(&item) {
            let output = with_errors(errors, expression.into_token_stream());
            return quote!({ #output });
        }
    }
    with_errors(errors, item)
}

/// Parses `item` as an expression. rustc (1.95) passes an attributed expression in an argument
/// list together with the comma after it, so one trailing comma is accepted and dropped.
fn parse_expression(item: &TokenStream) -> Option<Expr> {
    let parser = |input: ParseStream<'_>| {
        let expression: Expr = input.parse()?;
        input.parse::<Option<Token![,]>>()?;
        Ok(expression)
    };
    parser.parse2(item.clone()).ok()
}

fn with_errors(errors: Errors, item: TokenStream) -> TokenStream {
    let errors = errors
        .into_result()
        .err()
        .map(|error| error.to_compile_error());
    quote!(#errors #item)
}

/// Removes and returns the other `#[oneloop]` attributes on the handler, whatever path they
/// are written with.
fn take_stacked(attrs: &mut Vec<Attribute>) -> Vec<Attribute> {
    let (stacked, rest) = std::mem::take(attrs).into_iter().partition(is_oneloop);
    *attrs = rest;
    stacked
}

/// Returns whether `attr` is another `#[oneloop]`: written as `oneloop` or as any path ending in
/// `::oneloop`. An attribute renamed with `use ... as` cannot be recognised.
fn is_oneloop(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "oneloop")
}

fn stacked_args(attr: &Attribute) -> syn::Result<Vec<crate::args::RawArg>> {
    match &attr.meta {
        Meta::Path(_) => Ok(Vec::new()),
        Meta::List(list) => parse_args(list.tokens.clone()),
        Meta::NameValue(pair) => Err(syn::Error::new(
            pair.eq_token.span,
            "expected `#[oneloop]` or `#[oneloop(scope = \"...\", read, ...)]`",
        )),
    }
}

fn not_a_function(item: &TokenStream) -> syn::Error {
    let (span, what) = match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Struct(item)) => (item.struct_token.span, "a struct"),
        Ok(Item::Enum(item)) => (item.enum_token.span, "an enum"),
        Ok(Item::Const(item)) => (item.const_token.span, "a const"),
        Ok(Item::Static(item)) => (item.static_token.span, "a static"),
        Ok(Item::Impl(item)) => (item.impl_token.span, "an impl block"),
        Ok(Item::Mod(item)) => (item.mod_token.span, "a module"),
        Ok(Item::Trait(item)) => (item.trait_token.span, "a trait"),
        Ok(Item::Type(item)) => (item.type_token.span, "a type alias"),
        Ok(other) => (other.span(), "this item"),
        Err(_) => match parse_expression(item) {
            Some(Expr::Closure(_)) => (Span::call_site(), "a closure"),
            Some(_) => (Span::call_site(), "an expression"),
            None => (Span::call_site(), "this item"),
        },
    };
    syn::Error::new(
        span,
        format!("`#[oneloop]` goes on an `async fn` handler with a body, not on {what}"),
    )
}

fn check_signature(function: &ItemFn, errors: &mut Errors) {
    let sig = &function.sig;
    if sig.asyncness.is_none() {
        errors.at(
            sig.fn_token.span,
            "`#[oneloop]` handlers must be `async fn`; add `async` before `fn`",
        );
    }
    if let Some(FnArg::Receiver(receiver)) = sig.inputs.first() {
        errors.at(
            receiver.span(),
            "`#[oneloop]` handlers cannot take `self`; axum routes free functions or associated \
             functions without a receiver, such as `get(Api::show)`",
        );
    }
}

/// Merges the scopes of every `#[oneloop]` on the handler into one list.
fn merge(specs: Vec<(AttrSpec, Span)>, errors: &mut Errors) -> Vec<ScopeSpec> {
    let attributes = specs.len();
    let mut scopes: Vec<ScopeSpec> = Vec::new();
    let mut bare = Vec::new();
    for (spec, span) in specs {
        let Some(scope) = spec else {
            bare.push(span);
            continue;
        };
        if scopes.iter().any(|seen| seen.name == scope.name) {
            let message = format!(
                "scope `{}` is already required by another `#[oneloop]` on this function; \
                 list all its flags in one attribute",
                scope.name
            );
            errors.at(scope.literal.span(), message);
            continue;
        }
        scopes.push(scope);
    }
    if attributes > 1 {
        for span in bare {
            errors.at(
                span,
                "`#[oneloop]` without a scope is redundant beside another `#[oneloop]` on this \
                 function; remove it",
            );
        }
    }
    if scopes.len() > MAX_SCOPES {
        errors.at(
            scopes[MAX_SCOPES].literal.span(),
            format!("a handler may require at most {MAX_SCOPES} scopes"),
        );
    }
    scopes
}

/// Spells the scope list as a `Guard` type; see the runtime's `scope_type` module.
fn guard_type(scopes: &[ScopeSpec]) -> TokenStream {
    let items = scopes.iter().map(scope_type);
    quote!(::oneloop_runtime::__private::Guard<(#(#items,)*)>)
}

fn scope_type(scope: &ScopeSpec) -> TokenStream {
    let mut bytes = [0u8; MAX_SCOPE_LEN];
    bytes[..scope.name.len()].copy_from_slice(scope.name.as_bytes());
    let chunks = bytes.chunks_exact(16).map(|chunk| {
        let chunk: [u8; 16] = chunk.try_into().unwrap_or_default();
        Literal::u128_unsuffixed(u128::from_le_bytes(chunk))
    });
    let len = Literal::usize_unsuffixed(scope.name.len());
    let flags = Literal::u8_unsuffixed(scope.flags.iter().fold(0, |bits, flag| bits | flag.bit()));
    quote!(::oneloop_runtime::__private::Scope<#len, #flags, #(#chunks),*>)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_str(args: TokenStream, item: TokenStream) -> String {
        expand(args, item).to_string()
    }

    #[test]
    fn inserts_guard_first() {
        let out = expand_str(
            quote!(scope = "profile", read),
            quote!(
                async fn show(State(db): State<Db>) -> String {
                    db.name()
                }
            ),
        );
        let guard = "async fn show (_ : :: oneloop_runtime :: __private :: Guard < (:: oneloop_runtime :: __private :: Scope < 7 , 1 , 28548172593721968 , 0 , 0 , 0 > ,) > , State (db) : State < Db >)";
        assert!(out.contains(guard), "{out}");
    }

    #[test]
    fn bare_attribute_requires_no_scope() {
        let out = expand_str(
            quote!(),
            quote!(
                async fn any() {}
            ),
        );
        assert!(out.contains("Guard < () >"), "{out}");
    }

    #[test]
    fn stacked_attributes_merge_into_one_guard() {
        let out = expand_str(
            quote!(scope = "a", read),
            quote!(
                #[doc = "keep"]
                #[oneloop_runtime::oneloop(scope = "b", delete)]
                async fn both() {}
            ),
        );
        assert_eq!(out.matches("Guard").count(), 1, "{out}");
        assert_eq!(out.matches("Scope <").count(), 2, "{out}");
        assert!(!out.contains("oneloop_runtime :: oneloop"), "{out}");
        assert!(out.contains("doc = \"keep\""), "{out}");
    }

    #[test]
    fn error_keeps_the_function() {
        let out = expand_str(
            quote!(scope = "a", raed),
            quote!(
                async fn kept() {}
            ),
        );
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("async fn kept ()"), "{out}");
        assert!(!out.contains("Guard"), "{out}");
    }

    #[test]
    fn error_on_plain_fn_emits_it_async() {
        let out = expand_str(
            quote!(scope = "a", read),
            quote!(
                fn plain() -> &'static str {
                    "x"
                }
            ),
        );
        assert!(out.contains("must be `async fn`"), "{out}");
        assert!(out.contains("async fn plain ()"), "{out}");
        assert!(!out.contains("Guard"), "{out}");
    }

    #[test]
    fn error_on_closure_stays_one_expression() {
        let out = expand(quote!(scope = "a", read), quote!(|| async { "x" }));
        let text = out.to_string();
        assert!(text.contains("not on a closure"), "{text}");
        let expression = syn::parse2::<Expr>(out);
        assert!(
            matches!(expression, Ok(Expr::Block(_))),
            "not one block expression: {text}"
        );
    }

    #[test]
    fn error_on_closure_drops_trailing_comma() {
        let out = expand(quote!(scope = "a", read), quote!(|| async { "x" },));
        let text = out.to_string();
        assert!(text.contains("not on a closure"), "{text}");
        let expression = syn::parse2::<Expr>(out);
        assert!(
            matches!(expression, Ok(Expr::Block(_))),
            "not one block expression: {text}"
        );
    }

    #[test]
    fn error_on_struct_stays_an_item() {
        let out = expand(
            quote!(),
            quote!(
                struct Profile;
            ),
        );
        let text = out.to_string();
        assert!(text.contains("not on a struct"), "{text}");
        assert!(text.ends_with("struct Profile ;"), "{text}");
    }

    #[test]
    fn name_bytes_pack_little_endian() {
        let scope = ScopeSpec {
            name: "ab".to_owned(),
            literal: parse_quote!("ab"),
            flags: vec![crate::rules::Flag::Delete],
        };
        let tokens = scope_type(&scope).to_string();
        assert!(
            tokens.contains("Scope < 2 , 8 , 25185 , 0 , 0 , 0 >"),
            "{tokens}"
        );
    }
}
