//! The client for the hosted Oneloop service.

mod builder;
mod client;
mod wire;

pub use builder::{BuildError, OneloopBuilder};
pub use client::Oneloop;
