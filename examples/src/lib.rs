//! Routers shared by the runnable examples in `examples/` and by the end-to-end tests, so the
//! tests exercise exactly what the examples serve.

pub mod app_state;
pub mod quickstart;
