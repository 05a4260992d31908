//! dct's integration tests: one test binary (linking the crate once), one module per area and
//! one shared `support` module. See README.md ("Tests and the harness") for what each proves.
//!
//! The real-server harness (`support::servers()`, `support::auth_servers()`) is started once for
//! the whole binary and shared by every test, in parallel: a test that writes to it uses a
//! repository name of its own (`support::unique`), and nothing may assume an empty server or
//! count requests in the servers' logs.

mod support;

mod auth;
mod backup;
mod bundle;
mod canonical;
mod changelist;
mod cli;
mod concurrency;
mod faults;
mod field;
mod hostile;
mod interop;
mod interrupt;
mod json;
mod keys;
mod legacy_keys;
mod lookup;
mod migrate;
mod pin;
mod pkcs11;
mod progress;
mod prompts;
mod publish_retry;
mod pull;
mod push;
mod registry;
mod remote;
mod retired;
mod rotate;
mod sign;
