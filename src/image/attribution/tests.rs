use super::*;

#[test]
fn reads_every_builders_created_by() {
    let r = parse_created_by("RUN /bin/sh -c apt-get update # buildkit");
    assert_eq!(
        (r.keyword, r.body.as_str()),
        (Keyword::Run, "apt-get update")
    );
    let r = parse_created_by("RUN |1 V=2 /bin/sh -c echo $V # buildkit");
    assert_eq!((r.keyword, r.body.as_str()), (Keyword::Run, "echo $V"));
    assert_eq!(r.build_args, vec![("V".to_string(), "2".to_string())]);
    let r = parse_created_by("/bin/sh -c #(nop) COPY file:0123 in /bin/busybox ");
    assert_eq!(r.keyword, Keyword::Copy);
    assert_eq!(r.classic_dest.as_deref(), Some("/bin/busybox"));
    let r = parse_created_by("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]");
    assert_eq!(
        (r.keyword, r.body.as_str()),
        (Keyword::Cmd, "[\"/bin/sh\"]")
    );
    let r = parse_created_by("|1 SIZE=3 /bin/sh -c seq 1 $SIZE >  /x");
    assert_eq!(
        (r.keyword, r.body.as_str()),
        (Keyword::Run, "seq 1 $SIZE > /x")
    );
    let r = parse_created_by("COPY app /app");
    assert_eq!((r.keyword, r.body.as_str()), (Keyword::Copy, "app /app"));
    // A RUN whose command starts with an upper-case word is still a RUN.
    let r = parse_created_by("/bin/sh -c FOO=1 make");
    assert_eq!(r.keyword, Keyword::Run);
}
