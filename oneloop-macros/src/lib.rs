//! The `#[oneloop]` attribute. Use it through `oneloop_runtime::oneloop`, which re-exports it
//! and contains everything the expansion calls.

mod args;
mod expand;
mod rules;
mod suggest;

use proc_macro::TokenStream;

/// Requires a valid Oneloop API key, and optionally a scope with permission flags, on an axum
/// handler.
///
/// ```text
/// use oneloop_runtime::oneloop;
///
/// #[oneloop]                                        // any valid key
/// async fn whoami() -> &'static str { "ok" }
///
/// #[oneloop(scope = "profile", read)]               // profile:read
/// async fn show_profile() -> &'static str { "profile" }
///
/// #[oneloop(scope = "profile", read, update)]       // profile:read and profile:update
/// #[oneloop(scope = "billing", read)]               // and billing:read, in the same call
/// async fn edit_profile(body: String) -> String { body }
/// ```
///
/// The flags are `read`, `create`, `update` and `delete`. Scope names are 1 to 64 ASCII letters,
/// digits, `_`, `-` or `.`. Stacked attributes are merged into one verification that requires
/// every scope. Mistakes are compile errors on the token to change.
///
/// # What it expands to
///
/// The attribute inserts one extractor as the handler's first argument, so the key is checked
/// before any other extractor runs and before the body is read. The scope list is spelled as a
/// type and evaluated at compile time. The handler above is equivalent to this hand-written one:
///
/// ```text
/// async fn show_profile(
///     _: oneloop_runtime::__private::Guard<(
///         // "profile" with the read flag, its bytes packed into u128 chunks
///         oneloop_runtime::__private::Scope<7, 1, 0x656c69666f7270, 0, 0, 0>,
///     )>,
/// ) -> &'static str {
///     "profile"
/// }
/// ```
///
/// Put `#[axum::debug_handler]` below `#[oneloop]`, never above. Above it, axum-macros 0.5
/// copies the handler with its `#[oneloop]` still unexpanded and calls the copy with the
/// arguments it counted, so the inserted guard makes that call one argument short (E0061).
///
/// Stacked attributes are merged when each is written as `oneloop` or as a path ending in
/// `::oneloop`; an attribute renamed with `use ... as` is verified on its own. The expansion names
/// the runtime as `::oneloop_runtime`, so the dependency must keep that name. The guard is one
/// more extractor, so a handler may take at most 15 of its own, one fewer than axum's 16.
///
/// The router needs an `oneloop_runtime::OneloopLayer`, or the process a default verifier set
/// with `OneloopLayer::set_global_default`; without either, protected handlers respond 500. Associated functions (`impl Api { #[oneloop] async fn show() {} }`, routed as
/// `get(Api::show)`) work the same way, because the expansion adds no item beside the handler.
#[proc_macro_attribute]
pub fn oneloop(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(args.into(), item.into()).into()
}
