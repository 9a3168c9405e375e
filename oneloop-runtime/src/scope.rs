//! Scopes a route requires and scopes a key holds.

use std::fmt;

/// A set of the four Oneloop permission flags.
///
/// Oneloop spells the delete flag `del` on the wire; this crate calls it `DELETE` everywhere else.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Permissions(u8);

impl Permissions {
    /// No flag.
    pub const NONE: Self = Self(0);
    /// The `read` flag.
    pub const READ: Self = Self(1);
    /// The `create` flag.
    pub const CREATE: Self = Self(1 << 1);
    /// The `update` flag.
    pub const UPDATE: Self = Self(1 << 2);
    /// The `delete` flag (`del` on the wire).
    pub const DELETE: Self = Self(1 << 3);
    /// All four flags.
    pub const ALL: Self = Self(0b1111);

    const NAMED: [(Self, &'static str); 4] = [
        (Self::READ, "read"),
        (Self::CREATE, "create"),
        (Self::UPDATE, "update"),
        (Self::DELETE, "delete"),
    ];

    /// Builds a set from its bit representation, dropping unknown bits.
    #[must_use]
    pub const fn from_bits(bits: u8) -> Self {
        Self(bits & Self::ALL.0)
    }

    /// Returns the bit representation: `READ` is 1, `CREATE` 2, `UPDATE` 4, `DELETE` 8.
    #[must_use]
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// Returns the union of two sets.
    #[must_use]
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Returns whether every flag in `other` is also in `self`.
    #[must_use]
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Returns whether the set is empty.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Iterates over the names of the flags in the set, in the order read, create, update, delete.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMED
            .into_iter()
            .filter(move |(flag, _)| self.contains(*flag))
            .map(|(_, name)| name)
    }
}

impl std::ops::BitOr for Permissions {
    type Output = Self;

    fn bitor(self, other: Self) -> Self {
        self.union(other)
    }
}

impl fmt::Debug for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

/// A scope a route requires: a scope name and the flags the key must hold on it.
///
/// The `#[oneloop]` attribute builds these at compile time as `'static` data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequiredScope {
    name: &'static str,
    permissions: Permissions,
}

impl RequiredScope {
    /// Builds a required scope from its name and flags.
    #[must_use]
    pub const fn new(name: &'static str, permissions: Permissions) -> Self {
        Self { name, permissions }
    }

    /// Returns the scope's name, such as `profile`.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Returns the flags the key must hold on this scope.
    #[must_use]
    pub const fn permissions(&self) -> Permissions {
        self.permissions
    }
}

/// A scope a key holds, as a verifier reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantedScope {
    name: String,
    permissions: Permissions,
}

impl GrantedScope {
    /// Builds a granted scope from its name and flags.
    pub fn new(name: impl Into<String>, permissions: Permissions) -> Self {
        Self {
            name: name.into(),
            permissions,
        }
    }

    /// Returns the scope's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Returns the flags the key holds on this scope.
    #[must_use]
    pub fn permissions(&self) -> Permissions {
        self.permissions
    }
}

/// Returns whether `granted` satisfies every scope in `required`.
///
/// A required scope is satisfied when the key has a scope with the same name and every required
/// flag on it, even when no flag is required. Flags may be spread over several granted entries
/// with the same name.
#[must_use]
pub fn satisfies(granted: &[GrantedScope], required: &[RequiredScope]) -> bool {
    required.iter().all(|needed| {
        let mut matching = granted.iter().filter(|scope| scope.name == needed.name);
        let Some(first) = matching.next() else {
            return false;
        };
        let held = matching.fold(first.permissions, |acc, scope| acc | scope.permissions);
        held.contains(needed.permissions)
    })
}

/// Formats required scopes as an RFC 6750 `scope` value: `name:flag` tokens separated by spaces.
pub(crate) fn challenge_scope(required: &[RequiredScope]) -> String {
    let tokens = required.iter().flat_map(|scope| {
        scope
            .permissions
            .names()
            .map(move |flag| format!("{}:{flag}", scope.name))
    });
    tokens.collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE_READ: RequiredScope = RequiredScope::new("profile", Permissions::READ);

    #[test]
    fn satisfies_matching_flag() {
        let granted = [GrantedScope::new(
            "profile",
            Permissions::READ | Permissions::UPDATE,
        )];
        assert!(satisfies(&granted, &[PROFILE_READ]));
    }

    #[test]
    fn satisfies_rejects_missing_flag() {
        let granted = [GrantedScope::new("profile", Permissions::UPDATE)];
        assert!(!satisfies(&granted, &[PROFILE_READ]));
    }

    #[test]
    fn satisfies_rejects_other_name() {
        let granted = [GrantedScope::new("billing", Permissions::ALL)];
        assert!(!satisfies(&granted, &[PROFILE_READ]));
    }

    #[test]
    fn satisfies_requires_name_without_flags() {
        let admin = [RequiredScope::new("admin", Permissions::NONE)];
        assert!(!satisfies(&[], &admin));
        assert!(satisfies(
            &[GrantedScope::new("admin", Permissions::NONE)],
            &admin
        ));
    }

    #[test]
    fn satisfies_merges_entries_with_one_name() {
        let granted = [
            GrantedScope::new("profile", Permissions::READ),
            GrantedScope::new("profile", Permissions::UPDATE),
        ];
        let both = [RequiredScope::new(
            "profile",
            Permissions::READ | Permissions::UPDATE,
        )];
        assert!(satisfies(&granted, &both));
    }

    #[test]
    fn satisfies_empty_requirement() {
        assert!(satisfies(&[], &[]));
    }

    #[test]
    fn challenge_lists_each_flag() {
        let update = RequiredScope::new("billing", Permissions::READ | Permissions::DELETE);
        assert_eq!(
            challenge_scope(&[PROFILE_READ, update]),
            "profile:read billing:read billing:delete"
        );
    }
}
