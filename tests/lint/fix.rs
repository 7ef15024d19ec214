//! `imglint --fix`: each fix before and after, the properties every fix must keep over the
//! corpus and generated files (idempotent, parses, targeted findings gone, nothing new), and the
//! real binary writing files (CRLF, missing final newline, escape character, mode, BOM, a file
//! changed on disk, stdin, --diff, --fix-only, --show-fixes, configuration).

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use imgtools::lint::engine::{Input, Policy};
use imgtools::lint::fix::{self, FixMode, FixedFile, fix_file, fix_str};
use imgtools::lint::rules::REGISTRY;

use super::cli::{Sandbox, stderr, stdout};

const SAFE: FixMode = FixMode {
    unsafe_fixes: false,
};
const UNSAFE: FixMode = FixMode { unsafe_fixes: true };

/// (before, after with safe fixes, after with unsafe fixes too).
const CASES: &[(&str, &str, &str)] = &[
    // DL3020: local sources only; a URL, an archive or an ADD-only flag keeps ADD.
    (
        "from a:1\nadd src /src\n",
        "from a:1\ncopy src /src\n",
        "from a:1\ncopy src /src\n",
    ),
    (
        "FROM a:1\nADD https://example.com/x /x\nADD app.tar.gz /\nADD --checksum=sha256:0 x /x\n",
        "FROM a:1\nADD https://example.com/x /x\nADD app.tar.gz /\nADD --checksum=sha256:0 x /x\n",
        "FROM a:1\nADD https://example.com/x /x\nADD app.tar.gz /\nADD --checksum=sha256:0 x /x\n",
    ),
    // DL4000, with characters the LABEL value must escape.
    (
        "FROM a:1\nMAINTAINER Jo \"J\" $HOME\n",
        "FROM a:1\nLABEL org.opencontainers.image.authors=\"Jo \\\"J\\\" \\$HOME\"\n",
        "FROM a:1\nLABEL org.opencontainers.image.authors=\"Jo \\\"J\\\" \\$HOME\"\n",
    ),
    // DL3027 then DL3014 and DL3009 in later passes; DL3015 only when unsafe fixes are on.
    (
        "FROM a:1\nRUN apt update && apt install curl=1\n",
        "FROM a:1\nRUN apt-get update && apt-get install -y curl=1 && rm -rf /var/lib/apt/lists/*\n",
        "FROM a:1\nRUN apt-get update && apt-get install --no-install-recommends -y curl=1 && rm -rf /var/lib/apt/lists/*\n",
    ),
    // DL3009: not when a later RUN installs with the lists this one downloaded.
    (
        "FROM a:1\nRUN apt-get update && apt-get install -y --no-install-recommends x=1\nRUN apt-get install -y --no-install-recommends y=1 && rm -rf /var/lib/apt/lists/*\n",
        "FROM a:1\nRUN apt-get update && apt-get install -y --no-install-recommends x=1\nRUN apt-get install -y --no-install-recommends y=1 && rm -rf /var/lib/apt/lists/*\n",
        "FROM a:1\nRUN apt-get update && apt-get install -y --no-install-recommends x=1\nRUN apt-get install -y --no-install-recommends y=1 && rm -rf /var/lib/apt/lists/*\n",
    ),
    // `apt search` has no apt-get twin; a trailing `;` leaves no plain end to append to.
    (
        "FROM a:1\nRUN apt search x\nRUN apt-get update && apt-get install -y --no-install-recommends x=1;\n",
        "FROM a:1\nRUN apt search x\nRUN apt-get update && apt-get install -y --no-install-recommends x=1;\n",
        "FROM a:1\nRUN apt search x\nRUN apt-get update && apt-get install -y --no-install-recommends x=1;\n",
    ),
    // pip, apk, yum, dnf, microdnf, zypper.
    (
        "FROM a:1\nRUN pip install x==1\nRUN python3 -m pip install -r r.txt\nRUN apk add x=1\n",
        "FROM a:1\nRUN pip install --no-cache-dir x==1\nRUN python3 -m pip install --no-cache-dir -r r.txt\nRUN apk add --no-cache x=1\n",
        "FROM a:1\nRUN pip install --no-cache-dir x==1\nRUN python3 -m pip install --no-cache-dir -r r.txt\nRUN apk add --no-cache x=1\n",
    ),
    (
        "FROM a:1\nRUN yum install x-1\nRUN microdnf install -y x-1\nRUN zypper install -y x=1\n",
        "FROM a:1\nRUN yum install -y x-1 && yum clean all\nRUN microdnf install -y x-1 && microdnf clean all\nRUN zypper install -y x=1 && zypper clean\n",
        "FROM a:1\nRUN yum install -y x-1 && yum clean all\nRUN microdnf install -y x-1 && microdnf clean all\nRUN zypper install -y x=1 && zypper clean\n",
    ),
    // Casing: the majority wins; AS follows FROM.
    (
        "FROM a:1 as b\nrun true\nUSER 1\n",
        "FROM a:1 AS b\nRUN true\nUSER 1\n",
        "FROM a:1 AS b\nRUN true\nUSER 1\n",
    ),
    // Legacy ENV/LABEL; quotes in the value keep it as written.
    (
        "FROM a:1\nENV A b c\nLABEL x y\nENV Q \"q\"\n",
        "FROM a:1\nENV A=\"b c\"\nLABEL x=y\nENV Q \"q\"\n",
        "FROM a:1\nENV A=\"b c\"\nLABEL x=y\nENV Q \"q\"\n",
    ),
    // WORKDIR joined to the stage's last literal WORKDIR, relative ones chained.
    (
        "FROM a:1\nWORKDIR /srv\nWORKDIR app\nWORKDIR ../lib\nFROM a:1\nWORKDIR x\n",
        "FROM a:1\nWORKDIR /srv\nWORKDIR /srv/app\nWORKDIR /srv/lib\nFROM a:1\nWORKDIR x\n",
        "FROM a:1\nWORKDIR /srv\nWORKDIR /srv/app\nWORKDIR /srv/lib\nFROM a:1\nWORKDIR x\n",
    ),
    // DL3025: plain words to JSON, shell syntax to /bin/sh -c, an ENTRYPOINT beside a CMD too.
    (
        "FROM a:1\nUSER 1\nCMD node server.js --port=8080\n",
        "FROM a:1\nUSER 1\nCMD [\"node\", \"server.js\", \"--port=8080\"]\n",
        "FROM a:1\nUSER 1\nCMD [\"node\", \"server.js\", \"--port=8080\"]\n",
    ),
    (
        "FROM a:1\nUSER 1\nENTRYPOINT run \\\n  \"$X\"\nCMD echo hi | cat\n",
        "FROM a:1\nUSER 1\nENTRYPOINT [\"/bin/sh\", \"-c\", \"run   \\\"$X\\\"\"]\nCMD [\"/bin/sh\", \"-c\", \"echo hi | cat\"]\n",
        "FROM a:1\nUSER 1\nENTRYPOINT [\"/bin/sh\", \"-c\", \"run   \\\"$X\\\"\"]\nCMD [\"/bin/sh\", \"-c\", \"echo hi | cat\"]\n",
    ),
    // IL1003 (unsafe): the owner moves to the COPY right before, the RUN goes; not when the
    // RUN does more, or a WORKDIR stands between.
    (
        "FROM a:1\nCOPY . /app\r\nRUN chown -R 1:1 /app\r\nUSER 1\nCOPY x /x\nRUN chown -R 1:1 /x && ls\nCOPY y /y\nWORKDIR /\nRUN chown -R 1 /y\n",
        "FROM a:1\nCOPY . /app\r\nRUN chown -R 1:1 /app\r\nUSER 1\nCOPY x /x\nRUN chown -R 1:1 /x && ls\nCOPY y /y\nWORKDIR /\nRUN chown -R 1 /y\n",
        "FROM a:1\nCOPY --chown=1:1 . /app\r\nUSER 1\nCOPY x /x\nRUN chown -R 1:1 /x && ls\nCOPY y /y\nWORKDIR /\nRUN chown -R 1 /y\n",
    ),
    // IL1003 (unsafe) with chmod: an octal mode moves to COPY --chmod; a symbolic one stays.
    (
        "FROM a:1\nCOPY . /app\nRUN chmod -R 755 /app\nCOPY b /b\nRUN chmod -R u+x /b\nUSER 1\n",
        "FROM a:1\nCOPY . /app\nRUN chmod -R 755 /app\nCOPY b /b\nRUN chmod -R u+x /b\nUSER 1\n",
        "FROM a:1\nCOPY --chmod=755 . /app\nCOPY b /b\nRUN chmod -R u+x /b\nUSER 1\n",
    ),
    // IL3002 (unsafe) after DL3025 (safe): the shell form becomes `/bin/sh -c`, then the last
    // command gets `exec`; not a command in a pipeline.
    (
        "FROM a:1\nUSER 1\nCMD migrate && serve --port 80\nENTRYPOINT [\"sh\", \"-c\", \"a; b | c\"]\n",
        "FROM a:1\nUSER 1\nCMD [\"/bin/sh\", \"-c\", \"migrate && serve --port 80\"]\nENTRYPOINT [\"sh\", \"-c\", \"a; b | c\"]\n",
        "FROM a:1\nUSER 1\nCMD [\"/bin/sh\", \"-c\", \"migrate && exec serve --port 80\"]\nENTRYPOINT [\"sh\", \"-c\", \"a; b | c\"]\n",
    ),
    // IL2002 (unsafe): a lone update joins the install RUN right after it, then DL3009 cleans.
    (
        "FROM a:1\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends x=1\nRUN apk update\nRUN echo\n",
        "FROM a:1\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends x=1\nRUN apk update\nRUN echo\n",
        "FROM a:1\nRUN apt-get update && apt-get install -y --no-install-recommends x=1 && rm -rf /var/lib/apt/lists/*\nRUN apk update\nRUN echo\n",
    ),
    // IL1001 (unsafe): a RUN that only removes what an earlier RUN downloaded joins that RUN.
    (
        "FROM a:1\nRUN curl -fsSLo /tmp/x.tgz https://e.com/x.tgz\nUSER 1\nRUN rm -f /tmp/x.tgz\nRUN rm /opt/y\n",
        "FROM a:1\nRUN curl -fsSLo /tmp/x.tgz https://e.com/x.tgz\nUSER 1\nRUN rm -f /tmp/x.tgz\nRUN rm /opt/y\n",
        "FROM a:1\nRUN curl -fsSLo /tmp/x.tgz https://e.com/x.tgz && rm -f /tmp/x.tgz\nUSER 1\nRUN rm /opt/y\n",
    ),
    // Under SHELL the shell form is not /bin/sh -c: no fix.
    (
        "FROM a:1\nSHELL [\"bash\", \"-c\"]\nUSER 1\nCMD run\n",
        "FROM a:1\nSHELL [\"bash\", \"-c\"]\nUSER 1\nCMD run\n",
        "FROM a:1\nSHELL [\"bash\", \"-c\"]\nUSER 1\nCMD run\n",
    ),
];

#[test]
fn each_fix_before_and_after() {
    let mut failures = Vec::new();
    for (before, safe, unsafe_too) in CASES {
        for (mode, want) in [(SAFE, safe), (UNSAFE, unsafe_too)] {
            let got = fix_str(before, mode);
            if got.fixed != *want {
                failures.push(format!(
                    "{before:?} (unsafe fixes: {}):\n  got  {:?}\n  want {want:?}\n  dropped {:?}",
                    mode.unsafe_fixes, got.fixed, got.dropped
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn an_edit_that_breaks_the_file_is_refused() {
    let text = "FROM a:1\nRUN x\nUSER 1\n";
    let before = imgtools::dockerfile::parse(text);
    let check =
        |edit: fix::Edit| fix::apply_verified(text, &before, &[&fix::Fix::safe(vec![edit])]);
    // A continuation swallowing the next instruction changes a line the fix does not target.
    let err = check(fix::Edit::insert(14, " \\")).unwrap_err();
    assert!(err.contains("line 3"), "{err}");
    // A new parse error.
    let err = check(fix::Edit::insert(15, "RUNN y\n")).unwrap_err();
    assert!(err.contains("would not parse"), "{err}");
    // An edit inside a character of the text.
    let utf8 = "FROM a:1\nLABEL x=\u{e9}\n";
    let parsed = imgtools::dockerfile::parse(utf8);
    let inside = fix::Fix::safe(vec![fix::Edit::insert(18, "y")]);
    assert!(fix::apply_verified(utf8, &parsed, &[&inside]).is_err());
    // A sound edit passes and is applied.
    assert_eq!(
        check(fix::Edit::insert(14, " && y")).unwrap(),
        "FROM a:1\nRUN x && y\nUSER 1\n"
    );
    // With the backtick escape, DL4000's fix escapes with the backtick.
    let escaped = "# escape=`\nFROM a:1\nMAINTAINER a`b \"c\"\n";
    let out = fix_str(escaped, SAFE);
    assert_eq!(
        out.fixed,
        "# escape=`\nFROM a:1\nLABEL org.opencontainers.image.authors=\"a``b `\"c`\"\"\n"
    );
}

/// Findings per code.
fn counts(file: &imgtools::lint::LintedFile) -> BTreeMap<&'static str, usize> {
    let mut map = BTreeMap::new();
    for f in &file.findings {
        *map.entry(f.code).or_default() += 1;
    }
    map
}

/// A rule's fix may make other rules look at the edited command for the first time (`apt` →
/// `apt-get` meets the apt-get rules; a RUN that gains `&& rm` or `&& yum clean all` is a
/// longer RUN). Each such pair is documented in the fixing rule's doc.
const MAY_REVEAL: &[(&str, &str)] = &[
    ("DL3027", "DL3008"),
    ("DL3027", "DL3014"),
    ("DL3027", "DL3015"),
    ("DL3027", "DL3009"),
    ("DL3009", "IL1001"),
];

/// The properties of one file, for both tiers; returns how many fixes applied (safe tier).
fn check_properties(name: &str, bytes: &[u8], failures: &mut Vec<String>) -> usize {
    let mut applied = 0;
    for mode in [SAFE, UNSAFE] {
        let input = Input {
            display_name: name.to_string(),
            path: name.into(),
            bytes: bytes.to_vec(),
            build_context: None,
        };
        let policy = Policy::new();
        let first = fix_file(&input, &policy, REGISTRY, mode);
        if first.skipped.is_some() {
            continue;
        }
        if mode == SAFE {
            applied = first.applied.len();
        }
        // Every fix is of the tier its rule declares in the registry.
        for record in first.applied.iter().chain(&first.dropped) {
            let rule = REGISTRY.iter().find(|r| r.code == record.code).unwrap();
            if rule.fix_applicability() != Some(record.applicability) {
                failures.push(format!(
                    "{name}: {} made a {:?} fix, the registry says {:?}",
                    record.code,
                    record.applicability,
                    rule.fix_applicability()
                ));
            }
        }
        let again = fix_file(
            &Input {
                bytes: first.fixed_bytes(bytes),
                ..input.clone()
            },
            &policy,
            REGISTRY,
            mode,
        );
        if again.fixed != first.fixed {
            failures.push(format!("{name}: a second --fix changed the file again"));
        }
        let before = imgtools::dockerfile::parse(&first.original);
        let after = imgtools::dockerfile::parse(&first.fixed);
        if after.errors.len() > before.errors.len() {
            failures.push(format!("{name}: the fixed file has new parse errors"));
        }
        property_targets_gone(name, &first, mode, failures);
        property_nothing_new(name, &first, bytes, failures);
    }
    applied
}

/// Every finding left with an applicable fix is one whose fix was dropped (and reported).
fn property_targets_gone(name: &str, fixed: &FixedFile, mode: FixMode, failures: &mut Vec<String>) {
    for f in &fixed.linted.findings {
        let applicable = f.fix.as_ref().is_some_and(|x| mode.allows(x));
        if applicable && !fixed.dropped.iter().any(|d| d.code == f.code) {
            failures.push(format!(
                "{name}:{}: {} still has a fix after fixing",
                f.span.start.line, f.code
            ));
        }
    }
}

/// No rule has more findings after fixing than before, unless a documented pair says so.
fn property_nothing_new(name: &str, fixed: &FixedFile, bytes: &[u8], failures: &mut Vec<String>) {
    let original = imgtools::lint::engine::lint_str(name, &String::from_utf8_lossy(bytes));
    let (before, after) = (counts(&original), counts(&fixed.linted));
    for (code, n) in &after {
        if *n <= before.get(code).copied().unwrap_or(0) {
            continue;
        }
        let explained = fixed
            .applied
            .iter()
            .any(|a| MAY_REVEAL.contains(&(a.code, *code)));
        if !explained {
            failures.push(format!(
                "{name}: {code} fires {n} times after fixing, {} before",
                before.get(code).copied().unwrap_or(0)
            ));
        }
    }
}

#[test]
fn fixing_the_corpus_is_idempotent_sound_and_complete() {
    let mut files = Vec::new();
    super::snapshots::files_under(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/corpus"),
        &mut files,
    );
    assert!(files.len() > 400, "corpus has {} files", files.len());
    let mut failures = Vec::new();
    let mut applied = 0;
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        applied += check_properties(&path.display().to_string(), &bytes, &mut failures);
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    // The properties were exercised: the corpus has hundreds of fixable findings.
    assert!(
        applied > 300,
        "only {applied} fixes applied over the corpus"
    );
}

/// Lines every fixable rule fires on, in shapes the fixes must handle (continuations, CRLF,
/// the backtick escape, no final newline), combined by a fixed-seed generator.
const PIECES: &[&str] = &[
    "add app /app",
    "ADD --chown=1:1 a b /dst/",
    "MAINTAINER someone <a@b.c>",
    "RUN apt update && apt install -y curl=1",
    "RUN apt-get update \\\n && apt-get install curl=1",
    "RUN pip install x==1 # note",
    "RUN apk add --virtual .b x=1 \\\n    && echo done",
    "RUN yum install x-1",
    "ENV K v w",
    "LABEL k v",
    "WORKDIR /opt",
    "WORKDIR sub",
    "CMD run --flag",
    "ENTRYPOINT exec app \"$@\"",
    "run echo lower",
    "RUN sh -c 'apt install x'",
    "RUN apt-get install -y x=1 || true",
    "ONBUILD RUN pip install y==2",
    "COPY . /srv\nRUN chown -R 1:1 /srv",
    "RUN apt-get update\nRUN apt-get install -y x=1",
    "RUN wget -O /tmp/a.zip https://e.com/a.zip\nRUN rm -rf /tmp/a.zip",
];

fn generated(seed: u64) -> String {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    let mut lines = vec![
        if next(2) == 0 {
            "FROM a:1 as b"
        } else {
            "from a:1 AS b"
        }
        .to_string(),
    ];
    for _ in 0..(3 + next(8)) {
        lines.push(PIECES[next(PIECES.len())].to_string());
    }
    let mut text = lines.join("\n");
    if next(3) > 0 {
        text.push('\n');
    }
    if next(4) == 0 {
        text = format!("# escape=`\n{}", text.replace("\\\n", "`\n"));
    }
    if next(4) == 0 {
        text = text.replace('\n', "\r\n");
    }
    text
}

#[test]
fn fixing_generated_files_keeps_the_properties() {
    let mut failures = Vec::new();
    let mut applied = 0;
    for seed in 0..300 {
        let text = generated(seed);
        applied += check_properties(&format!("generated-{seed}"), text.as_bytes(), &mut failures);
        let fixed = fix_str(&text, UNSAFE);
        let crlf = text.contains("\r\n");
        if crlf && fixed.fixed.replace("\r\n", "").contains('\n') {
            failures.push(format!("generated-{seed}: a CRLF file gained a bare LF"));
        }
        if text.ends_with('\n') != fixed.fixed.ends_with('\n') {
            failures.push(format!("generated-{seed}: the final newline changed"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert!(
        applied > 1000,
        "only {applied} fixes applied over the generated files"
    );
}

#[test]
fn fix_writes_in_place_keeping_mode_line_endings_bom_and_final_newline() {
    let s = Sandbox::new();
    s.write("crlf/Dockerfile", "FROM a:1\r\nADD x /x\r\nUSER 1\r\n");
    s.write("nonl/Dockerfile", "FROM a:1\nADD x /x\nUSER 1");
    s.write("bom/Dockerfile", "\u{feff}FROM a:1\nADD x /x\nUSER 1\n");
    s.write(
        "esc/Dockerfile",
        "# escape=`\nFROM a:1\nMAINTAINER a`b\nUSER 1\n",
    );
    s.write("clean/Dockerfile", "FROM a:1\nUSER 1\n");
    std::fs::set_permissions(
        s.path("crlf/Dockerfile"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let clean_before = std::fs::metadata(s.path("clean/Dockerfile")).unwrap();
    let o = s.run(&["--fix", "--no-fail", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let read = |p: &str| std::fs::read_to_string(s.path(p)).unwrap();
    assert_eq!(
        read("crlf/Dockerfile"),
        "FROM a:1\r\nCOPY x /x\r\nUSER 1\r\n"
    );
    assert_eq!(read("nonl/Dockerfile"), "FROM a:1\nCOPY x /x\nUSER 1");
    assert_eq!(
        read("bom/Dockerfile"),
        "\u{feff}FROM a:1\nCOPY x /x\nUSER 1\n"
    );
    assert_eq!(
        read("esc/Dockerfile"),
        "# escape=`\nFROM a:1\nLABEL org.opencontainers.image.authors=\"a``b\"\nUSER 1\n"
    );
    assert_eq!(permission_bits(&s.path("crlf/Dockerfile")), 0o640);
    // An unchanged file is not rewritten.
    let clean_after = std::fs::metadata(s.path("clean/Dockerfile")).unwrap();
    assert_eq!(
        clean_before.modified().unwrap(),
        clean_after.modified().unwrap()
    );
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(s.path("crlf"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    // The report shows what remains: the fixed findings are gone.
    assert!(!stdout(&o).contains("DL3020"), "{}", stdout(&o));
}

fn permission_bits(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_file_changed_on_disk_after_reading_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, "FROM a:1\nADD x /x\n").unwrap();
    let read = fix::write::ReadState::of(&path, std::fs::read(&path).unwrap()).unwrap();
    // Someone saves the file meanwhile (same length, so only the content tells).
    std::fs::write(&path, "FROM b:2\nADD y /y\n").unwrap();
    let err = fix::write::replace(&path, &read, b"FROM a:1\nCOPY x /x\n").unwrap_err();
    assert!(err.contains("changed on disk"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "FROM b:2\nADD y /y\n"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "temporary file left"
    );
    // Unchanged: replaced, through a symlink the link stays a link.
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    let read = fix::write::ReadState::of(&link, std::fs::read(&link).unwrap()).unwrap();
    fix::write::replace(&link, &read, b"FROM b:2\nCOPY y /y\n").unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "FROM b:2\nCOPY y /y\n"
    );
}

/// `--diff` printed exactly `diff`, exited 1, and left `file` as it was (`unchanged`).
fn assert_previewed(o: &std::process::Output, diff: &str, file: &Path, unchanged: &str) {
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
    assert_eq!(stdout(o), diff);
    assert_eq!(std::fs::read_to_string(file).unwrap(), unchanged);
}

#[test]
fn diff_previews_and_writes_nothing() {
    let s = Sandbox::new();
    s.write("Dockerfile", "FROM a:1\nADD x /x\nUSER 1\n");
    let o = s.run(&["--diff", "Dockerfile"]);
    assert_previewed(
        &o,
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,3 +1,3 @@\n FROM a:1\n-ADD x /x\n+COPY x /x\n USER 1\n",
        &s.path("Dockerfile"),
        "FROM a:1\nADD x /x\nUSER 1\n",
    );
    s.write("Dockerfile", "FROM a:1\nUSER 1\n");
    let o = s.run(&["--diff", "Dockerfile"]);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), ""));
}

#[test]
fn stdin_fix_only_show_fixes_unsafe_and_configuration() {
    let s = Sandbox::new();
    let text = "FROM a:1\nRUN apt-get update && apt-get install -y x=1\nUSER 1\n";
    // stdin: the fixed file on stdout, the remaining findings on stderr.
    let o = s.run_stdin(&["--fix", "-"], text);
    assert_eq!(
        stdout(&o),
        "FROM a:1\nRUN apt-get update && apt-get install -y x=1 && rm -rf /var/lib/apt/lists/*\nUSER 1\n"
    );
    assert!(stderr(&o).contains("DL3015"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("DL3009"), "{}", stderr(&o));
    // --fix-only --unsafe-fixes: nothing but the file; DL3015 fixed too.
    let o = s.run_stdin(&["--fix-only", "--unsafe-fixes", "-"], text);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("install --no-install-recommends -y x=1"));
    assert_eq!(stderr(&o), "");
    // --show-fixes counts per file and rule.
    s.write("Dockerfile", "FROM a:1\nADD x /x\nADD y /y\nUSER 1\n");
    let o = s.run(&["--fix-only", "--show-fixes", "Dockerfile"]);
    assert_eq!(stdout(&o), "");
    assert_eq!(
        stderr(&o),
        "Fixed 2 findings:\n- Dockerfile:\n    2 × DL3020 (copy-not-add)\n"
    );
    // `fix: true` in the configuration fixes without the flag.
    s.write(".imglint.yaml", "fix: true\nunsafe-fixes: true\n");
    s.write(
        "Dockerfile",
        "FROM a:1\nRUN apt-get install -y x=1 && rm -rf /var/lib/apt/lists/*\nUSER 1\n",
    );
    s.run(&["Dockerfile"]);
    assert!(
        std::fs::read_to_string(s.path("Dockerfile"))
            .unwrap()
            .contains("--no-install-recommends")
    );
    // The tty report marks what --fix would repair and counts it.
    std::fs::remove_file(s.path(".imglint.yaml")).unwrap();
    let o = s.run_stdin(&["--no-color", "-"], "FROM a:1\nADD x /x\nUSER 1\n");
    assert!(
        stdout(&o).contains("DL3020 [*] copy-not-add"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("[*] 1 fixable with `imglint --fix`"),
        "{}",
        stdout(&o)
    );
    // --explain and --list-rules say which rules fix and how.
    assert!(stdout(&s.run(&["--explain", "DL3015"])).contains("## Fix\nUnsafe"));
    let list = stdout(&s.run(&["--list-rules"]));
    assert!(
        list.lines()
            .any(|l| l.starts_with("DL3015 ") && l.contains(" unsafe "))
    );
    assert!(
        list.lines()
            .any(|l| l.starts_with("DL3006 ") && l.contains(" - "))
    );
}

#[test]
fn json_and_sarif_fix_regions_count_characters() {
    let s = Sandbox::new();
    // The edit on line 3 ends after a two-byte character: column 13 in characters, not 14.
    let o = s.run_stdin(
        &["-f", "json", "--select", "DL4000", "-"],
        "FROM a:1\nUSER 1\nMAINTAINER é\n",
    );
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    let fix = &findings[0]["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(
        fix["edits"][0],
        serde_json::json!({"line": 3, "column": 1, "end_line": 3, "end_column": 13,
            "replacement": "LABEL org.opencontainers.image.authors=\"é\""})
    );
    let o = s.run_stdin(
        &["-f", "sarif", "--select", "DL4000", "-"],
        "FROM a:1\nUSER 1\nMAINTAINER é\n",
    );
    let log: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let replacement =
        &log["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["deletedRegion"]["endColumn"], 13);
    assert_eq!(
        replacement["insertedContent"]["text"],
        "LABEL org.opencontainers.image.authors=\"é\""
    );
}

/// A Dockerfile whose ENTRYPOINT is the wrapper script `app/entrypoint.sh` (IL3001).
const WRAPPED: &str = "FROM debian:12\nCOPY entrypoint.sh /usr/local/bin/\nUSER 10001\nENTRYPOINT [\"entrypoint.sh\"]\n";

/// `--diff` of IL3001's unsafe fix on [`WRAPPED`].
const UNSAFE_SCRIPT_DIFF: &[&str] = &[
    "--diff",
    "--unsafe-fixes",
    "--select",
    "IL3001",
    "app/Dockerfile",
];

fn wrapper_sandbox(script: &str) -> Sandbox {
    let s = Sandbox::new();
    s.write("app/Dockerfile", WRAPPED);
    s.write("app/entrypoint.sh", script);
    std::fs::set_permissions(
        s.path("app/entrypoint.sh"),
        std::fs::Permissions::from_mode(0o750),
    )
    .unwrap();
    s
}

#[test]
fn wrapper_script_gets_exec_only_with_unsafe_fixes() {
    let script = "#!/bin/sh\r\nset -e\r\necho starting\r\nmyserver --port 8080\r\n";
    let s = wrapper_sandbox(script);
    let read = || std::fs::read_to_string(s.path("app/entrypoint.sh")).unwrap();
    // Safe fixes only: the script is not touched and the finding remains.
    let o = s.run(&["--fix", "--select", "IL3001", "--no-fail", "app/Dockerfile"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(read(), script);
    assert!(stdout(&o).contains("IL3001"), "{}", stdout(&o));
    // With --unsafe-fixes: `exec` added, CRLF and the mode kept, the finding gone.
    let o = s.run(&[
        "--fix",
        "--unsafe-fixes",
        "--show-fixes",
        "--select",
        "IL3001",
        "app/Dockerfile",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        read(),
        "#!/bin/sh\r\nset -e\r\necho starting\r\nexec myserver --port 8080\r\n"
    );
    assert_eq!(permission_bits(&s.path("app/entrypoint.sh")), 0o750);
    assert!(
        stderr(&o).contains("1 × IL3001 (wrapper-script-without-exec) in app/entrypoint.sh"),
        "{}",
        stderr(&o)
    );
    assert!(!stdout(&o).contains("IL3001"), "{}", stdout(&o));
    assert_eq!(
        std::fs::read_to_string(s.path("app/Dockerfile")).unwrap(),
        WRAPPED
    );
    // Run again: nothing left to change.
    let o = s.run(UNSAFE_SCRIPT_DIFF);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), ""));
}

#[test]
fn wrapper_script_diff_shows_the_scripts_hunk_and_writes_nothing() {
    let script = "#!/bin/sh\nset -e\necho starting\nmyserver --port 8080\n";
    let s = wrapper_sandbox(script);
    let o = s.run(UNSAFE_SCRIPT_DIFF);
    assert_previewed(
        &o,
        "--- a/app/entrypoint.sh\n+++ b/app/entrypoint.sh\n@@ -1,4 +1,4 @@\n #!/bin/sh\n set -e\n echo starting\n-myserver --port 8080\n+exec myserver --port 8080\n",
        &s.path("app/entrypoint.sh"),
        script,
    );
    // The safe tier has nothing to show.
    let o = s.run(&["--diff", "--select", "IL3001", "app/Dockerfile"]);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), ""));
}

#[test]
fn wrapper_script_fix_in_json_and_sarif_names_the_script() {
    let s = wrapper_sandbox("#!/bin/sh\necho starting\nmyserver --port 8080\n");
    let o = s.run(&["-f", "json", "--select", "IL3001", "app/Dockerfile"]);
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(findings.len(), 1, "{}", stdout(&o));
    assert_eq!(findings[0]["fix"]["applicability"], "unsafe");
    assert_eq!(
        findings[0]["fix"]["edits"],
        serde_json::json!([{"path": "app/entrypoint.sh", "line": 3, "column": 1,
            "end_line": 3, "end_column": 1, "replacement": "exec "}])
    );
    let o = s.run(&["-f", "sarif", "--select", "IL3001", "app/Dockerfile"]);
    let log: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let change = &log["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "app/entrypoint.sh");
    assert_eq!(
        change["replacements"][0]["deletedRegion"],
        serde_json::json!({"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 1})
    );
    assert_eq!(
        change["replacements"][0]["insertedContent"]["text"],
        "exec "
    );
}

#[test]
fn wrapper_script_fix_only_for_a_simple_last_command() {
    // Each script ends with a command `exec` cannot simply be put in front of.
    for script in [
        "#!/bin/sh\nmyserver --port 8080 | tee /tmp/log\n",
        "#!/bin/sh\nmyserver --port 8080\nexit 0\n",
        "#!/bin/sh\nmyserver --port 8080\nwhile true; do sleep 1; done\n",
        "#!/bin/sh\nPORT=8080 myserver --verbose\n",
        "#!/bin/sh\nenv PORT=8080 myserver --verbose\n",
        "#!/bin/sh\nif [ -n \"$X\" ]; then myserver --port 8080; fi\n",
    ] {
        let s = wrapper_sandbox(script);
        let o = s.run(&["-f", "json", "--select", "IL3001", "app/Dockerfile"]);
        let findings: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
        assert!(
            findings.iter().all(|f| f.get("fix").is_none()),
            "{script:?}: {findings:?}"
        );
        let o = s.run(&["--fix", "--unsafe-fixes", "--no-fail", "app/Dockerfile"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(
            std::fs::read_to_string(s.path("app/entrypoint.sh")).unwrap(),
            script
        );
    }
    // A finding without a fix is still reported for the `exit` case (the rule sees past it).
    let s = wrapper_sandbox("#!/bin/sh\nmyserver --port 8080\nexit 0\n");
    let o = s.run(&["-f", "json", "--select", "IL3001", "app/Dockerfile"]);
    assert!(stdout(&o).contains("IL3001"), "{}", stdout(&o));
}

#[test]
fn wrapper_script_outside_the_build_context_is_never_written() {
    let outside = tempfile::tempdir().unwrap();
    let script = "#!/bin/sh\nmyserver --port 8080\n";
    std::fs::write(outside.path().join("entrypoint.sh"), script).unwrap();
    let s = Sandbox::new();
    s.write(
        "app/Dockerfile",
        "FROM debian:12\nCOPY scripts/ /usr/local/bin/\nUSER 10001\nENTRYPOINT [\"entrypoint.sh\"]\n",
    );
    // The context's `scripts` directory is a symlink that leads out of it.
    std::os::unix::fs::symlink(outside.path(), s.path("app/scripts")).unwrap();
    let o = s.run(&["--fix", "--unsafe-fixes", "--no-fail", "app/Dockerfile"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(outside.path().join("entrypoint.sh")).unwrap(),
        script
    );
    // The fixer's own guard refuses such paths too, whatever a rule asks for.
    let context = s.path("app");
    let escapes = [
        Path::new("../app/Dockerfile"),
        Path::new("/etc/passwd"),
        Path::new("scripts/entrypoint.sh"),
        Path::new(""),
    ];
    for path in escapes {
        let err = fix::write::resolve_inside(&context, path).unwrap_err();
        assert!(
            err.contains("outside the build context") || err.contains("leads outside"),
            "{path:?}: {err}"
        );
    }
    assert_eq!(
        fix::write::resolve_inside(&context, Path::new("Dockerfile")).unwrap(),
        std::fs::canonicalize(s.path("app/Dockerfile")).unwrap()
    );
}
