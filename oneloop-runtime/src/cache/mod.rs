//! A verdict cache in front of any verifier, with shared in-flight verifications.

mod builder;
mod in_flight;
mod key;
mod verifier;

pub use builder::CachedVerifierBuilder;
pub use verifier::CachedVerifier;
