//! Measures how many realistic one-figure slips in the 情况说明 (narrative) `audit` catches,
//! per narrative section.
//!
//! `cargo run --release -p juesuan-audit --example narrative_mutants [FILE…]` (default: every
//! `fixtures/reports/*.txt`) audits each report, then, for every number of its narrative (each
//! [`Mention`]), finds the figure on its line of the text and makes up to four slips of it: two
//! adjacent digits swapped, one digit one up or down (the last digit for every other number,
//! another digit for the rest), a digit dropped, a digit doubled. Separately, on each narrative
//! line with a direction word, the first 增加/减少, 增长/下降 or 大于/小于 is turned into its
//! opposite. Each mutant is audited and counts as caught when its errors and warnings, as a
//! multiset of (rule, location), differ from the original's (or the audit fails).
//!
//! Two rates per section: of all number mutants, and of the "checkable" ones (slips of numbers
//! the original audit compared exactly with something, [`Status::Checked`], that do more than
//! change the printed precision) — a slip in a number nothing is compared with, or one that
//! leaves the report consistent (`0.21` → `0.2`), cannot be caught. Prints markdown tables (for the README) by section and by
//! kind of slip, a line per file, and samples of the checkable slips and direction words that
//! went uncaught. Slips that only change the printed precision (`0.21` → `0.2`) cannot be caught
//! by any check of values: they are counted apart and left out of the sample, as are slips in
//! numbers the original is already flagged for. Deterministic (a fixed-seed generator picks
//! the slips); timings go to stderr.

use juesuan_core::diag::Severity;
use juesuan_core::rules::claims::{Mention, Status};
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A small deterministic generator (64-bit LCG), so every run makes the same mutants.
struct Lcg(u64);

impl Lcg {
    /// A number below `n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Errors and warnings as a multiset of (rule, location): a slip that adds a second finding at
/// a place already flagged is caught too.
type Flags = BTreeMap<(String, String), usize>;

fn flags(name: &str, text: &str) -> Option<Flags> {
    let audit = juesuan_audit::audit(name, text.as_bytes()).ok()?;
    let mut out = Flags::new();
    for f in &audit.findings {
        if matches!(f.severity, Severity::Error | Severity::Warning) {
            *out.entry((f.rule.clone(), f.location().to_string()))
                .or_default() += 1;
        }
    }
    Some(out)
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Swap,
    LastDigit,
    OtherDigit,
    Drop,
    Double,
    Direction,
}

/// One change to one report's text.
struct Mutant {
    file: usize,
    /// 0-based line index.
    line: usize,
    /// Byte range within the line.
    range: Range<usize>,
    /// What is printed there, and what the mutant prints instead.
    from: String,
    to: String,
    /// The unit after the number (for display only).
    unit: String,
    kind: Kind,
    section: String,
    /// The original mention was compared with something.
    checkable: bool,
    /// The original audit already found the number wrong: a slip in it changes no (rule,
    /// location), so it cannot register.
    flagged: bool,
    /// A direction word followed by a number (`增长 12.08%`), not one in an explanation.
    by_number: bool,
    subject: String,
}

impl Mutant {
    /// Its row of the slip table: ±1 slips apart by direction, since a number stands for an
    /// interval of values and a slip down or up meets a different end of it.
    fn slip(&self) -> (Kind, &'static str) {
        // Same length, one digit changed: the strings compare as the values do.
        let up = self.to > self.from;
        let name = match (self.kind, up) {
            (Kind::Swap, _) => "adjacent digits swapped",
            (Kind::LastDigit, true) => "last digit +1",
            (Kind::LastDigit, false) => "last digit −1",
            (Kind::OtherDigit, true) => "other digit +1",
            (Kind::OtherDigit, false) => "other digit −1",
            (Kind::Drop, _) => "digit dropped",
            (Kind::Double, _) => "digit doubled",
            (Kind::Direction, _) => "direction word",
        };
        (self.kind, name)
    }

    /// The slip only changes how precisely the number is printed (`0.21` → `0.2`,
    /// `4733.14` → `4733.144`): no check of values can catch it.
    fn within_rounding(&self) -> bool {
        let (Some(a), Some(b)) = (scaled(&self.from), scaled(&self.to)) else {
            return false;
        };
        let (fine, coarse) = if a.1 > b.1 { (a, b) } else { (b, a) };
        if fine.1 == coarse.1 {
            return false;
        }
        let Some(k) = 10i128.checked_pow(fine.1 - coarse.1) else {
            return false;
        };
        (fine.0 + k / 2) / k == coarse.0
    }
}

/// A printed number as its digits and the number of decimals (`2,940.05` → 294005, 2).
fn scaled(s: &str) -> Option<(i128, u32)> {
    let plain = s.replace(',', "");
    let decimals = plain.split_once('.').map_or(0, |(_, f)| f.len());
    Some((
        plain.replace('.', "").parse().ok()?,
        u32::try_from(decimals).ok()?,
    ))
}

/// A report and what its original audit found.
struct Report {
    name: String,
    text: String,
    /// Byte offset of each line's start.
    starts: Vec<usize>,
    base: Flags,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    numbers: usize,
    checked: usize,
    not_located: usize,
    mutants: usize,
    caught: usize,
    checkable: usize,
    caught_checkable: usize,
    /// Uncaught, and only a change of the printed precision ([`Mutant::within_rounding`]).
    rounding: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.numbers += o.numbers;
        self.checked += o.checked;
        self.not_located += o.not_located;
        self.mutants += o.mutants;
        self.caught += o.caught;
        self.checkable += o.checkable;
        self.caught_checkable += o.caught_checkable;
        self.rounding += o.rounding;
    }
}

/// `part / whole` in percent with one decimal, integer arithmetic.
fn pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "–".into();
    }
    let tenths = (part * 1000 + whole / 2) / whole;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// The numeric part of a mention's text (`2,940.05` of `2,940.05万元`) and its unit.
fn split_number(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(text.len());
    let num = text[..end].trim_end_matches(['.', ',']);
    (num, &text[num.len()..])
}

/// Maximal runs of digits, points and commas in a line that start and end with a digit, so
/// `0` is never found inside `2024` and a sentence's full stop is not part of a number.
fn runs(line: &str) -> Vec<Range<usize>> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.' || b[i] == b',') {
                i += 1;
            }
            let mut end = i;
            while !b[end - 1].is_ascii_digit() {
                end -= 1;
            }
            out.push(start..end);
        } else {
            i += 1;
        }
    }
    out
}

/// Where a mention's number is printed: on its line or, when wrapped, the next; the first
/// occurrence not yet taken by an earlier mention (mentions come in reading order), preferring
/// one followed by the unit (or by the end of the line, where the unit wrapped).
fn locate(
    lines: &[&str],
    taken: &mut HashSet<(usize, usize)>,
    line: usize,
    num: &str,
    unit: &str,
) -> Option<(usize, Range<usize>)> {
    let key = num.replace(',', "");
    let first_unit = unit.chars().next();
    for strict in [true, false] {
        for li in [line, line + 1] {
            let Some(text) = lines.get(li) else { continue };
            for r in runs(text) {
                if text[r.clone()].replace(',', "") != key || taken.contains(&(li, r.start)) {
                    continue;
                }
                let rest = text[r.end..].trim_start();
                if strict && !(rest.is_empty() || first_unit.is_none_or(|c| rest.starts_with(c))) {
                    continue;
                }
                taken.insert((li, r.start));
                return Some((li, r));
            }
        }
    }
    None
}

/// The value of a printed number, normalised so `2940.50` and `2,940.5` compare equal.
fn value(s: &str) -> String {
    let s = s.replace(',', "");
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    match (int.is_empty(), frac.is_empty()) {
        (_, true) => int.to_string(),
        (true, false) => format!("0.{frac}"),
        (false, false) => format!("{int}.{frac}"),
    }
}

/// A number as someone could print it: digits before the point (no leading zero unless the
/// only one), digits after it if there is one, commas only between digits of the integer part.
fn well_formed(s: &str) -> bool {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits = int.replace(',', "");
    let leading_zero = digits.len() > 1 && digits.starts_with('0');
    let stray_comma = int.starts_with(',') || int.ends_with(',');
    let int_ok = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    int_ok && frac_ok && !leading_zero && !stray_comma
}

/// Groups the integer part by thousands again when the original was grouped: a dropped or
/// doubled digit would otherwise leave a comma in the wrong place.
fn regroup(s: &str, grouped: bool) -> String {
    if !grouped {
        return s.to_string();
    }
    let plain = s.replace(',', "");
    let (int, frac) = match plain.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (plain.as_str(), None),
    };
    let mut out = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Every slip of `kind` of the printed number `s` that is well formed and changes its value.
fn slips(s: &str, kind: Kind) -> Vec<String> {
    let b = s.as_bytes();
    let digits: Vec<usize> = (0..b.len()).filter(|&i| b[i].is_ascii_digit()).collect();
    let last = digits.last().copied();
    let grouped = s.contains(',');
    let with = |i: usize, d: u8| {
        let mut c = b.to_vec();
        c[i] = d;
        String::from_utf8(c).unwrap_or_default()
    };
    let step = |i: usize| {
        let d = b[i];
        [
            (d < b'9').then(|| with(i, d + 1)),
            (d > b'0').then(|| with(i, d - 1)),
        ]
    };
    let mut out: Vec<String> = match kind {
        Kind::Swap => (0..b.len().saturating_sub(1))
            .filter(|&i| b[i].is_ascii_digit() && b[i + 1].is_ascii_digit() && b[i] != b[i + 1])
            .map(|i| {
                let mut c = b.to_vec();
                c.swap(i, i + 1);
                String::from_utf8(c).unwrap_or_default()
            })
            .collect(),
        Kind::LastDigit => last.into_iter().flat_map(step).flatten().collect(),
        Kind::OtherDigit => digits
            .iter()
            .filter(|&&i| Some(i) != last)
            .flat_map(|&i| step(i))
            .flatten()
            .collect(),
        Kind::Drop => digits
            .iter()
            .map(|&i| regroup(&format!("{}{}", &s[..i], &s[i + 1..]), grouped))
            .collect(),
        Kind::Double => digits
            .iter()
            .map(|&i| regroup(&format!("{}{}", &s[..=i], &s[i..]), grouped))
            .collect(),
        Kind::Direction => Vec::new(),
    };
    out.retain(|t| well_formed(t) && value(t) != value(s));
    // Dropping either of two equal neighbours gives the same slip: count it once.
    out.sort();
    out.dedup();
    out
}

const DIRECTIONS: [(&str, &str); 6] = [
    ("增加", "减少"),
    ("减少", "增加"),
    ("增长", "下降"),
    ("下降", "增长"),
    ("大于", "小于"),
    ("小于", "大于"),
];

/// The mutants of one report; counts its numbers (and those not found in the text) per section.
fn mutants_of(
    file: usize,
    report: &Report,
    narrative: &[Mention],
    counts: &mut BTreeMap<String, Counts>,
) -> Vec<Mutant> {
    let lines: Vec<&str> = report.text.split('\n').collect();
    let mut seed = 0xcbf2_9ce4_8422_2325u64;
    for b in report.name.bytes() {
        seed = (seed ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    let mut rng = Lcg(seed);
    let mut taken = HashSet::new();
    let mut out = Vec::new();
    let mut order: Vec<&Mention> = narrative.iter().collect();
    order.sort_by_key(|m| m.line);
    for (n, m) in order.iter().enumerate() {
        let section = m.section.clone().unwrap_or_else(|| "-".into());
        let checkable = matches!(m.status, Status::Checked { .. });
        let flagged = matches!(m.status, Status::Checked { holds: false, .. });
        let c = counts.entry(section.clone()).or_default();
        c.numbers += 1;
        c.checked += usize::from(checkable);
        let (num, unit) = split_number(&m.text);
        let located = (m.line as usize)
            .checked_sub(1)
            .and_then(|line| locate(&lines, &mut taken, line, num, unit));
        let Some((line, range)) = located else {
            c.not_located += 1;
            continue;
        };
        let printed = &lines[line][range.clone()];
        // One ±1 slip per number: alternate the last digit (a slip of one unit, often within
        // rounding) with another digit, falling back to whichever the number has.
        let (first, second) = if n % 2 == 0 {
            (Kind::LastDigit, Kind::OtherDigit)
        } else {
            (Kind::OtherDigit, Kind::LastDigit)
        };
        let step = if slips(printed, first).is_empty() {
            second
        } else {
            first
        };
        for kind in [Kind::Swap, step, Kind::Drop, Kind::Double] {
            let options = slips(printed, kind);
            if options.is_empty() {
                continue;
            }
            let to = options[rng.below(options.len())].clone();
            out.push(Mutant {
                file,
                line,
                range: range.clone(),
                from: printed.to_string(),
                to,
                unit: unit.to_string(),
                kind,
                section: section.clone(),
                checkable,
                flagged,
                by_number: false,
                subject: m.subject.clone(),
            });
        }
    }
    // Direction words, on the lines from the narrative's first number to its last.
    let first = order.first().map_or(0, |m| m.line as usize);
    let last = order.last().map_or(0, |m| m.line as usize);
    for (line, text) in lines
        .iter()
        .enumerate()
        .take(last)
        .skip(first.saturating_sub(1))
    {
        let hit = DIRECTIONS
            .iter()
            .filter_map(|(w, opposite)| text.find(w).map(|i| (i, *w, *opposite)))
            .min();
        let Some((at, word, opposite)) = hit else {
            continue;
        };
        // The number may have wrapped to the next line.
        let after = text[at + word.len()..].trim_start();
        let after = match (after.is_empty(), lines.get(line + 1)) {
            (true, Some(next)) => next.trim_start(),
            _ => after,
        };
        let by_number = after.starts_with(|c: char| c.is_ascii_digit());
        // The section of the last number at or before this line.
        let section = order
            .iter()
            .take_while(|m| m.line as usize <= line + 1)
            .last()
            .and_then(|m| m.section.clone())
            .unwrap_or_else(|| "-".into());
        out.push(Mutant {
            file,
            line,
            range: at..at + word.len(),
            from: word.into(),
            to: opposite.into(),
            unit: String::new(),
            kind: Kind::Direction,
            section,
            checkable: false,
            flagged: false,
            by_number,
            subject: String::new(),
        });
    }
    out
}

/// Whether the mutant's audit differs from the original's; `None` when the audit failed.
fn caught(report: &Report, m: &Mutant) -> Option<bool> {
    let at = report.starts[m.line];
    let mut text = String::with_capacity(report.text.len() + 4);
    text.push_str(&report.text[..at + m.range.start]);
    text.push_str(&m.to);
    text.push_str(&report.text[at + m.range.end..]);
    flags(&report.name, &text).map(|f| f != report.base)
}

/// Sections in the order a report prints them; others after, alphabetically.
const SECTIONS: [&str; 13] = [
    "overview",
    "income",
    "expenditure",
    "fiscal",
    "general_budget",
    "basic",
    "gov_fund",
    "state_capital",
    "sangong",
    "running_costs",
    "procurement",
    "assets",
    "performance",
];

fn section_rank(s: &str) -> (usize, String) {
    (
        SECTIONS
            .iter()
            .position(|k| *k == s)
            .unwrap_or(SECTIONS.len()),
        s.to_string(),
    )
}

/// Up to `n` mutants taken from each list in turn, in report and line order.
fn round_robin<'a>(lists: &[Vec<&'a Mutant>], n: usize) -> Vec<&'a Mutant> {
    let mut out = Vec::new();
    for k in 0.. {
        let before = out.len();
        out.extend(lists.iter().filter_map(|l| l.get(k)).copied());
        if out.len() == before || out.len() >= n {
            break;
        }
    }
    out.truncate(n);
    out.sort_by_key(|m| (m.file, m.line, m.range.start, m.kind));
    out
}

fn row(label: &str, c: &Counts) -> String {
    format!(
        "| {label} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        c.numbers,
        c.checked,
        c.not_located,
        c.mutants,
        c.caught,
        pct(c.caught, c.mutants),
        c.checkable,
        c.caught_checkable,
        pct(c.caught_checkable, c.checkable)
    )
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        let dir = root.join("fixtures/reports");
        paths = std::fs::read_dir(&dir)
            .expect("fixtures/reports is readable")
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        paths.sort();
    }
    let started = std::time::Instant::now();

    // Originals: baseline findings, and the mutants of each.
    let mut reports = Vec::new();
    let mut mutants = Vec::new();
    let mut per_file: Vec<BTreeMap<String, Counts>> = Vec::new();
    for path in &paths {
        let name = Path::new(path)
            .file_name()
            .map_or(path.clone(), |n| n.to_string_lossy().into_owned());
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let audit = match juesuan_audit::audit(&name, text.as_bytes()) {
            Ok(a) => a,
            Err(d) => {
                eprintln!("{path}: not audited ({} diagnostics)", d.len());
                continue;
            }
        };
        let timer = std::time::Instant::now();
        let base = flags(&name, &text).expect("audited once already");
        eprintln!("{name}: audited in {} ms", timer.elapsed().as_millis());
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let report = Report {
            name,
            text,
            starts,
            base,
        };
        let mut counts = BTreeMap::new();
        mutants.extend(mutants_of(
            reports.len(),
            &report,
            &audit.narrative,
            &mut counts,
        ));
        per_file.push(counts);
        reports.push(report);
    }

    // Audit the mutants on a few threads; each takes the next one not yet taken.
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(4, |n| n.get().min(8));
    let mut outcome: Vec<Option<bool>> = vec![None; mutants.len()];
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(m) = mutants.get(i) else { break };
                        done.push((i, caught(&reports[m.file], m)));
                    }
                    done
                })
            })
            .collect();
        for w in workers {
            for (i, o) in w.join().expect("worker finished") {
                outcome[i] = o;
            }
        }
    });
    // A mutant the auditor rejects outright is a difference too.
    let failed = outcome.iter().filter(|o| o.is_none()).count();
    let is_caught = |i: usize| outcome[i].unwrap_or(true);

    let mut direction = vec![(0usize, 0usize); reports.len()];
    let mut words: BTreeMap<bool, (usize, usize)> = BTreeMap::new();
    let mut missed_words = Vec::new();
    let mut already_flagged = 0;
    let mut slips: BTreeMap<(Kind, &str), Counts> = BTreeMap::new();
    // Uncaught checkable slips that are more than a change of precision, per report.
    let mut uncaught: Vec<Vec<&Mutant>> = vec![Vec::new(); reports.len()];
    for (i, m) in mutants.iter().enumerate() {
        let hit = is_caught(i);
        if m.kind == Kind::Direction {
            direction[m.file].0 += 1;
            direction[m.file].1 += usize::from(hit);
            let w = words.entry(m.by_number).or_default();
            w.0 += 1;
            w.1 += usize::from(hit);
            if !hit {
                missed_words.push(m);
            }
            continue;
        }
        // A slip that only changes the printed precision leaves the report consistent: it is
        // no checkable slip.
        let precision = m.within_rounding();
        let rounding = !hit && precision;
        for c in [
            per_file[m.file].entry(m.section.clone()).or_default(),
            slips.entry(m.slip()).or_default(),
        ] {
            c.mutants += 1;
            c.caught += usize::from(hit);
            c.rounding += usize::from(rounding);
            if m.checkable && !precision {
                c.checkable += 1;
                c.caught_checkable += usize::from(hit);
            }
        }
        if m.checkable && !hit && !rounding {
            if m.flagged {
                already_flagged += 1;
            } else {
                uncaught[m.file].push(m);
            }
        }
    }

    let mut overall: BTreeMap<(usize, String), Counts> = BTreeMap::new();
    for counts in &per_file {
        for (section, c) in counts {
            overall.entry(section_rank(section)).or_default().add(c);
        }
    }
    let mut total = Counts::default();
    for c in overall.values() {
        total.add(c);
    }

    println!("## Narrative mutants ({} reports)\n", reports.len());
    println!(
        "| section | numbers | checked numbers | not located | mutants | caught | % | checkable mutants | caught of checkable | % |"
    );
    println!("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for ((_, section), c) in &overall {
        println!("{}", row(section, c));
    }
    println!("{}", row("**all numbers**", &total));
    let (dn, dc) = direction
        .iter()
        .fold((0, 0), |(n, c), (a, b)| (n + a, c + b));
    println!(
        "| direction words | | | | {dn} | {dc} | {} | | | |",
        pct(dc, dn)
    );
    for (by_number, (n, c)) in words.iter().rev() {
        let which = if *by_number {
            "before a number"
        } else {
            "elsewhere"
        };
        println!(
            "| &nbsp;&nbsp;{which} | | | | {n} | {c} | {} | | | |",
            pct(*c, *n)
        );
    }

    println!(
        "\n| slip | mutants | caught | % | checkable mutants | caught of checkable | % | uncaught, only the precision changed |"
    );
    println!("|---|--:|--:|--:|--:|--:|--:|--:|");
    for ((_, name), c) in &slips {
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} |",
            c.mutants,
            c.caught,
            pct(c.caught, c.mutants),
            c.checkable,
            c.caught_checkable,
            pct(c.caught_checkable, c.checkable),
            c.rounding
        );
    }

    println!();
    for (f, report) in reports.iter().enumerate() {
        let mut c = Counts::default();
        for s in per_file[f].values() {
            c.add(s);
        }
        let base: usize = report.base.values().sum();
        println!(
            "- {}: {} numbers ({} checked, {} not located), {} mutants, {} caught ({}); \
             checkable {}, {} caught ({}); direction words {}, {} caught ({}); \
             original has {base} errors/warnings",
            report.name,
            c.numbers,
            c.checked,
            c.not_located,
            c.mutants,
            c.caught,
            pct(c.caught, c.mutants),
            c.checkable,
            c.caught_checkable,
            pct(c.caught_checkable, c.checkable),
            direction[f].0,
            direction[f].1,
            pct(direction[f].1, direction[f].0),
        );
    }
    if failed > 0 {
        println!("\n{failed} mutants were not audited at all (counted as caught).");
    }

    // Samples of what went unnoticed: of the checkable slips (precision changes left out)
    // each section of a report in turn, so one long section does not fill the list.
    let missed: usize = uncaught.iter().map(Vec::len).sum();
    for list in &mut uncaught {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut ranked: Vec<(usize, usize, &Mutant)> = Vec::new();
        for (i, &m) in list.iter().enumerate() {
            let n = seen.entry(m.section.as_str()).or_default();
            ranked.push((*n, i, m));
            *n += 1;
        }
        ranked.sort_by_key(|&(n, i, _)| (n, i));
        *list = ranked.into_iter().map(|(_, _, m)| m).collect();
    }
    println!(
        "\nUncaught checkable mutants (a sample of {missed}; left out: those that only change the \
         precision, and {already_flagged} of numbers the original is already flagged for):\n"
    );
    for m in round_robin(&uncaught, 30) {
        println!(
            "- {}:{} [{}] {}{unit} → {}{unit} ({}) — {}",
            reports[m.file].name,
            m.line + 1,
            m.section,
            m.from,
            m.to,
            m.slip().1,
            m.subject,
            unit = m.unit,
        );
    }
    let mut words: Vec<Vec<&Mutant>> = vec![Vec::new(); reports.len()];
    for m in &missed_words {
        words[m.file].push(m);
    }
    println!(
        "\nUncaught direction-word mutants (a sample of {}):\n",
        missed_words.len()
    );
    for m in round_robin(&words, 10) {
        let line = &reports[m.file].text[reports[m.file].starts[m.line]..];
        let line = line.split('\n').next().unwrap_or_default();
        println!(
            "- {}:{} [{}] {} → {}: {}",
            reports[m.file].name,
            m.line + 1,
            m.section,
            m.from,
            m.to,
            line.trim()
        );
    }
    // On stderr, so that stdout stays the same from run to run.
    let ms = started.elapsed().as_millis() as usize;
    eprintln!(
        "{} mutants of {} reports in {ms} ms on {threads} threads (about {} ms per audit)",
        mutants.len(),
        reports.len(),
        ms * threads / mutants.len().max(1)
    );
}
