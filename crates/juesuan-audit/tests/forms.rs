//! The 绩效自评 forms a report prints, read back: the seed's 23 forms equal, score for score,
//! the example that transcribes them, and a slip placed in a form is found where it stands.

use juesuan_audit::claims::lexicon::Lexicon;
use juesuan_audit::forms;
use juesuan_core::disclosure::Indicator;
use juesuan_core::rules::finding::Place;
use juesuan_core::scoring::{self, Evaluations, is_none_row};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const SEED: &str = "wuhan-hongshan-kjj-2023.txt";

fn seed() -> String {
    std::fs::read_to_string(format!("{ROOT}/fixtures/reports/{SEED}")).unwrap()
}

/// What the checks use of each form: amounts, reported figures, the goal score or weights and
/// every indicator's score (sorted: the order of a form's rows is not what is checked), with
/// the number of real indicators left blank.
fn summary(e: &Evaluations) -> Vec<String> {
    let scores = |list: &[&Indicator]| {
        let mut s: Vec<String> = list
            .iter()
            .filter_map(|i| i.score.map(|s| s.normalize().to_string()))
            .collect();
        s.sort();
        let blank = list
            .iter()
            .filter(|i| i.score.is_none() && !is_none_row(i))
            .count();
        format!("{} blank {blank}", s.join(" "))
    };
    let mut out = Vec::new();
    if let Some(d) = &e.department {
        let all: Vec<&Indicator> = d.goals.iter().flat_map(|g| g.indicators.iter()).collect();
        let weights: Vec<String> = d
            .goals
            .iter()
            .map(|g| g.weight.normalize().to_string())
            .collect();
        out.push(format!(
            "department {} {} total {:?} weights {} | {}",
            d.budget,
            d.actual,
            d.reported_score.map(|s| s.normalize()),
            weights.join(" "),
            scores(&all)
        ));
    }
    for p in &e.projects {
        let all: Vec<&Indicator> = p.indicators.iter().collect();
        out.push(format!(
            "project {} {} total {:?} goal {:?} | {}",
            p.budget,
            p.actual,
            p.reported_score.map(|s| s.normalize()),
            p.goal_score.map(|s| s.normalize()),
            scores(&all)
        ));
    }
    out
}

#[test]
fn the_seed_forms_read_back_as_transcribed() {
    let audit = juesuan_audit::audit(SEED, seed().as_bytes()).unwrap();
    let read = audit
        .read
        .sheet
        .evaluations
        .expect("the seed prints its forms");
    let path = format!("{ROOT}/examples/hongshan-kjj-2023.toml");
    let built = juesuan_input::compile::compile_with_builtins(
        &path,
        &std::fs::read_to_string(&path).unwrap(),
    )
    .unwrap_or_else(|p| panic!("{p:?}"));
    let want = Evaluations::of(&built.facts.disclosure).unwrap();
    let (got, want) = (summary(&read), summary(&want));
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "form {}", i + 1);
    }
    assert_eq!(got.len(), want.len());
}

/// The built-in lexicon of 部门决算.
fn lexicon() -> Lexicon {
    let assets = juesuan_input::assets::Assets::builtin().unwrap();
    let layout = assets.layout("hubei-wuhan-2023").unwrap().unwrap();
    Lexicon::new(&assets.bundle_of(&layout).unwrap().lexicons).unwrap()
}

/// The forms of a text document.
fn read(name: &str, text: &str) -> Option<forms::FormsRead> {
    forms::read(
        &juesuan_audit::text::decode(name, text.as_bytes()).unwrap(),
        &lexicon(),
    )
}

#[test]
fn a_form_of_the_national_layout_is_read_by_its_headers() {
    // 财政部's 项目支出绩效自评表: 年初预算数, 全年预算数, 全年执行数, 分值 (10), 执行率, 得分;
    // 三级指标 with 分值 and 得分 columns and a deviation column after them; the total at the
    // foot. Nothing of it is worded as the Hubei forms are.
    let text = "附件3\n\
2024年度项目支出绩效自评表\n\
项目名称\t城市道路养护\n\
项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n\
\t年度资金总额\t100.00\t120.00\t114.00\t10\t95.00%\t9.5\n\
绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n\
\t产出指标\t数量指标\t养护道路里程\t120公里\t118公里\t20\t19\t个别路段延期\n\
\t\t质量指标\t养护合格率\t≥95%\t97%\t20\t20\t\n\
\t效益指标\t社会效益指标\t道路完好率\t≥90%\t92%\t30\t30\t\n\
\t满意度指标\t服务对象满意度指标\t市民满意度\t≥85%\t88%\t10\t10\t\n\
总分\t\t\t\t\t\t100\t88.5\t\n";
    let f = read("national.txt", text).expect("one form");
    let e = &f.evaluations;
    assert_eq!(e.scheme.execution.to_string(), "10");
    let p = &e.projects[0];
    assert_eq!(p.name, "城市道路养护");
    assert_eq!(
        (p.budget.to_string(), p.actual.to_string()),
        ("1200000.00".into(), "1140000.00".into())
    );
    assert_eq!(p.reported_rate.map(|d| d.to_string()), Some("95.00".into()));
    assert_eq!(
        p.reported_execution.map(|d| d.to_string()),
        Some("9.5".into())
    );
    assert_eq!(p.reported_score.map(|d| d.to_string()), Some("88.5".into()));
    let scores: Vec<String> = p
        .indicators
        .iter()
        .map(|i| i.score.unwrap().to_string())
        .collect();
    assert_eq!(scores, ["19", "20", "30", "10"]);
    assert_eq!(p.indicators[0].name, "养护道路里程");
    assert_eq!(p.indicators[3].level1, "满意度指标");
}

#[test]
fn a_slip_in_any_seed_form_is_found_on_its_line() {
    // For every form the seed prints: its reported total one unit of its last digit higher (P101), its
    // execution points and its rate a digit off (P105), each found at the form's 附件
    // and on the line where the figure stands.
    let text = seed();
    let lines: Vec<&str> = text.lines().collect();
    let f = read(SEED, &text).unwrap();
    assert_eq!(f.lines.len(), 23);
    let e = &f.evaluations;
    let mut tried = 0;
    for form in &f.lines {
        let mut slips: Vec<(u32, &str, String)> = Vec::new();
        // A form with a blank score has no total to check (P104 says so).
        let complete = match form.annex {
            1 => scoring::department(e.department.as_ref().unwrap(), &e.scheme).total,
            n => scoring::project(&e.projects[n - 2], &e.scheme).total,
        }
        .is_some();
        if let Some(t) = form.total
            && complete
        {
            let line = lines[t as usize - 1];
            let (i, n) = last_number(line, "分");
            let scale = n.parse::<rust_decimal::Decimal>().unwrap().scale();
            slips.push((t, "P101", bump(line, i, n, 1, scale)));
        }
        let line = lines[form.execution as usize - 1];
        // The slips are in digits the printed amounts fix: amounts printed as 0.5 and 0.5
        // stand for 0.495–0.505 each, which give any rate from 98.0% to 102.0%, and 9.12 and
        // 9.09 any from 19.91 to 19.96 points, so the last digits are open. The points one
        // unit off in their first decimal (in the units for whole points), the rate in its
        // tens.
        let (i, n) = last_number(line, "");
        let scale = n.parse::<rust_decimal::Decimal>().unwrap().scale();
        slips.push((
            form.execution,
            "P105",
            bump(line, i, n, 1, scale.saturating_sub(1)),
        ));
        let (i, n) = last_number(line, "%");
        slips.push((form.execution, "P105", bump(line, i, n, 10, 0)));
        for (no, rule, changed) in slips {
            let mut copy: Vec<&str> = lines.clone();
            copy[no as usize - 1] = &changed;
            let audit = juesuan_audit::audit(SEED, copy.join("\n").as_bytes()).unwrap();
            let hit = audit.findings.iter().any(|x| {
                x.rule == rule
                    && matches!(&x.place, Place::Cell(c)
                        if c.table.key == format!("附件{}", form.annex)
                            && c.source.as_ref().is_some_and(|s| s.line == no))
            });
            assert!(
                hit,
                "附件{} line {no}: {changed:?} → {rule} not found",
                form.annex
            );
            tried += 1;
        }
    }
    // Every form prints its points and rate; all but the two with a blank score a total.
    assert_eq!(tried, 23 * 3 - 2);
}

/// The byte offset and text of the last number of `line` that `suffix` follows.
fn last_number(line: &str, suffix: &str) -> (usize, String) {
    let b = line.as_bytes();
    let mut end = line.len();
    loop {
        let at = line[..end]
            .rfind(|c: char| c.is_ascii_digit())
            .expect("a number");
        let mut start = at;
        while start > 0 && (b[start - 1].is_ascii_digit() || b[start - 1] == b'.') {
            start -= 1;
        }
        if line[at + 1..].trim_start().starts_with(suffix) {
            return (start, line[start..=at].to_string());
        }
        end = start;
    }
}

/// `line` with the number at `i` raised by `k` units of its digit `scale` places after the
/// point (a digit off).
fn bump(line: &str, i: usize, n: String, k: i64, scale: u32) -> String {
    let d: rust_decimal::Decimal = n.parse().unwrap();
    let up = d + rust_decimal::Decimal::new(k, scale);
    format!("{}{}{}", &line[..i], up, &line[i + n.len()..])
}
