//! Scope lists encoded as types, so the guard of each handler carries its scopes as `'static` data.
//!
//! The attribute cannot always place a new item beside a handler (an associated function sits
//! inside an `impl` block), so it spells the scope list as a type built only from this module's
//! items and integer const parameters. Each name is packed into four `u128` chunks, little-endian,
//! and unpacked during constant evaluation: no scope name is parsed or allocated per request.

use crate::scope::{Permissions, RequiredScope};

/// The maximum length of a scope name in the type encoding, in bytes.
pub const MAX_SCOPE_NAME_LEN: usize = 64;

/// A list of required scopes known at compile time.
pub trait ScopeSet: Send + Sync + 'static {
    /// The scopes, in the order the attributes listed them.
    const SCOPES: &'static [RequiredScope];
}

/// One scope of a [`ScopeSet`].
pub trait ScopeItem {
    /// The scope this type stands for.
    const SCOPE: RequiredScope;
}

/// A scope name of `LEN` bytes packed into `C0..C3`, with the flag bits `FLAGS`.
#[derive(Debug)]
pub struct Scope<
    const LEN: usize,
    const FLAGS: u8,
    const C0: u128,
    const C1: u128,
    const C2: u128,
    const C3: u128,
>;

impl<
    const LEN: usize,
    const FLAGS: u8,
    const C0: u128,
    const C1: u128,
    const C2: u128,
    const C3: u128,
> Scope<LEN, FLAGS, C0, C1, C2, C3>
{
    const BYTES: &'static [u8; MAX_SCOPE_NAME_LEN] = &unpack([C0, C1, C2, C3]);
}

impl<
    const LEN: usize,
    const FLAGS: u8,
    const C0: u128,
    const C1: u128,
    const C2: u128,
    const C3: u128,
> ScopeItem for Scope<LEN, FLAGS, C0, C1, C2, C3>
{
    const SCOPE: RequiredScope =
        RequiredScope::new(name_of(Self::BYTES, LEN), Permissions::from_bits(FLAGS));
}

const fn unpack(chunks: [u128; 4]) -> [u8; MAX_SCOPE_NAME_LEN] {
    let mut bytes = [0; MAX_SCOPE_NAME_LEN];
    let mut i = 0;
    while i < MAX_SCOPE_NAME_LEN {
        bytes[i] = (chunks[i / 16] >> ((i % 16) * 8)) as u8;
        i += 1;
    }
    bytes
}

const fn name_of(bytes: &'static [u8; MAX_SCOPE_NAME_LEN], len: usize) -> &'static str {
    assert!(len <= MAX_SCOPE_NAME_LEN, "scope name longer than 64 bytes");
    let (name, _) = bytes.split_at(len);
    match core::str::from_utf8(name) {
        Ok(name) => name,
        Err(_) => panic!("scope name is not UTF-8"),
    }
}

impl ScopeSet for () {
    const SCOPES: &'static [RequiredScope] = &[];
}

macro_rules! scope_set_for_tuple {
    ($($item:ident),+) => {
        impl<$($item: ScopeItem + Send + Sync + 'static),+> ScopeSet for ($($item,)+) {
            const SCOPES: &'static [RequiredScope] = &[$($item::SCOPE),+];
        }
    };
}

scope_set_for_tuple!(A);
scope_set_for_tuple!(A, B);
scope_set_for_tuple!(A, B, C);
scope_set_for_tuple!(A, B, C, D);
scope_set_for_tuple!(A, B, C, D, E);
scope_set_for_tuple!(A, B, C, D, E, F);
scope_set_for_tuple!(A, B, C, D, E, F, G);
scope_set_for_tuple!(A, B, C, D, E, F, G, H);
scope_set_for_tuple!(A, B, C, D, E, F, G, H, I);
scope_set_for_tuple!(A, B, C, D, E, F, G, H, I, J);
scope_set_for_tuple!(A, B, C, D, E, F, G, H, I, J, K);
scope_set_for_tuple!(A, B, C, D, E, F, G, H, I, J, K, L);

#[cfg(test)]
mod tests {
    use super::*;

    // "profile" packed little-endian: b'p' is the lowest byte.
    type ProfileRead = Scope<7, 1, 0x0065_6c69_666f_7270, 0, 0, 0>;

    #[test]
    fn unpacks_name_and_flags() {
        let scopes = <(ProfileRead,)>::SCOPES;
        assert_eq!(scopes, &[RequiredScope::new("profile", Permissions::READ)]);
    }

    #[test]
    fn empty_set_has_no_scopes() {
        assert!(<()>::SCOPES.is_empty());
    }

    #[test]
    fn name_spans_chunks() {
        let long = "a".repeat(20);
        type Twenty = Scope<20, 8, { u128::from_le_bytes([b'a'; 16]) }, 0x6161_6161, 0, 0>;
        assert_eq!(Twenty::SCOPE.name(), long);
        assert_eq!(Twenty::SCOPE.permissions(), Permissions::DELETE);
    }
}
