//! `juesuan layout infer` against the layouts the project ships, each drafted from the report it
//! was transcribed from while knowing only the *other* layouts (leave one out: nothing of the
//! layout being drafted is known to the draft):
//!
//! - the Shanghai layout from its PDF (fixtures/reports/pdf/01), knowing Wuhan's;
//! - the Wuhan layout from the seed's text, knowing Shanghai's: a second family, from text.
//!
//! Each test compares what the layouts say (tables, titles, numbers, notes, columns and their
//! keys, 栏次 and filters, fixed lines with their 行次, labels and filters, codes of economic
//! panels, footers, where 合计 stands, zeros, orientation, the unit and the parts required) and
//! asserts that they differ exactly as listed, each listed difference with its reason. Then the
//! reports are audited with the drafted layout alone and must give the findings (rule and
//! place) of the default audit, which reads them with the shipped layouts.

mod support;

use juesuan_audit::infer::{Known, infer};
use juesuan_audit::text::Document;
use juesuan_audit::text::normalize;
use juesuan_audit::{Audit, Auditor};
use juesuan_core::diag::Severity;
use juesuan_core::layout::{
    ColumnKind, Filter, Layout, PanelLayout, TableLayout, header_positions,
};
use juesuan_input::Source;
use juesuan_input::assets::Assets;
use std::collections::BTreeSet;
use std::sync::Arc;
use support::{ROOT, at, bbox};

/// The layout drafted from `doc` knowing every built-in layout but `except`, and its text.
fn draft(doc: &Document, except: &str) -> (Arc<Layout>, String) {
    let assets = Assets::builtin().unwrap();
    let catalog = assets.catalog(true, &[]).unwrap();
    let known = Known::new(&assets, "final-accounts", &[except]).unwrap();
    let d = infer(doc, &known.context(&catalog), "drafted").unwrap();
    let layout = assets
        .load_layout(&Source::new("drafted.toml", d.toml.clone()))
        .unwrap_or_else(|e| panic!("the draft does not load: {e:#?}\n{}", d.toml));
    (layout, d.toml)
}

fn shipped(id: &str) -> Arc<Layout> {
    Assets::builtin().unwrap().layout(id).unwrap().unwrap()
}

fn pdf(file: &str) -> Document {
    juesuan_audit::bbox::document(file, &bbox(file)).unwrap()
}

fn text(file: &str) -> Document {
    let bytes = std::fs::read(format!("{ROOT}/fixtures/reports/{file}")).unwrap();
    juesuan_audit::text::decode(file, &bytes).unwrap()
}

/// A cell's whole filter (table, panel, column, row together), as resolved: its dataset and
/// the dimensions it sets.
fn resolved(fs: &[&Filter]) -> String {
    let Some(q) = Filter::resolve(fs.iter().copied()) else {
        return "nothing".into();
    };
    let mut out = format!("{:?}", q.dataset);
    let names = |v: Vec<&str>| v.join("+");
    if let Some(f) = &q.fund {
        out.push_str(&format!(
            " fund={}",
            names(f.iter().map(|x| x.zh()).collect())
        ));
    }
    if let Some(k) = &q.kind {
        out.push_str(&format!(
            " kind={}",
            names(k.iter().map(|x| x.zh()).collect())
        ));
    }
    if let Some(b) = &q.balance {
        out.push_str(&format!(
            " balance={}",
            names(b.iter().map(|x| x.zh()).collect())
        ));
    }
    if let Some(c) = &q.category {
        out.push_str(&format!(
            " category={}",
            names(c.iter().map(|x| x.zh()).collect())
        ));
    }
    if let Some(s) = q.scenario {
        out.push_str(&format!(" scenario={}", s.zh()));
    }
    for (k, v) in [("function", &q.function), ("economic", &q.economic)] {
        if let Some(v) = v {
            out.push_str(&format!(" {k}={v}"));
        }
    }
    if q.contradictory {
        out.push_str(" (contradictory)");
    }
    out
}

/// What a table says, one fact a line, in a form two layouts can be compared by.
fn facts(t: &TableLayout) -> Vec<String> {
    let id = t.id.key();
    let mut out = vec![
        format!("{id}: title {}", t.title.zh),
        format!(
            "{id}: number {}",
            t.number.as_ref().map_or("-", |n| n.zh.as_str())
        ),
        format!(
            "{id}: note {}",
            t.note.as_ref().map_or("-", |n| n.zh.as_str())
        ),
        format!(
            "{id}: empty_note {}",
            t.empty_note.as_ref().map_or("-", |n| n.zh.as_str())
        ),
        format!("{id}: zero {:?}", t.zero),
        format!("{id}: landscape {}", t.landscape),
        format!("{id}: panels {}", t.panels.len()),
    ];
    // The heading over each value column (the lowest cell, not a 栏次): what an audit finds
    // the column by where it is printed.
    if let Ok((cells, _)) = header_positions(&t.header) {
        let mut ci = 0;
        for panel in &t.panels {
            for c in panel.columns() {
                if c.kind == ColumnKind::Value {
                    let leaf = cells
                        .iter()
                        .filter(|h| h.col <= ci && ci < h.col + h.colspan)
                        .filter(|h| !h.text.zh.trim().chars().all(|c| c.is_ascii_digit()))
                        .max_by_key(|h| h.row + h.rowspan)
                        .map(|h| normalize(&h.text.zh))
                        .unwrap_or_default();
                    out.push(format!(
                        "{id}: {} headed {leaf}",
                        c.key.as_deref().unwrap_or("-")
                    ));
                }
                ci += 1;
            }
        }
    }
    for f in &t.footer {
        out.push(format!("{id}: footer {} {:?}", f.label.zh, f.panels));
    }
    for (p, panel) in t.panels.iter().enumerate() {
        let kinds: Vec<&str> = panel.columns().iter().map(|c| c.kind.key()).collect();
        out.push(format!("{id}[{p}]: columns {}", kinds.join(",")));
        for c in panel
            .columns()
            .iter()
            .filter(|c| c.kind == ColumnKind::Value)
        {
            let key = c.key.as_deref().unwrap_or("-");
            // (A fixed line's figures are its rows' filters, the columns' only narrow them.)
            let means = match panel {
                PanelLayout::Lines { rows, .. }
                    if rows
                        .iter()
                        .any(|r| r.filter.as_ref().is_some_and(|f| f.dataset.is_some())) =>
                {
                    format!("{:?}", c.filter.fund.as_ref().map(|f| f.0.len()))
                }
                _ => resolved(&[&t.filter, panel.filter(), &c.filter]),
            };
            out.push(format!(
                "{id}[{p}]: value {key} col_no {} means {means}",
                c.col_no.as_deref().unwrap_or("-")
            ));
        }
        match panel {
            PanelLayout::Lines { rows, .. } => {
                let lines: Vec<String> = rows
                    .iter()
                    .map(|r| r.line.map_or("-".into(), |l| l.to_string()))
                    .collect();
                out.push(format!("{id}[{p}]: lines {}", lines.join(",")));
                for r in rows
                    .iter()
                    .filter(|r| r.label.is_some() || r.class.is_some())
                {
                    let line = r.line.map_or("-".into(), |l| l.to_string());
                    let means = match (&r.class, &r.filter) {
                        (None, Some(f)) => resolved(&[&t.filter, panel.filter(), f]),
                        _ => String::new(),
                    };
                    let mut fact = format!(
                        "{id}[{p}] L{line}: {}",
                        r.label.as_ref().map_or("", |l| l.zh.as_str())
                    );
                    for (k, v) in [
                        ("class", r.class.clone()),
                        ("sum", r.sum.as_ref().map(|s| format!("{s:?}"))),
                        ("part_of", r.part_of.map(|x| x.to_string())),
                        ("printed", r.printed.clone()),
                    ] {
                        if let Some(v) = v {
                            fact.push_str(&format!(" {k} {v}"));
                        }
                    }
                    if !means.is_empty() {
                        fact.push_str(&format!(" means {means}"));
                    }
                    out.push(fact);
                }
            }
            PanelLayout::Function {
                total,
                total_at,
                min_rows,
                ..
            } => {
                out.push(format!("{id}[{p}]: total {}", total.zh));
                out.push(format!("{id}[{p}]: total_at {total_at:?}"));
                out.push(format!("{id}[{p}]: min_rows {min_rows}"));
            }
            PanelLayout::Economic { rows, rest, .. } => {
                out.push(format!("{id}[{p}]: codes {}", rows.join(",")));
                out.push(format!("{id}[{p}]: rest {rest}"));
            }
        }
    }
    out
}

/// What a layout says besides its tables.
fn layout_facts(l: &Layout) -> Vec<String> {
    let mut out = vec![
        format!("unit {:?}", l.amount_unit),
        format!(
            "meta {:?} {:?} {}",
            l.meta.department.as_ref().map(|t| &t.zh),
            l.meta.year.as_ref().map(|t| &t.zh),
            l.meta.unit.zh
        ),
        format!("requires sections {:?}", {
            let mut s = l.requires.sections.clone();
            s.sort();
            s
        }),
        format!("requires parts {:?}", {
            let mut s = l.requires.parts.clone();
            s.sort();
            s
        }),
        format!("requires forms {}", l.requires.forms),
        format!(
            "tables {}",
            l.tables
                .iter()
                .map(|t| t.id.key())
                .collect::<Vec<_>>()
                .join(",")
        ),
    ];
    for t in &l.tables {
        out.extend(facts(t));
    }
    out
}

/// The facts of `a` not in `b` (`-`) and of `b` not in `a` (`+`).
fn differences(shipped: &Layout, drafted: &Layout) -> Vec<String> {
    let a: Vec<String> = layout_facts(shipped);
    let b: Vec<String> = layout_facts(drafted);
    let sa: BTreeSet<&String> = a.iter().collect();
    let sb: BTreeSet<&String> = b.iter().collect();
    a.iter()
        .filter(|f| !sb.contains(f))
        .map(|f| format!("- {f}"))
        .chain(
            b.iter()
                .filter(|f| !sa.contains(f))
                .map(|f| format!("+ {f}")),
        )
        .collect()
}

/// The facts of the tables and their columns only: what each table is, the keys, 栏次 and
/// meaning of its value columns, its fixed lines, codes, footers and 合计 — not how the
/// report styles them (notes, zeros, orientation, headings), which differ between the reports
/// of one template.
fn structural(f: &str) -> bool {
    [
        "tables ",
        ": title ",
        ": panels ",
        ": columns ",
        ": value ",
        ": lines ",
        ": codes ",
        ": footer ",
        ": total",
        ": min_rows ",
        ": rest ",
        "] L",
    ]
    .iter()
    .any(|k| f.contains(k))
}

/// [`differences`] of the structural facts.
fn structural_differences(shipped: &Layout, drafted: &Layout) -> Vec<String> {
    differences(shipped, drafted)
        .into_iter()
        .filter(|d| structural(&d[2..]))
        .collect()
}

/// How many facts two layouts share, of how many the shipped one has.
fn agreed(shipped: &Layout, drafted: &Layout) -> (usize, usize) {
    let a = layout_facts(shipped);
    let b: BTreeSet<String> = layout_facts(drafted).into_iter().collect();
    (a.iter().filter(|f| b.contains(*f)).count(), a.len())
}

/// Errors and warnings of an audit, and its rows not read: (rule, place).
fn findings(a: &Audit) -> BTreeSet<(String, String)> {
    a.findings
        .iter()
        .filter(|f| f.severity != Severity::Info || f.rule.starts_with('U'))
        .map(|f| (f.rule.clone(), at(&f.location())))
        .collect()
}

/// The auditor that knows the drafted layout alone.
fn auditor(layout: Arc<Layout>) -> Auditor {
    let assets = Assets::builtin().unwrap();
    let catalog = assets.catalog(true, &[]).unwrap();
    Auditor::new(&assets, catalog, Some(layout)).unwrap()
}

/// Where the default audit and the drafted layout's differ on `doc`.
fn audit_differences(doc: &Document, drafted: &Auditor) -> Vec<String> {
    let default = juesuan_audit::Auditor::builtin()
        .unwrap()
        .audit_read(doc)
        .unwrap();
    let mine = drafted.audit_read(doc).unwrap();
    let (a, b) = (findings(&default), findings(&mine));
    a.difference(&b)
        .map(|f| format!("{}: default only {f:?}", doc.name))
        .chain(
            b.difference(&a)
                .map(|f| format!("{}: draft only {f:?}", doc.name)),
        )
        .collect()
}

#[test]
fn the_shanghai_layout_is_drafted_from_its_pdf() {
    let doc = pdf("pdf/01_shanghai-putuo-czj-2024.pdf");
    let (drafted, toml) = draft(&doc, "shanghai-putuo-2024");
    let shipped = shipped("shanghai-putuo-2024");
    let diff = differences(&shipped, &drafted);
    let (same, of) = agreed(&shipped, &drafted);
    println!(
        "Shanghai from its PDF: {same} of {of} facts agree; differences:\n{}",
        diff.join("\n")
    );
    let known: Vec<&str> = KNOWN_01.iter().map(|(d, _)| *d).collect();
    assert_eq!(diff, known, "{toml}");
}

#[test]
fn the_wuhan_layout_is_drafted_from_the_seed_text() {
    let doc = text("wuhan-hongshan-kjj-2023.txt");
    let (drafted, toml) = draft(&doc, "hubei-wuhan-2023");
    let shipped = shipped("hubei-wuhan-2023");
    let diff = differences(&shipped, &drafted);
    let (same, of) = agreed(&shipped, &drafted);
    println!(
        "Wuhan from its text: {same} of {of} facts agree; differences:\n{}",
        diff.join("\n")
    );
    let known: Vec<&str> = KNOWN_WUHAN.iter().map(|(d, _)| *d).collect();
    assert_eq!(diff, known, "{toml}");
}

#[test]
fn the_shanghai_pdfs_audit_alike_with_the_drafted_layout() {
    let doc = pdf("pdf/01_shanghai-putuo-czj-2024.pdf");
    let (drafted, _) = draft(&doc, "shanghai-putuo-2024");
    let auditor = auditor(drafted);
    let mut diff = Vec::new();
    for file in [
        "pdf/01_shanghai-putuo-czj-2024.pdf",
        "pdf/02_shanghai-putuo-ghzyj-2024.pdf",
        "pdf/03_shanghai-putuo-shgzb-2024.pdf",
    ] {
        let doc = pdf(file);
        diff.extend(audit_differences(&doc, &auditor));
        // And each drafted from its own PDF, knowing only the Wuhan layout.
        let own = self::auditor(draft(&doc, "shanghai-putuo-2024").0);
        diff.extend(
            audit_differences(&doc, &own)
                .into_iter()
                .map(|d| format!("(own draft) {d}")),
        );
    }
    println!("{}", diff.join("\n"));
    let known: &[&str] = &[];
    assert_eq!(diff, known);
}

/// The reports' extracted texts (pypdfium2, pdfplumber) audit alike with the layout drafted
/// from 01's PDF, and with the layout each one drafts from its own text.
#[test]
fn the_extracted_texts_audit_alike_with_the_drafted_layouts() {
    let shanghai = auditor(
        draft(
            &pdf("pdf/01_shanghai-putuo-czj-2024.pdf"),
            "shanghai-putuo-2024",
        )
        .0,
    );
    let wuhan_doc = text("wuhan-hongshan-kjj-2023.txt");
    let wuhan = auditor(draft(&wuhan_doc, "hubei-wuhan-2023").0);
    let mut diff = audit_differences(&wuhan_doc, &wuhan);
    let mut files: Vec<String> = std::fs::read_dir(format!("{ROOT}/fixtures/reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt") && n.contains("shanghai"))
        .collect();
    files.sort();
    for f in files {
        let doc = text(&f);
        diff.extend(audit_differences(&doc, &shanghai));
        // And each drafted from its own text, knowing only the Wuhan layout.
        let own = auditor(draft(&doc, "shanghai-putuo-2024").0);
        diff.extend(
            audit_differences(&doc, &own)
                .into_iter()
                .map(|d| format!("(own draft) {d}")),
        );
    }
    println!("{}", diff.join("\n"));
    let known: &[&str] = &[];
    assert_eq!(diff, known);
}

/// The district's two other 2024 reports follow the same template: drafted from their PDFs,
/// their tables and columns are the shipped layout's but where the reports differ from 01
/// (the shipped layout's header lists how: full codes, zeros, notes, an older list of 类).
#[test]
fn the_districts_other_reports_draft_the_same_tables() {
    let mut unexpected = Vec::new();
    for (file, known) in [
        ("pdf/02_shanghai-putuo-ghzyj-2024.pdf", KNOWN_02),
        ("pdf/03_shanghai-putuo-shgzb-2024.pdf", KNOWN_03),
    ] {
        let (drafted, _) = draft(&pdf(file), "shanghai-putuo-2024");
        let diff = structural_differences(&shipped("shanghai-putuo-2024"), &drafted);
        let facts: Vec<String> = layout_facts(&shipped("shanghai-putuo-2024"))
            .into_iter()
            .filter(|f| structural(f))
            .collect();
        let theirs: BTreeSet<String> = layout_facts(&drafted).into_iter().collect();
        let same = facts.iter().filter(|f| theirs.contains(*f)).count();
        println!(
            "{file}: {same} of {} structural facts agree; differences:\n{}",
            facts.len(),
            diff.join("\n")
        );
        let known: Vec<&str> = known.iter().map(|(d, _)| *d).collect();
        if diff != known {
            unexpected.push((file, diff, known));
        }
    }
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}

/// How the draft from 01 differs from the shipped layout, and why.
const KNOWN_01: &[(&str, &str)] = &[
    (
        "- sangong: empty_note 注：{department}无财政拨款“三公”经费支出，故本表无数据。",
        SANGONG_EMPTY,
    ),
    ("+ sangong: empty_note -", SANGONG_EMPTY),
];
/// How the draft from the seed's text differs from the shipped Wuhan layout, and why.
const KNOWN_WUHAN: &[(&str, &str)] = &[
    ("- income: landscape true", LANDSCAPE),
    ("- expenditure: landscape true", LANDSCAPE),
    ("- fiscal_summary: landscape true", LANDSCAPE),
    ("- basic_economic: landscape true", LANDSCAPE),
    (
        "- basic_economic[0]: value amount col_no 1 means BasicEconomic fund=一般公共预算财政拨款",
        BE_COLNO,
    ),
    (
        "- basic_economic[1]: value amount col_no 2 means BasicEconomic fund=一般公共预算财政拨款",
        BE_COLNO,
    ),
    (
        "- basic_economic[2]: value amount col_no 3 means BasicEconomic fund=一般公共预算财政拨款",
        BE_COLNO,
    ),
    (
        "- gov_fund: note 注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
        NOTE,
    ),
    ("- gov_fund: landscape true", LANDSCAPE),
    (
        "- gov_fund[0]: value opening col_no 1 means Balance fund=政府性基金预算财政拨款 balance=年初结转和结余",
        GF_COLNO,
    ),
    (
        "- gov_fund[0]: value income col_no 2 means Income fund=政府性基金预算财政拨款",
        GF_COLNO,
    ),
    (
        "- gov_fund[0]: value total col_no 3 means Expenditure fund=政府性基金预算财政拨款",
        GF_COLNO,
    ),
    (
        "- gov_fund[0]: value basic col_no 4 means Expenditure fund=政府性基金预算财政拨款 kind=基本支出",
        GF_COLNO,
    ),
    (
        "- gov_fund[0]: value project col_no 5 means Expenditure fund=政府性基金预算财政拨款 kind=项目支出",
        GF_COLNO,
    ),
    (
        "- gov_fund[0]: value closing col_no 6 means Balance fund=政府性基金预算财政拨款 balance=年末结转和结余",
        GF_COLNO,
    ),
    (
        "- state_capital: note 注：本表反映部门本年度国有资本经营预算财政拨款支出情况。",
        NOTE,
    ),
    (
        "- sangong: note 注：本表反映部门本年度财政拨款“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，反映按规定程序调整后的预算数；决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。",
        NOTE,
    ),
    ("- sangong: landscape true", LANDSCAPE),
    ("+ income: landscape false", LANDSCAPE),
    ("+ expenditure: landscape false", LANDSCAPE),
    ("+ fiscal_summary: landscape false", LANDSCAPE),
    ("+ basic_economic: landscape false", LANDSCAPE),
    (
        "+ basic_economic[0]: value amount col_no - means BasicEconomic fund=一般公共预算财政拨款",
        BE_COLNO,
    ),
    (
        "+ basic_economic[1]: value amount col_no - means BasicEconomic fund=一般公共预算财政拨款",
        BE_COLNO,
    ),
    (
        "+ basic_economic[2]: value amount col_no - means BasicEconomic fund=一般公共预算财政拨款",
        BE_COLNO,
    ),
    (
        "+ gov_fund: note 注: 本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
        NOTE,
    ),
    ("+ gov_fund: landscape false", LANDSCAPE),
    (
        "+ gov_fund[0]: value opening col_no - means Balance fund=政府性基金预算财政拨款 balance=年初结转和结余",
        GF_COLNO,
    ),
    (
        "+ gov_fund[0]: value income col_no - means Income fund=政府性基金预算财政拨款",
        GF_COLNO,
    ),
    (
        "+ gov_fund[0]: value total col_no - means Expenditure fund=政府性基金预算财政拨款",
        GF_COLNO,
    ),
    (
        "+ gov_fund[0]: value basic col_no - means Expenditure fund=政府性基金预算财政拨款 kind=基本支出",
        GF_COLNO,
    ),
    (
        "+ gov_fund[0]: value project col_no - means Expenditure fund=政府性基金预算财政拨款 kind=项目支出",
        GF_COLNO,
    ),
    (
        "+ gov_fund[0]: value closing col_no - means Balance fund=政府性基金预算财政拨款 balance=年末结转和结余",
        GF_COLNO,
    ),
    (
        "+ state_capital: note 注: 本表反映部门本年度国有资本经营预算财政拨款支出情况。",
        NOTE,
    ),
    (
        "+ sangong: note 注: 本表反映部门本年度财政拨款“三公”经费支出预决算情况。其中, 预算数为“三公”经费全年预算数, 反映按规定程序调整后的预算数; 决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。",
        NOTE,
    ),
    ("+ sangong: landscape false", LANDSCAPE),
];
/// 02 (规划和自然资源局): how its tables differ from 01's, the shipped layout's source.
const KNOWN_02: &[(&str, &str)] = &[
    (
        "- summary[0]: lines 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,31",
        CLASSES,
    ),
    (
        "- summary[0] L28: 使用非财政拨款结余（含专用结余） means Balance balance=使用非财政拨款结余",
        L28,
    ),
    (
        "- summary[1]: lines 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,62",
        CLASSES,
    ),
    ("- summary[1] L55:  class 231", CLASSES),
    ("- summary[1] L56:  class 232", CLASSES),
    ("- summary[1] L57:  class 234", CLASSES),
    (
        "- income[0]: columns lei,kuan,xiang,name,value,value,value,value,value,value,value",
        CODE,
    ),
    (
        "- expenditure[0]: columns lei,kuan,xiang,name,value,value,value,value,value,value",
        CODE,
    ),
    (
        "- fiscal_summary[0]: lines 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32",
        CLASSES,
    ),
    (
        "- fiscal_summary[1]: lines 33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64",
        CLASSES,
    ),
    ("- fiscal_summary[1] L56:  class 231", CLASSES),
    ("- fiscal_summary[1] L57:  class 232", CLASSES),
    ("- fiscal_summary[1] L58:  class 234", CLASSES),
    (
        "- general_budget[0]: columns lei,kuan,xiang,name,value,value,value",
        CODE,
    ),
    ("- basic_economic[0]: columns lei,kuan,name,value", CODE),
    (
        "- basic_economic[0]: codes 301,30101,30102,30103,30106,30107,30108,30109,30110,30111,30112,30113,30114,30199,303,30301,30302,30303,30304,30305,30307,30308,30309,30310,30311,30399",
        RELIEF,
    ),
    ("- basic_economic[1]: columns lei,kuan,name,value", CODE),
    ("- gov_fund: total headed 小计", EMPTY),
    (
        "- gov_fund[0]: columns lei,kuan,xiang,name,value,value,value,value,value,value",
        CODE,
    ),
    ("- gov_fund[0]: total_at Bottom", EMPTY),
    ("- gov_fund[0]: min_rows 8", EMPTY),
    ("- state_capital: total headed 小计", EMPTY),
    (
        "- state_capital[0]: columns lei,kuan,xiang,name,value,value,value,value,value,value",
        CODE,
    ),
    ("- state_capital[0]: total_at Bottom", EMPTY),
    ("- state_capital[0]: min_rows 8", EMPTY),
    (
        "+ summary[0]: lines 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,27,28,29,31",
        CLASSES,
    ),
    (
        "+ summary[0] L28: 使用非财政拨款结余 means Balance balance=使用非财政拨款结余",
        L28,
    ),
    (
        "+ summary[1]: lines 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,57,58,59,60,62",
        CLASSES,
    ),
    (
        "+ summary[1] L57: 二十四、抗疫特别国债安排的支出 class 234",
        CLASSES,
    ),
    (
        "+ income[0]: columns code,name,value,value,value,value,value,value,value",
        CODE,
    ),
    (
        "+ expenditure[0]: columns code,name,value,value,value,value,value,value",
        CODE,
    ),
    (
        "+ fiscal_summary[0]: lines 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,27,28,29,30,31,32",
        CLASSES,
    ),
    (
        "+ fiscal_summary[1]: lines 33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,58,59,60,61,62,63,64",
        CLASSES,
    ),
    (
        "+ fiscal_summary[1] L58: 二十四、抗疫特别国债安排的支出 class 234",
        CLASSES,
    ),
    (
        "+ general_budget[0]: columns code,name,value,value,value",
        CODE,
    ),
    ("+ basic_economic[0]: columns code,name,value", CODE),
    (
        "+ basic_economic[0]: codes 301,30101,30102,30103,30106,30107,30108,30109,30110,30111,30112,30113,30114,30199,303,30301,30302,30303,30304,30305,30306,30307,30308,30309,30310,30311,30399",
        RELIEF,
    ),
    ("+ basic_economic[1]: columns code,name,value", CODE),
    ("+ gov_fund: total headed 合计", EMPTY),
    (
        "+ gov_fund[0]: columns code,name,value,value,value,value,value,value",
        CODE,
    ),
    ("+ gov_fund[0]: total_at Top", EMPTY),
    ("+ gov_fund[0]: min_rows 0", EMPTY),
    ("+ state_capital: total headed 合计", EMPTY),
    (
        "+ state_capital[0]: columns code,name,value,value,value,value,value,value",
        CODE,
    ),
    ("+ state_capital[0]: total_at Top", EMPTY),
    ("+ state_capital[0]: min_rows 0", EMPTY),
];
/// 03 (区委社会工作部).
const KNOWN_03: &[(&str, &str)] = &[
    (
        "- summary[0] L28: 使用非财政拨款结余（含专用结余） means Balance balance=使用非财政拨款结余",
        L28,
    ),
    (
        "- income[0]: columns lei,kuan,xiang,name,value,value,value,value,value,value,value",
        CODE,
    ),
    (
        "- expenditure[0]: columns lei,kuan,xiang,name,value,value,value,value,value,value",
        CODE,
    ),
    (
        "- general_budget[0]: columns lei,kuan,xiang,name,value,value,value",
        CODE,
    ),
    ("- basic_economic[0]: columns lei,kuan,name,value", CODE),
    (
        "- basic_economic[0]: codes 301,30101,30102,30103,30106,30107,30108,30109,30110,30111,30112,30113,30114,30199,303,30301,30302,30303,30304,30305,30307,30308,30309,30310,30311,30399",
        RELIEF,
    ),
    ("- basic_economic[1]: columns lei,kuan,name,value", CODE),
    ("- gov_fund: total headed 小计", EMPTY),
    (
        "- gov_fund[0]: columns lei,kuan,xiang,name,value,value,value,value,value,value",
        CODE,
    ),
    ("- gov_fund[0]: total_at Bottom", EMPTY),
    ("- gov_fund[0]: min_rows 8", EMPTY),
    ("- state_capital: total headed 小计", EMPTY),
    (
        "- state_capital[0]: columns lei,kuan,xiang,name,value,value,value,value,value,value",
        CODE,
    ),
    ("- state_capital[0]: total_at Bottom", EMPTY),
    ("- state_capital[0]: min_rows 8", EMPTY),
    (
        "+ summary[0] L28: 使用非财政拨款结余 means Balance balance=使用非财政拨款结余",
        L28,
    ),
    (
        "+ income[0]: columns code,name,value,value,value,value,value,value,value",
        CODE,
    ),
    (
        "+ expenditure[0]: columns code,name,value,value,value,value,value,value",
        CODE,
    ),
    (
        "+ general_budget[0]: columns code,name,value,value,value",
        CODE,
    ),
    ("+ basic_economic[0]: columns code,name,value", CODE),
    (
        "+ basic_economic[0]: codes 301,30101,30102,30103,30106,30107,30108,30109,30110,30111,30112,30113,30114,30199,303,30301,30302,30303,30304,30305,30306,30307,30308,30309,30310,30311,30399",
        RELIEF,
    ),
    ("+ basic_economic[1]: columns code,name,value", CODE),
    ("+ gov_fund: total headed 合计", EMPTY),
    (
        "+ gov_fund[0]: columns code,name,value,value,value,value,value,value",
        CODE,
    ),
    ("+ gov_fund[0]: total_at Top", EMPTY),
    ("+ gov_fund[0]: min_rows 0", EMPTY),
    ("+ state_capital: total headed 合计", EMPTY),
    (
        "+ state_capital[0]: columns code,name,value,value,value,value,value,value",
        CODE,
    ),
    ("+ state_capital[0]: total_at Top", EMPTY),
    ("+ state_capital[0]: min_rows 0", EMPTY),
];

// Why the drafts differ (each difference below names one).
const RELIEF: &str = "the report prints 30306 救济费, which 01 does not";
const L28: &str = "the report prints 使用非财政拨款结余 without 01's （含专用结余）";
const BE_COLNO: &str = "公开06表 prints no 栏次; the shipped layout numbers its panels for checks";
const CLASSES: &str = "the report lists 24 classes (no 231/232 债务还本/付息; its last is 二十四、抗疫特别国债安排的支出): two class lines fewer, and two blank lines beside them";
const CODE: &str =
    "whole codes (2080501): 01, the shipped layout's source, splits them over 类/款/项";
const EMPTY: &str = "an empty 政府性基金/国有资本经营 table: the report heads its subtotal 合计 (01: 小计) and prints its 合计 right under the header (01: under eight blank rows)";
const GF_COLNO: &str = "the seed's text prints four 栏次 over the six columns of 公开07表 (the extraction lost two): not given to the columns";
const LANDSCAPE: &str = "a text has no page size: the draft leaves the orientation to the reviewer (its comment says so)";
const NOTE: &str = "the seed's text prints these notes with ASCII punctuation (`注: `, `, `); the shipped layout writes the report's full-width ones";
const SANGONG_EMPTY: &str = "01's 三公 table has figures, so 01 prints no empty-table sentence; the shipped layout wrote one in 01's wording";

/// The seed built with the Wuhan layout, as a workbook and as the tables' HTML page: what a
/// region's published workbook or page reads as.
fn built_wuhan() -> (Vec<u8>, String) {
    use juesuan_input::compile::{LayoutChoice, compile};
    let path = format!("{ROOT}/examples/hongshan-kjj-2023.toml");
    let assets = Assets::builtin().unwrap();
    let catalog = assets.catalog(true, &[]).unwrap();
    let built = compile(
        &Source::new(&path, std::fs::read_to_string(&path).unwrap()),
        &assets,
        &catalog,
        &LayoutChoice::FromInput,
    )
    .unwrap_or_else(|p| panic!("{p:?}"));
    let book = juesuan_render::xlsx::workbook(&built.views, juesuan_core::Lang::Zh).unwrap();
    let page = juesuan_render::html::page(&built.views, juesuan_core::Lang::Zh).unwrap();
    (book, page)
}

/// The seed built with the Wuhan layout and published as a workbook and as the tables' page
/// (cells where the layout merges them) drafts the Wuhan layout back, knowing only Shanghai's:
/// the same tables, columns, lines, codes and footers; not what a page of the tables alone
/// cannot show.
#[test]
fn the_wuhan_layout_is_drafted_from_its_workbook_and_page() {
    let (book, page) = built_wuhan();
    let mut unexpected = Vec::new();
    for (name, doc) in [
        (
            "xlsx",
            juesuan_audit::xlsx::document("wuhan.xlsx", &book).unwrap(),
        ),
        (
            "html",
            juesuan_audit::html::document("wuhan.html", page.as_bytes()).unwrap(),
        ),
    ] {
        let (drafted, _) = draft(&doc, "hubei-wuhan-2023");
        let shipped = shipped("hubei-wuhan-2023");
        let diff = differences(&shipped, &drafted);
        let (same, of) = agreed(&shipped, &drafted);
        println!(
            "Wuhan from its {name}: {same} of {of} facts agree; differences:\n{}",
            diff.join("\n")
        );
        let known: Vec<&str> = KNOWN_WUHAN_BUILT.iter().map(|(d, _)| *d).collect();
        if diff != known {
            unexpected.push((name, diff));
        }
        // And the workbook or page audits alike with the draft.
        let audited = audit_differences(&doc, &auditor(drafted));
        if !audited.is_empty() {
            unexpected.push((name, audited));
        }
    }
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}

/// How the drafts from the seed's workbook and page differ from the shipped Wuhan layout.
const KNOWN_WUHAN_BUILT: &[(&str, &str)] = &[
    (
        "- requires sections [\"assets\", \"basic\", \"expenditure\", \"fiscal\", \"general_budget\", \"gov_fund\", \"income\", \"overview\", \"performance\", \"procurement\", \"running_costs\", \"sangong\", \"special_funds\", \"state_capital\"]",
        TABLES_ALONE,
    ),
    (
        "- requires parts [\"glossary\", \"other\", \"profile\"]",
        TABLES_ALONE,
    ),
    ("- requires forms true", TABLES_ALONE),
    ("- income: landscape true", NO_PAGE),
    ("- expenditure: landscape true", NO_PAGE),
    ("- fiscal_summary: landscape true", NO_PAGE),
    ("- basic_economic: landscape true", NO_PAGE),
    (
        "- basic_economic[0]: value amount col_no 1 means BasicEconomic fund=一般公共预算财政拨款",
        BE_COLNO,
    ),
    (
        "- basic_economic[1]: value amount col_no 2 means BasicEconomic fund=一般公共预算财政拨款",
        BE_COLNO,
    ),
    (
        "- basic_economic[2]: value amount col_no 3 means BasicEconomic fund=一般公共预算财政拨款",
        BE_COLNO,
    ),
    ("- gov_fund: landscape true", NO_PAGE),
    ("- sangong: landscape true", NO_PAGE),
    ("+ requires sections []", TABLES_ALONE),
    ("+ requires parts []", TABLES_ALONE),
    ("+ requires forms false", TABLES_ALONE),
    ("+ income: landscape false", NO_PAGE),
    ("+ expenditure: landscape false", NO_PAGE),
    ("+ fiscal_summary: landscape false", NO_PAGE),
    ("+ basic_economic: landscape false", NO_PAGE),
    (
        "+ basic_economic[0]: value amount col_no - means BasicEconomic fund=一般公共预算财政拨款",
        BE_COLNO,
    ),
    (
        "+ basic_economic[1]: value amount col_no - means BasicEconomic fund=一般公共预算财政拨款",
        BE_COLNO,
    ),
    (
        "+ basic_economic[2]: value amount col_no - means BasicEconomic fund=一般公共预算财政拨款",
        BE_COLNO,
    ),
    ("+ gov_fund: landscape false", NO_PAGE),
    ("+ sangong: landscape false", NO_PAGE),
];
const TABLES_ALONE: &str = "a workbook or a page of the tables alone prints no narrative, parts or forms: the draft requires none (its comment says so)";
const NO_PAGE: &str = "a workbook's or a page's tables have no printed page: the draft leaves the orientation to the reviewer";
