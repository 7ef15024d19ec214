//! imgdive's integration tests, one test binary: the analysis core on images built in the test
//! (`analysis`), and real sources, registries, a Docker-API socket and the binary on images
//! built by buildah (`support` builds and caches them).

mod analysis;
mod archives;
mod bad_input;
mod bridge;
mod cache;
mod cli;
mod config;
mod daemon;
mod diff;
mod extract;
mod hostile;
mod imglint_container;
mod local_stores;
mod million;
mod one_pass;
#[path = "../shared/planted.rs"]
mod planted;
mod podman_source;
mod registry;
#[path = "../shared/sarif.rs"]
mod sarif;
mod snapshots;
mod sources;
mod support;
