//! `--ci`: dive's three rules (`lowestEfficiency`, `highestWastedBytes`,
//! `highestUserWastedPercent`) from `.dive-ci` or flags, evaluated exactly as dive does (strict
//! comparisons), reported as text or SARIF 2.1.0; and imgdive's own: `highestImageBytes`,
//! `highestLayerCount`, `highestLayerBytes`, `highestReclaimableBytes` (disabled unless set),
//! `secrets` (`fail` by default, `warn`, `off`) and `ignorePaths` (globs whose files count in no
//! waste figure: wasted bytes, the user-wasted ratio, reclaimable bytes; dive's efficiency score
//! is left as dive computes it).
//!
//! `config` reads the rules, this module evaluates them, `report` writes the verdicts.

mod config;
mod report;

pub use config::*;
pub use report::*;

use crate::image::escape_name;
use crate::image::model::Image;
use crate::image::secrets::Secret;

/// The waste figures the rules compare, `ignorePaths` taken out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Waste {
    pub wasted_bytes: u64,
    pub user_wasted_percent: f64,
    pub reclaimable_bytes: u64,
}

pub fn waste(image: &Image, rules: &CiRules) -> Waste {
    let m = &image.metrics;
    let all = Waste {
        wasted_bytes: m.wasted_bytes,
        user_wasted_percent: m.user_wasted_percent,
        reclaimable_bytes: m.reclaimable_bytes,
    };
    let Ok(globs) = build_globs(&rules.ignore_paths) else {
        return all;
    };
    if globs.is_empty() {
        return all;
    }
    let wasted_bytes: u64 = m
        .inefficient
        .iter()
        .filter(|p| !ignored(&globs, &p.path))
        .map(|p| p.bytes)
        .sum();
    let reclaimable_bytes = m
        .reclaimable
        .iter()
        .filter(|r| !ignored(&globs, &r.path))
        .map(|r| r.bytes)
        .sum();
    // The ratio's denominator (bytes above the first layer) does not depend on the paths.
    let user_wasted_percent = if m.wasted_bytes == 0 {
        0.0
    } else {
        m.user_wasted_percent * wasted_bytes as f64 / m.wasted_bytes as f64
    };
    Waste {
        wasted_bytes,
        user_wasted_percent,
        reclaimable_bytes,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    Skip,
    Warn,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Skip => "SKIP",
            Status::Warn => "WARN",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RuleResult {
    pub rule: &'static str,
    pub status: Status,
    pub message: String,
}

/// Evaluates dive's rules exactly as dive's `ci/rules.go` does (with `ignorePaths` taken out of
/// the waste figures), then imgdive's; `secrets` is `None` when the image was not scanned.
pub fn evaluate(image: &Image, rules: &CiRules) -> Vec<RuleResult> {
    evaluate_with_secrets(image, rules, None)
}

pub fn evaluate_with_secrets(
    image: &Image,
    rules: &CiRules,
    secrets: Option<&[Secret]>,
) -> Vec<RuleResult> {
    let mut out = evaluate_dive(image, rules);
    let waste = waste(image, rules);
    let largest = image.layers.iter().max_by_key(|l| l.size);
    let mut limit = |rule: &'static str, threshold: Option<u64>, value: u64, what: String| {
        out.push(match threshold {
            None => skip(rule),
            Some(t) if value > t => RuleResult {
                rule,
                status: Status::Fail,
                message: format!("{what} (value={value} > threshold={t})"),
            },
            Some(_) => pass(rule),
        })
    };
    limit(
        "highestImageBytes",
        rules.highest_image_bytes,
        image.metrics.total_size,
        format!(
            "the image is too large: {}",
            human(image.metrics.total_size)
        ),
    );
    limit(
        "highestLayerCount",
        rules.highest_layer_count,
        image.layers.len() as u64,
        format!("too many layers: {}", image.layers.len()),
    );
    limit(
        "highestLayerBytes",
        rules.highest_layer_bytes,
        largest.map_or(0, |l| l.size),
        largest.map_or_else(String::new, |l| {
            format!("layer {} is too large: {}", l.index, human(l.size))
        }),
    );
    limit(
        "highestReclaimableBytes",
        rules.highest_reclaimable_bytes,
        waste.reclaimable_bytes,
        format!(
            "too many bytes stored but hidden by later layers: {}",
            human(waste.reclaimable_bytes)
        ),
    );
    out.push(match (rules.secrets, secrets) {
        (SecretsLevel::Off, _) | (_, None) => skip("secrets"),
        (_, Some([])) => pass("secrets"),
        (level, Some(found)) => RuleResult {
            rule: "secrets",
            status: if level == SecretsLevel::Fail {
                Status::Fail
            } else {
                Status::Warn
            },
            message: format!(
                "{} secret(s) in the image: {}",
                found.len(),
                found
                    .iter()
                    .map(|s| format!("{} at {}", s.kind, escape_name(&s.location)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    });
    out
}

/// dive's three rules.
fn evaluate_dive(image: &Image, rules: &CiRules) -> Vec<RuleResult> {
    let m = &image.metrics;
    let waste = waste(image, rules);
    let mut out = Vec::new();
    out.push(match rules.lowest_efficiency {
        None => skip("lowestEfficiency"),
        Some(t) if t > m.efficiency => RuleResult {
            rule: "lowestEfficiency",
            status: Status::Fail,
            message: format!(
                "image efficiency is too low (efficiency={} < threshold={})",
                fmt_num(m.efficiency),
                fmt_num(t)
            ),
        },
        Some(_) => pass("lowestEfficiency"),
    });
    out.push(match rules.highest_wasted_bytes {
        None => skip("highestWastedBytes"),
        Some(t) if waste.wasted_bytes > t => RuleResult {
            rule: "highestWastedBytes",
            status: Status::Fail,
            message: format!(
                "too many bytes wasted (wasted-bytes={} > threshold={})",
                waste.wasted_bytes, t
            ),
        },
        Some(_) => pass("highestWastedBytes"),
    });
    out.push(match rules.highest_user_wasted_percent {
        None => skip("highestUserWastedPercent"),
        Some(t) if waste.user_wasted_percent > t => RuleResult {
            rule: "highestUserWastedPercent",
            status: Status::Fail,
            message: format!(
                "too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes={} > threshold={})",
                fmt_num(waste.user_wasted_percent),
                fmt_num(t)
            ),
        },
        Some(_) => pass("highestUserWastedPercent"),
    });
    out
}

/// `imgdive diff --ci`'s rule: B may not be more than the threshold bigger than A (strictly, as
/// dive's rules compare).
pub fn evaluate_size_increase(a_size: u64, b_size: u64, limit: Option<SizeLimit>) -> RuleResult {
    let rule = "highestSizeIncrease";
    let growth = b_size as i128 - a_size as i128;
    let (fails, threshold) = match limit {
        None => return skip(rule),
        Some(SizeLimit::Bytes(t)) => (growth > t as i128, format!("{t} bytes")),
        Some(SizeLimit::Percent(p)) => {
            let allowed = a_size as f64 * p / 100.0;
            (growth as f64 > allowed, format!("{p}% of {a_size} bytes"))
        }
    };
    if fails {
        RuleResult {
            rule,
            status: Status::Fail,
            message: format!(
                "the image grew too much (size-increase={growth} bytes > threshold={threshold})"
            ),
        }
    } else {
        pass(rule)
    }
}

fn fmt_num(v: f64) -> String {
    format!("{v:.4}")
}

fn pass(rule: &'static str) -> RuleResult {
    RuleResult {
        rule,
        status: Status::Pass,
        message: String::new(),
    }
}

fn skip(rule: &'static str) -> RuleResult {
    RuleResult {
        rule,
        status: Status::Skip,
        message: "rule disabled".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sizes_like_go_humanize() {
        assert_eq!(parse_bytes("20MB").unwrap(), Some(20_000_000));
        assert_eq!(parse_bytes("20MiB").unwrap(), Some(20 * 1024 * 1024));
        assert_eq!(parse_bytes("1.5 kB").unwrap(), Some(1500));
        assert_eq!(parse_bytes("1,000").unwrap(), Some(1000));
        assert_eq!(parse_bytes("disabled").unwrap(), None);
        assert!(parse_bytes("12 parsecs").is_err());
    }

    #[test]
    fn reads_dive_ci_files_in_both_spellings() {
        let rules = CiRules::from_yaml(
            "rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: disabled\n",
        )
        .unwrap();
        assert_eq!(rules.lowest_efficiency, Some(0.95));
        assert_eq!(rules.highest_wasted_bytes, Some(20_000_000));
        assert_eq!(rules.highest_user_wasted_percent, None);
        let kebab = CiRules::from_yaml("rules:\n  lowest-efficiency: 0.5\n").unwrap();
        assert_eq!(kebab.lowest_efficiency, Some(0.5));
        assert_eq!(kebab.highest_user_wasted_percent, Some(0.1));
        assert!(CiRules::from_yaml("rules:\n  nonsense: 1\n").is_err());
    }
}
