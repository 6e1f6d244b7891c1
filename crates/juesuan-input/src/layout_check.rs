//! `juesuan layout check`: everything wrong with a layout file, each problem where it is
//! written (`file:line:col`), with what was expected and what was found.
//!
//! The loader ([`crate::layout_file`], [`crate::assets::Assets::load_layout`]) refuses a layout
//! at its first kind of problem and names tables and rows rather than lines of the file; this
//! reads the file's tree ([`crate::node`]) beside the typed layout, so that each check points at
//! the key or value at fault: a table the kind does not have (E0504), a value column's key
//! (E0505), something written twice (E0506), a header as wide as the body (E0507), the lines a
//! sum or a "其中" line names (E0508), what a cell's filters read (E0509), a footer's panels
//! (E0510), the parts, narrative and catalogs the layout names (E0511), panels that do not
//! address rows as the kind's table does (E0513). When none of those is found, the loader's own
//! checks and an empty build of the tables (its labels from the catalog) run as well, so that
//! nothing it would refuse passes here.

use crate::assets::Assets;
use crate::node::{Node, Value, parse_toml};
use crate::source::Source;
use juesuan_core::catalog::{Catalog, Classification};
use juesuan_core::diag::Severity;
use juesuan_core::kind::{Kind, RowsBy};
use juesuan_core::layout::{
    ColumnKind, Filter, Layout, LineRowLayout, PanelLayout, TableLayout, header_positions,
};
use juesuan_core::{Diagnostic, Location, Text};
use std::collections::BTreeMap;

/// A step of a path into the file's tree.
#[derive(Clone, Copy, Debug)]
enum P<'a> {
    K(&'a str),
    I(usize),
}

/// The file, its tree and the problems found.
struct Checker<'a> {
    source: &'a Source,
    root: Node,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Where `path` is written: its deepest node the file has.
    fn at(&self, path: &[P]) -> Location {
        let mut node = &self.root;
        for step in path {
            let next = match (step, &node.value) {
                (P::K(k), _) => node.get(k),
                (P::I(i), Value::Array(items)) => items.get(*i),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node.at.locate(self.source)
    }

    fn error(&mut self, code: &'static str, path: &[P], zh: String, en: String) -> &mut Diagnostic {
        let d = Diagnostic::error(code, self.at(path), Text::new(zh, en));
        self.out.push(d);
        self.out.last_mut().expect("pushed")
    }

    fn warning(
        &mut self,
        code: &'static str,
        path: &[P],
        zh: String,
        en: String,
    ) -> &mut Diagnostic {
        let d = self.error(code, path, zh, en);
        d.severity = Severity::Warning;
        d
    }
}

/// Sets what was expected and found on a diagnostic just made.
fn explain(d: &mut Diagnostic, expected: Text, found: impl Into<String>) {
    d.expected = Some(expected);
    d.found = Some(Text::same(found));
}

/// Every problem of the layout file `source`, checked against the kinds, templates and catalog
/// of `assets` (and `catalog`, where class lines take their names). Empty: the layout loads and
/// builds.
pub fn check(assets: &Assets, catalog: &Catalog, source: &Source) -> Vec<Diagnostic> {
    let root = match parse_toml(source) {
        Ok(r) => r,
        Err(problems) => {
            // A syntax error of a layout file is its E0502.
            return problems
                .into_iter()
                .map(|mut d| {
                    if d.code == "E0201" {
                        d.code = "E0502";
                        d.message = Text::new(
                            format!("版式文件无效：{}", d.message.zh),
                            format!("invalid layout file: {}", d.message.en),
                        );
                    }
                    d
                })
                .collect();
        }
    };
    let layout = match crate::layout_file::typed(source) {
        Ok(l) => l,
        Err(problems) => return problems,
    };
    let mut c = Checker {
        source,
        root,
        out: Vec::new(),
    };
    let kind = assets.bundle(&layout.kind).map(|b| b.kind.clone());
    if kind.is_none() {
        let known: Vec<&str> = assets.bundles().map(|b| b.kind.id.as_str()).collect();
        let d = c.error(
            "E0504",
            &[P::K("kind")],
            format!("没有文书类型 {}", layout.kind),
            format!("there is no document kind {}", layout.kind),
        );
        explain(d, Text::same(known.join(", ")), layout.kind.clone());
    }
    requires(&mut c, &layout, kind.as_deref(), assets);
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (ti, t) in layout.tables.iter().enumerate() {
        if let Some(&first) = seen.get(t.id.key()) {
            let related = c.at(&[P::K("tables"), P::I(first), P::K("id")]);
            let d = c.error(
                "E0506",
                &[P::K("tables"), P::I(ti), P::K("id")],
                format!("表 {} 写了两次", t.id),
                format!("table {} is written twice", t.id),
            );
            d.related.push(related);
        } else {
            seen.insert(t.id.key(), ti);
        }
        table(&mut c, ti, t, kind.as_deref());
    }
    let errors = c.out.iter().any(|d| d.severity == Severity::Error);
    if !errors {
        // What the loader and a build refuse that the checks above do not name.
        match assets.load_layout(source) {
            Err(problems) => c.out.extend(problems),
            Ok(l) => {
                let dept = juesuan_core::facts::Department {
                    name: String::new(),
                    code: None,
                    year: 2000,
                    amount_unit: l.amount_unit,
                    layout: Some(l.id.clone()),
                    strict_catalog: false,
                };
                let ledger = juesuan_core::consolidate::Ledger::default();
                if let Err(problems) = juesuan_core::views::build_views(&dept, &ledger, catalog, &l)
                {
                    c.out.extend(problems);
                }
                let _ = class_names(&mut c, &l, catalog);
            }
        }
    }
    dedup(&mut c.out);
    c.out
}

/// The same problem at the same place once.
fn dedup(out: &mut Vec<Diagnostic>) {
    let mut kept: Vec<Diagnostic> = Vec::new();
    for d in out.drain(..) {
        if !kept
            .iter()
            .any(|k| k.code == d.code && k.location == d.location && k.message == d.message)
        {
            kept.push(d);
        }
    }
    *out = kept;
}

/// The class lines whose class the catalog does not name (a build refuses them).
fn class_names(c: &mut Checker, l: &Layout, catalog: &Catalog) -> Option<()> {
    for (ti, t) in l.tables.iter().enumerate() {
        for (pi, p) in t.panels.iter().enumerate() {
            let PanelLayout::Lines { rows, .. } = p else {
                continue;
            };
            for (ri, r) in rows.iter().enumerate() {
                let Some(class) = &r.class else { continue };
                if r.label.is_none() && catalog.name(Classification::Function, class).is_none() {
                    let path = row_path(ti, pi, ri, "class");
                    let d = c.error(
                        "E0509",
                        &path,
                        format!("分类目录中没有功能分类类级代码 {class}，无法列示本行名称"),
                        format!("the catalog has no function class {class}: the line has no name"),
                    );
                    explain(
                        d,
                        Text::new(
                            "分类目录中的类级代码（3 位），或为本行写出 label",
                            "a class code (3 digits) of the catalog, or a label for the line",
                        ),
                        class.clone(),
                    );
                }
            }
        }
    }
    Some(())
}

fn row_path(ti: usize, pi: usize, ri: usize, key: &'static str) -> [P<'static>; 7] {
    [
        P::K("tables"),
        P::I(ti),
        P::K("panels"),
        P::I(pi),
        P::K("rows"),
        P::I(ri),
        P::K(key),
    ]
}

/// The parts, narrative template and catalog files the layout names.
fn requires(c: &mut Checker, layout: &Layout, kind: Option<&Kind>, assets: &Assets) {
    if let Some(kind) = kind {
        let sections: Vec<&str> = kind
            .narrative
            .sections
            .iter()
            .map(|s| s.key.as_str())
            .collect();
        let parts: Vec<&str> = kind.parts.iter().map(|s| s.key.as_str()).collect();
        for (list, known, name) in [
            (&layout.requires.sections, &sections, "sections"),
            (&layout.requires.parts, &parts, "parts"),
        ] {
            for (i, key) in list.iter().enumerate() {
                if !known.contains(&key.as_str()) {
                    let d = c.error(
                        "E0511",
                        &[P::K("requires"), P::K(name), P::I(i)],
                        format!("{}没有说明部分 {key}", kind.name.zh),
                        format!("{} has no part {key}", kind.name.en),
                    );
                    explain(d, Text::same(known.join(", ")), key.clone());
                    suggest(d, key, known);
                }
            }
        }
    }
    if let Some(n) = &layout.narrative
        && assets
            .narrative(n, juesuan_core::Lang::Zh, Some(&layout.kind))
            .is_none()
    {
        let known = assets.narrative_ids().join(", ");
        let d = c.warning(
            "E0511",
            &[P::K("narrative")],
            format!("没有情况说明模板 {n}：按此表式生成的报告只有表（或用 --narrative 给出模板文件）"),
            format!(
                "there is no narrative template {n}: reports in this layout hold the tables alone (or give a template file with --narrative)"
            ),
        );
        explain(d, Text::same(known), n.clone());
    }
}

/// "是否为 …？" when a known name is one or two edits from `found`.
fn suggest(d: &mut Diagnostic, found: &str, known: &[&str]) {
    let near = known
        .iter()
        .map(|k| (edits(found, k), *k))
        .filter(|(e, _)| *e <= 2)
        .min();
    if let Some((_, k)) = near {
        d.message.zh.push_str(&format!("（是否为 {k}？）"));
        d.message.en.push_str(&format!(" (did you mean {k}?)"));
    }
}

/// Edit distance (Levenshtein) between two short names.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Which panels a table whose kind addresses its rows `by` may have.
fn fits(by: RowsBy, p: &PanelLayout) -> bool {
    matches!(
        (by, p),
        (RowsBy::Lines | RowsBy::Single, PanelLayout::Lines { .. })
            // The classes beside the lines, numbered in order (a budget's 支出 side), as the
            // 决算's `class` lines list them.
            | (
                RowsBy::Lines,
                PanelLayout::Function {
                    depth: Some(juesuan_core::layout::Depth::Lei),
                    ..
                }
            )
            | (
                RowsBy::Function,
                PanelLayout::Function { .. } | PanelLayout::Lines { .. }
            )
            | (RowsBy::Economic, PanelLayout::Economic { .. })
    )
}

fn by_name(by: RowsBy) -> Text {
    match by {
        RowsBy::Lines => Text::new("固定行次（lines）", "fixed lines (lines)"),
        RowsBy::Function => Text::new("功能分类（function）", "function classification (function)"),
        RowsBy::Economic => Text::new("经济分类（economic）", "economic classification (economic)"),
        RowsBy::Single => Text::new("一行（lines，一行）", "one row (lines, one row)"),
    }
}

/// The checks of table `t` at `tp` in the file.
fn table(c: &mut Checker, ti: usize, t: &TableLayout, kind: Option<&Kind>) {
    let path = |rest: &[P<'static>]| -> Vec<P<'static>> {
        let mut p = vec![P::K("tables"), P::I(ti)];
        p.extend_from_slice(rest);
        p
    };
    let def = kind.and_then(|k| k.table(t.id.key()));
    if let (Some(kind), None) = (kind, def) {
        let known = kind.table_keys();
        let d = c.error(
            "E0504",
            &path(&[P::K("id")]),
            format!("{}没有表 {}", kind.name.zh, t.id),
            format!("{} has no table {}", kind.name.en, t.id),
        );
        explain(d, Text::same(known.join(", ")), t.id.key().to_string());
        suggest(d, t.id.key(), &known);
    }
    // The header as wide as the body.
    let width: usize = t.panels.iter().map(|p| p.columns().len()).sum();
    let shape: Vec<String> = t
        .panels
        .iter()
        .map(|p| {
            p.columns()
                .iter()
                .map(|c| c.kind.key())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    match header_positions(&t.header) {
        Err(e) => {
            c.error("E0507", &path(&[P::K("header")]), e.zh, e.en);
        }
        Ok((cells, _)) if cells.is_empty() => {
            c.error(
                "E0507",
                &path(&[P::K("header")]),
                "缺少表头".into(),
                "the table has no header".into(),
            );
        }
        Ok((cells, w)) if w != width => {
            // The first row whose width differs.
            let row = (0..t.header.len())
                .find(|r| {
                    let wr = cells
                        .iter()
                        .filter(|h| h.row <= *r && *r < h.row + h.rowspan)
                        .map(|h| h.colspan)
                        .sum::<usize>();
                    wr != width
                })
                .unwrap_or(0);
            let d = c.error(
                "E0507",
                &path(&[P::K("header"), P::I(row)]),
                format!("表头宽 {w} 列，表体 {width} 列"),
                format!("the header is {w} columns wide, the body {width}"),
            );
            explain(
                d,
                Text::new(
                    format!(
                        "{width} 列：各栏的列 [{}]（colspan 计入宽度）",
                        shape.join(" | ")
                    ),
                    format!(
                        "{width} columns: the panels' columns [{}] (colspans count)",
                        shape.join(" | ")
                    ),
                ),
                format!("{w}"),
            );
        }
        Ok(_) => {}
    }
    let allowed: Vec<&str> = def.map(|d| d.column_keys()).unwrap_or_default();
    for (pi, p) in t.panels.iter().enumerate() {
        panel_fields(c, ti, pi, p);
        if let Some(d) = def
            && !fits(d.rows, p)
        {
            let kind_key = match p {
                PanelLayout::Lines { .. } => "lines",
                PanelLayout::Function { .. } => "function",
                PanelLayout::Economic { .. } => "economic",
            };
            let by = by_name(d.rows);
            let diag = c.error(
                "E0513",
                &path(&[P::K("panels"), P::I(pi), P::K("kind")]),
                format!("表 {} 的行按{}编排，不能有 {kind_key} 栏", t.id, by.zh),
                format!(
                    "the rows of table {} are addressed by {}: it cannot have a {kind_key} panel",
                    t.id, by.en
                ),
            );
            explain(diag, by, kind_key);
        }
        columns(c, ti, t, pi, p, &allowed, def.is_some());
        match p {
            PanelLayout::Lines { rows, .. } => lines(c, ti, pi, rows),
            PanelLayout::Economic { rows, .. } => {
                let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
                for (ri, code) in rows.iter().enumerate() {
                    let at = path(&[P::K("panels"), P::I(pi), P::K("rows"), P::I(ri)]);
                    if !(matches!(code.len(), 3 | 5)
                        && code.starts_with('3')
                        && code.bytes().all(|b| b.is_ascii_digit()))
                    {
                        let d = c.error(
                            "E0513",
                            &at,
                            format!("经济分类栏的行须为经济分类类（3 位）或款（5 位）代码：{code}"),
                            format!(
                                "an economic panel's rows are economic 类 (3 digits) or 款 (5 digits) codes: {code}"
                            ),
                        );
                        explain(
                            d,
                            Text::new("如 301、30101", "such as 301, 30101"),
                            code.clone(),
                        );
                    }
                    if let Some(&first) = seen.get(code.as_str()) {
                        let related = c.at(&path(&[
                            P::K("panels"),
                            P::I(pi),
                            P::K("rows"),
                            P::I(first),
                        ]));
                        let d = c.error(
                            "E0506",
                            &at,
                            format!("代码 {code} 在本栏写了两次"),
                            format!("code {code} is written twice in the panel"),
                        );
                        d.related.push(related);
                    } else {
                        seen.insert(code, ri);
                    }
                }
            }
            PanelLayout::Function { .. } => {}
        }
        cells(c, ti, t, pi, p);
    }
    for (fi, f) in t.footer.iter().enumerate() {
        let at = path(&[P::K("footer"), P::I(fi), P::K("panels")]);
        if f.panels.is_empty() || f.panels.iter().any(|&p| p >= t.panels.len()) {
            let d = c.error(
                "E0510",
                &at,
                "表尾引用的栏不存在".into(),
                "the footer names a panel the table does not have".into(),
            );
            explain(
                d,
                Text::new(
                    format!("0 至 {} 之间的栏序号", t.panels.len().saturating_sub(1)),
                    format!("panel indexes 0 to {}", t.panels.len().saturating_sub(1)),
                ),
                format!("{:?}", f.panels),
            );
        } else if let Some(&p) = f
            .panels
            .iter()
            .find(|&&p| matches!(t.panels[p], PanelLayout::Lines { .. }))
        {
            let d = c.error(
                "E0510",
                &at,
                format!("表尾只能合计功能分类栏或经济分类栏；第 {p} 栏是固定行次栏，其合计用 sum 行列示"),
                format!(
                    "a footer adds function or economic panels only; panel {p} is a lines panel, whose total is a sum line"
                ),
            );
            explain(
                d,
                Text::new(
                    "function 或 economic 栏的序号",
                    "indexes of function or economic panels",
                ),
                format!("{:?}", f.panels),
            );
        }
    }
}

/// Fields a panel of its kind does not have (the loader passes them over: a misspelled
/// `total_at` would change nothing, silently).
fn panel_fields(c: &mut Checker, ti: usize, pi: usize, p: &PanelLayout) {
    let (kind, allowed): (&str, &[&str]) = match p {
        PanelLayout::Lines { .. } => ("lines", &["kind", "filter", "columns", "rows"]),
        PanelLayout::Function { .. } => (
            "function",
            &[
                "kind", "filter", "columns", "total", "total_at", "min_rows", "depth", "numbered",
            ],
        ),
        PanelLayout::Economic { .. } => (
            "economic",
            &[
                "kind", "filter", "columns", "rows", "rest", "total", "total_at",
            ],
        ),
    };
    let path = [P::K("tables"), P::I(ti), P::K("panels"), P::I(pi)];
    let mut node = &c.root;
    for step in path {
        let next = match (step, &node.value) {
            (P::K(k), _) => node.get(k),
            (P::I(i), Value::Array(items)) => items.get(i),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return,
        }
    }
    let Value::Table(entries) = &node.value else {
        return;
    };
    let unknown: Vec<(String, Location)> = entries
        .iter()
        .filter(|(k, _)| !allowed.contains(&k.name.as_str()))
        .map(|(k, _)| (k.name.clone(), k.at.locate(c.source)))
        .collect();
    for (name, at) in unknown {
        let mut d = Diagnostic::error(
            "E0502",
            at,
            Text::new(
                format!("版式文件无效：{kind} 栏没有字段 {name}"),
                format!("invalid layout file: a {kind} panel has no field {name}"),
            ),
        );
        explain(&mut d, Text::same(allowed.join(", ")), name.clone());
        suggest(&mut d, &name, allowed);
        c.out.push(d);
    }
}

/// The value columns of panel `pi`: each with a key of its table in the kind, once.
fn columns(
    c: &mut Checker,
    ti: usize,
    t: &TableLayout,
    pi: usize,
    p: &PanelLayout,
    allowed: &[&str],
    known_table: bool,
) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (ci, col) in p.columns().iter().enumerate() {
        let at = |key: &'static str| -> Vec<P<'static>> {
            vec![
                P::K("tables"),
                P::I(ti),
                P::K("panels"),
                P::I(pi),
                P::K("columns"),
                P::I(ci),
                P::K(key),
            ]
        };
        if col.kind != ColumnKind::Value {
            if let Some(k) = &col.key {
                let d = c.warning(
                    "E0505",
                    &at("key"),
                    format!("只有数值列（kind = \"value\"）有 key；{} 列的 key 不起作用", col.kind.key()),
                    format!(
                        "only value columns (kind = \"value\") have keys; a {} column's key does nothing",
                        col.kind.key()
                    ),
                );
                explain(d, Text::new("不写 key", "no key"), k.clone());
            }
            continue;
        }
        let expected = Text::new(
            format!(
                "表 {} 的列：{}，或其“其中”列（key.名称）",
                t.id,
                allowed.join(", ")
            ),
            format!(
                "a column of table {}: {}, or a part of one (key.name)",
                t.id,
                allowed.join(", ")
            ),
        );
        match col.key.as_deref() {
            None => {
                let d = c.error(
                    "E0505",
                    &at("kind"),
                    "数值列须有 key：它是本表的哪一列".into(),
                    "a value column needs a key: which column of the table it is".into(),
                );
                explain(d, expected, "(none)");
            }
            Some(k) => {
                let part_of_known = k
                    .split_once('.')
                    .is_some_and(|(whole, part)| allowed.contains(&whole) && !part.is_empty());
                if known_table && !allowed.contains(&k) && !part_of_known {
                    let d = c.error(
                        "E0505",
                        &at("key"),
                        format!("表 {} 没有列 {k}", t.id),
                        format!("table {} has no column {k}", t.id),
                    );
                    explain(d, expected, k.to_string());
                    suggest(d, k, allowed);
                }
                if let Some(&first) = seen.get(k) {
                    let related = c.at(&[
                        P::K("tables"),
                        P::I(ti),
                        P::K("panels"),
                        P::I(pi),
                        P::K("columns"),
                        P::I(first),
                        P::K("key"),
                    ]);
                    let d = c.error(
                        "E0506",
                        &at("key"),
                        format!("列 {k} 在本栏写了两次"),
                        format!("column {k} is written twice in the panel"),
                    );
                    d.related.push(related);
                } else {
                    seen.insert(k, ci);
                }
            }
        }
    }
}

/// The lines of a `lines` panel: 行次 once each, sums and "其中" lines naming lines of the panel,
/// no sum through itself, no sum that also filters.
fn lines(c: &mut Checker, ti: usize, pi: usize, rows: &[LineRowLayout]) {
    let at = |ri: usize, key: &'static str| -> Vec<P<'static>> {
        vec![
            P::K("tables"),
            P::I(ti),
            P::K("panels"),
            P::I(pi),
            P::K("rows"),
            P::I(ri),
            P::K(key),
        ]
    };
    let mut seen: BTreeMap<u32, usize> = BTreeMap::new();
    for (ri, r) in rows.iter().enumerate() {
        if let Some(l) = r.line {
            if let Some(&first) = seen.get(&l) {
                let related = c.at(&at(first, "line"));
                let d = c.error(
                    "E0506",
                    &at(ri, "line"),
                    format!("行次 {l} 在本栏写了两次"),
                    format!("line {l} is written twice in the panel"),
                );
                d.related.push(related);
            } else {
                seen.insert(l, ri);
            }
        }
    }
    let lines: Vec<u32> = seen.keys().copied().collect();
    let listed = lines
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    for (ri, r) in rows.iter().enumerate() {
        if r.sum.is_some() && (r.filter.is_some() || r.class.is_some()) {
            let d = c.error(
                "E0508",
                &at(ri, "sum"),
                "一行不能既是合计（sum）又读事实（filter 或 class）".into(),
                "a line cannot both add lines (sum) and read facts (filter or class)".into(),
            );
            explain(
                d,
                Text::new(
                    "sum，或 filter/class，二者之一",
                    "sum, or filter/class: one of them",
                ),
                "sum + filter",
            );
        }
        if let Some(sum) = &r.sum {
            let missing: Vec<String> = sum
                .iter()
                .filter(|l| !lines.contains(l))
                .map(u32::to_string)
                .collect();
            if !missing.is_empty() {
                let d = c.error(
                    "E0508",
                    &at(ri, "sum"),
                    format!("合计引用的行次 {} 不在本栏", missing.join("、")),
                    format!(
                        "the sum names line {}, not in this panel",
                        missing.join(", ")
                    ),
                );
                explain(
                    d,
                    Text::new(
                        format!("本栏的行次：{listed}"),
                        format!("lines of this panel: {listed}"),
                    ),
                    missing.join(", "),
                );
            }
        }
        if let Some(whole) = r.part_of
            && !lines.contains(&whole)
        {
            let d = c.error(
                "E0508",
                &at(ri, "part_of"),
                format!("“其中”行所属的行次 {whole} 不在本栏"),
                format!("part_of names line {whole}, not in this panel"),
            );
            explain(
                d,
                Text::new(
                    format!("本栏的行次：{listed}"),
                    format!("lines of this panel: {listed}"),
                ),
                whole.to_string(),
            );
        }
    }
    // A line that reaches itself through sums.
    let deps: BTreeMap<u32, &Vec<u32>> = rows
        .iter()
        .filter_map(|r| Some((r.line?, r.sum.as_ref()?)))
        .collect();
    for (ri, r) in rows.iter().enumerate() {
        let (Some(start), Some(_)) = (r.line, &r.sum) else {
            continue;
        };
        let mut stack = vec![start];
        let mut visited = std::collections::BTreeSet::new();
        let mut cycle = false;
        while let Some(l) = stack.pop() {
            for &next in deps.get(&l).map(|v| v.as_slice()).unwrap_or(&[]) {
                if next == start {
                    cycle = true;
                }
                if visited.insert(next) {
                    stack.push(next);
                }
            }
        }
        if cycle {
            let d = c.error(
                "E0508",
                &at(ri, "sum"),
                format!("行次 {start} 的合计经其他行引用了自身"),
                format!("line {start} adds itself through other lines"),
            );
            explain(
                d,
                Text::new("只引用其他行的合计", "a sum of other lines only"),
                format!("{:?}", r.sum.as_deref().unwrap_or(&[])),
            );
        }
    }
}

/// Every cell reads one dataset, and only dimensions that dataset has.
fn cells(c: &mut Checker, ti: usize, t: &TableLayout, pi: usize, p: &PanelLayout) {
    // The rows whose cells read facts: a lines panel's computed rows, else one for all.
    let rows: Vec<(Option<usize>, Option<&Filter>)> = match p {
        PanelLayout::Lines { rows, .. } => rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.sum.is_none() && (r.filter.is_some() || r.class.is_some()))
            .map(|(i, r)| (Some(i), r.filter.as_ref()))
            .collect(),
        _ => vec![(None, None)],
    };
    for (ci, col) in p.columns().iter().enumerate() {
        if col.kind != ColumnKind::Value {
            continue;
        }
        let name = col.key.clone().unwrap_or_else(|| format!("#{}", ci + 1));
        for (ri, rf) in &rows {
            let empty = Filter::default();
            let layers: [(&Filter, Vec<P<'static>>); 4] = [
                (
                    &col.filter,
                    vec![
                        P::K("tables"),
                        P::I(ti),
                        P::K("panels"),
                        P::I(pi),
                        P::K("columns"),
                        P::I(ci),
                        P::K("filter"),
                    ],
                ),
                (
                    rf.unwrap_or(&empty),
                    match ri {
                        Some(r) => vec![
                            P::K("tables"),
                            P::I(ti),
                            P::K("panels"),
                            P::I(pi),
                            P::K("rows"),
                            P::I(*r),
                            P::K("filter"),
                        ],
                        None => Vec::new(),
                    },
                ),
                (
                    p.filter(),
                    vec![
                        P::K("tables"),
                        P::I(ti),
                        P::K("panels"),
                        P::I(pi),
                        P::K("filter"),
                    ],
                ),
                (&t.filter, vec![P::K("tables"), P::I(ti), P::K("filter")]),
            ];
            let where_row = match ri {
                Some(r) => format!("第 {} 行", r + 1),
                None => "各行".to_string(),
            };
            let where_row_en = match ri {
                Some(r) => format!("row {}", r + 1),
                None => "every row".to_string(),
            };
            match Filter::resolve(layers.iter().map(|(f, _)| *f)) {
                None => {
                    let at = match ri {
                        Some(r) => vec![
                            P::K("tables"),
                            P::I(ti),
                            P::K("panels"),
                            P::I(pi),
                            P::K("rows"),
                            P::I(*r),
                        ],
                        None => vec![
                            P::K("tables"),
                            P::I(ti),
                            P::K("panels"),
                            P::I(pi),
                            P::K("columns"),
                            P::I(ci),
                        ],
                    };
                    let d = c.error(
                        "E0509",
                        &at,
                        format!("列 {name}（{where_row}）的单元格未指定数据集（dataset）"),
                        format!("the cells of column {name} ({where_row_en}) name no dataset"),
                    );
                    explain(
                        d,
                        Text::new(
                            "表、栏、行或列的 filter 中写 dataset：income、expenditure、basic_economic、balance 或 sangong",
                            "a dataset in the filter of the table, panel, row or column: income, expenditure, basic_economic, balance or sangong",
                        ),
                        "(none)",
                    );
                }
                Some(q) => {
                    let dims = q.dataset.dimensions();
                    for (f, path) in layers.iter().filter(|(_, p)| !p.is_empty()) {
                        for dim in dimensions(f) {
                            if !dims.contains(&dim) {
                                let mut at = path.clone();
                                at.push(P::K(dim));
                                let d = c.error(
                                    "E0509",
                                    &at,
                                    format!(
                                        "列 {name}（{where_row}）读数据集 {:?}，它没有维度 {dim}",
                                        q.dataset
                                    ),
                                    format!(
                                        "column {name} ({where_row_en}) reads dataset {:?}, which has no dimension {dim}",
                                        q.dataset
                                    ),
                                );
                                explain(d, Text::same(dims.join(", ")), dim.to_string());
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The dimensions a filter sets, by their names in the file.
fn dimensions(f: &Filter) -> Vec<&'static str> {
    let mut d = Vec::new();
    for (set, name) in [
        (f.fund.is_some(), "fund"),
        (f.kind.is_some(), "kind"),
        (f.balance.is_some(), "balance"),
        (f.category.is_some(), "category"),
        (f.scenario.is_some(), "scenario"),
        (f.function.is_some(), "function"),
        (f.economic.is_some() || f.economic_any.is_some(), "economic"),
        (f.detail.is_some(), "detail"),
    ] {
        if set {
            d.push(name);
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names() {
        assert_eq!(edits("fiscla", "fiscal"), 2);
        assert_eq!(edits("basic", "basic"), 0);
        assert_eq!(edits("", "ab"), 2);
    }

    #[test]
    fn the_built_in_layouts_are_sound() {
        let assets = Assets::builtin().unwrap();
        let catalog = assets.catalog(true, &[]).unwrap();
        for (_, l) in assets.layouts() {
            let problems = check(&assets, &catalog, &l.source);
            assert!(problems.is_empty(), "{}: {problems:#?}", l.source.name);
        }
    }
}
