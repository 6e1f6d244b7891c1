//! Drafting a layout from a report a region publishes (`juesuan layout infer`): its tables'
//! titles, numbers, notes, header grids and column keys, its fixed lines, codes and panels,
//! the amount unit, how zeros and codes print, and what the report has besides its tables —
//! for a person to review. The draft says, in comments, where it read each table (page and
//! line) and what it was not sure of.
//!
//! Nothing here knows one report: tables are found by the titles of the kind and of the known
//! layouts (`kind.toml`, `layouts/`), columns by the kind's column names and aliases and the
//! lexicon's synonyms, fixed lines by the lines known layouts of the kind define (their 行次,
//! filters and sums are what a line means, wherever a region prints it), filters of columns
//! by the known layouts' columns of the same key, else by the vocabulary term the key names.
//! The reader is the audit's ([`crate::read`]): the same titles, unit lines and tokens, and
//! for a PDF, a workbook or a page, the positions of the words.
//!
//! Pure: a document in, the layout file's text out.

mod assign;
mod emit;
mod filters;
mod header;
mod rows;

use crate::claims::lexicon::Lexicon;
use crate::read::{self, Located};
use crate::text::{self, Document, Span, is_page_marker, normalize};
use emit::{LayoutDraft, TableDraft, plain_column};
use header::{Item, Vocab};
use juesuan_core::catalog::Catalog;
use juesuan_core::diag::{Diagnostic, Location};
use juesuan_core::kind::{Kind, RowsBy, TableDef};
use juesuan_core::layout::{
    ColumnKind, ColumnLayout, Filter, Layout, PanelLayout, Requires, TableId, TableLayout, TotalAt,
    ZeroDisplay,
};
use juesuan_core::text::Text;
use rows::{Tk, Word, WordKind};
use std::sync::Arc;

/// What a layout is drafted with: the kind whose tables the report prints, the lexicon (its
/// synonyms read headings as they read sentences), the known layouts of the kind (their
/// titles find tables; their lines, filters and English are what a table's lines and columns
/// mean) and the catalog (the names of the classes fixed lines print).
pub struct Context<'a> {
    /// The document kind.
    pub kind: &'a Kind,
    /// Its lexicon.
    pub lexicon: &'a Lexicon,
    /// Known layouts of the kind.
    pub references: &'a [Arc<Layout>],
    /// The classification catalog.
    pub catalog: &'a Catalog,
}

/// What a context is made of, owned: a kind's bundle from the assets, its lexicon, and its
/// layouts but those left out (a test drafting a layout it has learns from the others only).
pub struct Known {
    kind: Arc<Kind>,
    lexicon: Lexicon,
    references: Vec<Arc<Layout>>,
}

impl Known {
    /// The kind `kind` of `assets`, with every layout of it except those named in `except`.
    pub fn new(
        assets: &juesuan_input::assets::Assets,
        kind: &str,
        except: &[&str],
    ) -> Result<Known, Vec<Diagnostic>> {
        let bundle = assets.bundle(kind).ok_or_else(|| {
            let known: Vec<&str> = assets.bundles().map(|b| b.kind.id.as_str()).collect();
            vec![
                Diagnostic::error(
                    "E1301",
                    Location::Nowhere,
                    Text::new(
                        format!("没有文书类型 {kind}"),
                        format!("no document kind {kind}"),
                    ),
                )
                .expected(Text::same(known.join(", ")))
                .found(kind.to_string()),
            ]
        })?;
        let lexicon = Lexicon::new(&bundle.lexicons).map_err(|d| vec![d])?;
        let mut references = Vec::new();
        for l in bundle.layouts() {
            if except.contains(&l.id.as_str()) {
                continue;
            }
            if let Some(layout) = assets.layout(&l.id) {
                references.push(layout?);
            }
        }
        Ok(Known {
            kind: bundle.kind.clone(),
            lexicon,
            references,
        })
    }

    /// The context of a draft, with `catalog`.
    pub fn context<'a>(&'a self, catalog: &'a Catalog) -> Context<'a> {
        Context {
            kind: &self.kind,
            lexicon: &self.lexicon,
            references: &self.references,
            catalog,
        }
    }
}

/// A drafted layout.
#[derive(Clone, Debug)]
pub struct Draft {
    /// The layout file (TOML, docs/layouts.md), with its review notes as comments.
    pub toml: String,
    /// The tables read: each one's key and the line of its title.
    pub tables: Vec<(TableId, u32)>,
    /// What a person must review, as the comments say it.
    pub review: Vec<Text>,
}

/// Drafts the layout `id` of the tables `doc` prints. Error E0512 when no table of the kind is
/// found.
pub fn infer(doc: &Document, ctx: &Context, id: &str) -> Result<Draft, Diagnostic> {
    let located = read::locate(doc, &titles(ctx), &read::part_headings(ctx.kind));
    if located.is_empty() {
        return Err(Diagnostic::error(
            "E0512",
            Location::File {
                file: doc.name.clone(),
            },
            Text::new(
                format!("报告中找不到{}的任何一张表，无法起草表式", ctx.kind.name.zh),
                format!(
                    "no table of {} was found in the report: no layout can be drafted",
                    ctx.kind.name.en
                ),
            ),
        )
        .expected(Text::new(
            "文书类型或已知表式中的表标题，其后有“单位：万元”一行",
            "a table title of the kind or of a known layout, followed by its unit line (单位：万元)",
        ))
        .found_text(Text::new(
            format!("{} 行文字", doc.lines.len()),
            format!("{} lines", doc.lines.len()),
        )));
    }
    let (department, year) = crate::cover(
        doc,
        None,
        ctx.lexicon.document_words("title"),
        ctx.lexicon.document_words("cover_year"),
    );
    let report = Report::new(doc, ctx, &located, department.as_deref());
    let mut tables: Vec<TableDraft> = Vec::new();
    let mut review: Vec<Text> = Vec::new();
    let mut undecided_zero: Vec<usize> = Vec::new();
    for (k, loc) in located.iter().enumerate() {
        let Some(def) = ctx.kind.table(loc.id.key()) else {
            continue;
        };
        let next = located
            .iter()
            .map(|l| l.title_line)
            .filter(|&t| t > loc.title_line)
            .min()
            .unwrap_or(doc.lines.len());
        let (t, zero_known) = report.table(loc, def, next);
        if !zero_known {
            undecided_zero.push(k);
        }
        tables.push(t);
    }
    // How zeros print where a table does not show it: as the report's other tables print them.
    let blank = tables
        .iter()
        .enumerate()
        .filter(|(k, _)| !undecided_zero.contains(k))
        .filter(|(_, t)| t.zero == ZeroDisplay::Blank)
        .count();
    let decided = tables.len() - undecided_zero.len();
    for &k in &undecided_zero {
        if let Some(t) = tables.get_mut(k) {
            t.zero = if 2 * blank > decided {
                ZeroDisplay::Blank
            } else {
                ZeroDisplay::Zero
            };
            t.comments.push(note(
                "本表没有显示零值的写法，按报告其他表",
                "the table does not show how it prints zeros: as the report's other tables",
            ));
        }
    }
    for t in &tables {
        review.extend(t.comments.iter().filter_map(|c| {
            c.strip_prefix("待核：").map(|rest| {
                let (zh, en) = rest.split_once(" / review: ").unwrap_or((rest, ""));
                Text::new(zh, en)
            })
        }));
    }
    let (meta_department, meta_year, meta_unit) = report.meta(&located);
    let tables_end = located.iter().map(|l| l.body.end).max().unwrap_or(0);
    let requires = requires(doc, ctx, tables_end);
    let mut head = vec![
        format!(
            "{}：由 juesuan layout infer 从 {} 起草（{} 张表）。",
            ctx.kind.name.zh,
            doc.name,
            tables.len()
        ),
        format!(
            "Drafted by juesuan layout infer from {} ({} tables) for a person to review.",
            doc.name,
            tables.len()
        ),
        "每张表前的注释说明读自何处、哪些须核对（“待核”）；核对后运行 juesuan layout check 本文件。"
            .into(),
        "The comments above each table say where it was read and what to review (\"review\");"
            .into(),
        "then run juesuan layout check on this file, and audit the report with --layout.".into(),
        "未能从报告得出（须人工补写）：粗体行（bold）、列宽（width）、情况说明模板（narrative）、英文译文（仅沿用已知表式与文书类型中同样的文字）。"
            .into(),
        "Not read from a report (write them yourself): bold rows, column widths, the narrative template, English (only where a known layout or the kind has the same text)."
            .into(),
        "表头的合并单元格（colspan/rowspan）按文字所在位置推定（纯文本按行与制表符），请对照报告核对。".into(),
        "Header cells' spans (colspan/rowspan) follow where their words are printed (in plain text, lines and tabs): compare them with the report."
            .into(),
    ];
    if requires.sections.is_empty() {
        head.push(
            "待核：报告中找不到情况说明的编号标题，[requires] 未列说明部分 / review: no numbered heading of the narrative was found; [requires] lists no section"
                .into(),
        );
    }
    let name = Text::new(
        format!(
            "{}{}年度{}公开表式（草稿）",
            department.as_deref().unwrap_or(""),
            year.map_or(String::new(), |y| y.to_string()),
            ctx.kind.name.zh
        ),
        format!("Draft layout read from {}", doc.name),
    );
    let draft = LayoutDraft {
        id: id.to_string(),
        kind: ctx.kind.id.clone(),
        name,
        amount_unit: located[0].unit,
        meta_department,
        meta_year,
        meta_unit,
        requires,
        head,
        tables,
    };
    Ok(Draft {
        toml: emit::toml(&draft),
        tables: located
            .iter()
            .map(|l| {
                (
                    l.id.clone(),
                    u32::try_from(l.title_line + 1).unwrap_or(u32::MAX),
                )
            })
            .collect(),
        review,
    })
}

/// A value column drafted: its key (index into the vocabulary's keys), where it prints, its
/// 栏次.
type ValueColumn = (usize, Option<Span>, Option<String>);

/// A review note as the comments write it.
fn note(zh: &str, en: &str) -> String {
    format!("待核：{zh} / review: {en}")
}

/// Every title of the kind's tables (and their aliases) and of the known layouts, longest
/// first: what finds a table.
fn titles(ctx: &Context) -> Vec<(String, TableId)> {
    let mut t: Vec<(String, TableId)> = ctx
        .kind
        .tables
        .iter()
        .flat_map(|t| {
            std::iter::once(normalize(&t.title.zh))
                .chain(t.aliases.iter().map(|a| normalize(a)))
                .map(|title| (title, t.key.clone()))
        })
        .chain(
            ctx.references
                .iter()
                .flat_map(|l| l.tables.iter())
                .map(|t| (crate::read::layout_title(&t.title.zh), t.id.clone())),
        )
        .collect();
    t.sort_by(|a, b| {
        b.0.chars()
            .count()
            .cmp(&a.0.chars().count())
            .then(a.0.cmp(&b.0))
    });
    t.dedup();
    t
}

/// What the whole report says that each table's draft uses.
struct Report<'a> {
    doc: &'a Document,
    ctx: &'a Context<'a>,
    department: Option<&'a str>,
    /// The page of each line (0 without page markers).
    pages: Vec<u32>,
    /// How most coded tables print codes: over 类/款/项 columns or whole.
    split: Option<bool>,
    /// The usual distance between two rows of a classification table (PDF), for an empty
    /// table's blank rows.
    pitch: Option<i32>,
    /// English of header words, notes and footers the known layouts print.
    english: Vec<(String, String)>,
}

impl<'a> Report<'a> {
    fn new(
        doc: &'a Document,
        ctx: &'a Context<'a>,
        located: &[Located],
        department: Option<&'a str>,
    ) -> Report<'a> {
        let mut splits = (0, 0);
        let mut gaps: Vec<i32> = Vec::new();
        let pages = crate::pages(doc);
        for loc in located {
            let Some(def) = ctx.kind.table(loc.id.key()) else {
                continue;
            };
            let lines = rows::body_lines(doc, &loc.body);
            let split = match def.rows {
                RowsBy::Function => rows::function_rows(doc, &lines).split,
                RowsBy::Economic => rows::economic_rows(doc, &lines).split,
                _ => None,
            };
            match split {
                Some(true) => splits.0 += 1,
                Some(false) => splits.1 += 1,
                None => {}
            }
            if def.rows == RowsBy::Function {
                // Tops of consecutive code rows on one page.
                let mut last: Option<(u32, i32)> = None;
                for &i in &lines {
                    let ws = rows::words(doc, i);
                    let Some(first) = ws.first() else { continue };
                    if first.kind != WordKind::Int || !rows::is_code(&first.text, b'2') {
                        continue;
                    }
                    let Some(y) = doc.vertical.get(i).and_then(|v| v.first()).map(|s| s.min) else {
                        continue;
                    };
                    let page = pages.get(i).copied().unwrap_or(0);
                    if let Some((p, ly)) = last
                        && p == page
                        && y > ly
                    {
                        gaps.push(y - ly);
                    }
                    last = Some((page, y));
                }
            }
        }
        gaps.sort_unstable();
        let mut english: Vec<(String, String)> = Vec::new();
        let mut add = |t: &Text| {
            if !t.en.is_empty() && !t.zh.is_empty() {
                english.push((header::folded(&t.zh), t.en.clone()));
            }
        };
        for l in ctx.references {
            for t in &l.tables {
                for row in &t.header {
                    for c in row {
                        match c {
                            juesuan_core::layout::HeaderCellLayout::Plain(t)
                            | juesuan_core::layout::HeaderCellLayout::Spanned { text: t, .. } => {
                                add(t)
                            }
                        }
                    }
                }
                for f in &t.footer {
                    add(&f.label);
                }
                for n in t.note.iter().chain(&t.empty_note) {
                    add(n);
                }
                if let Some(n) = &t.number {
                    add(n);
                }
            }
            add(&l.meta.unit);
            for m in l.meta.department.iter().chain(&l.meta.year) {
                add(m);
            }
        }
        for t in &ctx.kind.tables {
            for c in &t.columns {
                if !c.name.zh.contains(' ') {
                    add(&c.name);
                    for a in &c.aliases {
                        add(&Text::new(a.clone(), c.name.en.clone()));
                    }
                }
            }
        }
        Report {
            doc,
            ctx,
            department,
            pages,
            split: (splits.0 + splits.1 > 0).then_some(splits.0 >= splits.1),
            pitch: gaps.get(gaps.len() / 2).copied(),
            english,
        }
    }

    /// A text as printed, with its English where a known layout or the kind has the same words.
    fn text(&self, zh: &str) -> Text {
        let f = header::folded(zh);
        let n = self.ctx.lexicon.norm(zh);
        let en = self
            .english
            .iter()
            .find(|(k, _)| *k == f)
            .or_else(|| {
                self.english
                    .iter()
                    .find(|(k, _)| self.ctx.lexicon.norm(k) == n)
            })
            .map(|(_, e)| e.clone())
            .unwrap_or_default();
        Text::new(zh, en)
    }

    /// `s` with the department's name as `{department}`.
    fn templated(&self, s: &str) -> String {
        match self.department {
            Some(d) if !d.is_empty() => {
                let compact: String = s.chars().filter(|c| !text::is_separator(*c)).collect();
                if compact.contains(d) {
                    compact.replace(d, "{department}")
                } else {
                    s.trim().to_string()
                }
            }
            _ => s.trim().to_string(),
        }
    }

    /// Where line `i` (0-based) is, for the comments.
    fn place(&self, i: usize) -> String {
        match self.pages.get(i).copied().filter(|p| *p > 0) {
            Some(p) => format!("第 {p} 页第 {} 行 / page {p}, line {}", i + 1, i + 1),
            None => format!("第 {} 行 / line {}", i + 1, i + 1),
        }
    }

    /// The draft of one table; and whether the table shows how it prints zeros.
    fn table(&self, loc: &Located, def: &TableDef, next: usize) -> (TableDraft, bool) {
        let doc = self.doc;
        let ctx = self.ctx;
        let vocab = Vocab::new(def, ctx.lexicon);
        let lines = rows::body_lines(doc, &loc.body);
        let known: Vec<&TableLayout> = ctx
            .references
            .iter()
            .filter_map(|l| l.table(&loc.id))
            .collect();
        let mut comments = vec![format!("读自 / read from: {}", self.place(loc.title_line))];
        let review = |c: &mut Vec<String>, zh: &str, en: &str| c.push(note(zh, en));
        // The known table whose lines the report prints most of (a lines table), else the
        // first known table.
        let body_text: String = lines
            .iter()
            .map(|&i| rows::fold(&doc.lines[i]).into_iter().collect::<String>())
            .collect();
        let reference: Option<&TableLayout> = known
            .iter()
            .max_by_key(|t| {
                let refs = rows::ref_rows(t, ctx.catalog);
                refs.iter()
                    .filter_map(|r| r.key.as_ref())
                    .filter(|k| body_text.contains(&k.iter().collect::<String>()))
                    .count()
            })
            .copied();
        let refs = reference.map_or_else(Vec::new, |t| rows::ref_rows(t, ctx.catalog));
        if reference.is_none() {
            review(
                &mut comments,
                "已知表式中没有这张表：其筛选条件（filter）须人工补写",
                "no known layout has this table: write its filters yourself",
            );
        }
        // Where the header ends: the first line of a row.
        let (start, extra) = first_row(doc, &lines, def.rows, &refs, &vocab);
        let header_lines: Vec<usize> = lines[..start].to_vec();
        let mut hwords: Vec<Word> = header_lines
            .iter()
            .flat_map(|&i| rows::words(doc, i))
            .collect();
        hwords.extend(extra);
        let body = &lines[start..];
        let positioned = !hwords.is_empty() && hwords.iter().all(|w| w.x.is_some());
        let mut amounts_per_row: Vec<(usize, usize)> = Vec::new();
        let mut zeros = body
            .iter()
            .flat_map(|&i| rows::tokens(doc, i))
            .any(|t| matches!(t, Tk::Amount { zero: true, .. }));
        let any_amount = body
            .iter()
            .flat_map(|&i| rows::tokens(doc, i))
            .any(|t| matches!(t, Tk::Amount { .. }));
        // Each panel's non-value columns (and where they print), and where panels begin.
        let mut panels_cols: Vec<Vec<(ColumnKind, Option<Span>)>> = Vec::new();
        let mut starts: Vec<Option<i32>> = Vec::new();
        let mut function: Option<rows::FunctionRows> = None;
        let mut economic: Option<rows::EconomicRows> = None;
        let mut lines_read: Option<rows::LinesRead> = None;
        let code_cols = |split: bool,
                         parts: &[Option<Span>],
                         code: Option<Span>|
         -> Vec<(ColumnKind, Option<Span>)> {
            if split {
                let kinds = [ColumnKind::Lei, ColumnKind::Kuan, ColumnKind::Xiang];
                kinds.iter().zip(parts).map(|(k, x)| (*k, *x)).collect()
            } else {
                vec![(ColumnKind::Code, code)]
            }
        };
        match def.rows {
            RowsBy::Function => {
                let fr = rows::function_rows(doc, body);
                let split = fr.split.or(self.split).unwrap_or(false);
                if fr.split.is_none() {
                    review(
                        &mut comments,
                        "表中没有科目编码：编码的印法（类/款/项分栏或整码）按报告其他表",
                        "the table prints no code: codes print as the report's other tables print them (over 类/款/项, or whole)",
                    );
                }
                let mut cols = code_cols(split, &fr.parts_x, fr.code_x);
                cols.push((ColumnKind::Name, fr.name_x));
                panels_cols.push(cols);
                starts.push(None);
                zeros |= fr.zeros;
                amounts_per_row.extend(fr.amounts.iter().map(|n| (0, *n)));
                function = Some(fr);
            }
            RowsBy::Economic => {
                let er = rows::economic_rows(doc, body);
                let split = er.split.or(self.split).unwrap_or(false);
                for p in &er.panels {
                    let mut cols = if split {
                        vec![
                            (ColumnKind::Lei, p.parts_x[0]),
                            (ColumnKind::Kuan, p.parts_x[1]),
                        ]
                    } else {
                        vec![(ColumnKind::Code, p.code_x)]
                    };
                    cols.push((ColumnKind::Name, p.name_x));
                    panels_cols.push(cols);
                    starts.push(p.start);
                }
                if er.panels.is_empty() {
                    review(
                        &mut comments,
                        "表中没有经济分类代码：各栏的代码行须人工补写",
                        "the table prints no economic code: write each panel's rows yourself",
                    );
                }
                zeros |= er.zeros;
                amounts_per_row.extend(er.amounts.iter().copied());
                economic = Some(er);
            }
            RowsBy::Lines => {
                let npanels = reference.map_or(1, |t| t.panels.len()).max(1);
                let lr = rows::lines_read(doc, body, &refs, npanels);
                for p in 0..npanels {
                    let mut cols = vec![(ColumnKind::Label, lr.label_x[p])];
                    if lr.numbered[p] {
                        cols.push((ColumnKind::Line, lr.line_x[p]));
                    }
                    panels_cols.push(cols);
                    starts.push(if p == 0 {
                        None
                    } else {
                        lr.label_x[p].map(|x| x.min)
                    });
                }
                amounts_per_row.extend(lr.amounts.iter().copied());
                for (label, line) in &lr.unknown {
                    review(
                        &mut comments,
                        &format!(
                            "第 {line} 行“{label}”不是已知表式的任何一行：已作为无行次的行列出，须补写其 filter"
                        ),
                        &format!(
                            "line {line}: “{label}” is no line of a known layout: listed without a 行次; give it a filter"
                        ),
                    );
                }
                for (label, line) in &lr.reworded {
                    comments.push(format!(
                        "第 {line} 行按报告印作“{label}”（已知表式的措辞不同）/ line {line} printed as the report prints it, “{label}” (known layouts word it otherwise)"
                    ));
                }
                if !lr.dropped.is_empty() {
                    let labels: Vec<&str> = lr.dropped.iter().map(|(_, l)| l.as_str()).collect();
                    review(
                        &mut comments,
                        &format!("报告未印出已知表式的这些行：{}", labels.join("、")),
                        &format!(
                            "the report does not print these lines of known layouts: {}",
                            labels.join(", ")
                        ),
                    );
                }
                lines_read = Some(lr);
            }
            RowsBy::Single => {
                panels_cols.push(Vec::new());
                starts.push(None);
                let n = body
                    .iter()
                    .flat_map(|&i| rows::tokens(doc, i))
                    .filter(|t| matches!(t, Tk::Amount { .. }))
                    .count();
                if n > 0 {
                    amounts_per_row.push((0, n));
                }
            }
        }
        let npanels = panels_cols.len().max(1);
        // The value columns of each panel: keys and where they print.
        let mut values: Vec<Vec<ValueColumn>> = vec![Vec::new(); npanels];
        let mut items: Vec<Item> = Vec::new();
        let mut fixed: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
        if positioned {
            items = header::items(&hwords, &vocab);
            let occupied: Vec<Span> = panels_cols
                .iter()
                .flatten()
                .filter_map(|(_, x)| *x)
                .collect();
            let leaves: Vec<usize> = header::leaves(&items)
                .into_iter()
                .filter(|&l| {
                    let it = &items[l];
                    let m = i64::from(it.x.min) + i64::from(it.x.max);
                    it.word.is_some()
                        || !occupied
                            .iter()
                            .any(|o| 2 * i64::from(o.min) <= m && m <= 2 * i64::from(o.max))
                })
                .collect();
            let panel_of = |x: Span| -> usize {
                let m = x.centre2();
                (0..npanels)
                    .rev()
                    .find(|&p| starts[p].is_none_or(|s| 2 * i64::from(s) <= m))
                    .unwrap_or(0)
            };
            for (p, vals) in values.iter_mut().enumerate() {
                let mine: Vec<usize> = leaves
                    .iter()
                    .copied()
                    .filter(|&l| panel_of(items[l].x) == p)
                    .collect();
                let (keyed, unique) = header::keys(&items, &mine, &vocab);
                if !unique {
                    review(
                        &mut comments,
                        "表头有不止一种同样合理的读法：请核对各数值列的 key",
                        "the header reads more than one way equally well: check each value column's key",
                    );
                }
                for k in &keyed {
                    let leaf = &items[k.leaf];
                    // A 栏次 printed under the column.
                    let col_no = items
                        .iter()
                        .find(|it| it.numeric && it.top > leaf.top && it.x.overlap(leaf.x) > 0)
                        .map(|it| it.text.clone());
                    vals.push((k.key, Some(leaf.x), col_no));
                    let at = (p, vals.len() - 1);
                    fixed.push((k.leaf, vec![at]));
                    for &v in k.via.iter().filter(|&&v| v != k.leaf) {
                        match fixed.iter_mut().find(|(i, _)| *i == v) {
                            Some((_, cols)) => cols.push(at),
                            None => fixed.push((v, vec![at])),
                        }
                    }
                }
                // Headings over amounts that no key is.
                for &l in &mine {
                    if items[l].word.is_none() && !keyed.iter().any(|k| k.leaf == l) {
                        let x = items[l].x;
                        let under = body.iter().any(|&i| {
                            rows::words(doc, i).iter().any(|w| {
                                matches!(w.kind, WordKind::Amount { .. })
                                    && w.x.is_some_and(|wx| wx.overlap(x) > 0)
                            })
                        });
                        if under {
                            review(
                                &mut comments,
                                &format!(
                                    "表头“{}”下有金额，但它不是本表的任何列：已略去",
                                    items[l].text
                                ),
                                &format!(
                                    "amounts print under “{}”, which is no column of this table: left out",
                                    items[l].text
                                ),
                            );
                        }
                    }
                }
            }
        } else {
            // Plain text: which of the kind's columns the header names, in the kind's order
            // (the order of a header spread over several lines cannot be read from text).
            let lines_words: Vec<Vec<String>> = header_lines
                .iter()
                .map(|&i| {
                    rows::words(doc, i)
                        .into_iter()
                        .filter(|w| w.kind == WordKind::Text)
                        .map(|w| w.text)
                        .collect()
                })
                .collect();
            let (found, mut unread) =
                vocab.found_in_lines(&lines_words, &|w| !self.text(w).en.is_empty());
            // (A heading the known layouts print, `项目`, is no piece of a name.)
            // (Nor is a character alone: `项 目` spaced out.)
            unread.retain(|w| w.chars().count() > 1 && self.text(w).en.is_empty());
            if !unread.is_empty() {
                review(
                    &mut comments,
                    &format!(
                        "表头中这些文字不是本表任何列的名称：{}；若是折行的列名，请补写相应的列",
                        unread.join("、")
                    ),
                    &format!(
                        "these header words name no column of the table: {}; if they are a wrapped column name, add the column",
                        unread.join(", ")
                    ),
                );
            }
            let mut present: Vec<usize> = (0..vocab.keys.len())
                .filter(|&k| {
                    vocab.keys[k]
                        .1
                        .iter()
                        .any(|alt| alt.iter().all(|w| found.contains(w)))
                })
                .collect();
            text_order(&vocab, &found, &mut present);
            if !header_lines.is_empty() {
                review(
                    &mut comments,
                    "读自纯文本：数值列按文书类型的顺序排列（两级表头按重复印出的一级在内），请按报告核对其顺序",
                    "read from plain text: the value columns are in the kind's order (a two-level header's repeated level inside); check their order against the report",
                );
            }
            let mut placed = vec![false; vocab.keys.len()];
            match (def.rows, reference) {
                (RowsBy::Lines | RowsBy::Economic, Some(t)) if t.panels.len() == npanels => {
                    for (p, panel) in t.panels.iter().enumerate() {
                        for c in panel
                            .columns()
                            .iter()
                            .filter(|c| c.kind == ColumnKind::Value)
                        {
                            if let Some(k) = c
                                .key
                                .as_ref()
                                .and_then(|key| vocab.keys.iter().position(|(kk, _)| kk == key))
                                .filter(|k| present.contains(k))
                                && (!placed[k]
                                    || def.rows == RowsBy::Economic
                                    || panel_keys_repeat(t))
                            {
                                values[p].push((k, None, None));
                                placed[k] = true;
                            }
                        }
                    }
                    for &k in &present {
                        if !placed[k] {
                            values[npanels - 1].push((k, None, None));
                        }
                    }
                }
                (RowsBy::Economic, _) => {
                    for v in values.iter_mut() {
                        v.extend(present.iter().map(|&k| (k, None, None)));
                    }
                }
                _ => values[0].extend(present.iter().map(|&k| (k, None, None))),
            }
            // A 栏次 line (1, 2, 3…) numbers the value columns in order.
            let total: usize = values.iter().map(Vec::len).sum();
            let numbers: Vec<String> = header_lines
                .iter()
                .rev()
                .map(|&i| {
                    rows::words(doc, i)
                        .into_iter()
                        .filter(|w| w.kind == WordKind::Int)
                        .map(|w| w.text)
                        .collect::<Vec<_>>()
                })
                .find(|n| n.len() >= 2 && n.first().map(String::as_str) == Some("1"))
                .unwrap_or_default();
            if numbers.len() == total {
                let mut it = numbers.into_iter();
                for v in values.iter_mut() {
                    for c in v.iter_mut() {
                        c.2 = it.next();
                    }
                }
            }
        }
        if values.iter().all(Vec::is_empty) {
            review(
                &mut comments,
                "表头中找不到本表的任何数值列名称：columns 须人工补写",
                "the header names none of the table's value columns: write its columns yourself",
            );
        }
        // Columns, panels, filters.
        let keys: Vec<Vec<String>> = values
            .iter()
            .map(|v| v.iter().map(|(k, _, _)| vocab.keys[*k].0.clone()).collect())
            .collect();
        let filters = filters::filters(ctx.kind, def, reference, ctx.references, def.rows, &keys);
        if !filters.guessed.is_empty() {
            review(
                &mut comments,
                &format!(
                    "已知表式中没有这些列，其 filter 按词表推定：{}",
                    filters.guessed.join("、")
                ),
                &format!(
                    "no known layout has these columns; their filters follow the vocabulary: {}",
                    filters.guessed.join(", ")
                ),
            );
        }
        let mut panels: Vec<PanelLayout> = Vec::new();
        let mut all_cols: Vec<(ColumnKind, Option<Span>)> = Vec::new();
        let mut value_index: Vec<Vec<usize>> = Vec::new();
        for (p, vals) in values.iter().enumerate() {
            let mut columns: Vec<ColumnLayout> = Vec::new();
            for (k, x) in panels_cols.get(p).cloned().unwrap_or_default() {
                columns.push(plain_column(k));
                all_cols.push((k, x));
            }
            let mut idx = Vec::new();
            for (vi, (k, x, col_no)) in vals.iter().enumerate() {
                let key = vocab.keys[*k].0.clone();
                idx.push(all_cols.len());
                all_cols.push((ColumnKind::Value, *x));
                columns.push(ColumnLayout {
                    kind: ColumnKind::Value,
                    col_no: col_no.clone(),
                    filter: filters
                        .columns
                        .get(p)
                        .and_then(|c| c.get(vi))
                        .cloned()
                        .unwrap_or_default(),
                    key: Some(key),
                    width: None,
                });
            }
            value_index.push(idx);
            let pfilter = filters.panels.get(p).cloned().unwrap_or_default();
            let panel = match def.rows {
                RowsBy::Function => {
                    let fr = function.as_ref().expect("function rows read");
                    let (total_at, min_rows) = self.total_place(fr, &hwords, body, &mut comments);
                    PanelLayout::Function {
                        filter: pfilter,
                        columns,
                        total: self.text(
                            &fr.total
                                .as_ref()
                                .map_or_else(|| "合计".to_string(), |(l, _)| l.clone()),
                        ),
                        total_at,
                        min_rows,
                        depth: None,
                        numbered: false,
                    }
                }
                RowsBy::Economic => {
                    let er = economic.as_ref().expect("economic rows read");
                    PanelLayout::Economic {
                        filter: pfilter,
                        columns,
                        rows: er
                            .panels
                            .get(p)
                            .map(|x| x.codes.clone())
                            .unwrap_or_default(),
                        rest: p + 1 == npanels,
                        total: None,
                        total_at: Default::default(),
                    }
                }
                RowsBy::Lines => PanelLayout::Lines {
                    filter: pfilter,
                    columns,
                    rows: lines_read
                        .as_ref()
                        .and_then(|l| l.panels.get(p).cloned())
                        .unwrap_or_default(),
                },
                RowsBy::Single => PanelLayout::Lines {
                    filter: pfilter,
                    columns,
                    rows: vec![juesuan_core::layout::LineRowLayout {
                        line: None,
                        printed: None,
                        part_of: None,
                        label: None,
                        class: None,
                        prefix: None,
                        filter: Some(Filter::default()),
                        sum: None,
                        style: Default::default(),
                    }],
                },
            };
            panels.push(panel);
        }
        // The header grid.
        let ncols = all_cols.len();
        let grid: Vec<Vec<header::Cell>> = if positioned {
            let spans = fill_spans(&all_cols, &items);
            let fixed_cols: Vec<(usize, Vec<usize>)> = fixed
                .iter()
                .map(|(i, cols)| (*i, cols.iter().map(|(p, v)| value_index[*p][*v]).collect()))
                .collect();
            header::grid(&items, &spans, &fixed_cols)
        } else {
            let raw: Vec<&str> = header_lines
                .iter()
                .map(|&i| doc.lines[i].as_str())
                .collect();
            let value: Vec<bool> = all_cols
                .iter()
                .map(|(k, _)| *k == ColumnKind::Value)
                .collect();
            header::grid_of_lines(&raw, &value)
        };
        let mut header_rows: Vec<Vec<(Text, usize, usize)>> = grid
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|c| (self.text(&c.text), c.colspan, c.rowspan))
                    .collect()
            })
            .collect();
        if header_rows.is_empty() && ncols > 0 {
            header_rows.push(vec![(Text::zh(""), 1, 1); ncols]);
            review(
                &mut comments,
                "读不到表头：已写出一行空表头",
                "no header could be read: a blank header row is written",
            );
        }
        // Footers of an economic table.
        let mut footer = Vec::new();
        if let Some(er) = &economic {
            let n = er.footers.len();
            for (k, (label, x, _)) in er.footers.iter().enumerate() {
                let p = match x {
                    Some(x) => (0..npanels)
                        .rev()
                        .find(|&p| starts[p].is_none_or(|s| 2 * i64::from(s) <= x.centre2()))
                        .unwrap_or(0),
                    None => k.min(npanels - 1),
                };
                let mut ps = vec![p];
                if k + 1 == n {
                    ps.extend(p + 1..npanels);
                }
                footer.push((self.text(label), ps));
            }
            // Two footers of one panel: the later adds the panels after the earlier's.
            footer.dedup_by(|b, a| a.1 == b.1);
        }
        // Notes after the table.
        let last_row = lines.last().copied().unwrap_or(loc.body.start);
        let (note_text, empty_note) = self.notes(loc, last_row, next);
        // Zeros: 0.00 printed, or blank cells where amounts are printed.
        // (A fixed line printed without a figure is a blank cell; a classification row is
        // printed because it has one.)
        let short = amounts_per_row.iter().any(|(p, n)| {
            let cols = values.get(*p).map_or(0, Vec::len);
            (*n > 0 || def.rows == RowsBy::Lines) && *n < cols
        });
        let (zero, zero_known) = if zeros {
            (ZeroDisplay::Zero, true)
        } else if any_amount && short {
            (ZeroDisplay::Blank, true)
        } else {
            (ZeroDisplay::Zero, false)
        };
        let landscape = self
            .pages
            .get(loc.title_line)
            .and_then(|p| doc.page_sizes.get((*p as usize).checked_sub(1)?))
            .map(|s| s.width > s.height);
        if landscape.is_none() {
            review(
                &mut comments,
                "无法得知纸张方向（纵向/横向）：landscape 未写",
                "the page's orientation is not known: landscape is not written",
            );
        }
        (
            TableDraft {
                id: loc.id.clone(),
                comments,
                number: self.number(loc),
                title: self.title(loc, def),
                note: note_text.map(|n| self.text(&n)),
                empty_note: empty_note.map(|n| self.text(&n)),
                zero,
                landscape: landscape.unwrap_or(false),
                filter: filters.table.clone(),
                header: header_rows,
                footer,
                panels,
            },
            zero_known,
        )
    }

    /// Where a function table's 合计 stands, and the blank rows an empty table prints (a PDF:
    /// the room between its header and its 合计, in rows).
    fn total_place(
        &self,
        fr: &rows::FunctionRows,
        hwords: &[Word],
        body: &[usize],
        comments: &mut Vec<String>,
    ) -> (TotalAt, usize) {
        if let Some(at) = fr.total_at {
            return (at, 0);
        }
        let header_bottom = hwords.iter().map(|w| w.y.max).max();
        let total = fr.total.as_ref().and_then(|(_, line)| {
            let i = *line as usize - 1;
            body.contains(&i).then_some(())?;
            self.doc
                .vertical
                .get(i)
                .and_then(|v| v.iter().map(|s| s.min).min())
        });
        match (header_bottom, total, self.pitch) {
            (Some(h), Some(t), Some(pitch)) if pitch > 0 && t - h > 2 * pitch => {
                let rows = usize::try_from((t - h - pitch / 2) / pitch).unwrap_or(0);
                comments.push(note(
                    &format!("空表：合计印在表底，其上约 {rows} 行空行（按行距估计）"),
                    &format!(
                        "an empty table: its 合计 prints at the foot, below about {rows} blank rows (estimated from the row spacing)"
                    ),
                ));
                (TotalAt::Bottom, rows)
            }
            _ => {
                comments.push(note(
                    "空表：看不出合计印在表头还是表底（total_at）",
                    "an empty table: whether its 合计 prints at the top or the foot (total_at) cannot be told",
                ));
                (TotalAt::Top, 0)
            }
        }
    }

    /// The title as printed, in English as a known layout or the kind has it (none when the
    /// report words it otherwise: the comment says so).
    fn title(&self, loc: &Located, def: &TableDef) -> Text {
        let zh = printed_title(self.doc, loc);
        let f = header::folded(&zh);
        let en = self
            .ctx
            .references
            .iter()
            .flat_map(|l| l.tables.iter())
            .find(|t| header::folded(&t.title.zh) == f && !t.title.en.is_empty())
            .map(|t| t.title.en.clone())
            .or_else(|| (header::folded(&def.title.zh) == f).then(|| def.title.en.clone()))
            .unwrap_or_default();
        Text::new(zh, en)
    }

    /// The table's number (`公开01表`) printed beside its title.
    fn number(&self, loc: &Located) -> Option<Text> {
        let lines = &self.doc.lines;
        let around = loc.title_line.saturating_sub(1)..loc.body.start.min(lines.len());
        around
            .filter(|&i| i != loc.title_line)
            .map(|i| normalize(&lines[i]))
            .find(|n| {
                n.chars().count() <= 8 && n.ends_with('表') && n.chars().any(|c| c.is_ascii_digit())
            })
            .map(|n| {
                let digits: String = n.chars().filter(char::is_ascii_digit).collect();
                let t = self.text(&n);
                if t.en.is_empty() {
                    Text::new(n, format!("Table {digits}"))
                } else {
                    t
                }
            })
    }

    /// The note printed under the table (注：…) and the sentence an empty table prints
    /// (the lexicon's empty-table words), between its last row and the next table.
    fn notes(&self, loc: &Located, last: usize, next: usize) -> (Option<String>, Option<String>) {
        let lines = &self.doc.lines;
        let empty_words = self.ctx.lexicon.document_words("empty_note");
        let from = loc.body.start.min(last);
        let to = next.min(lines.len()).min(loc.body.end + 12);
        let mut note: Option<String> = None;
        let mut empty: Option<String> = None;
        let mut i = from;
        while i < to {
            let n = normalize(&lines[i]);
            let starts_note = n.starts_with("注") || n.starts_with("说明:");
            let says_empty = empty_words.iter().any(|w| n.contains(w.as_str()));
            if !(starts_note || says_empty) || read::unit_of(&lines[i]).is_some() {
                i += 1;
                continue;
            }
            // The note and the lines it wraps onto (up to a blank line, a page or another note).
            let mut text = lines[i].trim().to_string();
            let mut j = i + 1;
            while j < to && j < i + 4 {
                let l = &lines[j];
                let m = normalize(l);
                if l.trim().is_empty()
                    || is_page_marker(l)
                    || m.starts_with("注")
                    || m.starts_with("说明:")
                    || empty_words.iter().any(|w| m.contains(w.as_str()))
                    || !text.ends_with(|c: char| !"。.".contains(c))
                {
                    break;
                }
                text.push_str(l.trim());
                j += 1;
            }
            let t = self.templated(&text);
            if says_empty
                || empty_words
                    .iter()
                    .any(|w| normalize(&t).contains(w.as_str()))
            {
                empty.get_or_insert(t);
            } else {
                note.get_or_insert(t);
            }
            i = j;
        }
        (note, empty)
    }

    /// The line above each table: the department, the year and the unit as printed, from the
    /// first table.
    fn meta(&self, located: &[Located]) -> (Option<Text>, Option<Text>, Text) {
        let doc = self.doc;
        let mut department = None;
        let mut year = None;
        let mut unit = None;
        if let Some(loc) = located.first() {
            // From the title to the unit line.
            let range = loc.title_line + 1..loc.body.start.min(doc.lines.len());
            let mut pieces: Vec<String> = Vec::new();
            for i in range {
                for w in doc.lines[i]
                    .split(text::is_separator)
                    .filter(|w| !w.is_empty())
                {
                    match pieces.last_mut() {
                        Some(last) if last.ends_with(['：', ':']) => last.push_str(w),
                        _ => pieces.push(w.to_string()),
                    }
                }
            }
            for p in pieces {
                if read::unit_of(&p).is_some() {
                    let u = if p.contains("万元") {
                        p.replace("万元", "{unit}")
                    } else {
                        p.replacen('元', "{unit}", 1)
                    };
                    unit.get_or_insert(u);
                } else if let Some(d) = self.department.filter(|d| !d.is_empty() && p.contains(*d))
                {
                    department.get_or_insert(p.replace(d, "{department}"));
                } else if let Some(at) = p.find("年度") {
                    let digits = text::trailing_digits(&p[..at]);
                    if digits.len() == 4 {
                        year.get_or_insert(p.replacen(digits, "{year}", 1));
                    }
                }
            }
        }
        let english = |t: String, en: &str| {
            let known = self.text(&t);
            if known.en.is_empty() {
                Text::new(t, en)
            } else {
                known
            }
        };
        (
            department.map(|d| english(d, "Department: {department}")),
            year.map(|y| english(y, "FY {year}")),
            english(
                unit.unwrap_or_else(|| "单位：{unit}".into()),
                "Unit: {unit}",
            ),
        )
    }
}

/// The order of a plain-text header's columns whose names have two levels (`预算数 合计`):
/// the level whose words the header prints more often is the inner one (`预算数 决算数` under
/// each category, or each category under `预算数` and `决算数`); the columns go by the outer
/// level, then the inner, each in the kind's order. Other columns keep the kind's order.
fn text_order(vocab: &Vocab, found: &[usize], present: &mut [usize]) {
    let pairs: Vec<(usize, usize)> = present
        .iter()
        .filter_map(|&k| match vocab.keys[k].1.first().map(Vec::as_slice) {
            Some(&[a, b]) => Some((a, b)),
            _ => None,
        })
        .collect();
    if pairs.is_empty() || pairs.len() != present.len() {
        return;
    }
    let mut firsts: Vec<usize> = Vec::new();
    let mut seconds: Vec<usize> = Vec::new();
    for &(a, b) in &pairs {
        if !firsts.contains(&a) {
            firsts.push(a);
        }
        if !seconds.contains(&b) {
            seconds.push(b);
        }
    }
    // How often each level's words are printed, per word (as fractions compared crosswise).
    let count = |ws: &[usize]| found.iter().filter(|w| ws.contains(w)).count();
    let first_inner = count(&firsts) * seconds.len() > count(&seconds) * firsts.len();
    let rank = |k: usize| {
        let (a, b) = pairs[present.iter().position(|&p| p == k).unwrap_or(0)];
        let ia = firsts.iter().position(|&w| w == a).unwrap_or(0);
        let ib = seconds.iter().position(|&w| w == b).unwrap_or(0);
        if first_inner { (ib, ia) } else { (ia, ib) }
    };
    let ranks: Vec<((usize, usize), usize)> = present.iter().map(|&k| (rank(k), k)).collect();
    let mut sorted = ranks;
    sorted.sort();
    for (slot, (_, k)) in present.iter_mut().zip(sorted) {
        *slot = k;
    }
}

/// Whether a known table prints the same key in several panels (a 收支总表's `amount`).
fn panel_keys_repeat(t: &TableLayout) -> bool {
    let keys: Vec<&str> = t
        .panels
        .iter()
        .flat_map(|p| p.columns())
        .filter_map(|c| c.key.as_deref())
        .collect();
    keys.iter().enumerate().any(|(i, k)| keys[..i].contains(k))
}

/// The first line of a table's rows (index into `lines`) and the header's words printed on it
/// (`类 款 项` beside the 合计; the headings of an empty table beside its 合计).
fn first_row(
    doc: &Document,
    lines: &[usize],
    by: RowsBy,
    refs: &[rows::RefRow],
    vocab: &Vocab,
) -> (usize, Vec<Word>) {
    for (n, &i) in lines.iter().enumerate() {
        if read::ends_table(&doc.lines[i]) {
            return (n, Vec::new());
        }
        let ws = rows::words(doc, i);
        let toks = rows::tokens(doc, i);
        let has_amount = toks.iter().any(|t| matches!(t, Tk::Amount { .. }));
        match by {
            RowsBy::Function | RowsBy::Economic => {
                let first = if by == RowsBy::Function { b'2' } else { b'3' };
                let code = ws
                    .iter()
                    .position(|w| w.kind == WordKind::Int && rows::is_code(&w.text, first));
                // A 合计 begins a row where amounts follow it or it begins the line (an empty
                // table's); elsewhere it is a heading (`合计` over a 小计 column).
                let total = ws
                    .iter()
                    .position(|w| {
                        let t = normalize(&w.text);
                        // (`本年支出合计` is a column's heading.)
                        (t.ends_with("合计") && t.chars().count() <= 6 || t == "总计" || t == "合")
                            && !header::is_word(vocab, &w.text)
                    })
                    .filter(|&k| k == 0 || has_amount);
                let amount = ws
                    .iter()
                    .position(|w| matches!(w.kind, WordKind::Amount { .. }));
                let at = [code, total, amount].into_iter().flatten().min();
                let Some(at) = at else { continue };
                let mut extra: Vec<Word> = ws[..at]
                    .iter()
                    .filter(|w| w.kind == WordKind::Text)
                    .cloned()
                    .collect();
                if Some(at) == total && !has_amount {
                    // An empty table's 合计 beside the last header words.
                    extra.extend(
                        ws[at + 1..]
                            .iter()
                            .filter(|w| w.kind == WordKind::Text && w.text != "计")
                            .cloned(),
                    );
                }
                return (n, extra);
            }
            RowsBy::Lines => {
                let known = toks.iter().any(|t| match t {
                    Tk::Run(r) => {
                        let f = rows::fold(&r.text());
                        let rest = &f[rows::numbering(&f)..];
                        refs.iter()
                            .filter_map(|r| r.key.as_ref())
                            .any(|k| rest.starts_with(k))
                    }
                    _ => false,
                });
                if has_amount || known {
                    return (n, Vec::new());
                }
            }
            RowsBy::Single => {
                if has_amount {
                    return (n, Vec::new());
                }
            }
        }
    }
    (lines.len(), Vec::new())
}

/// The title as printed (its own quotes and brackets), without a number before it.
fn printed_title(doc: &Document, loc: &Located) -> String {
    let raw: String = doc.lines[loc.title_line]
        .chars()
        .filter(|c| !text::is_separator(*c))
        .collect();
    raw.char_indices()
        .map(|(i, _)| &raw[i..])
        .find(|s| normalize(s) == loc.title)
        .unwrap_or(&loc.title)
        .to_string()
}

/// Extents of every body column: what prints in it, else shares of the room between its
/// neighbours (an empty table: its label columns beside its first value column).
fn fill_spans(cols: &[(ColumnKind, Option<Span>)], items: &[Item]) -> Vec<Span> {
    let left = items.iter().map(|i| i.x.min).min().unwrap_or(0);
    let right = items.iter().map(|i| i.x.max).max().unwrap_or(left + 1000);
    let mut out: Vec<Option<Span>> = cols.iter().map(|(_, x)| *x).collect();
    let n = out.len();
    let mut i = 0;
    while i < n {
        if out[i].is_some() {
            i += 1;
            continue;
        }
        let j = (i..n).find(|&k| out[k].is_some()).unwrap_or(n);
        let from = if i == 0 {
            left
        } else {
            out[i - 1].map_or(left, |s| s.max)
        };
        let to = if j == n {
            right
        } else {
            out[j].map_or(right, |s| s.min)
        };
        let count = i32::try_from(j - i).unwrap_or(1).max(1);
        let step = ((to - from) / count).max(1);
        for (k, slot) in out.iter_mut().enumerate().take(j).skip(i) {
            let a = from + step * i32::try_from(k - i).unwrap_or(0);
            *slot = Some(Span {
                min: a,
                max: a + step,
            });
        }
        i = j;
    }
    out.into_iter()
        .map(|s| s.unwrap_or(Span { min: 0, max: 1 }))
        .collect()
}

/// A value column's filter from the vocabulary term its key names (for a table no known layout
/// prints): an income source's or a fund's name, an expenditure kind, a balance.
pub(super) fn term_filter(def: &TableDef, key: &str) -> Filter {
    for v in &def.terms {
        let Some(term) = juesuan_core::facts::term(v, key) else {
            continue;
        };
        let text = match v.as_str() {
            "income_source" if key == "fiscal" => "fund = [\"财政拨款\"]".to_string(),
            "income_source" | "fund_source" => format!("fund = [{}]", emit::string(term.zh)),
            "expenditure_kind" => format!("kind = [{}]", emit::string(term.zh)),
            "balance_kind" => format!(
                "dataset = \"balance\"\nbalance = [{}]",
                emit::string(term.zh)
            ),
            _ => continue,
        };
        if let Ok(f) = toml::from_str::<Filter>(&text) {
            return f;
        }
    }
    Filter::default()
}

/// What the report prints besides its tables: the kind's narrative sections (numbered headings
/// between where its narrative begins and ends), its other parts, and its 绩效自评 forms.
fn requires(doc: &Document, ctx: &Context, tables_end: usize) -> Requires {
    let toc = crate::complete::toc(doc, ctx.lexicon);
    let body = toc.as_ref().map_or(1, |t| t.body);
    let narrative = &ctx.kind.narrative;
    let crate::complete::Headings {
        lines: headings,
        begin,
        end,
    } = crate::complete::headings(doc, body, narrative);
    let mut sections: Vec<String> = Vec::new();
    if let Some(b) = begin {
        for (l, n) in &headings {
            if *l > b
                && *l < end
                && *l as usize > tables_end
                && let Some(s) = narrative.section_of(n)
                && !sections.contains(&s.key)
            {
                sections.push(s.key.clone());
            }
        }
    }
    // In the kind's order.
    sections.sort_by_key(|k| narrative.sections.iter().position(|s| s.key == *k));
    let parts: Vec<String> = ctx
        .kind
        .parts
        .iter()
        .filter(|p| {
            let words = crate::complete::names(p);
            headings
                .iter()
                .any(|(_, n)| words.iter().any(|w| n.contains(w.as_str())))
        })
        .map(|p| p.key.clone())
        .collect();
    let forms = crate::forms::read(doc, ctx.lexicon)
        .is_some_and(|f| f.evaluations.department.is_some() || !f.evaluations.projects.is_empty());
    Requires {
        sections,
        parts,
        forms,
    }
}
