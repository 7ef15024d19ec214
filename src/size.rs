//! Sizes written by people: `16M`, `20MB`, `1.5 kB`, `20MiB`, `1,000`. One parser for both
//! tools: `KB`, `MB`… are decimal and `KiB`, `MiB`… binary, as dive and the IEC have it; a bare
//! `K`, `M`… follows the caller's convention (imglint's `--max-file-size 16M` is binary, like
//! hadolint-era tools; imgdive's `.dive-ci` sizes are decimal, like dive's).

/// What a unit letter without `B` or `iB` (`16M`) means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BareUnit {
    /// Powers of 1024.
    Binary,
    /// Powers of 1000.
    Decimal,
}

/// The number of bytes `text` names. The error is one phrase naming the text.
pub fn parse_size(text: &str, bare: BareUnit) -> Result<u64, String> {
    let cleaned = text.trim().replace(',', "");
    let split = cleaned
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(cleaned.len());
    let (number, unit) = cleaned.split_at(split);
    let not_a_size = || format!("{text:?} is not a size like 16M, 20MB or 20MiB");
    let number: f64 = number.parse().map_err(|_| not_a_size())?;
    let unit = unit.trim().to_ascii_lowercase();
    let (letter, rest) = match unit.chars().next() {
        Some(c) => unit.split_at(c.len_utf8()),
        None => ("", ""),
    };
    let power = match letter {
        "" | "b" if rest.is_empty() => 0,
        "k" => 1,
        "m" => 2,
        "g" => 3,
        "t" => 4,
        "p" => 5,
        "e" => 6,
        _ => return Err(format!("{text:?}: unknown size unit {unit:?}")),
    };
    let base: f64 = match (rest, bare) {
        ("" | "b", _) if power == 0 => 1.0,
        ("", BareUnit::Binary) | ("i" | "ib", _) => 1024.0,
        ("", BareUnit::Decimal) | ("b", _) => 1000.0,
        _ => return Err(format!("{text:?}: unknown size unit {unit:?}")),
    };
    let bytes = number * base.powi(power);
    if !bytes.is_finite() || bytes >= u64::MAX as f64 {
        return Err(format!("{text:?} is too large"));
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_conventions() {
        let binary = |t| parse_size(t, BareUnit::Binary);
        let decimal = |t| parse_size(t, BareUnit::Decimal);
        assert_eq!(binary("16M"), Ok(16 << 20));
        assert_eq!(decimal("16M"), Ok(16_000_000));
        assert_eq!(binary("20MB"), Ok(20_000_000));
        assert_eq!(decimal("20MiB"), Ok(20 << 20));
        assert_eq!(binary("512"), Ok(512));
        assert_eq!(decimal("1.5 kB"), Ok(1500));
        assert_eq!(decimal("1,000"), Ok(1000));
        assert_eq!(binary("64GiB"), Ok(64 << 30));
        assert!(binary("12 parsecs").is_err());
        assert!(binary("M").is_err());
        assert!(binary("99999999999E").is_err());
        assert!(binary("5Mx").is_err());
    }
}
