//! The rule registry: one file per rule (`<code>.rs`, doc in `rules/<CODE>.md`), listed
//! once here in code order.

use super::fix::Applicability;
use super::rule::Rule;

pub mod edits;
pub mod facts;
pub mod labels;
pub mod packages;
pub mod sc;
pub mod util;

pub mod dl1000;
pub mod dl1001;
pub mod dl3000;
pub mod dl3001;
pub mod dl3002;
pub mod dl3003;
pub mod dl3004;
pub mod dl3006;
pub mod dl3007;
pub mod dl3008;
pub mod dl3009;
pub mod dl3010;
pub mod dl3011;
pub mod dl3012;
pub mod dl3013;
pub mod dl3014;
pub mod dl3015;
pub mod dl3016;
pub mod dl3018;
pub mod dl3019;
pub mod dl3020;
pub mod dl3021;
pub mod dl3022;
pub mod dl3023;
pub mod dl3024;
pub mod dl3025;
pub mod dl3026;
pub mod dl3027;
pub mod dl3028;
pub mod dl3029;
pub mod dl3030;
pub mod dl3032;
pub mod dl3033;
pub mod dl3034;
pub mod dl3035;
pub mod dl3036;
pub mod dl3037;
pub mod dl3038;
pub mod dl3040;
pub mod dl3041;
pub mod dl3042;
pub mod dl3043;
pub mod dl3044;
pub mod dl3045;
pub mod dl3046;
pub mod dl3047;
pub mod dl3048;
pub mod dl3049;
pub mod dl3050;
pub mod dl3051;
pub mod dl3052;
pub mod dl3053;
pub mod dl3054;
pub mod dl3055;
pub mod dl3056;
pub mod dl3057;
pub mod dl3058;
pub mod dl3059;
pub mod dl3060;
pub mod dl3061;
pub mod dl3062;
pub mod dl3063;
pub mod dl3064;
pub mod dl3065;
pub mod dl3066;
pub mod dl3067;
pub mod dl4000;
pub mod dl4001;
pub mod dl4003;
pub mod dl4004;
pub mod dl4005;
pub mod dl4006;
pub mod il1001;
pub mod il1002;
pub mod il1003;
pub mod il1004;
pub mod il2001;
pub mod il2002;
pub mod il2003;
pub mod il3001;
pub mod il3002;
pub mod il3003;
pub mod il4001;
pub mod il5001;
pub mod il5002;
pub mod il5003;
pub mod il5004;
pub mod il5005;
pub mod il5006;
pub mod il5007;
pub mod il5008;
pub mod il5009;
pub mod il5010;
pub mod il6001;
pub mod il6101;
pub mod il6102;
pub mod il6103;
pub mod il6104;
pub mod il6105;
pub mod il6106;
pub mod il6107;
pub mod il6108;
pub mod il6109;
pub mod il6110;
pub mod il6111;
pub mod il6112;
pub mod il6113;
pub mod il6114;
pub mod il6115;
pub mod il6116;
pub mod il6117;
pub mod il6201;
pub mod il6202;

/// The rules that have a fix, and its tier: `--fix` applies the safe ones, `--unsafe-fixes` the
/// others too. A rule attaches its edits with `Sink::report_fix`; tests check that every fix a
/// rule emits is of the tier listed here.
pub static FIXABLE: &[(&str, Applicability)] = &[
    ("DL3000", Applicability::Safe),
    ("DL3009", Applicability::Safe),
    ("DL3014", Applicability::Safe),
    ("DL3015", Applicability::Unsafe),
    ("DL3019", Applicability::Safe),
    ("DL3020", Applicability::Safe),
    ("DL3025", Applicability::Safe),
    ("DL3027", Applicability::Safe),
    ("DL3030", Applicability::Safe),
    ("DL3032", Applicability::Safe),
    ("DL3036", Applicability::Safe),
    ("DL3038", Applicability::Safe),
    ("DL3040", Applicability::Safe),
    ("DL3042", Applicability::Safe),
    ("DL4000", Applicability::Safe),
    ("IL1001", Applicability::Unsafe),
    ("IL1003", Applicability::Unsafe),
    ("IL2002", Applicability::Unsafe),
    ("IL3001", Applicability::Unsafe),
    ("IL3002", Applicability::Unsafe),
    ("IL6102", Applicability::Safe),
    ("IL6103", Applicability::Safe),
    ("IL6104", Applicability::Safe),
];

/// Every rule, in code order.
pub static REGISTRY: &[&Rule] = &[
    &dl1000::RULE,
    &dl1001::RULE,
    &dl3000::RULE,
    &dl3001::RULE,
    &dl3002::RULE,
    &dl3003::RULE,
    &dl3004::RULE,
    &dl3006::RULE,
    &dl3007::RULE,
    &dl3008::RULE,
    &dl3009::RULE,
    &dl3010::RULE,
    &dl3011::RULE,
    &dl3012::RULE,
    &dl3013::RULE,
    &dl3014::RULE,
    &dl3015::RULE,
    &dl3016::RULE,
    &dl3018::RULE,
    &dl3019::RULE,
    &dl3020::RULE,
    &dl3021::RULE,
    &dl3022::RULE,
    &dl3023::RULE,
    &dl3024::RULE,
    &dl3025::RULE,
    &dl3026::RULE,
    &dl3027::RULE,
    &dl3028::RULE,
    &dl3029::RULE,
    &dl3030::RULE,
    &dl3032::RULE,
    &dl3033::RULE,
    &dl3034::RULE,
    &dl3035::RULE,
    &dl3036::RULE,
    &dl3037::RULE,
    &dl3038::RULE,
    &dl3040::RULE,
    &dl3041::RULE,
    &dl3042::RULE,
    &dl3043::RULE,
    &dl3044::RULE,
    &dl3045::RULE,
    &dl3046::RULE,
    &dl3047::RULE,
    &dl3048::RULE,
    &dl3049::RULE,
    &dl3050::RULE,
    &dl3051::RULE,
    &dl3052::RULE,
    &dl3053::RULE,
    &dl3054::RULE,
    &dl3055::RULE,
    &dl3056::RULE,
    &dl3057::RULE,
    &dl3058::RULE,
    &dl3059::RULE,
    &dl3060::RULE,
    &dl3061::RULE,
    &dl3062::RULE,
    &dl3063::RULE,
    &dl3064::RULE,
    &dl3065::RULE,
    &dl3066::RULE,
    &dl3067::RULE,
    &dl4000::RULE,
    &dl4001::RULE,
    &dl4003::RULE,
    &dl4004::RULE,
    &dl4005::RULE,
    &dl4006::RULE,
    &il1001::RULE,
    &il1002::RULE,
    &il1003::RULE,
    &il1004::RULE,
    &il2001::RULE,
    &il2002::RULE,
    &il2003::RULE,
    &il3001::RULE,
    &il3002::RULE,
    &il3003::RULE,
    &il4001::RULE,
    &il5001::RULE,
    &il5002::RULE,
    &il5003::RULE,
    &il5004::RULE,
    &il5005::RULE,
    &il5006::RULE,
    &il5007::RULE,
    &il5008::RULE,
    &il5009::RULE,
    &il5010::RULE,
    &il6001::RULE,
    &il6101::RULE,
    &il6102::RULE,
    &il6103::RULE,
    &il6104::RULE,
    &il6105::RULE,
    &il6106::RULE,
    &il6107::RULE,
    &il6108::RULE,
    &il6109::RULE,
    &il6110::RULE,
    &il6111::RULE,
    &il6112::RULE,
    &il6113::RULE,
    &il6114::RULE,
    &il6115::RULE,
    &il6116::RULE,
    &il6117::RULE,
    &il6201::RULE,
    &il6202::RULE,
    &sc::SC2002,
    &sc::SC2005,
    &sc::SC2006,
    &sc::SC2010,
    &sc::SC2012,
    &sc::SC2015,
    &sc::SC2016,
    &sc::SC2028,
    &sc::SC2035,
    &sc::SC2038,
    &sc::SC2043,
    &sc::SC2044,
    &sc::SC2045,
    &sc::SC2046,
    &sc::SC2048,
    &sc::SC2059,
    &sc::SC2064,
    &sc::SC2068,
    &sc::SC2086,
    &sc::SC2102,
    &sc::SC2116,
    &sc::SC2155,
    &sc::SC2162,
    &sc::SC2164,
    &sc::SC2174,
    &sc::SC2181,
    &sc::SC2206,
    &sc::SC2207,
    &sc::SC2226,
    &sc::SC2230,
    &sc::SC2251,
    &sc::SC3009,
    &sc::SC3010,
    &sc::SC3014,
    &sc::SC3020,
    &sc::SC3030,
    &sc::SC3037,
    &sc::SC3040,
    &sc::SC3046,
    &sc::SC3054,
];

/// hadolint rules paired with the BuildKit check of the same concern, kept as separate rules
/// because their semantics differ. A suppression naming either one silences both, so
/// `# check=skip=JSONArgsRecommended` keeps working for files linted with hadolint's DL3025.
pub static TWINS: &[(&str, &str)] = &[
    ("DL3000", "IL6116"),
    ("DL3025", "IL6114"),
    ("DL3029", "IL6115"),
    ("DL3064", "IL6113"),
];

/// The twin of the rule with code `code` (see [`TWINS`]).
pub fn twin(code: &str) -> Option<&'static Rule> {
    let other = TWINS.iter().find_map(|&(a, b)| match code {
        c if c == a => Some(b),
        c if c == b => Some(a),
        _ => None,
    })?;
    REGISTRY.iter().copied().find(|r| r.code == other)
}
