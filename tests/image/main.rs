//! imgdive's integration tests, one test binary: the analysis core on images built in the test
//! (`analysis`), and real sources, registries, a Docker-API socket and the binary on images
//! built by buildah (`support` builds and caches them).

mod analysis;
mod bad_input;
mod bridge;
mod cli;
mod config;
mod daemon;
mod diff;
mod extract;
mod hostile;
mod imglint_container;
mod million;
#[path = "../shared/planted.rs"]
mod planted;
mod podman_source;
mod registry;
#[path = "../shared/sarif.rs"]
mod sarif;
mod snapshots;
mod sources;
mod support;
