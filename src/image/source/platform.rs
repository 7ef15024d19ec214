//! Picking one image from a multi-platform index: one resolver for every source (OCI layouts,
//! archives, registries), so `--platform` picks the same image from the same index wherever it
//! is stored.

use anyhow::{Result, bail};

/// A platform to pick from a multi-platform index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

impl Platform {
    /// Parses `os/arch[/variant]`; `None` gives this machine's platform.
    pub fn parse_or_host(spec: Option<&str>) -> Result<Platform> {
        let Some(spec) = spec else {
            return Ok(Platform::host());
        };
        let parts: Vec<&str> = spec.split('/').collect();
        match parts.as_slice() {
            [os, arch] if !os.is_empty() && !arch.is_empty() => Ok(Platform {
                os: os.to_string(),
                architecture: arch.to_string(),
                variant: None,
            }),
            [os, arch, variant] if !os.is_empty() && !arch.is_empty() && !variant.is_empty() => {
                Ok(Platform {
                    os: os.to_string(),
                    architecture: arch.to_string(),
                    variant: Some(variant.to_string()),
                })
            }
            _ => bail!("{spec:?} is not os/arch[/variant] (e.g. linux/arm64)"),
        }
    }

    /// `linux/<this machine's architecture>`, named as image indexes name platforms. The OS is
    /// linux on every host: container images are Linux images (a Mac runs them in a Linux VM),
    /// so `macos/arm64` would match nothing.
    pub fn host() -> Platform {
        Platform::for_arch(std::env::consts::ARCH)
    }

    fn for_arch(rust_arch: &str) -> Platform {
        let (architecture, variant) = match rust_arch {
            "x86_64" => ("amd64", None),
            "aarch64" => ("arm64", None),
            "x86" => ("386", None),
            "arm" => ("arm", Some("v7")),
            "powerpc64" => ("ppc64le", None),
            "s390x" => ("s390x", None),
            "riscv64" => ("riscv64", None),
            other => (other, None),
        };
        Platform {
            os: "linux".to_string(),
            architecture: architecture.to_string(),
            variant: variant.map(str::to_string),
        }
    }

    /// Whether an index entry's platform is this one. A wanted variant must match the entry's;
    /// an entry without a variant matches any (arm64 images usually omit `v8`).
    pub fn matches(&self, os: &str, architecture: &str, variant: Option<&str>) -> bool {
        os == self.os
            && architecture == self.architecture
            && match (&self.variant, variant) {
                (Some(wanted), Some(have)) => wanted == have,
                _ => true,
            }
    }

    /// The position of the entry to pick among index entries' platforms (`None` for an entry
    /// that states none): the first that matches; else the first that states no platform (a
    /// single-image layout often does not). `unknown/unknown` entries (attestations) never.
    pub fn choose<'a>(
        &self,
        platforms: impl IntoIterator<Item = Option<(&'a str, &'a str, Option<&'a str>)>>,
    ) -> Option<usize> {
        let mut without_platform = None;
        for (index, platform) in platforms.into_iter().enumerate() {
            match platform {
                Some((os, arch, variant)) => {
                    if os != "unknown" && self.matches(os, arch, variant) {
                        return Some(index);
                    }
                }
                None => {
                    without_platform.get_or_insert(index);
                }
            }
        }
        without_platform
    }
}

/// An index's platforms for a message: `linux/amd64, linux/arm/v7, unknown/unknown
/// (attestation), none stated`.
pub fn list_platforms<'a>(
    platforms: impl IntoIterator<Item = Option<(&'a str, &'a str, Option<&'a str>)>>,
) -> String {
    let listed: Vec<String> = platforms
        .into_iter()
        .map(|platform| match platform {
            Some(("unknown", arch, _)) => format!("unknown/{arch} (attestation)"),
            Some((os, arch, Some(variant))) => format!("{os}/{arch}/{variant}"),
            Some((os, arch, None)) => format!("{os}/{arch}"),
            None => "none stated".to_string(),
        })
        .collect();
    if listed.is_empty() {
        "no entries".to_string()
    } else {
        listed.join(", ")
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(variant) = &self.variant {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_platforms() {
        let p = Platform::parse_or_host(Some("linux/arm64/v8")).unwrap();
        assert_eq!(p.variant.as_deref(), Some("v8"));
        assert!(Platform::parse_or_host(Some("linux")).is_err());
        assert!(Platform::parse_or_host(Some("linux//")).is_err());
        assert_eq!(Platform::parse_or_host(None).unwrap(), Platform::host());
    }

    #[test]
    fn the_default_is_linux_on_every_host() {
        assert_eq!(Platform::host().os, "linux");
        assert_eq!(Platform::for_arch("aarch64").to_string(), "linux/arm64");
        assert_eq!(Platform::for_arch("arm").to_string(), "linux/arm/v7");
    }

    #[test]
    fn lists_an_indexs_platforms() {
        assert_eq!(
            list_platforms([
                Some(("linux", "amd64", None)),
                Some(("linux", "arm", Some("v7"))),
                Some(("unknown", "unknown", None)),
                None,
            ]),
            "linux/amd64, linux/arm/v7, unknown/unknown (attestation), none stated"
        );
    }

    #[test]
    fn chooses_the_first_match_then_an_entry_without_platform() {
        let arm = Platform::parse_or_host(Some("linux/arm64/v8")).unwrap();
        let entries = [
            Some(("unknown", "unknown", None)),
            None,
            Some(("linux", "amd64", None)),
            Some(("linux", "arm64", Some("v7"))),
            Some(("linux", "arm64", None)),
        ];
        assert_eq!(
            arm.choose(entries),
            Some(4),
            "a variant-less entry matches v8"
        );
        let amd = Platform::parse_or_host(Some("linux/amd64")).unwrap();
        assert_eq!(amd.choose(entries), Some(2));
        let s390 = Platform::parse_or_host(Some("linux/s390x")).unwrap();
        assert_eq!(
            s390.choose(entries),
            Some(1),
            "no match: the entry without platform"
        );
        assert_eq!(s390.choose([Some(("linux", "amd64", None))]), None);
    }
}
