//! The seed's printed 绩效自评 scores, reproduced by the scoring engine from 预算数, 执行数 and
//! the entered goal and indicator scores.

use juesuan_core::disclosure::Scheme;
use juesuan_core::scoring;
use juesuan_input::compile::compile_with_builtins;
use rust_decimal::Decimal;

#[test]
fn the_seed_scores_are_reproduced() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/hongshan-kjj-2023.toml"
    );
    let built = compile_with_builtins(path, &std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|p| panic!("{p:#?}"));
    let perf = built.facts.disclosure.performance.as_ref().unwrap();
    let scheme = Scheme::default();
    let d = scoring::department(perf.department.as_ref().unwrap(), &scheme);
    // 附件1: 35549.61 / 36143.17 = 98.36% → 19.67; 19.67 + 20 + 60 = 99.67 (line 843).
    assert_eq!(d.rate_percent, Some(Decimal::new(9836, 2)));
    assert_eq!(d.execution, Decimal::new(1967, 2));
    assert_eq!(d.total, Some(Decimal::new(9967, 2)));
    let mut reproduced = 0;
    let mut unverifiable = Vec::new();
    for p in &perf.projects {
        let s = scoring::project(p, &scheme);
        match (s.total, p.reported_score) {
            (Some(total), Some(reported)) => {
                assert_eq!(total, reported, "{}", p.name);
                reproduced += 1;
            }
            (None, _) => unverifiable.push(p.name.as_str()),
            (Some(_), None) => panic!("{}: no reported score", p.name),
        }
    }
    assert_eq!(perf.projects.len(), 22);
    assert_eq!(reproduced, 20);
    // The two forms without goal (and 附件5 without indicator) scores.
    assert_eq!(unverifiable, ["精准扶贫工作经费", "安全生产第三方服务经费"]);
    // 精准扶贫工作经费: 9.09 / 9.12 = 99.67% → 19.93, as printed (line 1474).
    let poverty = &perf.projects[3];
    assert_eq!(
        scoring::project(poverty, &scheme).execution,
        Decimal::new(1993, 2)
    );
}
