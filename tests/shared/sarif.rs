//! The official SARIF 2.1.0 schema (a copy in testdata/schemas/) as a validator, shared by the
//! linter's and the image explorer's test binaries (`#[path]`-included by both).

use serde_json::Value;

pub fn schema_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/schemas/sarif-schema-2.1.0.json"
    ))
    .unwrap();
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    // The official schema's `language` patterns have a stray `]`, which strict regex checking
    // rejects when the schema itself is compiled; use the pattern they mean (imglint emits no
    // `language`, so this changes nothing about what is checked in our output).
    let fixed = fix_patterns(
        &mut schema,
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
    );
    assert!(fixed > 0, "the schema copy changed; revisit this fix-up");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

pub fn fix_patterns(v: &mut Value, broken: &str, meant: &str) -> usize {
    match v {
        Value::Object(map) => map
            .iter_mut()
            .map(|(k, child)| {
                if k == "pattern" && child == broken {
                    *child = meant.into();
                    1
                } else {
                    fix_patterns(child, broken, meant)
                }
            })
            .sum(),
        Value::Array(items) => items
            .iter_mut()
            .map(|c| fix_patterns(c, broken, meant))
            .sum(),
        _ => 0,
    }
}

pub fn assert_valid(validator: &jsonschema::Validator, log: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF invalid:\n{}", errors.join("\n"));
}
