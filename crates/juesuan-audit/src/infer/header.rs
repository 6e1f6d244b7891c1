//! A table's header as printed: the kind's column names spelled by its words (a narrow cell
//! wraps a name over several lines: `本年收入合` / `计`), which printed column holds which of
//! the kind's columns, and the header grid of the draft.
//!
//! A column's name may have several levels (`预算数 合计`: the scenario and the category of a
//! 三公 column, in either order on the page). The lowest header words over a printed column
//! are its own; the words of the other levels are found above it, and every column gets the
//! key whose words stand nearest — all columns at once, each key once (the cheapest
//! assignment, [`super::assign`]), so that a category printed off the centre of the columns
//! it spans is still read right when its neighbours' are certain.

use super::assign::{FORBIDDEN, assign};
use super::rows::{Word, WordKind, fold};
use crate::claims::lexicon::{Lexicon, plain};
use crate::text::Span;
use juesuan_core::kind::TableDef;

/// The column names of a table's kind, word by word.
#[derive(Clone, Debug, Default)]
pub(super) struct Vocab {
    /// Every word of every name: the forms it may be printed in ([`plain`]), longest first.
    pub words: Vec<Vec<String>>,
    /// Every column: its key and the words of each of its names (the name, then aliases).
    pub keys: Vec<(String, Vec<Vec<usize>>)>,
}

impl Vocab {
    /// The vocabulary of `table`: its columns' names and aliases, and the lexicon's synonyms
    /// of each word (`公务用车运行费` for `公务用车运行维护费`).
    pub fn new(table: &TableDef, lex: &Lexicon) -> Vocab {
        let mut v = Vocab::default();
        let mut canon: Vec<String> = Vec::new();
        for c in &table.columns {
            let mut alts = Vec::new();
            for name in std::iter::once(&c.name.zh).chain(&c.aliases) {
                let mut alt = Vec::new();
                for w in name.split_whitespace() {
                    let n = lex.norm(w);
                    let i = match canon.iter().position(|c| *c == n) {
                        Some(i) => i,
                        None => {
                            canon.push(n);
                            v.words.push(forms(w, lex));
                            canon.len() - 1
                        }
                    };
                    alt.push(i);
                }
                if !alt.is_empty() {
                    alts.push(alt);
                }
            }
            v.keys.push((c.key.clone(), alts));
        }
        v
    }

    /// The words of the vocabulary in `text` (one header line, plain text), left to right,
    /// each the longest form found where it stands.
    pub fn found_in(&self, text: &str) -> Vec<usize> {
        let s = plain(text);
        let mut out = Vec::new();
        let mut i = 0;
        while i < s.len() {
            let best = self
                .words
                .iter()
                .enumerate()
                .flat_map(|(w, fs)| fs.iter().map(move |f| (w, f)))
                .filter(|(_, f)| s[i..].starts_with(f.as_str()))
                .max_by_key(|(_, f)| f.len());
            match best {
                Some((w, f)) => {
                    out.push(w);
                    i += f.len();
                }
                None => i += s[i..].chars().next().map_or(1, char::len_utf8),
            }
        }
        out
    }
}

impl Vocab {
    /// The words of the vocabulary a plain-text header names (each time it names one), and
    /// its words that name none. A column name a narrow cell wraps over several lines is read
    /// from up to four words of the lines below one another, each at most three lines below the
    /// last (`一般公共` / `预算财政` / `拨款`, `因公出国` / `（境）费`); what is left, line by
    /// line.
    ///
    /// `alone` tells a heading that stands alone (`项目`, which a known layout prints as a
    /// cell): it starts no wrapped name.
    pub fn found_in_lines(
        &self,
        lines: &[Vec<String>],
        alone: &dyn Fn(&str) -> bool,
    ) -> (Vec<usize>, Vec<String>) {
        let mut found: Vec<usize> = Vec::new();
        let mut used: Vec<Vec<bool>> = lines.iter().map(|l| vec![false; l.len()]).collect();
        let forms: Vec<(usize, &String)> = self
            .words
            .iter()
            .enumerate()
            .flat_map(|(w, fs)| fs.iter().map(move |f| (w, f)))
            .collect();
        let prefix = |acc: &str| forms.iter().any(|(_, f)| f.starts_with(acc));
        let whole = |acc: &str| {
            forms
                .iter()
                .find(|(_, f)| f.as_str() == acc)
                .map(|(w, _)| *w)
        };
        for li in 0..lines.len() {
            for k in 0..lines[li].len() {
                if used[li][k] {
                    continue;
                }
                let first = plain(&lines[li][k]);
                if first.is_empty()
                    || whole(&first).is_some()
                    || !prefix(&first)
                    || alone(&lines[li][k])
                {
                    continue;
                }
                // The rest from the next lines (a line may be skipped: a cell merged above).
                let mut chain = vec![(li, k)];
                let mut acc = first;
                let mut done = None;
                'grow: while chain.len() < 4 {
                    let (ll, _) = *chain.last().expect("a piece");
                    for nl in ll + 1..(ll + 4).min(lines.len()) {
                        for nk in 0..lines[nl].len() {
                            if used[nl][nk] {
                                continue;
                            }
                            let next = format!("{acc}{}", plain(&lines[nl][nk]));
                            if let Some(w) = whole(&next) {
                                chain.push((nl, nk));
                                done = Some(w);
                                break 'grow;
                            }
                            if prefix(&next) {
                                chain.push((nl, nk));
                                acc = next;
                                continue 'grow;
                            }
                        }
                    }
                    break;
                }
                if let Some(w) = done {
                    found.push(w);
                    for (l, k) in chain {
                        used[l][k] = true;
                    }
                }
            }
        }
        let mut unread = Vec::new();
        for (li, line) in lines.iter().enumerate() {
            let rest: Vec<&str> = line
                .iter()
                .zip(&used[li])
                .filter(|(_, u)| !**u)
                .map(|(w, _)| w.as_str())
                .collect();
            let joined = rest.join(" ");
            let words = self.found_in(&joined);
            found.extend(&words);
            // What no column name takes: words that are no part of a found name.
            for w in rest {
                let p = plain(w);
                let part = words
                    .iter()
                    .any(|&k| self.words[k].iter().any(|f| f.contains(&p)));
                if !part
                    && self
                        .words
                        .iter()
                        .flatten()
                        .any(|f| f.contains(&p) && *f != p)
                {
                    unread.push(w.to_string());
                }
            }
        }
        (found, unread)
    }
}

/// The forms a word may be printed in: itself and its synonyms' (each variant of a phrase it
/// contains), as [`plain`] gives them, longest first.
fn forms(word: &str, lex: &Lexicon) -> Vec<String> {
    let p = plain(word);
    let mut out = vec![p.clone()];
    // The word's phrase as the lexicon reads it, and every variant of that phrase.
    let canon = lex.norm(word);
    for (variant, c) in lex.synonyms() {
        let f = if *c == canon {
            variant.clone()
        } else if canon.contains(c.as_str()) && variant != c {
            canon.replace(c.as_str(), variant)
        } else {
            continue;
        };
        if !out.contains(&f) {
            out.push(f);
        }
    }
    if !out.contains(&canon) {
        out.push(canon);
    }
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    out
}

/// A header word, or words stacked in one cell that spell a column's name.
#[derive(Clone, Debug)]
pub(super) struct Item {
    /// As printed, its pieces joined.
    pub text: String,
    /// The vocabulary word it spells.
    pub word: Option<usize>,
    pub x: Span,
    /// Top of its first piece.
    pub top: i32,
    /// A 栏次 (a number).
    pub numeric: bool,
}

/// Whether two extents share at least half the narrower one's width.
fn stacked(a: Span, b: Span) -> bool {
    2 * a.overlap(b) >= a.len().min(b.len()).max(1)
}

/// The header's items: the vocabulary's words spelled by stacks of printed words (the longest
/// forms first), then every other word on its own.
pub(super) fn items(words: &[Word], vocab: &Vocab) -> Vec<Item> {
    let ws: Vec<&Word> = words
        .iter()
        .filter(|w| w.x.is_some() && !matches!(w.kind, WordKind::Amount { .. }))
        .collect();
    let text = |w: &Word| plain(&w.text);
    let mut used = vec![false; ws.len()];
    let mut out = Vec::new();
    let mut all: Vec<(usize, &String)> = vocab
        .words
        .iter()
        .enumerate()
        .flat_map(|(i, fs)| fs.iter().map(move |f| (i, f)))
        .collect();
    all.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.cmp(b)));
    for (w, form) in all {
        for s in 0..ws.len() {
            let first = text(ws[s]);
            if used[s]
                || ws[s].kind != WordKind::Text
                || first.is_empty()
                || !form.starts_with(&first)
            {
                continue;
            }
            let mut acc = first;
            let mut chain = vec![s];
            while acc.len() < form.len() {
                let last = ws[*chain.last().expect("a piece")];
                let next = (0..ws.len())
                    .filter(|&j| {
                        let piece = text(ws[j]);
                        !used[j]
                            && !chain.contains(&j)
                            && ws[j].kind == WordKind::Text
                            && ws[j].line >= last.line
                            && ws[j].line <= last.line + 4
                            && ws[j].y.min > last.y.min
                            && stacked(ws[j].x.expect("positioned"), last.x.expect("positioned"))
                            && !piece.is_empty()
                            && form[acc.len()..].starts_with(&piece)
                    })
                    .min_by_key(|&j| (ws[j].y.min, ws[j].line));
                let Some(j) = next else { break };
                acc.push_str(&text(ws[j]));
                chain.push(j);
            }
            if acc == *form {
                let x = chain
                    .iter()
                    .filter_map(|&j| ws[j].x)
                    .reduce(Span::union)
                    .expect("positioned");
                for &j in &chain {
                    used[j] = true;
                }
                out.push(Item {
                    text: chain.iter().map(|&j| ws[j].text.as_str()).collect(),
                    word: Some(w),
                    x,
                    top: ws[chain[0]].y.min,
                    numeric: false,
                });
            }
        }
    }
    for (s, w) in ws.iter().enumerate() {
        if !used[s] {
            out.push(Item {
                text: w.text.clone(),
                word: None,
                x: w.x.expect("positioned"),
                top: w.y.min,
                numeric: w.kind == WordKind::Int,
            });
        }
    }
    out.sort_by_key(|i| (i.top, i.x.min));
    out
}

/// The lowest items: no other item (but a 栏次) below one shares its width. The columns' own
/// headings, and the label columns'.
pub(super) fn leaves(items: &[Item]) -> Vec<usize> {
    (0..items.len())
        .filter(|&i| {
            let a = &items[i];
            !a.numeric
                && !items
                    .iter()
                    .any(|b| !b.numeric && b.top > a.top && b.x.overlap(a.x) > 0)
        })
        .collect()
}

/// How far apart two extents are across the page (0 when they overlap), then their centres:
/// what a heading's distance from a column costs.
fn distance(a: Span, b: Span) -> i64 {
    let gap = i64::from((a.min.max(b.min) - a.max.min(b.max)).max(0));
    gap * 1000 + (a.centre2() - b.centre2()).abs() / 2
}

/// A printed column given a key: the item heading it, the key's index in the vocabulary and
/// the items whose words made it that key.
#[derive(Clone, Debug)]
pub(super) struct Keyed {
    pub leaf: usize,
    pub key: usize,
    pub via: Vec<usize>,
}

/// Gives the printed columns `leaves` (one panel's) the kind's keys: a leaf that spells a word
/// takes a key with that word; the key's other words are the nearest items above the leaf
/// that spell them. Returns the keyed columns left to right, and whether no other assignment
/// is as cheap.
pub(super) fn keys(items: &[Item], leaves: &[usize], vocab: &Vocab) -> (Vec<Keyed>, bool) {
    if leaves.is_empty() {
        return (Vec::new(), true);
    }
    let mut via: Vec<Vec<Vec<usize>>> = Vec::new();
    let cost: Vec<Vec<i64>> = leaves
        .iter()
        .map(|&l| {
            let leaf = &items[l];
            let mut row_via = Vec::new();
            let row = vocab
                .keys
                .iter()
                .map(|(_, alts)| {
                    let mut best = (FORBIDDEN, Vec::new());
                    for alt in alts {
                        if leaf.word.is_some_and(|w| !alt.contains(&w)) {
                            continue;
                        }
                        let mut total = 0i64;
                        let mut used = Vec::new();
                        for &w in alt {
                            if leaf.word == Some(w) {
                                used.push(l);
                                continue;
                            }
                            let near = items
                                .iter()
                                .enumerate()
                                .filter(|(_, it)| it.word == Some(w) && it.top < leaf.top)
                                .map(|(k, it)| (distance(leaf.x, it.x), k))
                                .min();
                            match near {
                                Some((d, k)) => {
                                    total += d;
                                    used.push(k);
                                }
                                None => {
                                    total = FORBIDDEN;
                                    break;
                                }
                            }
                        }
                        // A heading of no word of the key's (a 小计 under its group) is the
                        // key's only through the words above it.
                        if leaf.word.is_none() && used.is_empty() {
                            total = FORBIDDEN;
                        }
                        if total < best.0 {
                            best = (total, used);
                        }
                    }
                    row_via.push(best.1);
                    best.0
                })
                .collect();
            via.push(row_via);
            row
        })
        .collect();
    let (chosen, unique) = assign(&cost);
    let mut out: Vec<Keyed> = chosen
        .iter()
        .enumerate()
        .filter_map(|(i, k)| {
            k.map(|k| Keyed {
                leaf: leaves[i],
                key: k,
                via: via[i][k].clone(),
            })
        })
        .collect();
    out.sort_by_key(|k| items[k.leaf].x.min);
    (out, unique)
}

/// A cell of the drafted header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Cell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
}

/// The header grid: every item at its row (by how high it stands) over the columns it spans —
/// a keyed column's heading over its column, a heading that made keys over theirs, any other
/// word over the columns its width covers — each extended down over the empty cells below it.
/// `columns` are the body's columns' extents, left to right; `fixed` the columns of the items
/// whose columns are known.
pub(super) fn grid(
    items: &[Item],
    columns: &[Span],
    fixed: &[(usize, Vec<usize>)],
) -> Vec<Vec<Cell>> {
    let n = columns.len();
    if n == 0 || items.is_empty() {
        return Vec::new();
    }
    let span_of = |i: usize| -> (usize, usize) {
        if let Some((_, cols)) = fixed.iter().find(|(k, _)| *k == i)
            && let (Some(a), Some(b)) = (cols.iter().min(), cols.iter().max())
        {
            return (*a, *b);
        }
        let x = items[i].x;
        let inside: Vec<usize> = (0..n)
            .filter(|&c| {
                let m = columns[c].centre2() / 2;
                i64::from(x.min) <= m && m <= i64::from(x.max)
            })
            .collect();
        let over: Vec<usize> = if inside.is_empty() {
            (0..n).filter(|&c| columns[c].overlap(x) > 0).collect()
        } else {
            inside
        };
        match (over.first(), over.last()) {
            (Some(a), Some(b)) => (*a, *b),
            _ => {
                let c = (0..n)
                    .min_by_key(|&c| (columns[c].centre2() - x.centre2()).abs())
                    .unwrap_or(0);
                (c, c)
            }
        }
    };
    // Rows: items whose tops are within 10 points of the row's first (a cell merged over rows
    // prints its words at its middle, lower than its row's others).
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| (items[i].top, items[i].x.min));
    let mut row_of = vec![0usize; items.len()];
    let mut row = 0;
    let mut anchor: Option<i32> = None;
    for &i in &order {
        match anchor {
            Some(a) if items[i].top - a < 1000 => {}
            Some(_) => {
                row += 1;
                anchor = Some(items[i].top);
            }
            None => anchor = Some(items[i].top),
        }
        row_of[i] = row;
    }
    // A heading no key placed spans the label headings below it that are nearer it than any
    // other of its row (`项目` over 支出功能分类, 科目名称 and 类/款/项), bottom up.
    let is_fixed = |i: usize| fixed.iter().any(|(k, _)| *k == i);
    let mut spans: Vec<(usize, usize)> = (0..items.len()).map(span_of).collect();
    for r in (0..=row).rev() {
        let mut mine: Vec<usize> = (0..items.len()).filter(|&i| row_of[i] == r).collect();
        mine.sort_by_key(|&i| items[i].x.centre2());
        for (k, &a) in mine.iter().enumerate() {
            if is_fixed(a) {
                continue;
            }
            let c = items[a].x.centre2();
            let lo = k
                .checked_sub(1)
                .map(|j| (items[mine[j]].x.centre2() + c) / 2);
            let hi = mine.get(k + 1).map(|&j| (items[j].x.centre2() + c) / 2);
            let (mut from, mut to) = spans[a];
            // (The top row's headings — 收入/支出, a title over the whole header — span the
            // value columns under them too.)
            for b in (0..items.len())
                .filter(|&b| row_of[b] > r && !items[b].numeric && (r == 0 || !is_fixed(b)))
            {
                let m = items[b].x.centre2();
                if lo.is_none_or(|l| l <= m) && hi.is_none_or(|h| m < h) {
                    from = from.min(spans[b].0);
                    to = to.max(spans[b].1);
                }
            }
            spans[a] = (from, to);
        }
    }
    // Place each item; one that would overlap another of its row goes to a row of its own.
    let mut grid: Vec<Vec<Option<usize>>> = Vec::new();
    let mut placed: Vec<(usize, usize, usize, usize)> = Vec::new();
    for &i in &order {
        let (a, b) = spans[i];
        let mut r = row_of[i];
        loop {
            while grid.len() <= r {
                grid.push(vec![None; n]);
            }
            if (a..=b).all(|c| grid[r][c].is_none()) {
                break;
            }
            r += 1;
        }
        let k = placed.len();
        for cell in &mut grid[r][a..=b] {
            *cell = Some(k);
        }
        placed.push((i, r, a, b));
    }
    // Down over the empty cells below.
    let rows = grid.len();
    let mut spans = vec![1usize; placed.len()];
    for (k, &(_, r, a, b)) in placed.iter().enumerate() {
        let mut down = r + 1;
        while down < rows && (a..=b).all(|c| grid[down][c].is_none()) {
            for cell in &mut grid[down][a..=b] {
                *cell = Some(k);
            }
            down += 1;
        }
        spans[k] = down - r;
    }
    let mut out = Vec::new();
    for (r, cells) in grid.iter().enumerate() {
        let mut line = Vec::new();
        let mut c = 0;
        while c < n {
            match cells[c] {
                Some(k) if placed[k].1 == r && placed[k].2 == c => {
                    let (i, _, a, b) = placed[k];
                    line.push(Cell {
                        text: items[i].text.clone(),
                        colspan: b - a + 1,
                        rowspan: spans[k],
                    });
                    c = b + 1;
                }
                Some(_) => c += 1,
                None => {
                    line.push(Cell {
                        text: String::new(),
                        colspan: 1,
                        rowspan: 1,
                    });
                    c += 1;
                }
            }
        }
        out.push(line);
    }
    out
}

/// The header grid of a table read from plain text: each header line a row, its cells its
/// tab-separated cells (else its words), as many as the body has columns (the extra ones
/// joined into the last, the missing ones blank).
pub(super) fn grid_of_lines(lines: &[&str], value: &[bool]) -> Vec<Vec<Cell>> {
    let n = value.len();
    // The label columns all before the value columns: a row of 栏次 is placed by them.
    let lead = value.iter().take_while(|v| !**v).count();
    let block = value[lead..].iter().all(|v| *v);
    let mut out = Vec::new();
    for l in lines {
        let parts: Vec<String> = if l.contains('\t') {
            l.split('\t').map(|c| c.trim().to_string()).collect()
        } else {
            l.split(crate::text::is_separator)
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        };
        let filled: Vec<String> = parts.iter().filter(|c| !c.is_empty()).cloned().collect();
        // Trailing 栏次 (1, 2, 3…) stand over the last columns.
        let numbers = filled
            .iter()
            .rev()
            .take_while(|c| c.chars().all(|ch| ch.is_ascii_digit()))
            .count();
        let cells: Vec<String> = if numbers > 0 && block && lead > 0 && numbers <= n - lead {
            // Words over the label columns, 栏次 over the value columns in order.
            let mut c = fit(&filled[..filled.len() - numbers], lead);
            c.extend(filled[filled.len() - numbers..].iter().cloned());
            c
        } else if parts.len() <= n {
            parts.clone()
        } else if filled.len() == n {
            // Cells split where the body's are not: their blank halves left out.
            filled
        } else if numbers > 0 && numbers < n {
            let words = &filled[..filled.len() - numbers];
            let mut c = fit(words, n - numbers);
            c.extend(filled[filled.len() - numbers..].iter().cloned());
            c
        } else {
            fit(&parts, n)
        };
        let mut cells = fit(&cells, n);
        while cells.len() < n {
            cells.push(String::new());
        }
        if cells.iter().all(String::is_empty) {
            continue;
        }
        out.push(
            cells
                .into_iter()
                .map(|text| Cell {
                    text,
                    colspan: 1,
                    rowspan: 1,
                })
                .collect(),
        );
    }
    out
}

/// Whether `text` is a word of the vocabulary as a whole (a column's heading).
pub(super) fn is_word(vocab: &Vocab, text: &str) -> bool {
    let p = plain(text);
    vocab.words.iter().any(|fs| fs.contains(&p))
}

/// `cells` in `n` slots: the extra ones joined into the last, the missing ones blank.
fn fit(cells: &[String], n: usize) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    let mut out: Vec<String> = cells.iter().take(n - 1).cloned().collect();
    if cells.len() >= n {
        out.push(cells[n - 1..].join(" ").trim().to_string());
    }
    while out.len() < n {
        out.push(String::new());
    }
    out
}

/// `text` folded ([`fold`]) as a string: how header texts are compared with known layouts'.
pub(super) fn folded(text: &str) -> String {
    fold(text).into_iter().collect()
}
