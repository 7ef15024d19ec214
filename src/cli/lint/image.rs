//! `--image`: a Dockerfile's findings checked against the image built from it.

use super::*;

/// `--image`: the one Dockerfile's findings checked against the image built from it.
#[cfg(feature = "imgdive")]
pub(super) fn prove_with_image(
    args: &Args,
    source: &str,
    linted: &mut [engine::LintedFile],
) -> Result<(), Fatal> {
    use crate::image::{attribution, ci, proof, source as image_source};
    let [file] = linted else {
        return Err(Fatal(format!(
            "--image checks one Dockerfile against one image, not {} files",
            linted.len()
        )));
    };
    let threshold = ci::parse_bytes(&args.image_waste_threshold)
        .map_err(|e| Fatal(format!("--image-waste-threshold: {e:#}")))?
        .unwrap_or(u64::MAX);
    let image = image_source::SourceSpec::parse(source)
        .and_then(|spec| image_source::open(&spec, &image_source::SourceOptions::default()))
        .and_then(|opened| {
            crate::image::analyze(opened.as_ref(), &crate::image::AnalyzeOptions::default())
        })
        .map_err(|e| Fatal(format!("--image {source}: {e:#}")))?;
    let dockerfile = crate::dockerfile::parse(&file.source);
    let matched = attribution::attribute(&image, &dockerfile, None)
        .map_err(|e| Fatal(format!("{}: {e}", file.file)))?;
    proof::prove(&image, &matched, file, threshold);
    Ok(())
}

#[cfg(not(feature = "imgdive"))]
pub(super) fn prove_with_image(
    _args: &Args,
    _source: &str,
    _linted: &mut [engine::LintedFile],
) -> Result<(), Fatal> {
    Err(Fatal(
        "--image needs imglint built with the imgdive feature (cargo install --path . --features imgdive)"
            .to_string(),
    ))
}
