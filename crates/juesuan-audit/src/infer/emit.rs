//! The draft as a layout file (docs/layouts.md): TOML written by hand, so that it reads like the
//! built-in layouts and carries its review notes as comments where they apply.

use juesuan_core::facts::FundSource;
use juesuan_core::layout::{
    ColumnKind, ColumnLayout, Dataset, Filter, LineRowLayout, PanelLayout, Requires, RowStyle,
    TableId, TotalAt, ZeroDisplay,
};
use juesuan_core::money::AmountUnit;
use juesuan_core::text::Text;
use std::fmt::Write;

/// A drafted layout.
#[derive(Clone, Debug)]
pub(super) struct LayoutDraft {
    pub id: String,
    pub kind: String,
    pub name: Text,
    pub amount_unit: AmountUnit,
    pub meta_department: Option<Text>,
    pub meta_year: Option<Text>,
    pub meta_unit: Text,
    pub requires: Requires,
    /// Comment lines at the top of the file.
    pub head: Vec<String>,
    pub tables: Vec<TableDraft>,
}

/// A drafted table.
#[derive(Clone, Debug)]
pub(super) struct TableDraft {
    pub id: TableId,
    /// Comment lines above it: where it was read, what to review.
    pub comments: Vec<String>,
    pub number: Option<Text>,
    pub title: Text,
    pub note: Option<Text>,
    pub empty_note: Option<Text>,
    pub zero: ZeroDisplay,
    pub landscape: bool,
    pub filter: Filter,
    pub header: Vec<Vec<(Text, usize, usize)>>,
    pub footer: Vec<(Text, Vec<usize>)>,
    pub panels: Vec<PanelLayout>,
}

/// A TOML basic string.
pub(super) fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A text: `"中文"`, or `["中文", "English"]` when it has English.
fn text(t: &Text) -> String {
    if t.en.is_empty() {
        string(&t.zh)
    } else {
        format!("[{}, {}]", string(&t.zh), string(&t.en))
    }
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(", "))
}

fn names<T>(v: &[T], zh: impl Fn(&T) -> &'static str) -> String {
    list(v.iter().map(|x| string(zh(x))))
}

/// A filter as an inline table; the 财政拨款 and 非财政拨款 groups by their names.
pub(super) fn filter(f: &Filter) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(d) = f.dataset {
        let name = match d {
            Dataset::Income => "income",
            Dataset::Expenditure => "expenditure",
            Dataset::BasicEconomic => "basic_economic",
            Dataset::Balance => "balance",
            Dataset::Sangong => "sangong",
            Dataset::RunningCosts => "running_costs",
        };
        parts.push(format!("dataset = {}", string(name)));
    }
    if let Some(set) = &f.fund {
        let funds: Vec<FundSource> = set.0.iter().copied().collect();
        let group = |g: &str| {
            FundSource::parse_group(g).is_some_and(|mut v| {
                v.sort();
                let mut f = funds.clone();
                f.sort();
                v == f
            })
        };
        let value = if group("财政拨款") {
            list([string("财政拨款")])
        } else if group("非财政拨款") {
            list([string("非财政拨款")])
        } else {
            let ordered: Vec<FundSource> = FundSource::ALL
                .iter()
                .copied()
                .filter(|x| funds.contains(x))
                .collect();
            names(&ordered, |x| x.zh())
        };
        parts.push(format!("fund = {value}"));
    }
    if let Some(k) = &f.kind {
        parts.push(format!("kind = {}", names(k, |x| x.zh())));
    }
    if let Some(b) = &f.balance {
        parts.push(format!("balance = {}", names(b, |x| x.zh())));
    }
    if let Some(c) = &f.category {
        parts.push(format!("category = {}", names(c, |x| x.zh())));
    }
    if let Some(s) = f.scenario {
        parts.push(format!("scenario = {}", string(s.zh())));
    }
    if let Some(c) = &f.function {
        parts.push(format!("function = {}", string(c)));
    }
    if let Some(c) = &f.economic {
        parts.push(format!("economic = {}", string(c)));
    }
    if let Some(d) = &f.detail {
        parts.push(format!("detail = {}", list(d.iter().map(|x| string(x)))));
    }
    if parts.is_empty() {
        "{}".into()
    } else {
        format!("{{ {} }}", parts.join(", "))
    }
}

fn is_empty(f: &Filter) -> bool {
    *f == Filter::default()
}

fn column(c: &ColumnLayout) -> String {
    let mut parts = vec![format!("kind = {}", string(c.kind.key()))];
    if let Some(n) = &c.col_no {
        parts.push(format!("col_no = {}", string(n)));
    }
    if let Some(k) = &c.key {
        parts.push(format!("key = {}", string(k)));
    }
    if let Some(w) = c.width {
        parts.push(format!("width = {w}"));
    }
    if !is_empty(&c.filter) {
        parts.push(format!("filter = {}", filter(&c.filter)));
    }
    format!("{{ {} }}", parts.join(", "))
}

fn row(r: &LineRowLayout) -> String {
    let mut parts = Vec::new();
    if let Some(l) = r.line {
        parts.push(format!("line = {l}"));
    }
    if let Some(p) = &r.printed {
        parts.push(format!("printed = {}", string(p)));
    }
    if let Some(p) = r.part_of {
        parts.push(format!("part_of = {p}"));
    }
    if let Some(l) = &r.label {
        parts.push(format!("label = {}", text(l)));
    }
    if let Some(c) = &r.class {
        parts.push(format!("class = {}", string(c)));
    }
    if let Some(p) = &r.prefix {
        parts.push(format!("prefix = {}", string(p)));
    }
    if let Some(f) = &r.filter {
        parts.push(format!("filter = {}", filter(f)));
    }
    if let Some(s) = &r.sum {
        parts.push(format!("sum = {}", list(s.iter().map(u32::to_string))));
    }
    if r.style == RowStyle::Total {
        parts.push("style = \"total\"".into());
    }
    if parts.is_empty() {
        "{}".into()
    } else {
        format!("{{ {} }}", parts.join(", "))
    }
}

fn comment(out: &mut String, lines: &[String]) {
    for l in lines {
        for piece in l.lines() {
            if piece.is_empty() {
                out.push_str("#\n");
            } else {
                let _ = writeln!(out, "# {piece}");
            }
        }
    }
}

/// The layout file.
pub(super) fn toml(d: &LayoutDraft) -> String {
    let mut out = String::new();
    comment(&mut out, &d.head);
    out.push('\n');
    let _ = writeln!(out, "id = {}", string(&d.id));
    let _ = writeln!(out, "kind = {}", string(&d.kind));
    let _ = writeln!(out, "name = {}", text(&d.name));
    let _ = writeln!(out, "amount_unit = {}", string(d.amount_unit.zh()));
    out.push_str("\n[meta]\n");
    if let Some(t) = &d.meta_department {
        let _ = writeln!(out, "department = {}", text(t));
    }
    if let Some(t) = &d.meta_year {
        let _ = writeln!(out, "year = {}", text(t));
    }
    let _ = writeln!(out, "unit = {}", text(&d.meta_unit));
    out.push_str("\n[requires]\n");
    let _ = writeln!(
        out,
        "sections = {}",
        list(d.requires.sections.iter().map(|s| string(s)))
    );
    let _ = writeln!(
        out,
        "parts = {}",
        list(d.requires.parts.iter().map(|s| string(s)))
    );
    let _ = writeln!(out, "forms = {}", d.requires.forms);
    for t in &d.tables {
        out.push('\n');
        let _ = writeln!(
            out,
            "# ---------------------------------------------------------------- {}",
            t.title.zh
        );
        comment(&mut out, &t.comments);
        out.push_str("[[tables]]\n");
        let _ = writeln!(out, "id = {}", string(t.id.key()));
        if let Some(n) = &t.number {
            let _ = writeln!(out, "number = {}", text(n));
        }
        let _ = writeln!(out, "title = {}", text(&t.title));
        if let Some(n) = &t.note {
            let _ = writeln!(out, "note = {}", text(n));
        }
        if let Some(n) = &t.empty_note {
            let _ = writeln!(out, "empty_note = {}", text(n));
        }
        if t.zero == ZeroDisplay::Blank {
            out.push_str("zero = \"blank\"\n");
        }
        if t.landscape {
            out.push_str("landscape = true\n");
        }
        if !is_empty(&t.filter) {
            let _ = writeln!(out, "filter = {}", filter(&t.filter));
        }
        out.push_str("header = [\n");
        for r in &t.header {
            let cells: Vec<String> = r
                .iter()
                .map(|(t, colspan, rowspan)| {
                    if *colspan == 1 && *rowspan == 1 {
                        text(t)
                    } else {
                        let mut s = format!("{{ text = {}", text(t));
                        if *colspan > 1 {
                            let _ = write!(s, ", colspan = {colspan}");
                        }
                        if *rowspan > 1 {
                            let _ = write!(s, ", rowspan = {rowspan}");
                        }
                        s.push_str(" }");
                        s
                    }
                })
                .collect();
            let _ = writeln!(out, "  [{}],", cells.join(", "));
        }
        out.push_str("]\n");
        if !t.footer.is_empty() {
            out.push_str("footer = [\n");
            for (label, panels) in &t.footer {
                let _ = writeln!(
                    out,
                    "  {{ label = {}, panels = {} }},",
                    text(label),
                    list(panels.iter().map(usize::to_string))
                );
            }
            out.push_str("]\n");
        }
        for p in &t.panels {
            out.push_str("\n[[tables.panels]]\n");
            let (kind, f, columns) = match p {
                PanelLayout::Lines {
                    filter, columns, ..
                } => ("lines", filter, columns),
                PanelLayout::Function {
                    filter, columns, ..
                } => ("function", filter, columns),
                PanelLayout::Economic {
                    filter, columns, ..
                } => ("economic", filter, columns),
            };
            let _ = writeln!(out, "kind = {}", string(kind));
            if !is_empty(f) {
                let _ = writeln!(out, "filter = {}", filter(f));
            }
            match p {
                PanelLayout::Function {
                    total,
                    total_at,
                    min_rows,
                    ..
                } => {
                    let _ = writeln!(out, "total = {}", text(total));
                    match total_at {
                        TotalAt::Top => {}
                        TotalAt::Bottom => out.push_str("total_at = \"bottom\"\n"),
                        TotalAt::Both => out.push_str("total_at = \"both\"\n"),
                    }
                    if *min_rows > 0 {
                        let _ = writeln!(out, "min_rows = {min_rows}");
                    }
                }
                PanelLayout::Economic { rest: true, .. } => out.push_str("rest = true\n"),
                _ => {}
            }
            out.push_str("columns = [\n");
            for c in columns {
                let _ = writeln!(out, "  {},", column(c));
            }
            out.push_str("]\n");
            match p {
                PanelLayout::Lines { rows, .. } => {
                    out.push_str("rows = [\n");
                    for r in rows {
                        let _ = writeln!(out, "  {},", row(r));
                    }
                    out.push_str("]\n");
                }
                PanelLayout::Economic { rows, .. } => {
                    let _ = writeln!(out, "rows = {}", list(rows.iter().map(|c| string(c))));
                }
                PanelLayout::Function { .. } => {}
            }
        }
    }
    out
}

/// A column of kind `kind` with nothing else.
pub(super) fn plain_column(kind: ColumnKind) -> ColumnLayout {
    ColumnLayout {
        kind,
        col_no: None,
        key: None,
        filter: Filter::default(),
        width: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_filters_are_toml() {
        assert_eq!(string("注：“三公”\\"), "\"注：“三公”\\\\\"");
        let f: Filter = toml::from_str(
            r#"dataset = "income"
fund = ["财政拨款"]"#,
        )
        .unwrap();
        assert_eq!(filter(&f), r#"{ dataset = "income", fund = ["财政拨款"] }"#);
        let back: Filter =
            toml::from_str(&filter(&f).trim_matches(['{', '}']).replace(", ", "\n")).unwrap();
        assert_eq!(back, f);
    }
}
