//! A reviewer's acceptance test: each class of defect a published report can have beyond its
//! arithmetic — a table missing, an empty table without its note or one with figures saying it
//! is empty, a required part missing, another department or year in a title, a stray year in the
//! narrative, a placeholder or a template's instruction left in, punctuation doubled or left
//! unpaired, a rate without its % — is injected into a copy of every real report here (the
//! texts, and the official PDFs through their words' positions), one defect per copy. Each must
//! be reported by its rule, with its severity, at the place it was put; and it must be the only
//! new error. The places are found by what the report says (its tables as read, its narrative's
//! headings, its title lines), never by a line number of one fixture.

mod support;

use juesuan_audit::text::{self, Document};
use juesuan_core::diag::Severity;
use juesuan_core::rules::Finding;
use std::collections::BTreeMap;
use support::{ROOT, bbox};

/// The reports: every text, and every PDF as the auditor reads it (words and their columns).
fn reports() -> Vec<(String, Document)> {
    let dir = format!("{ROOT}/fixtures/reports");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".txt") && name != "README.md" {
            let bytes = std::fs::read(format!("{dir}/{name}")).unwrap();
            out.push((name.clone(), text::decode(&name, &bytes).unwrap()));
        }
    }
    for entry in std::fs::read_dir(format!("{dir}/pdf")).unwrap() {
        let name = format!("pdf/{}", entry.unwrap().file_name().to_string_lossy());
        if name.ends_with(".pdf") {
            let doc = juesuan_audit::bbox::document(&name, &bbox(&name)).unwrap();
            out.push((name, doc));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn audit(doc: &Document) -> juesuan_audit::Audit {
    juesuan_audit::Auditor::builtin()
        .unwrap()
        .audit_read(doc)
        .unwrap_or_else(|e| panic!("{}: {e:?}", doc.name))
}

/// What the injection expects: the rule, its severity, and where — a line of the copy, or a
/// table or part named in words.
#[derive(Debug)]
struct Expect {
    rule: &'static str,
    severity: Severity,
    at: At,
}

#[derive(Debug)]
enum At {
    Line(u32),
    /// The finding's table or part name holds these words.
    Named(String),
}

/// A copy of a report with one defect.
struct Injected {
    class: &'static str,
    doc: Document,
    expect: Expect,
}

/// The report as the injections see it: its lines normalized, the lines of its tables' titles,
/// where its narrative is, its year and department.
struct View<'a> {
    doc: &'a Document,
    norm: Vec<String>,
    found: Vec<(String, u32)>,
    narrative: std::ops::Range<u32>,
    year: i32,
}

impl View<'_> {
    fn line(&self, no: u32) -> &str {
        &self.doc.lines[no as usize - 1]
    }

    /// The narrative's lines that are sentences (not headings), first to last.
    fn sentences(&self) -> impl Iterator<Item = u32> + '_ {
        self.narrative.clone().filter(|l| {
            let n = &self.norm[*l as usize - 1];
            n.chars().count() > 12 && !text::is_page_marker(self.line(*l))
        })
    }

    /// A copy with line `no`'s text changed by replacing `from` with `to` once, inside one of
    /// its words (a PDF line's words keep their positions).
    fn edit(&self, no: u32, from: &str, to: &str) -> Option<Document> {
        let line = self.line(no);
        let at = line.find(from)?;
        let piece = |s: &str| s.split_whitespace().count();
        let edited = format!("{}{to}{}", &line[..at], &line[at + from.len()..]);
        if !self.doc.positions.is_empty() && piece(&edited) != piece(line) {
            return None;
        }
        let mut doc = self.doc.clone();
        doc.lines[no as usize - 1] = edited;
        Some(doc)
    }

    /// A copy with `from`, found at byte `at` of line `no`, replaced by `to` (the same number
    /// of words).
    fn edit_at(&self, no: u32, at: usize, from: &str, to: &str) -> Option<Document> {
        let line = self.line(no);
        let head = &line[..at];
        let rest = line[at..].strip_prefix(from)?;
        let mut doc = self.doc.clone();
        doc.lines[no as usize - 1] = format!("{head}{to}{rest}");
        Some(doc)
    }

    /// A copy with `text` as a new line `no` (a line without word positions, as a PDF's
    /// plain text would be).
    fn with_line(&self, no: u32, text: &str) -> Document {
        let mut doc = self.doc.clone();
        doc.lines.insert(no as usize - 1, text.to_string());
        if !doc.positions.is_empty() {
            doc.positions.insert(no as usize - 1, Vec::new());
        }
        doc
    }

    /// A copy with lines `range` printed again right after them (words, positions and all).
    fn with_copy(&self, range: std::ops::Range<u32>) -> Document {
        let mut doc = self.doc.clone();
        let (a, b) = (range.start as usize - 1, range.end as usize - 1);
        let lines: Vec<String> = doc.lines[a..b].to_vec();
        doc.lines.splice(b..b, lines);
        for spans in [&mut doc.positions, &mut doc.vertical] {
            if !spans.is_empty() {
                let copy: Vec<_> = spans[a..b].to_vec();
                spans.splice(b..b, copy);
            }
        }
        doc
    }

    /// A copy without lines `range`.
    fn without(&self, range: std::ops::Range<u32>) -> Document {
        let mut doc = self.doc.clone();
        let (a, b) = (range.start as usize - 1, range.end as usize - 1);
        doc.lines.drain(a..b);
        if !doc.positions.is_empty() {
            doc.positions.drain(a..b);
        }
        doc
    }
}

fn view<'a>(doc: &'a Document, a: &juesuan_audit::Audit) -> View<'a> {
    let norm: Vec<String> = doc.lines.iter().map(|l| text::normalize(l)).collect();
    let found: Vec<(String, u32)> = a
        .read
        .found
        .iter()
        .map(|(id, l)| (id.key().to_string(), *l))
        .collect();
    let last = found.iter().map(|(_, l)| *l).max().unwrap();
    let n = doc.lines.len() as u32;
    let start = (last..=n)
        .find(|l| norm[*l as usize - 1].contains("收入支出决算总体情况"))
        .unwrap_or(n);
    let end = (start..=n)
        .find(|l| norm[*l as usize - 1].starts_with("第四部分"))
        .unwrap_or(n);
    View {
        doc,
        norm,
        found,
        narrative: start..end,
        year: a.year.unwrap(),
    }
}

/// Every injection that has a place in the report.
fn injections(v: &View, other_department: &str) -> Vec<Injected> {
    let mut out = Vec::new();
    let mut push = |class, doc: Option<Document>, rule, severity, at| {
        if let Some(doc) = doc {
            out.push(Injected {
                class,
                doc,
                expect: Expect { rule, severity, at },
            });
        }
    };
    let y = v.year.to_string();
    let mut titles: Vec<&(String, u32)> = v.found.iter().collect();
    titles.sort_by_key(|(_, l)| *l);
    let first = |pred: &dyn Fn(u32, &str) -> bool| v.sentences().find(|l| pred(*l, v.line(*l)));

    // A placeholder for the year in a sentence of the narrative.
    if let Some(l) = first(&|_, t| t.contains(&y)) {
        push(
            "placeholder",
            v.edit(l, &y, "20XX"),
            "W001",
            Severity::Warning,
            At::Line(l),
        );
    }
    // A template's instruction left at a sentence's end.
    if let Some(l) = first(&|_, t| t.trim_end().ends_with('。')) {
        let line = v.line(l).trim_end();
        let doc = v.edit(l, line, &format!("{line}请根据实际情况填写"));
        push("instruction", doc, "W002", Severity::Warning, At::Line(l));
    }
    // A comma doubled.
    if let Some(l) = first(&|_, t| t.contains('，') && !t.contains("，，")) {
        push(
            "doubled",
            v.edit(l, "，", "，，"),
            "W003",
            Severity::Info,
            At::Line(l),
        );
    }
    // A closing bracket lost: a line with one pair only.
    if let Some(l) = first(&|_, t| t.matches('（').count() == 1 && t.matches('）').count() == 1) {
        let (open, close) = (v.line(l).find('（').unwrap(), v.line(l).find('）').unwrap());
        if open < close {
            push(
                "bracket",
                v.edit(l, "）", ""),
                "W004",
                Severity::Info,
                At::Line(l),
            );
        }
    }
    // A rate's % lost: `增长 1.40%。` → `增长 1.40。`.
    let rate = |t: &str| -> Option<String> {
        let n = t.find("增长").or_else(|| t.find("下降"))?;
        let rest = &t[n..];
        let pct = rest.find('%')?;
        let number = rest[..pct].trim_start_matches(|c: char| !c.is_ascii_digit());
        let after = rest[pct + 1..].chars().next()?;
        (number
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ' ')
            && !number.trim().is_empty()
            && matches!(after, '，' | '。' | '；'))
        .then(|| format!("{}%", number.trim_end()))
    };
    if let Some(l) = first(&|_, t| rate(t).is_some()) {
        let with = rate(v.line(l)).unwrap();
        let doc = v.edit(l, &with, with.trim_end_matches('%'));
        push(
            "rate without %",
            doc,
            "W005",
            Severity::Warning,
            At::Line(l),
        );
    }
    // A stray year: this year's figure given as last year's (`2024年度收入…` → `2023年度收入…`).
    let period = |t: &str| -> Option<usize> {
        t.match_indices(y.as_str()).map(|(at, _)| at).find(|at| {
            let after = text::normalize(&t[at + y.len()..]);
            let before: String = text::normalize(&t[..*at]).chars().rev().take(3).collect();
            after.strip_prefix("年度").is_some_and(|a| {
                ["收入", "支出", "财政拨款", "一般公共预算"]
                    .iter()
                    .any(|w| a.starts_with(w))
            }) && !["与", "比", "较"].iter().any(|w| before.contains(w))
        })
    };
    if let Some(l) = first(&|_, t| period(t).is_some()) {
        let at = period(v.line(l)).unwrap();
        let doc = v.edit_at(l, at, &y, &(v.year - 1).to_string());
        push("stray year", doc, "I004", Severity::Warning, At::Line(l));
    }
    // A title naming the year before, or another department: the narrative's part title.
    let title = (v.narrative.start.saturating_sub(12)..v.narrative.start)
        .rev()
        .find(|l| v.norm[*l as usize - 1].contains(&format!("{y}年度部门决算")));
    if let Some(l) = title {
        let doc = v.edit(l, &y, &(v.year - 1).to_string());
        push("title year", doc, "I002", Severity::Error, At::Line(l));
        let line = v.line(l);
        let name_end = line.find(&y).unwrap();
        let name = line[..name_end]
            .trim_end()
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .trim_start_matches("第三部分");
        if name.chars().count() >= 4 {
            let doc = v.edit(l, name, other_department);
            push(
                "title department",
                doc,
                "I001",
                Severity::Warning,
                At::Line(l),
            );
        }
    }
    // A table missing: the fourth table's lines, title to the next title.
    if let [.., a, b, _, _, _, _, _] = titles.as_slice() {
        let doc = v.without(a.1..b.1);
        push(
            "table missing",
            Some(doc),
            "D001",
            Severity::Error,
            At::Named(a.0.clone()),
        );
    }
    // A passage printed twice: the narrative's first two adjacent long lines with a digit
    // printed again right after themselves.
    let long = |l: u32| {
        let n = &v.norm[l as usize - 1];
        n.chars().count() >= 24 && n.chars().any(|c| c.is_ascii_digit())
    };
    if let Some(l) = v.narrative.clone().find(|l| long(*l) && long(l + 1)) {
        push(
            "passage twice",
            Some(v.with_copy(l..l + 2)),
            "W006",
            Severity::Warning,
            At::Line(l + 2),
        );
    }
    // An empty table's note lost, and a table with figures saying it has none.
    let table_lines = |i: usize| titles[i].1..titles.get(i + 1).map_or(v.narrative.start, |t| t.1);
    let says_empty = |l: u32| {
        ["无数据", "为空表", "本表为空"]
            .iter()
            .any(|w| v.norm[l as usize - 1].contains(w))
    };
    if let Some(i) = (0..titles.len()).find(|i| table_lines(*i).any(says_empty)) {
        let notes: Vec<u32> = table_lines(i).filter(|l| says_empty(*l)).collect();
        let (first, last) = (notes[0], *notes.last().unwrap());
        // The note and what it wraps onto, up to the next line that is not part of it.
        let doc = v.without(first..last + 1);
        push(
            "note missing",
            Some(doc),
            "D002",
            Severity::Warning,
            At::Named(titles[i].0.clone()),
        );
    }
    // An empty table's note about another table: the first note naming a table's subject
    // (the kind's `subject` words) made to name another table's instead.
    let assets = juesuan_input::assets::Assets::builtin().unwrap();
    let subjects: Vec<&String> = assets
        .final_accounts()
        .unwrap()
        .kind
        .tables
        .iter()
        .flat_map(|t| &t.subject)
        .collect();
    let swapped = (0..titles.len()).find_map(|i| {
        let l = table_lines(i).find(|l| says_empty(*l))?;
        let own = subjects.iter().find(|w| v.line(l).contains(w.as_str()))?;
        let other = subjects.iter().find(|w| *w != own)?;
        Some((l, v.edit(l, own, other)?))
    });
    if let Some((l, doc)) = swapped {
        push(
            "note of another table",
            Some(doc),
            "D007",
            Severity::Warning,
            At::Line(l),
        );
    }
    if let Some(i) = (0..titles.len()).find(|i| !table_lines(*i).any(says_empty)) {
        // A note under the table's last line says so.
        let l = table_lines(i)
            .rev()
            .find(|l| !v.line(*l).trim().is_empty() && !text::is_page_marker(v.line(*l)))
            .unwrap();
        let doc = v.with_line(l + 1, "注：本表无数据。");
        push(
            "says empty",
            Some(doc),
            "D003",
            Severity::Warning,
            At::Line(l + 1),
        );
    }
    // A required part of the narrative missing: the 三公 section, its heading to the next
    // section's.
    let numbered = |l: u32| {
        let n = &v.norm[l as usize - 1];
        let numeral = n
            .chars()
            .take_while(|c| "一二三四五六七八九十".contains(*c))
            .count();
        numeral > 0 && n.chars().nth(numeral) == Some('、')
    };
    if let Some(l) = v.narrative.clone().find(|l| {
        let n = &v.norm[*l as usize - 1];
        numbered(*l) && n.contains("三公") && n.chars().count() < 30
    }) {
        let next = (l + 1..v.narrative.end)
            .find(|k| numbered(*k))
            .unwrap_or(l + 1);
        let doc = v.without(l..next);
        push(
            "part missing",
            Some(doc),
            "D006",
            Severity::Error,
            At::Named("三公".into()),
        );
    }
    out
}

/// Whether `f` is what `e` expects.
fn is_expected(f: &Finding, e: &Expect, tables: &BTreeMap<String, String>) -> bool {
    f.rule == e.rule
        && match &e.at {
            At::Line(l) => f.source().is_some_and(|p| p.line == *l),
            At::Named(w) => {
                let name = f.table_name().zh;
                name.contains(w.as_str())
                    || tables.get(w).is_some_and(|t| name.contains(t.as_str()))
            }
        }
}

fn errors(a: &juesuan_audit::Audit) -> Vec<String> {
    let mut e: Vec<String> = a
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{} {}", f.rule, f.table_name().zh))
        .collect();
    e.sort();
    e
}

#[test]
fn each_injected_defect_is_reported_with_its_severity_at_its_place() {
    let reports = reports();
    assert!(reports.len() >= 11, "{} reports", reports.len());
    let departments: Vec<String> = reports
        .iter()
        .filter_map(|(_, d)| audit(d).department)
        .collect();
    let mut problems = Vec::new();
    let mut done: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, doc) in &reports {
        let base = audit(doc);
        let v = view(doc, &base);
        let cover = base.department.clone().unwrap();
        // Another department of the corpus: the report a title was copied from.
        let other = departments.iter().find(|d| **d != cover).unwrap();
        let tables: BTreeMap<String, String> = base
            .read
            .found
            .iter()
            .filter_map(|(id, _)| {
                let t = base.read.sheet.table(id.key())?;
                Some((id.key().to_string(), t.describe().zh))
            })
            .collect();
        let before = errors(&base);
        for inj in injections(&v, other) {
            *done.entry(inj.class).or_default() += 1;
            let a = audit(&inj.doc);
            let hit: Vec<&Finding> = a
                .findings
                .iter()
                .filter(|f| is_expected(f, &inj.expect, &tables))
                .collect();
            match hit.first() {
                None => problems.push(format!(
                    "{name} {}: {} not reported at {:?}",
                    inj.class, inj.expect.rule, inj.expect.at
                )),
                Some(f) if f.severity != inj.expect.severity => problems.push(format!(
                    "{name} {}: {} is {:?}, expected {:?}",
                    inj.class, f.rule, f.severity, inj.expect.severity
                )),
                Some(_) => {}
            }
            // Nothing else turns into an error (a missing table takes its rules with it: they
            // do not apply, they do not fail).
            let mut after = errors(&a);
            after.retain(|e| !e.starts_with(inj.expect.rule));
            let mut expected_before = before.clone();
            expected_before.retain(|e| !e.starts_with(inj.expect.rule));
            let new: Vec<&String> = after
                .iter()
                .filter(|e| !expected_before.contains(e))
                .collect();
            if !new.is_empty() {
                problems.push(format!("{name} {}: new errors {new:?}", inj.class));
            }
        }
    }
    eprintln!("{done:?}");
    // Every class was tried on most reports: the test cannot pass by finding no place.
    for class in [
        "placeholder",
        "instruction",
        "doubled",
        "bracket",
        "rate without %",
        "stray year",
        "title year",
        "title department",
        "table missing",
        "note missing",
        "says empty",
        "part missing",
    ] {
        let n = done.get(class).copied().unwrap_or(0);
        if n < reports.len() / 2 {
            problems.push(format!(
                "{class}: injected into {n} of {} reports",
                reports.len()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
