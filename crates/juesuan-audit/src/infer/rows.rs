//! The body of a table as printed: its words by line, the rows of a classification table
//! (codes as one number or over 类/款/项 columns, the 合计 and where it stands, the panels of an
//! economic table and its footers) and the fixed lines of a 收支总表 matched to the lines a
//! known layout of the kind defines.

use crate::read::{close, is_total};
use crate::text::{Document, Span, amount, ascii_digits, is_page_marker, is_separator};
use juesuan_core::catalog::{Catalog, Classification};
use juesuan_core::layout::{LineRowLayout, PanelLayout, TableLayout, TotalAt};
use juesuan_core::text::Text;

/// What a printed word is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum WordKind {
    /// Words.
    Text,
    /// An integer: a code, a code's segment, a 行次 or a 栏次.
    Int,
    /// An amount (a zero or not).
    Amount { zero: bool },
}

/// A word of a line with where it is printed.
#[derive(Clone, Debug)]
pub(super) struct Word {
    /// As printed.
    pub text: String,
    /// Across the page (a PDF, a workbook, a page's table); `None` in plain text.
    pub x: Option<Span>,
    /// Down the page: the word's box on a PDF, else a band per line.
    pub y: Span,
    /// 1-based line.
    pub line: u32,
    pub kind: WordKind,
}

/// The words of line `i` (0-based), as the reader splits them.
pub(super) fn words(doc: &Document, i: usize) -> Vec<Word> {
    let Some(line) = doc.lines.get(i) else {
        return Vec::new();
    };
    let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
    let band = |no: u32| {
        let top = i32::try_from(no)
            .unwrap_or(i32::MAX / 2000)
            .saturating_mul(1000);
        Span {
            min: top,
            max: top.saturating_add(999),
        }
    };
    let mut out = Vec::new();
    for (k, w) in line
        .split(is_separator)
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        let a = ascii_digits(w);
        let kind = if let Some(p) = amount(&a) {
            WordKind::Amount {
                zero: p.hundredths() == 0,
            }
        } else if a.bytes().all(|b| b.is_ascii_digit()) {
            WordKind::Int
        } else if matches!(a.as_str(), "-" | "—" | "－" | "/" | "——") {
            continue;
        } else {
            WordKind::Text
        };
        out.push(Word {
            text: w.to_string(),
            x: doc.positions.get(i).and_then(|p| p.get(k)).copied(),
            y: doc
                .vertical
                .get(i)
                .and_then(|v| v.get(k))
                .copied()
                .unwrap_or_else(|| band(no)),
            line: no,
            kind,
        });
    }
    out
}

/// A line's tokens: words next to each other joined into runs (as the reader joins a label's
/// words), integers and amounts.
#[derive(Clone, Debug)]
pub(super) enum Tk {
    /// Words of one cell.
    Run(Run),
    /// An integer.
    Int(String, Option<Span>),
    /// An amount (whether it is a zero).
    Amount { zero: bool },
}

/// Words of one cell.
#[derive(Clone, Debug)]
pub(super) struct Run {
    /// The words as printed.
    pub words: Vec<String>,
    /// Where.
    pub x: Option<Span>,
}

impl Run {
    /// The words without the spaces between them.
    pub fn text(&self) -> String {
        self.words.concat()
    }
}

/// The tokens of line `i`.
pub(super) fn tokens(doc: &Document, i: usize) -> Vec<Tk> {
    let mut out: Vec<Tk> = Vec::new();
    for w in words(doc, i) {
        match w.kind {
            WordKind::Text => match out.last_mut() {
                Some(Tk::Run(r)) if close(r.x, w.x) => {
                    r.words.push(w.text);
                    r.x = r.x.zip(w.x).map(|(a, b)| a.union(b));
                }
                _ => out.push(Tk::Run(Run {
                    words: vec![w.text],
                    x: w.x,
                })),
            },
            WordKind::Int => out.push(Tk::Int(ascii_digits(&w.text), w.x)),
            WordKind::Amount { zero } => out.push(Tk::Amount { zero }),
        }
    }
    out
}

/// The lines of a table's body that hold something (no page markers, no blank lines), 0-based.
pub(super) fn body_lines(doc: &Document, body: &std::ops::Range<usize>) -> Vec<usize> {
    body.clone()
        .filter(|&i| {
            let l = &doc.lines[i];
            !l.trim().is_empty() && !is_page_marker(l)
        })
        .collect()
}

/// A code of the classification `first` (`'2'` function, `'3'` economic) of a length a row
/// prints (3, 5 or 7 digits; 3 or 5 for economic).
pub(super) fn is_code(s: &str, first: u8) -> bool {
    let lens: &[usize] = if first == b'3' { &[3, 5] } else { &[3, 5, 7] };
    lens.contains(&s.len()) && s.as_bytes()[0] == first
}

/// The 合计 of a run as printed: `合计`, or `合 计` when its two characters are two words.
pub(super) fn total_label(run: &Run) -> Option<String> {
    let text = run.text();
    if !is_total(&text) {
        return None;
    }
    let n = run.words.len();
    if n >= 2 && run.words[n - 2] == "合" && run.words[n - 1] == "计" {
        return Some("合 计".into());
    }
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let tail: String = t
        .chars()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    Some(if t == "总计" { t } else { tail })
}

/// Extents of what a column prints, grown as rows are read.
fn grow(span: &mut Option<Span>, x: Option<Span>) {
    if let Some(x) = x {
        *span = Some(span.map_or(x, |s| s.union(x)));
    }
}

/// The rows of a function table.
#[derive(Clone, Debug, Default)]
pub(super) struct FunctionRows {
    /// Codes printed over 类/款/项 columns (`201 06 01`); `None`: no code printed.
    pub split: Option<bool>,
    /// The 合计 as printed, and its line.
    pub total: Option<(String, u32)>,
    /// Where the 合计 stands; `None` when no code row tells.
    pub total_at: Option<TotalAt>,
    /// Where the 类, 款, 项 parts of split codes are printed.
    pub parts_x: [Option<Span>; 3],
    /// Where whole codes are printed.
    pub code_x: Option<Span>,
    /// Where names are printed.
    pub name_x: Option<Span>,
    /// The amounts of each row read.
    pub amounts: Vec<usize>,
    /// A zero printed as `0.00`.
    pub zeros: bool,
    /// The first code row's line.
    pub first_code: Option<u32>,
    /// The line of the last row.
    pub last_line: Option<u32>,
}

/// Reads a function table's rows from its body lines.
pub(super) fn function_rows(doc: &Document, lines: &[usize]) -> FunctionRows {
    let mut out = FunctionRows::default();
    let mut before = false;
    let mut after = false;
    for &i in lines {
        let toks = tokens(doc, i);
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let count = |from: usize| {
            toks[from..]
                .iter()
                .filter(|t| matches!(t, Tk::Amount { .. }))
                .count()
        };
        out.zeros |= toks
            .iter()
            .any(|t| matches!(t, Tk::Amount { zero: true, .. }));
        if let Some(Tk::Int(code, x)) = toks.first()
            && is_code(code, b'2')
        {
            let split =
                code.len() == 3 && matches!(toks.get(1), Some(Tk::Int(s, _)) if s.len() == 2);
            out.split = Some(out.split.unwrap_or(false) || split);
            if split {
                grow(&mut out.parts_x[0], *x);
                let mut k = 1;
                while let Some(Tk::Int(s, sx)) = toks.get(k) {
                    if s.len() != 2 || k > 2 {
                        break;
                    }
                    grow(&mut out.parts_x[k], *sx);
                    k += 1;
                }
            } else if code.len() == 3 {
                grow(&mut out.parts_x[0], *x);
                grow(&mut out.code_x, *x);
            } else {
                grow(&mut out.code_x, *x);
            }
            if let Some(Tk::Run(r)) = toks.iter().find(|t| matches!(t, Tk::Run(_))) {
                grow(&mut out.name_x, r.x);
            }
            out.first_code.get_or_insert(no);
            if out.total.is_some() {
                before = true;
            }
            out.amounts.push(count(0));
            out.last_line = Some(no);
            continue;
        }
        let total = toks
            .iter()
            .enumerate()
            .find_map(|(k, t)| match t {
                Tk::Run(r) => total_label(r).map(|l| (k, l)),
                _ => None,
            })
            .filter(|(k, _)| *k == 0 || count(*k) > 0);
        if let Some((k, label)) = total {
            if out.first_code.is_some() {
                after = true;
            }
            out.total.get_or_insert((label, no));
            out.amounts.push(count(k));
            out.last_line = Some(no);
        }
    }
    // A 合计 both above and below the codes is printed twice (`both`).
    if out.first_code.is_some() {
        out.total_at = match (before || out.total.is_some() && !after, after) {
            (true, true)
                if out
                    .total
                    .as_ref()
                    .is_some_and(|(_, l)| Some(*l) < out.first_code) =>
            {
                Some(TotalAt::Both)
            }
            (_, true)
                if out
                    .total
                    .as_ref()
                    .is_some_and(|(_, l)| Some(*l) > out.first_code) =>
            {
                Some(TotalAt::Bottom)
            }
            _ => Some(TotalAt::Top),
        };
    }
    out
}

/// One panel of an economic table.
#[derive(Clone, Debug, Default)]
pub(super) struct EconomicPanel {
    /// Its codes, in printed order.
    pub codes: Vec<String>,
    /// Where its 类 and 款 parts (split codes) are printed.
    pub parts_x: [Option<Span>; 2],
    /// Where its whole codes are printed.
    pub code_x: Option<Span>,
    /// Where its names are printed.
    pub name_x: Option<Span>,
    /// Where its first code column begins (what tells the panels apart).
    pub start: Option<i32>,
}

/// The rows of an economic table, panel by panel.
#[derive(Clone, Debug, Default)]
pub(super) struct EconomicRows {
    /// Codes over 类/款 columns (`301 01`); `None`: no code printed.
    pub split: Option<bool>,
    /// The panels, left to right.
    pub panels: Vec<EconomicPanel>,
    /// Footer totals (`人员经费合计`) as printed, where, and the panels each adds.
    pub footers: Vec<(String, Option<Span>, u32)>,
    /// Amounts of each row read: (panel, amounts).
    pub amounts: Vec<(usize, usize)>,
    /// A zero printed as `0.00`.
    pub zeros: bool,
    /// The last line read.
    pub last_line: Option<u32>,
}

/// A code cell of an economic table as read: the code, where it starts, its line and place
/// among the line's codes, its parts' and name's extents and its amounts.
struct CodeCell {
    code: String,
    line: u32,
    x: Option<Span>,
    parts: [Option<Span>; 2],
    name: Option<Span>,
    nth: usize,
    amounts: usize,
}

/// Reads an economic table's rows: each line holds up to one code per panel.
pub(super) fn economic_rows(doc: &Document, lines: &[usize]) -> EconomicRows {
    let mut out = EconomicRows::default();
    let mut cells: Vec<CodeCell> = Vec::new();
    let mut footers: Vec<(String, Option<Span>, u32)> = Vec::new();
    for &i in lines {
        let toks = tokens(doc, i);
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        out.zeros |= toks
            .iter()
            .any(|t| matches!(t, Tk::Amount { zero: true, .. }));
        let mut nth = 0;
        let mut k = 0;
        let mut any = false;
        while k < toks.len() {
            match &toks[k] {
                Tk::Int(code, x) if is_code(code, b'3') => {
                    let mut cell = CodeCell {
                        code: code.clone(),
                        line: no,
                        x: *x,
                        parts: [None, None],
                        name: None,
                        nth,
                        amounts: 0,
                    };
                    nth += 1;
                    if code.len() == 3
                        && let Some(Tk::Int(s, sx)) = toks.get(k + 1)
                        && s.len() == 2
                    {
                        cell.code.push_str(s);
                        cell.parts = [*x, *sx];
                        out.split = Some(true);
                        k += 1;
                    } else {
                        if code.len() == 3 {
                            cell.parts[0] = *x;
                        }
                        out.split.get_or_insert(false);
                    }
                    cells.push(cell);
                    any = true;
                }
                Tk::Run(r) => {
                    let text = r.text();
                    if text.ends_with("合计") && text.chars().count() > 2 {
                        footers.push((text, r.x, no));
                        any = true;
                    } else if let Some(c) = cells.last_mut().filter(|_| any)
                        && c.name.is_none()
                    {
                        c.name = r.x;
                    }
                }
                Tk::Amount { .. } => {
                    if let Some(c) = cells.last_mut().filter(|_| any) {
                        c.amounts += 1;
                    }
                }
                Tk::Int(..) => {}
            }
            k += 1;
        }
        if any {
            out.last_line = Some(no);
        }
    }
    // Panels: by where codes begin across the page — the n-th code of a line that prints
    // several stands in the n-th panel, and every code in the panel whose codes begin nearest
    // it — else by a code's place on its line; a 款 goes where its 类 is.
    let positioned = !cells.is_empty() && cells.iter().all(|c| c.x.is_some());
    let mut samples: Vec<Vec<i64>> = Vec::new();
    for (i, c) in cells.iter().enumerate() {
        let several = cells
            .iter()
            .enumerate()
            .any(|(j, d)| j != i && d.line == c.line);
        if several && let Some(x) = c.x {
            while samples.len() <= c.nth {
                samples.push(Vec::new());
            }
            samples[c.nth].push(i64::from(x.min));
        }
    }
    let centres: Vec<i64> = samples
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.iter().sum::<i64>() / i64::try_from(s.len()).unwrap_or(1))
        .collect();
    let mut panel_of: Vec<(String, usize)> = Vec::new();
    for c in &cells {
        let by_line = match c.x {
            Some(x) if positioned && !centres.is_empty() => (0..centres.len())
                .min_by_key(|&k| (centres[k] - i64::from(x.min)).abs())
                .unwrap_or(0),
            _ => c.nth,
        };
        let parent = (c.code.len() > 3)
            .then(|| panel_of.iter().find(|(code, _)| *code == c.code[..3]))
            .flatten()
            .map(|(_, p)| *p);
        let p = if positioned && !centres.is_empty() {
            by_line
        } else {
            parent.unwrap_or(by_line)
        };
        panel_of.push((c.code.clone(), p));
        while out.panels.len() <= p {
            out.panels.push(EconomicPanel::default());
        }
        let panel = &mut out.panels[p];
        if !panel.codes.contains(&c.code) {
            panel.codes.push(c.code.clone());
        }
        if c.parts[1].is_some() {
            grow(&mut panel.parts_x[0], c.parts[0]);
            grow(&mut panel.parts_x[1], c.parts[1]);
        } else {
            if c.parts[0].is_some() {
                grow(&mut panel.parts_x[0], c.parts[0]);
            }
            grow(&mut panel.code_x, c.x);
        }
        grow(&mut panel.name_x, c.name);
        if let Some(x) = c.x {
            panel.start = Some(panel.start.map_or(x.min, |s| s.min(x.min)));
        }
        out.amounts.push((p, c.amounts));
    }
    out.footers = footers;
    out
}

/// A line of a `lines` panel of a known layout: where it is, the row as that layout writes
/// it, and its label as compared (numbering off, folded).
#[derive(Clone, Debug)]
pub(super) struct RefRow {
    /// Its panel.
    pub panel: usize,
    /// The row.
    pub row: LineRowLayout,
    /// Its label as compared; `None` for a blank line.
    pub key: Option<Vec<char>>,
}

/// How labels are compared: no spaces, full- and half-width brackets, colons and quotes
/// alike.
pub(super) fn fold_char(c: char) -> char {
    match c {
        '（' => '(',
        '）' => ')',
        '：' => ':',
        '“' | '”' | '＂' => '"',
        '‘' | '’' => '\'',
        _ => c,
    }
}

/// `s` folded ([`fold_char`]) without spaces.
pub(super) fn fold(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| !is_separator(*c))
        .map(fold_char)
        .collect()
}

/// How many characters of `s` number it: `二十六、`, `(一)`, `1.`, `1、`.
pub(super) fn numbering(s: &[char]) -> usize {
    let numerals = "一二三四五六七八九十百零〇";
    let cn = s.iter().take_while(|c| numerals.contains(**c)).count();
    if cn > 0 && s.get(cn) == Some(&'、') {
        return cn + 1;
    }
    if s.first() == Some(&'(') {
        let n = s[1..]
            .iter()
            .take_while(|c| numerals.contains(**c) || c.is_ascii_digit())
            .count();
        if n > 0 && s.get(n + 1) == Some(&')') {
            return n + 2;
        }
    }
    let d = s.iter().take_while(|c| c.is_ascii_digit()).count();
    if d > 0 && matches!(s.get(d), Some('.' | '、' | '．')) {
        return d + 1;
    }
    0
}

/// The lines of every `lines` panel of a known layout's table.
pub(super) fn ref_rows(table: &TableLayout, catalog: &Catalog) -> Vec<RefRow> {
    let mut out = Vec::new();
    for (p, panel) in table.panels.iter().enumerate() {
        let PanelLayout::Lines { rows, .. } = panel else {
            continue;
        };
        for r in rows {
            let label = match (&r.label, &r.class) {
                (Some(l), _) => Some(l.zh.clone()),
                (None, Some(c)) => catalog
                    .name(Classification::Function, c)
                    .map(|n| format!("{}{n}", r.prefix.as_deref().unwrap_or(""))),
                _ => None,
            };
            let key = label.map(|l| {
                let f = fold(&l);
                f[numbering(&f)..].to_vec()
            });
            out.push(RefRow {
                panel: p,
                row: r.clone(),
                key: key.filter(|k| !k.is_empty()),
            });
        }
    }
    out
}

/// A label (or a bare 行次) read in a `lines` table.
#[derive(Clone, Debug)]
struct Cell {
    /// The label as printed (numbering kept); empty for a bare 行次.
    label: String,
    /// The label of the known lines it may be (numbering off, folded).
    key: Option<Vec<char>>,
    /// The known line it is, once decided: index into the reference rows.
    matched: Option<usize>,
    /// Its panel, once decided.
    panel: Option<usize>,
    x: Option<Span>,
    line: u32,
    /// The 行次 printed after it, or the bare 行次.
    line_no: Option<u32>,
    bare: bool,
    amounts: usize,
}

/// The lines of a `lines` table as printed, matched to a known layout's.
#[derive(Clone, Debug, Default)]
pub(super) struct LinesRead {
    /// Per panel of the known layout: its rows as the report prints them, labels as printed.
    pub panels: Vec<Vec<LineRowLayout>>,
    /// Where each panel's labels are printed.
    pub label_x: Vec<Option<Span>>,
    /// Where each panel's 行次 are printed, when it prints them.
    pub line_x: Vec<Option<Span>>,
    /// Whether each panel prints 行次.
    pub numbered: Vec<bool>,
    /// Amounts of each row read: (panel, amounts).
    pub amounts: Vec<(usize, usize)>,
    /// Labels read that no known line has (label, line).
    pub unknown: Vec<(String, u32)>,
    /// Known lines the report does not print: (panel, label).
    pub dropped: Vec<(usize, String)>,
    /// Lines whose printed label differs from the known one: (label printed, line).
    pub reworded: Vec<(String, u32)>,
    /// The first line a known label is printed on.
    pub first_line: Option<u32>,
}

/// Matches `s[at..]` against the known labels: the longest, extended by a bracketed remark the
/// report adds (`使用非财政拨款结余（含专用结余）`). Returns the rows matched (all with that
/// label) and the end; or `Err(true)` when the rest is the start of a label (wrapped).
fn match_at(s: &[char], at: usize, refs: &[RefRow]) -> Result<(Vec<usize>, usize), bool> {
    if at >= s.len() {
        return Err(false);
    }
    let q = at + numbering(&s[at..]);
    let rest = &s[q..];
    // A known label without the bracketed remark it may end with: reports add or leave out
    // such remarks (`（含专用结余）`).
    let core = |k: &[char]| -> usize {
        match (k.last(), k.iter().rposition(|c| *c == '(')) {
            (Some(')'), Some(open)) if open > 0 => open,
            _ => k.len(),
        }
    };
    let best = refs
        .iter()
        .filter_map(|r| r.key.as_ref())
        .filter(|k| rest.starts_with(&k[..core(k)]))
        .map(|k| core(k))
        .max();
    let Some(len) = best else {
        let wrapped = rest.len() >= 2
            && refs
                .iter()
                .filter_map(|r| r.key.as_ref())
                .any(|k| k.starts_with(rest));
        return Err(wrapped);
    };
    let rows: Vec<usize> = refs
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.key
                .as_ref()
                .is_some_and(|k| core(k) == len && rest.starts_with(&k[..len]))
        })
        .map(|(i, _)| i)
        .collect();
    let mut end = q + len;
    if s.get(end) == Some(&'(')
        && let Some(close) = s[end..].iter().position(|c| *c == ')')
    {
        end += close + 1;
    }
    Ok((rows, end))
}

/// Reads the fixed lines of a table whose known layout is `reference`.
pub(super) fn lines_read(
    doc: &Document,
    lines: &[usize],
    refs: &[RefRow],
    panels: usize,
) -> LinesRead {
    let mut cells: Vec<Cell> = Vec::new();
    // A label's first part waiting for the rest on a later line: its characters, where it is,
    // its line.
    let mut carry: Option<(Vec<char>, Option<Span>, u32)> = None;
    for &i in lines {
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let toks = tokens(doc, i);
        let on_line = cells.len();
        for (k, t) in toks.iter().enumerate() {
            match t {
                Tk::Run(r) => {
                    let mut s: Vec<char> = r.words.concat().chars().collect();
                    let mut start_line = no;
                    let mut x = r.x;
                    // The rest of a wrapped label: under its start, or the line's first cell.
                    if let Some((c, cx, cl)) = carry.take() {
                        let under = match (cx, r.x) {
                            (Some(a), Some(b)) => a.overlap(b) > 0,
                            _ => k == 0,
                        };
                        if under && cl < no {
                            let mut joined = c;
                            joined.extend(s);
                            s = joined;
                            start_line = cl;
                            x = cx.zip(r.x).map(|(a, b)| a.union(b)).or(cx);
                        } else {
                            carry = Some((c, cx, cl));
                        }
                    }
                    let f: Vec<char> = s.iter().map(|c| fold_char(*c)).collect();
                    let mut at = 0;
                    let mut unknown_from: Option<usize> = None;
                    while at < f.len() {
                        match match_at(&f, at, refs) {
                            Ok((rows, end)) => {
                                if let Some(u) = unknown_from.take() {
                                    push_unknown(&mut cells, &s[u..at], x, start_line);
                                }
                                cells.push(Cell {
                                    label: s[at..end].iter().collect(),
                                    key: refs[rows[0]].key.clone(),
                                    matched: None,
                                    panel: None,
                                    x,
                                    line: start_line,
                                    line_no: None,
                                    bare: false,
                                    amounts: 0,
                                });
                                at = end;
                            }
                            Err(true) if unknown_from.is_none() => {
                                carry = Some((s[at..].to_vec(), x, start_line));
                                at = f.len();
                            }
                            Err(_) => {
                                unknown_from.get_or_insert(at);
                                at += 1;
                            }
                        }
                    }
                    if let Some(u) = unknown_from {
                        push_unknown(&mut cells, &s[u..], x, start_line);
                    }
                }
                Tk::Int(n, x) => {
                    let mine = cells.len() > on_line;
                    let last = cells.last_mut().filter(|_| mine);
                    match last {
                        Some(c)
                            if !c.bare
                                && c.line_no.is_none()
                                && c.amounts == 0
                                && matches!(toks.get(k.wrapping_sub(1)), Some(Tk::Run(_))) =>
                        {
                            c.line_no = n.parse().ok();
                        }
                        _ => cells.push(Cell {
                            label: String::new(),
                            key: None,
                            matched: None,
                            panel: None,
                            x: *x,
                            line: no,
                            line_no: n.parse().ok(),
                            bare: true,
                            amounts: 0,
                        }),
                    }
                }
                Tk::Amount { .. } => {
                    let mine = cells.len() > on_line;
                    if let Some(c) = cells.last_mut().filter(|_| mine) {
                        c.amounts += 1;
                    }
                }
            }
        }
    }
    assign_cells(&mut cells, refs, panels);
    build(cells, refs, panels)
}

/// Words no known line has: kept as a cell of their own (a region's extra line, or words of
/// no row).
fn push_unknown(cells: &mut Vec<Cell>, s: &[char], x: Option<Span>, line: u32) {
    let label: String = s.iter().collect();
    if label.chars().count() < 2 {
        return;
    }
    cells.push(Cell {
        label,
        key: None,
        matched: None,
        panel: None,
        x,
        line,
        line_no: None,
        bare: false,
        amounts: 0,
    });
}

/// Decides each cell's known line and panel, line by line and left to right: a label known in
/// several places is the first of them after the last line its panel matched, in the leftmost
/// panel the line has not passed.
fn assign_cells(cells: &mut [Cell], refs: &[RefRow], panels: usize) {
    let mut next: Vec<usize> = vec![
        0;
        refs.iter()
            .map(|r| r.panel + 1)
            .max()
            .unwrap_or(1)
            .max(panels)
    ];
    let mut line = 0;
    let mut min_panel = 0;
    for c in cells.iter_mut() {
        if c.line != line {
            line = c.line;
            min_panel = 0;
        }
        if c.bare {
            c.panel = Some(min_panel.min(panels.saturating_sub(1)));
            min_panel += 1;
            continue;
        }
        let Some(key) = c.key.clone() else {
            c.panel = Some(min_panel.min(panels.saturating_sub(1)));
            continue;
        };
        let choice = refs
            .iter()
            .enumerate()
            .filter(|(i, r)| {
                r.key.as_ref().is_some_and(|k| same_label(k, &key))
                    && r.panel >= min_panel
                    && *i >= next[r.panel]
            })
            .min_by_key(|(i, r)| (r.panel, *i));
        match choice {
            Some((i, r)) => {
                c.matched = Some(i);
                c.panel = Some(r.panel);
                next[r.panel] = i + 1;
                min_panel = r.panel + 1;
            }
            None => {
                c.matched = None;
                c.panel = Some(min_panel.min(panels.saturating_sub(1)));
            }
        }
    }
}

/// Whether two labels (folded, numbering off) are the same but for a bracketed remark at the
/// end of either.
fn same_label(a: &[char], b: &[char]) -> bool {
    let core = |k: &[char]| -> usize {
        match (k.last(), k.iter().rposition(|c| *c == '(')) {
            (Some(')'), Some(open)) if open > 0 => open,
            _ => k.len(),
        }
    };
    a[..core(a)] == b[..core(b)]
}

/// Each panel's rows from the cells read: the known lines matched, in order, with the blank
/// lines the report prints between them (its 行次, or as many as the other panels' rows
/// beside them), and the labels no known line has.
fn build(cells: Vec<Cell>, refs: &[RefRow], panels: usize) -> LinesRead {
    let mut out = LinesRead {
        panels: vec![Vec::new(); panels],
        label_x: vec![None; panels],
        line_x: vec![None; panels],
        numbered: vec![false; panels],
        ..LinesRead::default()
    };
    out.first_line = cells
        .iter()
        .filter(|c| c.matched.is_some())
        .map(|c| c.line)
        .min();
    for c in &cells {
        let p = c.panel.unwrap_or(0);
        if c.line_no.is_some() && (c.bare || c.matched.is_some()) {
            out.numbered[p] = true;
        }
        if c.matched.is_some() {
            grow(&mut out.label_x[p], c.x);
            out.amounts.push((p, c.amounts));
        }
    }
    // The lines a panel's neighbours begin rows on: what a blank line of the panel stands beside.
    let others = |p: usize, from: u32, to: u32| -> usize {
        let mut lines: Vec<u32> = cells
            .iter()
            .filter(|c| {
                c.panel != Some(p)
                    && (c.matched.is_some() || c.bare)
                    && c.line > from
                    && c.line < to
            })
            .map(|c| c.line)
            .collect();
        lines.dedup();
        lines.len()
    };
    for p in 0..panels {
        let mine: Vec<&Cell> = cells.iter().filter(|c| c.panel == Some(p)).collect();
        let panel_refs: Vec<usize> = (0..refs.len()).filter(|&i| refs[i].panel == p).collect();
        let mut rows: Vec<LineRowLayout> = Vec::new();
        let row_of = |c: &Cell| -> LineRowLayout {
            let r = &refs[c.matched.expect("matched")];
            let mut row = r.row.clone();
            let printed = Text::new(
                c.label.clone(),
                r.row.label.as_ref().map_or("", |l| l.en.as_str()),
            );
            if r.row.class.is_none() {
                row.label = Some(printed);
            } else if fold(&c.label) != fold(&class_label(r)) {
                // A class line reworded: its label as printed, the class kept for its figures.
                row.label = Some(printed);
            }
            if let (Some(n), Some(l)) = (c.line_no, r.row.line)
                && n != l
            {
                row.printed = Some(n.to_string());
            }
            row
        };
        let blank = |line: Option<u32>| LineRowLayout {
            line,
            printed: None,
            part_of: None,
            label: None,
            class: None,
            prefix: None,
            filter: None,
            sum: None,
            style: Default::default(),
        };
        let unknown_row = |c: &Cell| {
            let mut r = blank(None);
            r.label = Some(Text::zh(c.label.clone()));
            r
        };
        if out.numbered[p] {
            for c in &mine {
                if c.bare {
                    let n = c.line_no;
                    let known = panel_refs
                        .iter()
                        .map(|&i| &refs[i])
                        .find(|r| r.row.line == n && r.key.is_none());
                    rows.push(known.map_or_else(|| blank(n), |r| r.row.clone()));
                } else if c.matched.is_some() {
                    rows.push(row_of(c));
                } else if c.amounts > 0 || c.line_no.is_some() {
                    out.unknown.push((c.label.clone(), c.line));
                    rows.push(unknown_row(c));
                }
            }
        } else {
            let mut last: Option<(usize, u32)> = None;
            for c in &mine {
                if c.matched.is_none() {
                    if c.amounts > 0 && !c.bare {
                        out.unknown.push((c.label.clone(), c.line));
                        rows.push(unknown_row(c));
                    }
                    continue;
                }
                let i = c.matched.expect("matched");
                let from = last.map_or(0, |(j, _)| j + 1);
                let between: Vec<usize> = panel_refs
                    .iter()
                    .copied()
                    .filter(|&k| k >= from && k < i)
                    .collect();
                let room = match last {
                    Some((_, l)) => others(p, l, c.line),
                    None => others(p, 0, c.line),
                };
                let mut blanks = 0;
                for k in between {
                    if refs[k].key.is_none() {
                        if blanks < room {
                            rows.push(refs[k].row.clone());
                            blanks += 1;
                        }
                    } else {
                        out.dropped.push((p, class_label(&refs[k])));
                    }
                }
                rows.push(row_of(c));
                last = Some((i, c.line));
            }
            // Blank lines after the last label, beside the other panels' last rows.
            if let Some((i, l)) = last {
                let room = others(p, l, u32::MAX);
                let mut blanks = 0;
                for &k in panel_refs.iter().filter(|&&k| k > i) {
                    if refs[k].key.is_none() {
                        if blanks < room {
                            rows.push(refs[k].row.clone());
                            blanks += 1;
                        }
                    } else {
                        out.dropped.push((p, class_label(&refs[k])));
                    }
                }
            }
        }
        for c in mine.iter().filter(|c| c.matched.is_some()) {
            let r = &refs[c.matched.expect("matched")];
            if fold(&c.label) != fold(&class_label(r)) {
                out.reworded.push((c.label.clone(), c.line));
            }
        }
        out.panels[p] = rows;
    }
    out
}

/// A known line's label as its layout prints it.
fn class_label(r: &RefRow) -> String {
    match (&r.row.label, &r.row.class) {
        (Some(l), _) => l.zh.clone(),
        (None, Some(c)) => format!(
            "{}{}",
            r.row.prefix.as_deref().unwrap_or(""),
            r.key
                .as_ref()
                .map(|k| k.iter().collect::<String>())
                .unwrap_or_else(|| c.clone())
        ),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_comes_off() {
        assert_eq!(numbering(&fold("二十六、抗疫")), 4);
        assert_eq!(numbering(&fold("（一）概况")), 3);
        assert_eq!(numbering(&fold("1.概况")), 2);
        assert_eq!(numbering(&fold("总计")), 0);
    }
}
