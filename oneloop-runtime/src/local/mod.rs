//! The embedded key store: verification without a Oneloop account.

mod entry;
mod file;
mod mint;
mod store;
mod time;

pub use entry::{KeyDigest, LocalKey};
pub use file::LoadError;
pub use mint::MintedKey;
pub use store::{DuplicateKey, LocalVerifier};
