//! Content digests (`sha256:<hex>`, `sha512:<hex>`): parsed strictly, and computed over a
//! stream. Every layer blob and every decompressed layer is checked against one of these; a
//! digest we cannot check is an error, never a silent skip.

use anyhow::{Result, bail};
use sha2::{Digest as _, Sha256, Sha512};

/// The digest algorithms the OCI image spec registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Sha256,
    Sha512,
}

impl Algorithm {
    fn hex_len(self) -> usize {
        match self {
            Algorithm::Sha256 => 64,
            Algorithm::Sha512 => 128,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }
}

/// A digest string that has been checked to be `<sha256|sha512>:<lowercase hex of the right
/// length>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedDigest {
    pub algorithm: Algorithm,
    text: String,
}

impl ExpectedDigest {
    /// Parses `digest`; `what` names it in the error (`diff_id`, `digest`).
    pub fn parse(digest: &str, what: &str) -> Result<ExpectedDigest> {
        let Some((alg, hex)) = digest.split_once(':') else {
            bail!("malformed {what} {digest:?} (expected sha256:<hex>)");
        };
        let algorithm = match alg {
            "sha256" => Algorithm::Sha256,
            "sha512" => Algorithm::Sha512,
            _ => bail!("{what} {digest:?} uses an unsupported algorithm (sha256 and sha512 are)"),
        };
        if hex.len() != algorithm.hex_len()
            || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            bail!(
                "malformed {what} {digest:?} (expected {}:<{} lowercase hex digits>)",
                algorithm.name(),
                algorithm.hex_len()
            );
        }
        Ok(ExpectedDigest {
            algorithm,
            text: digest.to_string(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Hashes a stream with the algorithm of the digest it will be compared with.
#[derive(Clone)]
pub enum StreamHasher {
    Sha256(Sha256),
    Sha512(Sha512),
}

impl StreamHasher {
    pub fn new(algorithm: Algorithm) -> StreamHasher {
        match algorithm {
            Algorithm::Sha256 => StreamHasher::Sha256(Sha256::new()),
            Algorithm::Sha512 => StreamHasher::Sha512(Sha512::new()),
        }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            StreamHasher::Sha256(h) => h.update(bytes),
            StreamHasher::Sha512(h) => h.update(bytes),
        }
    }

    /// `<algorithm>:<hex>` of everything hashed.
    pub fn finish(self) -> String {
        match self {
            StreamHasher::Sha256(h) => format!("sha256:{}", hex::encode(h.finalize())),
            StreamHasher::Sha512(h) => format!("sha512:{}", hex::encode(h.finalize())),
        }
    }

    /// Fails with `<what> mismatch: expected …, got …` unless the stream hashed to `expected`.
    pub fn verify(self, expected: &ExpectedDigest, what: &str) -> Result<()> {
        let actual = self.finish();
        if actual != expected.as_str() {
            bail!(
                "{what} mismatch: expected {}, got {actual}",
                expected.as_str()
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_well_formed_sha256_and_sha512() {
        let hex64 = "a".repeat(64);
        assert!(ExpectedDigest::parse(&format!("sha256:{hex64}"), "diff_id").is_ok());
        let hex128 = "0".repeat(128);
        assert_eq!(
            ExpectedDigest::parse(&format!("sha512:{hex128}"), "diff_id")
                .unwrap()
                .algorithm,
            Algorithm::Sha512
        );
        for bad in [
            String::new(),
            hex64.clone(),
            format!("md5:{hex64}"),
            format!("sha256:{}", "A".repeat(64)),
            format!("sha256:{}", "a".repeat(63)),
            format!("sha512:{hex64}"),
            "sha256:".to_string(),
        ] {
            let err = ExpectedDigest::parse(&bad, "diff_id").unwrap_err();
            assert!(err.to_string().contains("diff_id"), "{bad}: {err}");
        }
    }

    #[test]
    fn verifies_both_algorithms() {
        let mut h = StreamHasher::new(Algorithm::Sha512);
        h.update(b"abc");
        let sha512_abc = "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
                          2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
        let expected = ExpectedDigest::parse(sha512_abc, "digest").unwrap();
        h.clone().verify(&expected, "digest").unwrap();
        h.update(b"d");
        let err = h.verify(&expected, "digest").unwrap_err().to_string();
        assert!(
            err.starts_with("digest mismatch: expected sha512:ddaf"),
            "{err}"
        );
    }
}
