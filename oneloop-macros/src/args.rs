//! The syntax of one attribute's arguments: `name = value` options and bare flags, separated by
//! commas. Meaning is checked in `rules`.

use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Expr, Ident, Token};

/// One argument as written, keeping its tokens for error spans.
pub(crate) enum RawArg {
    /// `name = value`.
    Option { name: Ident, value: Expr },
    /// A bare word such as `read`.
    Flag(Ident),
}

/// Parses the arguments of one attribute.
pub(crate) fn parse_args(tokens: TokenStream) -> syn::Result<Vec<RawArg>> {
    parse_list.parse2(tokens)
}

fn parse_list(input: ParseStream<'_>) -> syn::Result<Vec<RawArg>> {
    let mut args = Vec::new();
    while !input.is_empty() {
        args.push(parse_arg(input)?);
        if input.is_empty() {
            break;
        }
        if !input.peek(Token![,]) {
            let next = input
                .cursor()
                .token_tree()
                .map_or_else(String::new, |(tree, _)| tree.to_string());
            return Err(input.error(format!(
                "expected `,` before `{next}`; separate arguments with commas"
            )));
        }
        input.parse::<Token![,]>()?;
    }
    Ok(args)
}

fn parse_arg(input: ParseStream<'_>) -> syn::Result<RawArg> {
    if !input.peek(Ident::peek_any) {
        return Err(input.error(
            "expected `scope = \"...\"` or a permission flag: `read`, `create`, `update` or `delete`",
        ));
    }
    let name = input.call(Ident::parse_any)?;
    if input.peek(Token![:]) && !input.peek(Token![::]) {
        return Err(input.error(format!("expected `=` after `{name}`, found `:`")));
    }
    if !input.peek(Token![=]) {
        return Ok(RawArg::Flag(name));
    }
    input.parse::<Token![=]>()?;
    if input.is_empty() || input.peek(Token![,]) {
        return Err(input.error(format!("expected a value after `{name} =`")));
    }
    let value = input.parse::<Expr>()?;
    Ok(RawArg::Option { name, value })
}
