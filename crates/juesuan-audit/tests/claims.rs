//! The claims engine on the real reports: every number of each fixture's 情况说明 as it was
//! read (its subject, and checked or why not), pinned as a snapshot, so a change in what is
//! extracted shows in review (`cargo insta review`); and the seed's sentences reworded into
//! other common phrasings are still checked.

use juesuan_core::rules::claims::Status;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

const REPORTS: &[&str] = &[
    "wuhan-hongshan-kjj-2023.txt",
    "01_shanghai-putuo-czj-2024.txt",
    "02_shanghai-putuo-ghzyj-2024.txt",
    "03_shanghai-putuo-shgzb-2024.txt",
    "04_shanghai-putuo-sthjj-2025.txt",
    "05_shanghai-putuo-wlj-2025.txt",
    "06_shanghai-putuo-sqljd-2025.txt",
    "07_shanghai-putuo-ycljd-2025.txt",
];

fn audit(file: &str, text: &str) -> juesuan_audit::Audit {
    juesuan_audit::audit(file, text.as_bytes()).unwrap()
}

fn report(file: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/fixtures/reports/{file}")).unwrap()
}

/// One line per number: where, what, read as what, and what became of it.
fn listing(a: &juesuan_audit::Audit) -> String {
    let mut out = String::new();
    for m in &a.narrative {
        let status = match &m.status {
            Status::Checked { against, holds } => {
                format!("{} {against}", if *holds { "checked" } else { "DISAGREES" })
            }
            Status::NotCheckable { reason } => format!("not checkable: {reason:?}"),
        };
        out.push_str(&format!(
            "{:>4} {:<14} {:<16} {} | {status}\n",
            m.line,
            m.section.as_deref().unwrap_or("-"),
            m.text,
            m.subject
        ));
    }
    out
}

#[test]
fn every_number_of_every_report_is_pinned() {
    for file in REPORTS {
        let a = audit(file, &report(file));
        insta::assert_snapshot!(file.trim_end_matches(".txt"), listing(&a));
    }
}

/// Every number of every report knows where it is printed — its paragraph and bytes there,
/// on its own line — so a reader can mark it in the text; every checked one knows the claim
/// that checked it, and that claim says what it was compared with.
#[test]
fn every_number_is_placed_in_the_text_it_was_read_from() {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    for file in REPORTS {
        let a = audit(file, &report(file));
        assert!(!a.narrative.is_empty(), "{file}");
        for m in &a.narrative {
            let at = m.at.unwrap_or_else(|| panic!("{file}: {m:?} has no place"));
            let p = &a.paragraphs[at.paragraph];
            let printed = &p.text[at.start..at.end];
            assert_eq!(digits(printed), digits(&m.text), "{file}: {m:?}");
            let line = p
                .lines
                .iter()
                .rev()
                .find(|(b, _)| *b <= at.start)
                .map(|(_, l)| *l);
            assert_eq!(line, Some(m.line), "{file}: {m:?}");
            if let Status::Checked { holds, .. } = m.status {
                let claim = &a.read.sheet.claims[m.claim.expect("a checked number's claim")];
                let (held, words) = juesuan_core::rules::claims::compared(&a.read.sheet, claim)
                    .expect("its claim evaluates");
                assert!(!words.zh.is_empty() && !words.en.is_empty());
                if !holds {
                    assert!(
                        !held,
                        "{file}: a contradicted number shows a failing claim: {m:?}"
                    );
                }
            }
        }
    }
}

/// The numbers the audit checked in `text` (report `file`), and the narrative findings.
fn checked(file: &str, text: &str) -> (usize, Vec<String>) {
    let a = audit(file, text);
    let n = a
        .narrative
        .iter()
        .filter(|m| matches!(m.status, Status::Checked { .. }))
        .count();
    let found = a
        .findings
        .iter()
        .filter(|f| f.rule.starts_with('N'))
        .map(|f| format!("{} {}", f.rule, f.location()))
        .collect();
    (n, found)
}

/// Claims of the seed reworded as other regions write them: each rewording keeps the figures
/// (and is still checked, with nothing new to report), and the same rewording with one figure
/// wrong is reported.
#[test]
fn rewordings_of_the_seed_are_still_checked() {
    let seed = report("wuhan-hongshan-kjj-2023.txt");
    let (base_checked, base_found) = checked("seed.txt", &seed);
    // (as printed, reworded, reworded with a slip)
    let cases: &[(&str, &str, &str)] = &[
        // Completion: 为年初预算的 …%.
        (
            "年初预算为467.91万元,支出决算为552.98万元,完成年初预算的118.18%",
            "年初预算为467.91万元,支出决算为552.98万元,为年初预算的118.18%",
            "年初预算为467.91万元,支出决算为552.98万元,为年初预算的118.81%",
        ),
        // Growth: 较上年增长, 同比增长.
        (
            "与 2022 年度相比，收、支总计各增加 13934.55 万元，增长 64.5%",
            "较上年收入支出总计增加 13934.55 万元，同比增长 64.5%",
            "较上年收入支出总计增加 13934.55 万元，同比增长 65.4%",
        ),
        // A decrease: 同比下降 (the 机关运行经费 against its budget).
        (
            "比年初预算数减少 9.27 万元，降低 5.8%",
            "较年初预算减少 9.27 万元，同比下降 5.8%",
            "较年初预算减少 9.27 万元，同比下降 8.5%",
        ),
        // The budget before the actual, in other words: 支出决算为 X 万元，为预算数的 Y%.
        (
            "2023年度一般公共预算财政拨款支出年初预算为21225.47万元,支出决算为35549.61万元,完成年初预算的167.5%",
            "2023年度一般公共预算财政拨款支出预算数为21225.47万元,决算数为35549.61万元,为预算数的167.5%",
            "2023年度一般公共预算财政拨款支出预算数为21225.47万元,决算数为35549.61万元,为预算数的176.5%",
        ),
        // 比年初预算增加 (a difference against the budget) in place of a rate.
        (
            "公务用车运行费 3.19 万元，完成全年预算的 72.5%，比全年预算减少 1.21 万元",
            "公务用车运行维护费支出决算 3.19 万元，较全年预算数减少 1.21 万元",
            "公务用车运行维护费支出决算 3.19 万元，较全年预算数减少 2.11 万元",
        ),
        // A share worded 占…的比重为.
        (
            "其中：财政拨款收入 35549.61 万元，占本年收入 100%",
            "其中：财政拨款收入 35549.61 万元，占本年收入的比重为 100%",
            "其中：财政拨款收入 35549.61 万元，占本年收入的比重为 10%",
        ),
        // 占比 in place of 占.
        (
            "1. 一般公共服务（类）支出 0.6 万元，占 0%。",
            "1. 一般公共服务（类）支出 0.6 万元，占比 0%。",
            "1. 一般公共服务（类）支出 0.6 万元，占比 1%。",
        ),
        // A comparison in other words: 决算数高于预算数 (against the amounts just stated).
        (
            "完成年初预算的118.18%,支出决算数大于年初预算数的主要原因是:年中追加人员经费",
            "完成年初预算的118.18%,决算数高于预算数的主要原因是:年中追加人员经费",
            "完成年初预算的118.18%,决算数低于预算数的主要原因是:年中追加人员经费",
        ),
        // The economic classes and sections of 公开06表 named with amounts (工资福利支出,
        // 办公费), as regions that list basic expenditure by economic class write it.
        (
            "2023 年度一般公共预算财政拨款基本支出 1466.62 万元，其中：",
            "2023 年度一般公共预算财政拨款基本支出 1466.62 万元，其中工资福利支出 995.35 万元，商品和服务支出 149.84 万元，对个人和家庭的补助 321.43 万元。按人员经费和公用经费分：",
            "2023 年度一般公共预算财政拨款基本支出 1466.62 万元，其中工资福利支出 959.35 万元，商品和服务支出 149.84 万元，对个人和家庭的补助 321.43 万元。按人员经费和公用经费分：",
        ),
        (
            "公用经费 149.84 万元，主要包括：办公费、电费、",
            "公用经费 149.84 万元，其中：办公费 6.30 万元，电费 12.00 万元；主要包括：",
            "公用经费 149.84 万元，其中：办公费 6.03 万元，电费 12.00 万元；主要包括：",
        ),
    ];
    let mut problems = Vec::new();
    for (printed, reworded, slip) in cases {
        assert_eq!(seed.matches(printed).count(), 1, "{printed}");
        let (n, found) = checked("seed.txt", &seed.replacen(printed, reworded, 1));
        if found != base_found {
            problems.push(format!("{reworded}: findings {found:?}"));
        }
        if n + 2 < base_checked {
            problems.push(format!(
                "{reworded}: {n} numbers checked, not {base_checked}"
            ));
        }
        let (_, found) = checked("seed.txt", &seed.replacen(printed, slip, 1));
        if found.len() <= base_found.len() {
            problems.push(format!("{slip}: not reported"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A layout that says its region's 机关运行经费 is the 公用经费 of the basic-expenditure table
/// (`same_as`) has the narrative's running costs checked against that cell; without it they
/// are checked only against the narrative's own numbers.
#[test]
fn a_layout_may_make_one_figure_the_same_as_another() {
    use juesuan_input::assets::Assets;
    let assets = Assets::builtin().unwrap();
    let catalog = assets.catalog(true, &[]).unwrap();
    let wuhan = assets.layout("hubei-wuhan-2023").unwrap().unwrap();
    let mut declared = (*wuhan).clone();
    declared
        .same_as
        .insert("running_costs".into(), "public".into());
    // 149.84 printed as 149.48: the 降低 5.8% no longer holds either way.
    let seed = report("wuhan-hongshan-kjj-2023.txt");
    let slip = seed.replacen(
        "机关运行经费支出 149.84 万元",
        "机关运行经费支出 149.48 万元",
        1,
    );
    assert_ne!(slip, seed);
    let n201 = |layout: std::sync::Arc<juesuan_core::layout::Layout>| {
        let auditor = juesuan_audit::Auditor::new(&assets, catalog.clone(), Some(layout)).unwrap();
        let a = auditor.audit("seed.txt", slip.as_bytes()).unwrap();
        a.findings
            .iter()
            .filter(|f| f.rule == "N201")
            .map(|f| f.formula().zh)
            .filter(|t| t.contains("149.48"))
            .collect::<Vec<_>>()
    };
    let with = n201(std::sync::Arc::new(declared));
    assert_eq!(with.len(), 1, "{with:?}");
    assert!(
        with[0].contains("公开06表 一般公共预算财政拨款基本支出决算明细表 公用经费合计"),
        "{with:?}"
    );
    assert!(n201(wuhan).is_empty());
}

/// A Shanghai report's claims reworded as other regions write them are still checked, and a
/// slip in the reworded sentence is reported.
#[test]
fn rewordings_of_a_shanghai_report_are_still_checked() {
    let file = "01_shanghai-putuo-czj-2024.txt";
    let text = report(file);
    let (base_checked, base_found) = checked(file, &text);
    let cases: &[(&str, &str, &str)] = &[
        // 同比 and 降幅.
        (
            "与2023年度相比，收入\n支出总计减少56.95万元，下降1.87%。",
            "收入\n支出总计同比减少56.95万元，降幅1.87%。",
            "收入\n支出总计同比减少56.95万元，降幅1.78%。",
        ),
        // The share first, the amount after: 占比…，金额….
        (
            "其他\n收入6.2万元，占0.21%；",
            "其他\n收入为6.2万元，占本年收入的0.21%；",
            "其他\n收入为6.2万元，占本年收入的2.1%；",
        ),
        // 实际支出 for 支出决算.
        (
            "年初预算为 1560.05 万元，支出决算为1511.89万\n元。",
            "年初预算为 1560.05 万元，实际支出1511.89万\n元。",
            "年初预算为 1560.05 万元，实际支出1151.89万\n元。",
        ),
    ];
    let mut problems = Vec::new();
    for (printed, reworded, slip) in cases {
        let printed = printed.replace("\\n", "\n");
        let reworded = reworded.replace("\\n", "\n");
        let slip = slip.replace("\\n", "\n");
        assert_eq!(text.matches(printed.as_str()).count(), 1, "{printed}");
        let (n, found) = checked(file, &text.replacen(&printed, &reworded, 1));
        if found != base_found || n + 1 < base_checked {
            problems.push(format!("{reworded}: {n} checked, {found:?}"));
        }
        let (_, slipped) = checked(file, &text.replacen(&printed, &slip, 1));
        if slipped.len() <= base_found.len() {
            problems.push(format!("{slip}: not reported"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
