//! The rule registry: one file per rule (`<code>.rs`, doc in `rules/<CODE>.md`), listed
//! once here in code order.

use super::rule::Rule;

pub mod facts;
pub mod util;

pub mod dl1000;
pub mod dl3002;
pub mod dl3006;
pub mod dl3007;
pub mod dl3009;
pub mod dl3019;
pub mod dl3025;
pub mod dl3032;
pub mod dl3036;
pub mod dl3040;
pub mod dl3042;
pub mod dl3060;
pub mod dl3066;
pub mod il1001;
pub mod il1002;
pub mod il2001;
pub mod il2002;
pub mod il2003;
pub mod il3001;
pub mod il3002;
pub mod il4001;

/// Every rule, in code order.
pub static REGISTRY: &[&Rule] = &[
    &dl1000::RULE,
    &dl3002::RULE,
    &dl3006::RULE,
    &dl3007::RULE,
    &dl3009::RULE,
    &dl3019::RULE,
    &dl3025::RULE,
    &dl3032::RULE,
    &dl3036::RULE,
    &dl3040::RULE,
    &dl3042::RULE,
    &dl3060::RULE,
    &dl3066::RULE,
    &il1001::RULE,
    &il1002::RULE,
    &il2001::RULE,
    &il2002::RULE,
    &il2003::RULE,
    &il3001::RULE,
    &il3002::RULE,
    &il4001::RULE,
];
