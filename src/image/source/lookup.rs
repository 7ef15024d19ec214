//! A bare `image:tag`: found where the user keeps it. The places are asked in order — the
//! Docker daemon (`DOCKER_HOST`, the Docker context or the default socket), podman's sockets
//! (rootless, rootful), containerd, then the registry — each only if it answers, and the first that holds
//! the image is read. The caller is told where it was found; when no place has it, the error
//! names every place tried and why it was passed over.

use anyhow::{Result, bail};

use super::daemon;
use super::endpoints::{self, Endpoint, Probe};
use super::{ImageSource, SourceOptions, containerd, registry};

/// Opens `reference` from the first place that holds it; `note` gets one line saying where.
pub fn open(
    reference: &str,
    options: &SourceOptions,
    note: &mut dyn FnMut(&str),
) -> Result<Box<dyn ImageSource>> {
    // In order: a place to ask, or why it is passed over without asking.
    let mut places: Vec<Result<(&str, Endpoint), String>> = vec![
        endpoints::docker()
            .map(|endpoint| ("Docker", endpoint))
            .map_err(|e| format!("Docker: {e:#}")),
    ];
    let podman = endpoints::podman();
    if podman.is_empty() {
        places.push(Err(format!(
            "podman: no socket ($XDG_RUNTIME_DIR/podman/podman.sock, {})",
            endpoints::ROOTFUL_PODMAN_SOCKET
        )));
    }
    places.extend(podman.into_iter().map(|endpoint| Ok(("podman", endpoint))));

    let mut passed_over: Vec<String> = Vec::new();
    let mut asked_hosts: Vec<String> = Vec::new();
    for place in places {
        let (name, endpoint) = match place {
            Ok(place) => place,
            Err(why) => {
                passed_over.push(why);
                continue;
            }
        };
        // podman's socket is often the Docker socket too (podman-docker): ask it once.
        if asked_hosts.contains(&endpoint.host) {
            continue;
        }
        asked_hosts.push(endpoint.host.clone());
        match daemon::probe(&endpoint.host, reference) {
            Probe::Holds => {
                note(&format!("{reference}: found in {name} at {endpoint}"));
                let scheme = if name == "podman" { "podman" } else { "daemon" };
                return daemon::open_as(
                    format!("{scheme}://{reference}"),
                    &endpoint.host,
                    reference,
                    options,
                );
            }
            Probe::Lacks => passed_over.push(format!("{name} at {endpoint}: no such image")),
            Probe::Silent(why) => passed_over.push(format!("{name} at {endpoint}: {why}")),
        }
    }
    let socket = containerd::address();
    let namespace = containerd::namespace(options);
    let place = format!(
        "containerd at {} (namespace {namespace:?})",
        socket.display()
    );
    match containerd::probe(&socket, reference, options) {
        Probe::Holds => {
            note(&format!("{reference}: found in {place}"));
            return containerd::open_at(&socket, reference, options);
        }
        Probe::Lacks => passed_over.push(format!("{place}: no such image")),
        Probe::Silent(why) => passed_over.push(format!("{place}: {why}")),
    }
    match registry::open(reference, options) {
        Ok(image) => {
            note(&format!("{reference}: pulled from the registry"));
            Ok(image)
        }
        Err(e) => {
            passed_over.push(format!("registry: {}", one_line(&format!("{e:#}"))));
            bail!("{reference}: not found; tried {}", passed_over.join("; "))
        }
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
