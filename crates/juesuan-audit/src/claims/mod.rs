//! The claims engine: what a published report's 情况说明 says, read clause by clause.
//!
//! Each paragraph is cut into clauses ([`clause`]); each number of a clause gets a subject
//! (the longest name of a figure its words contain — names come from the figure catalog's
//! labels, the tables' rows and the lexicon, [`lexicon`] — or the subject carried from the
//! clause before: `其中`, `占`, `比上年`, `完成…` speak of what the sentence spoke of), an aspect
//! (this year's amount, the budget, last year's, a change, a share, a completion or growth
//! rate: the words between subject and number say which) and becomes claims: against the
//! cells the figure catalog says the figure is, or against other numbers the narrative
//! states (a rate of two stated amounts, a total and its parts, a figure stated twice, a
//! comparison word). Every number ends in the coverage ([`Mention`]): checked, or why not.

pub mod clause;
pub mod lexicon;

use crate::text::Document;
use clause::{Found, Paragraph};
use juesuan_core::catalog::normalize_name;
use juesuan_core::figures::{FigureCatalog, Resolved};
use juesuan_core::kind::NarrativeDef;
use juesuan_core::rules::claims::{
    At, Mention, NarrativeParagraph, Status, Unchecked, evaluate, operand,
};
use juesuan_core::rules::finding::Against;
use juesuan_core::rules::sheet::{Claim, ClaimKind, Direction, NumUnit, Number, Operand, Relation};
use juesuan_core::rules::{CheckRow, CheckTable, Sheet};
use juesuan_core::text::Text;
use juesuan_core::views::RowKind;
use lexicon::{Aspect, Concepts, Lexicon};
use std::collections::BTreeMap;

/// What the reader made of a narrative.
#[derive(Clone, Debug, Default)]
pub struct Reading {
    /// The claims, for the N rules.
    pub claims: Vec<Claim>,
    /// Every number, checked or not.
    pub mentions: Vec<Mention>,
    /// The narrative's paragraphs as read (what a mention's [`At`] points into).
    pub paragraphs: Vec<NarrativeParagraph>,
    /// The name of each subject the mentions were read as (a concept's figure label).
    pub subjects: BTreeMap<String, Text>,
    /// What the narrative states of an aspect other than this year's amount — last year's, a
    /// change or growth over it, a budget — of a figure the reader knows: what a document it
    /// cites is checked against (R rules, `juesuan_core::rules::reconcile`).
    pub statements: Vec<Statement>,
}

/// A number the narrative states of an aspect of a figure (`上年收入合计 X 万元`, `比上年增长
/// p%`, `年初预算为 X 万元`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The figure (concept) it is stated of (`income`, `sangong`, `gb.item.2080501`).
    pub concept: String,
    /// The aspect, as lexicon files name it (`prior`, `change`, `growth`, `budget` …).
    pub aspect: &'static str,
    /// The number.
    pub number: Number,
    /// Which way a change or growth is said to go.
    pub direction: Option<Direction>,
    /// 1-based line of the document.
    pub line: u32,
    /// The sentence, as printed.
    pub sentence: String,
    /// The narrative section it stands in.
    pub section: Option<String>,
}

/// A number stated, where, and its place in the coverage.
#[derive(Clone, Debug)]
struct Said {
    number: Number,
    line: u32,
    mention: usize,
}

impl Said {
    fn operand(&self) -> Operand {
        Operand::stated(self.number.clone(), self.line)
    }
}

/// A `其中` list being read: the whole and its parts (with the words naming each).
#[derive(Clone, Debug)]
struct List {
    /// The amount and the counts (one per unit) it is a list of.
    wholes: Vec<Said>,
    /// What the whole is (the subject it was stated of).
    of: Option<String>,
    parts: Vec<(Said, String)>,
}

/// One side of a claim and the numbers of the coverage it involves.
type Side = (Operand, Vec<usize>);

/// What a number's words say: its subject (named in its own words or carried), and the words
/// between the subject and the number.
struct Words<'a> {
    subject: Option<String>,
    named: bool,
    rest: &'a str,
    words: &'a str,
}

/// One claim with the numbers of the coverage it involves.
struct Made {
    claim: Claim,
    mentions: Vec<usize>,
}

struct Walk<'a> {
    lex: &'a Lexicon,
    /// Figures the layout makes the same as others (`Layout::same_as`).
    same_as: &'a BTreeMap<String, String>,
    concepts: Concepts,
    figures: &'a FigureCatalog,
    sheet: &'a Sheet,
    narrative: &'a NarrativeDef,
    year: Option<i32>,
    made: Vec<Made>,
    mentions: Vec<Mention>,
    /// The paragraphs read so far; the last is the one being read.
    paragraphs: Vec<NarrativeParagraph>,
    /// What the narrative last stated of each concept and aspect (words no figure goes by:
    /// within their paragraph only).
    said: BTreeMap<(String, Aspect), Said>,
    statements: Vec<Statement>,
}

/// The state of a paragraph being read.
#[derive(Default)]
struct Here {
    /// What the sentence speaks of: a concept, `§…` a heading no row was found for, `?…`
    /// words no figure goes by.
    subject: Option<String>,
    /// The subject a heading of the current clause names.
    headed: Option<String>,
    /// The current clause has 类/款/项 marks.
    marked: bool,
    /// The concept the paragraph's first amount states (what `占` is a share of when the
    /// sentence names no whole), unless it is itself a share of something.
    first: Option<String>,
    /// What the paragraphs above introduced.
    inherited: Option<String>,
    /// Concepts stated as shares (`占`) in the paragraph: parts, not wholes.
    parts: Vec<String>,
    /// The latest change stated (`减少 63.14 万元`), for the growth rate after it.
    change: Option<(String, Said, Direction)>,
    /// The `其中` list being read.
    list: Option<List>,
    /// Inside an explanation (`主要原因…`) until the sentence ends.
    explaining: bool,
    /// The latest amount stated (this year's), for a `其中` list.
    last_amount: Option<Said>,
    /// The latest count stated, by its unit (`2 批次、26 人次`).
    last_counts: BTreeMap<String, Said>,
}

impl Here {
    /// The whole this paragraph introduces: its first amount's, unless that is a part.
    fn own_whole(&self) -> Option<String> {
        self.first.clone().filter(|c| !self.parts.contains(c))
    }

    /// What a share names no whole of is a share of.
    fn parent(&self) -> Option<String> {
        self.own_whole().or_else(|| self.inherited.clone())
    }
}

/// What a narrative is read with: its kind's words and figures, where it stands, and what the
/// layout says of its figures.
pub struct Meaning<'a> {
    /// The kind's lexicon.
    pub lexicon: &'a Lexicon,
    /// The kind's figure catalog.
    pub figures: &'a FigureCatalog,
    /// Where the narrative stands and its sections.
    pub narrative: &'a NarrativeDef,
    /// Figures the layout makes the same as others (`Layout::same_as`).
    pub same_as: &'a BTreeMap<String, String>,
}

/// Every claim and number of the narrative of `doc` (where the kind says it stands, after
/// line `after`, or before and after the tables whose titles stand at the 0-based lines
/// `titles`), the tables having been read into `sheet`; `year` is the report's.
pub fn read(
    doc: &Document,
    sheet: &Sheet,
    meaning: &Meaning,
    after: usize,
    titles: &[usize],
    year: Option<i32>,
) -> Reading {
    let Meaning {
        lexicon: lex,
        figures,
        narrative,
        same_as,
    } = *meaning;
    let mut w = Walk {
        same_as,
        lex,
        concepts: Concepts::new(lex, figures, sheet),
        figures,
        sheet,
        narrative,
        year,
        made: Vec::new(),
        mentions: Vec::new(),
        paragraphs: Vec::new(),
        said: BTreeMap::new(),
        statements: Vec::new(),
    };
    // What each level of the section's list introduced: `（二）…支出 X 万元，主要用于：` is the
    // whole the items `1.` … `9.` below it are shares of.
    let mut wholes: Vec<(u8, String)> = Vec::new();
    let mut section: Option<String> = None;
    for p in clause::paragraphs(doc, after, titles, narrative) {
        if p.section != section {
            wholes.clear();
            section.clone_from(&p.section);
        }
        let level = if p.level == 0 { u8::MAX } else { p.level };
        wholes.retain(|(l, _)| *l < level);
        let mut here = Here {
            inherited: wholes.last().map(|(_, c)| c.clone()),
            ..Here::default()
        };
        w.paragraphs.push(NarrativeParagraph {
            text: p.text.clone(),
            lines: p.lines().to_vec(),
        });
        w.paragraph(&p, &mut here);
        if let Some(c) = here.own_whole() {
            wholes.push((level, c));
        }
    }
    w.finish()
}

impl Walk<'_> {
    fn finish(mut self) -> Reading {
        let mut mentions = std::mem::take(&mut self.mentions);
        let mut checked: Vec<Option<(String, bool, usize)>> = vec![None; mentions.len()];
        let mut claims = Vec::new();
        let mut bounded = vec![false; mentions.len()];
        for m in std::mem::take(&mut self.made) {
            // A comparison or a partial list bounds its numbers; it does not check them.
            let exact = !matches!(
                m.claim.kind,
                ClaimKind::Compare { .. }
                    | ClaimKind::Sum {
                        complete: false,
                        ..
                    }
            );
            if !exact {
                if evaluate(self.sheet, &m.claim).is_some() {
                    for &i in &m.mentions {
                        bounded[i] = true;
                    }
                }
                claims.push(m.claim);
                continue;
            }
            if let Some((holds, against_value)) = evaluate(self.sheet, &m.claim) {
                // A rate whose amounts are too coarse to fix its last digit (69.26% or 69.27%
                // of 37.35 / 53.93) is bounded by them, not checked.
                let loose = holds && coarse(&m.claim.kind, &against_value);
                let against = match &m.claim.kind {
                    ClaimKind::Amount { against, .. }
                    | ClaimKind::Compare { right: against, .. } => figure_of(against),
                    ClaimKind::Rate {
                        figure: Some(f), ..
                    } => f.clone(),
                    ClaimKind::Rate { num, den, .. } => {
                        format!("{} / {}", figure_of(num), figure_of(den))
                    }
                    ClaimKind::Name { .. } | ClaimKind::Unresolved { .. } => "tables".into(),
                    ClaimKind::Sum { .. } => "narrative".into(),
                };
                // A rate checks the number it states; the amounts it is computed from only
                // to the rate's precision (a change of 0.01 万元 moves no 2-decimal rate): they
                // are bounded by it, not checked.
                let rate = matches!(m.claim.kind, ClaimKind::Rate { .. });
                for (n, &i) in m.mentions.iter().enumerate() {
                    if rate && (n > 0 || loose) {
                        bounded[i] = true;
                        continue;
                    }
                    let slot = &mut checked[i];
                    *slot = match slot.take() {
                        None => Some((against.clone(), holds, claims.len())),
                        // The first claim that fails is the one to show.
                        Some((a, true, _)) if !holds => Some((a, false, claims.len())),
                        Some((a, h, c)) => Some((a, h && holds, c)),
                    };
                }
            } else {
                for &i in &m.mentions {
                    if let Status::NotCheckable { reason } = &mut mentions[i].status
                        && *reason != Unchecked::Explanation
                    {
                        *reason = Unchecked::TableUnread;
                    }
                }
            }
            claims.push(m.claim);
        }
        for ((m, c), bounded) in mentions.iter_mut().zip(checked).zip(bounded) {
            if let Some((against, holds, claim)) = c {
                m.status = Status::Checked { against, holds };
                m.claim = Some(claim);
            } else if bounded {
                m.status = Status::NotCheckable {
                    reason: Unchecked::Bounded,
                };
            } else if matches!(
                m.status,
                Status::NotCheckable {
                    reason: Unchecked::NoTable
                }
            ) && self.figures_read_tables(&m.subject)
            {
                // The tables hold it; the rows read could not say what.
                m.status = Status::NotCheckable {
                    reason: Unchecked::TableUnread,
                };
            }
        }
        claims.extend(unresolved_notes(&mentions));
        let subjects = mentions
            .iter()
            .filter_map(|m| {
                let label = self.concepts.labels.get(&m.subject)?;
                Some((m.subject.clone(), label.clone()))
            })
            .collect();
        Reading {
            claims,
            mentions,
            paragraphs: self.paragraphs,
            subjects,
            statements: self.statements,
        }
    }

    /// Whether the figure of `concept` (this year's amount) is defined by table cells.
    fn figures_read_tables(&self, concept: &str) -> bool {
        self.lex
            .key(&self.concepts, concept, Aspect::Actual)
            .and_then(|k| self.figures.cells(&k))
            .is_some()
    }

    fn words(&self, role: &str) -> &[String] {
        self.lex.words(role)
    }

    /// The last word of `role` in `text` and where it ends.
    fn last_word(&self, text: &str, role: &str) -> Option<(usize, String)> {
        self.words(role)
            .iter()
            .filter_map(|w| text.rfind(w.as_str()).map(|i| (i + w.len(), w.clone())))
            .max_by_key(|(end, w)| (*end, w.len()))
    }

    fn has(&self, text: &str, role: &str) -> bool {
        self.words(role).iter().any(|w| text.contains(w.as_str()))
    }

    /// The aspect the words of `text` select, by the last aspect word in it.
    fn aspect_in(&self, text: &str) -> Option<Aspect> {
        let mut best: Option<(usize, usize, Aspect)> = None;
        for (a, words) in &self.lex.aspect_words {
            for w in words {
                if let Some(i) = text.rfind(w.as_str()) {
                    let end = i + w.len();
                    if best.is_none_or(|(e, l, _)| end > e || (end == e && w.len() > l)) {
                        best = Some((end, w.len(), *a));
                    }
                }
            }
        }
        best.map(|(_, _, a)| a)
    }

    /// Whether `text` speaks of last year: `上年` or a year before the report's.
    fn speaks_of_prior(&self, text: &str) -> bool {
        if self.aspect_words_of(text, Aspect::Prior) {
            return true;
        }
        let Some(year) = self.year else { return false };
        let b = text.as_bytes();
        (0..b.len().saturating_sub(3)).any(|i| {
            b[i..i + 4].iter().all(u8::is_ascii_digit)
                && (i == 0 || !b[i - 1].is_ascii_digit())
                && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
                && text[i..i + 4]
                    .parse::<i32>()
                    .is_ok_and(|y| y < year && y > 1900)
        })
    }

    /// The budget `text` speaks of: the year's first (年初) or the adjusted one (全年), or
    /// whichever the narrative stated last.
    fn budget(&self, concept: &str, text: &str) -> Option<Side> {
        let full = self.aspect_words_of(text, Aspect::FullBudget);
        let initial = self.words_of(text, Aspect::Budget, "年初");
        if full {
            self.value(concept, Aspect::FullBudget)
                .or_else(|| self.value(concept, Aspect::Budget))
        } else if initial {
            self.value(concept, Aspect::Budget)
        } else {
            // `预算数` when both were stated could be either: nothing to say.
            match (
                self.value(concept, Aspect::Budget),
                self.value(concept, Aspect::FullBudget),
            ) {
                (Some(_), Some(_)) => None,
                (a, b) => a.or(b),
            }
        }
    }

    /// Whether `text` has a word of `aspect` that contains `part`.
    fn words_of(&self, text: &str, aspect: Aspect, part: &str) -> bool {
        self.lex
            .aspect(aspect)
            .any(|w| w.contains(part) && text.contains(w.as_str()))
    }

    /// The cells of `aspect` of `concept`, if the figure catalog defines it from the tables and
    /// the tables read can say what they come to.
    fn cells(&self, concept: &str, aspect: Aspect) -> Option<Operand> {
        let concept = match (aspect, self.same_as.get(concept)) {
            (Aspect::Actual, Some(other)) => other.as_str(),
            _ => concept,
        };
        let key = self.lex.key(&self.concepts, concept, aspect)?;
        let Resolved::Amount(cells) = self.figures.cells(&key)? else {
            return None;
        };
        let op = Operand::Cells { figure: key, cells };
        operand(self.sheet, &op).is_some().then_some(op)
    }

    /// What `aspect` of `concept` is: the tables' cells, else what the narrative stated.
    fn value(&self, concept: &str, aspect: Aspect) -> Option<Side> {
        if let Some(op) = self.cells(concept, aspect) {
            return Some((op, Vec::new()));
        }
        self.said
            .get(&(concept.to_string(), aspect))
            .map(|s| (s.operand(), vec![s.mention]))
    }

    /// Records what the narrative states of `aspect` of `concept` (a figure the reader knows).
    fn state(
        &mut self,
        p: &Paragraph,
        f: &Found,
        concept: &str,
        aspect: Aspect,
        direction: Option<Direction>,
    ) {
        if concept.starts_with(['?', '§']) {
            return;
        }
        self.statements.push(Statement {
            concept: concept.to_string(),
            aspect: aspect.name(),
            number: f.number.clone(),
            direction,
            line: p.line_at(f.start),
            sentence: sentence_at(&p.text, f.start),
            section: p.section.clone(),
        });
    }

    fn mention(&mut self, p: &Paragraph, f: &Found, subject: &str, reason: Unchecked) -> usize {
        self.mentions.push(Mention {
            line: p.line_at(f.start),
            text: f.number.shown(),
            section: p.section.clone(),
            subject: subject.to_string(),
            status: Status::NotCheckable { reason },
            paragraph: p.line_at(0),
            at: Some(At {
                paragraph: self.paragraphs.len().saturating_sub(1),
                start: f.start,
                end: f.end,
            }),
            claim: None,
        });
        self.mentions.len() - 1
    }

    fn claim(
        &mut self,
        p: &Paragraph,
        at: usize,
        about: &str,
        kind: ClaimKind,
        mentions: Vec<usize>,
    ) {
        // A subject no figure goes by is named by its kind: an item a heading names, or
        // something only the narrative states.
        let about = if about.starts_with('§') {
            "item"
        } else if about.starts_with('?') {
            "stated"
        } else {
            about
        };
        self.made.push(Made {
            claim: Claim {
                pattern: about.to_string(),
                line: p.line_at(at),
                sentence: sentence_at(&p.text, at),
                section: p.section.clone(),
                kind,
            },
            mentions,
        });
    }

    fn paragraph(&mut self, p: &Paragraph, here: &mut Here) {
        // What no figure goes by is known within its paragraph only.
        self.said
            .retain(|(c, _), _| !c.starts_with('?') && !c.starts_with('§'));
        let clauses = clause::clauses(self.lex, &p.text);
        for c in clauses {
            let raw = &p.text[c.start..c.end];
            let whole = self.lex.norm(raw);
            let found = clause::numbers(self.lex, &p.text, c.start, c.end);
            // A `其中` opens a list of parts of the amount (or count) just stated.
            if whole.starts_with("其中") {
                // A breakdown (`…，其中：燃料费 1.4 万元；…`) lists parts, it does not explain.
                here.explaining = false;
                self.close_list(p, here);
                let wholes: Vec<Said> = here
                    .last_amount
                    .iter()
                    .chain(here.last_counts.values())
                    .cloned()
                    .collect();
                let of = here.subject.clone();
                here.list = (!wholes.is_empty()).then(|| List {
                    wholes,
                    of,
                    parts: Vec::new(),
                });
            }
            // Numbers after `主要用于`, `主要原因` explain; they state no figure of the report.
            let explains = self.has(&whole, "explain");
            if explains && found.is_empty() {
                here.explaining = true;
            }
            // A 类/款/项 heading names its subject, and nothing else in the clause does: what
            // it names unresolved leaves the clause without one.
            here.marked = ["（类）", "（款）", "（项）"]
                .iter()
                .any(|m| raw.contains(m));
            here.headed = if here.marked {
                self.heading(p, c.start, raw)
            } else {
                None
            };
            if here.marked {
                // What the heading names, resolved or not: its numbers are still checked
                // against each other (`年初预算…，支出决算…，完成…%`).
                here.subject = here.headed.clone().or_else(|| {
                    let n = heading_names(raw);
                    let words: String = [n.class, n.kuan, n.xiang].into_iter().flatten().collect();
                    Some(format!("§{words}"))
                });
                // A list of 类/款/项 after `主要用于：` is no explanation.
                here.explaining = false;
            } else if found.is_empty()
                && !here.explaining
                && let Some((concept, _)) = self.concepts.find(&whole)
            {
                here.subject = Some(concept.to_string());
            }
            if found.is_empty() {
                self.comparison(p, here, c.start, &whole);
            }
            let mut from = c.start;
            for f in &found {
                self.number(p, here, from, f);
                from = f.end;
            }
            if explains {
                here.explaining = true;
            }
            if c.last_of_sentence {
                here.explaining = false;
                self.close_list(p, here);
            }
        }
        self.close_list(p, here);
    }

    /// The subject a `…（类）…（款）…（项）` heading names: the concept of its row in the
    /// section's table; a 项 name no table prints becomes a name claim.
    fn heading(&mut self, p: &Paragraph, at: usize, raw: &str) -> Option<String> {
        if !raw.contains("（项）") && !raw.contains("（类）") {
            return None;
        }
        let tables: Vec<&str> = match p
            .section
            .as_ref()
            .and_then(|s| self.narrative.sections.iter().find(|d| d.key == *s))
            .and_then(|d| d.table.as_deref())
        {
            Some(t) => vec![t],
            None => self
                .narrative
                .sections
                .iter()
                .filter(|d| !d.all_funds)
                .filter_map(|d| d.table.as_deref())
                .collect(),
        };
        let names = heading_names(raw);
        let amounts = self.paragraph_amounts(p);
        for table in tables {
            let Some(t) = self.sheet.table(table) else {
                continue;
            };
            let code = match resolve_heading(t, &names, &amounts) {
                Heading::Code(code) => code,
                Heading::Misnamed { stated, printed } => {
                    let kind = ClaimKind::Name { stated, printed };
                    self.claim(p, at, "item", kind, Vec::new());
                    return None;
                }
                Heading::Unknown => continue,
            };
            return self.concept_of_row(table, &code);
        }
        None
    }

    /// The amounts of a paragraph in 万元, as the tables print them (two decimals).
    fn paragraph_amounts(&self, p: &Paragraph) -> Vec<String> {
        clause::numbers(self.lex, &p.text, 0, p.text.len())
            .into_iter()
            .filter(|f| matches!(&f.number.unit, NumUnit::Money(w, _) if w == "万元"))
            .map(|f| {
                let d = rust_decimal::Decimal::from_i128_with_scale(
                    f.number.stated.scaled,
                    f.number.stated.decimals,
                );
                format!("{d:.2}")
            })
            .collect()
    }

    /// The concept whose amount is the `total` of row `code` of `table`.
    fn concept_of_row(&self, table: &str, code: &str) -> Option<String> {
        let suffix = format!(".{code}");
        self.concepts
            .figures
            .iter()
            .filter(|(c, _)| c.ends_with(&suffix))
            .find(|(_, aspects)| {
                aspects.get(&Aspect::Actual).is_some_and(|k| {
                    matches!(self.figures.cells(k), Some(Resolved::Amount(e))
                        if e.cell_refs().iter().any(|r| r.table == table))
                })
            })
            .map(|(c, _)| c.clone())
    }

    /// A clause without numbers that compares (`决算数小于预算数`, `与上年持平`).
    fn comparison(&mut self, p: &Paragraph, here: &Here, at: usize, text: &str) {
        let Some(subject) = here.subject.clone() else {
            return;
        };
        if self.has(text, "loose") {
            return;
        }
        let relation = [
            ("greater", Relation::Greater),
            ("less", Relation::Less),
            ("equal", Relation::Equal),
        ]
        .into_iter()
        .filter_map(|(role, r)| self.last_word(text, role).map(|(e, w)| (e, w, r)))
        .max_by_key(|(e, _, _)| *e);
        let Some((_, word, relation)) = relation else {
            return;
        };
        let other = if self.speaks_of_prior(text) {
            Aspect::Prior
        } else if self.aspect_words_of(text, Aspect::Budget)
            || self.aspect_words_of(text, Aspect::FullBudget)
        {
            Aspect::Budget
        } else {
            return;
        };
        // `预算数大于决算数` says it the other way round.
        let budget_first = other == Aspect::Budget && {
            let b = self.first_aspect_word(text, Aspect::Budget);
            let a = self.first_aspect_word(text, Aspect::Actual);
            matches!((b, a), (Some(b), Some(a)) if b < a)
        };
        let right = match other {
            Aspect::Budget => self.budget(&subject, text),
            _ => self.value(&subject, other),
        };
        let (Some((left, ml)), Some((right, mr))) = (self.value(&subject, Aspect::Actual), right)
        else {
            return;
        };
        let (left, right) = if budget_first {
            (right, left)
        } else {
            (left, right)
        };
        let kind = ClaimKind::Compare {
            word,
            relation,
            left,
            right,
        };
        let mentions = ml.into_iter().chain(mr).collect();
        self.claim(p, at, &subject, kind, mentions);
    }

    /// Whether `text` (a number's words) names something of its own: what is left when the
    /// aspect, direction, comparison and filler words, years and punctuation are taken out is
    /// more than one character.
    fn names_other(&self, text: &str) -> Option<String> {
        let mut rest = text.to_string();
        let mut words: Vec<&String> = self
            .lex
            .aspect_words
            .iter()
            .flat_map(|(_, ws)| ws.iter())
            .chain(
                [
                    "up",
                    "down",
                    "share",
                    "completion",
                    "greater",
                    "less",
                    "equal",
                    "filler",
                    "parts",
                ]
                .iter()
                .flat_map(|r| self.words(r).iter()),
            )
            .collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        for w in words {
            rest = rest.replace(w.as_str(), "");
        }
        let han: String = rest.chars().filter(|c| is_han(*c)).collect();
        (han.chars().count() > 1).then_some(han)
    }

    /// Whether `text` has a word of `aspect`.
    fn aspect_words_of(&self, text: &str, aspect: Aspect) -> bool {
        self.lex.aspect(aspect).any(|w| text.contains(w.as_str()))
    }

    /// Where the first word of `aspect` stands in `text`.
    fn first_aspect_word(&self, text: &str, aspect: Aspect) -> Option<usize> {
        self.lex
            .aspect(aspect)
            .filter_map(|w| text.find(w.as_str()))
            .min()
    }

    /// One number of a clause; `from` is where its words begin (the clause's start or the
    /// previous number's end).
    fn number(&mut self, p: &Paragraph, here: &mut Here, from: usize, f: &Found) {
        let seg = self.lex.norm(&p.text[from..f.start]);
        let after: String = p.text[f.end..].chars().take(6).collect();
        let after = self.lex.norm(&after);
        if self
            .words("threshold")
            .iter()
            .any(|w| after.starts_with(w.as_str()))
        {
            self.mention(p, f, "", Unchecked::Threshold);
            return;
        }
        // What comes after `占` names the whole, not the subject.
        let subject_part = match self.last_word(&seg, "share") {
            Some((end, w)) => &seg[..end - w.len()],
            None => seg.as_str(),
        };
        let named = if here.marked {
            here.headed.clone().map(|c| (c, 0))
        } else {
            self.concepts
                .find(subject_part)
                .map(|(c, end)| (c.to_string(), end))
        };
        let own_words = self.names_other(subject_part);
        // In an explanation (`主要原因…`, `主要用于…`) a number with words of its own explains;
        // one with only aspect words (`…，年初预算为 X 万元`) still states its subject's figure,
        // and a 类/款/项 after `主要用于以下方面：` is listed, not explained.
        let listed = ["（类）", "（款）", "（项）"]
            .iter()
            .any(|m| p.text[from..f.start].contains(m));
        if here.explaining
            && named.is_none()
            && !listed
            && (own_words.is_some() || here.subject.is_none())
        {
            self.mention(p, f, &seg, Unchecked::Explanation);
            return;
        }
        // Without a name of its own, a number speaks of what the sentence spoke of — unless
        // its words name something else (`资金 …`, `货物采购金额 …`).
        let (subject, rest) = match (&named, own_words) {
            (Some((c, end)), _) => (Some(c.clone()), seg[*end..].to_string()),
            (None, _) if here.marked => (here.subject.clone(), seg.clone()),
            // Words no figure goes by: a subject of its own, known only by what the narrative
            // states of it.
            (None, Some(words)) => (Some(format!("?{words}")), seg.clone()),
            (None, None) => (here.subject.clone(), seg.clone()),
        };
        if subject != here.subject && !here.marked {
            here.subject.clone_from(&subject);
        }
        let words = seg.clone();
        match &f.number.unit {
            NumUnit::Money(..) => {
                let w = Words {
                    subject,
                    named: named.is_some(),
                    rest: &rest,
                    words: &words,
                };
                self.amount(p, here, f, w);
            }
            NumUnit::Percent => {
                let w = Words {
                    subject,
                    named: named.is_some(),
                    rest: &rest,
                    words: &words,
                };
                self.rate(p, here, f, w);
            }
            NumUnit::Count(_) => {
                let reason = if resolved(subject.as_deref()) {
                    Unchecked::NoTable
                } else {
                    Unchecked::SubjectUnresolved
                };
                let m = self.mention(p, f, &words, reason);
                let said = Said {
                    number: f.number.clone(),
                    line: p.line_at(f.start),
                    mention: m,
                };
                let unit = unit_key(&f.number.unit);
                match &mut here.list {
                    Some(list) if list.wholes.iter().any(|w| unit_key(&w.number.unit) == unit) => {
                        list.parts.push((said, words.clone()));
                    }
                    _ => {
                        here.last_counts.insert(unit, said);
                    }
                }
            }
            NumUnit::Score => {
                self.mention(p, f, &words, Unchecked::NoTable);
            }
        }
    }

    fn amount(&mut self, p: &Paragraph, here: &mut Here, f: &Found, w: Words) {
        let Words {
            subject,
            named,
            rest,
            words,
        } = w;
        let up = self.last_word(rest, "up").map(|(e, _)| e);
        let down = self.last_word(rest, "down").map(|(e, _)| e);
        let direction = match (up, down) {
            (Some(u), Some(d)) => Some(if u > d {
                Direction::Up
            } else {
                Direction::Down
            }),
            (Some(_), None) => Some(Direction::Up),
            (None, Some(_)) => Some(Direction::Down),
            (None, None) => None,
        };
        let budget_words = self.aspect_words_of(rest, Aspect::Budget)
            || self.aspect_words_of(rest, Aspect::FullBudget);
        let aspect = match direction {
            Some(_) if budget_words => Aspect::Difference,
            Some(_) => Aspect::Change,
            None if self.speaks_of_prior(rest) => Aspect::Prior,
            None => match self.aspect_in(rest) {
                Some(a @ (Aspect::Prior | Aspect::Budget | Aspect::FullBudget)) => a,
                _ => Aspect::Actual,
            },
        };
        let reason = if resolved(subject.as_deref()) {
            Unchecked::NoTable
        } else {
            Unchecked::SubjectUnresolved
        };
        let m = self.mention(p, f, subject.as_deref().unwrap_or(words), reason);
        let said = Said {
            number: f.number.clone(),
            line: p.line_at(f.start),
            mention: m,
        };
        if aspect == Aspect::Actual {
            match &mut here.list {
                Some(list)
                    if list
                        .wholes
                        .iter()
                        .any(|w| unit_key(&w.number.unit) == MONEY) =>
                {
                    list.parts.push((said.clone(), words.to_string()));
                }
                _ => here.last_amount = Some(said.clone()),
            }
        }
        // A part of a `其中` list is no restatement of the whole it is inherited from.
        let in_list = here.list.is_some() && !named;
        let Some(c) = subject.filter(|_| !in_list) else {
            return;
        };
        if aspect == Aspect::Actual && here.first.is_none() {
            here.first = Some(c.clone());
        }
        if aspect != Aspect::Actual {
            self.state(p, f, &c, aspect, direction);
        }
        match aspect {
            Aspect::Actual | Aspect::Budget | Aspect::FullBudget | Aspect::Prior => {
                if let Some(op) = self.cells(&c, aspect) {
                    let kind = ClaimKind::Amount {
                        stated: f.number.clone(),
                        change: None,
                        against: op,
                    };
                    self.claim(p, f.start, &c, kind, vec![m]);
                } else if !c.starts_with('?')
                    && let Some(before) = self.said.get(&(c.clone(), aspect)).cloned()
                    && before.line != said.line
                {
                    // Stated twice: the two must agree.
                    let kind = ClaimKind::Amount {
                        stated: f.number.clone(),
                        change: None,
                        against: before.operand(),
                    };
                    self.claim(p, f.start, &c, kind, vec![m, before.mention]);
                }
            }
            Aspect::Change | Aspect::Difference => {
                let dir = direction.unwrap_or(Direction::Up);
                let key_cells = self.cells(&c, aspect);
                let base = if aspect == Aspect::Change {
                    self.value(&c, Aspect::Prior)
                } else {
                    self.budget(&c, rest)
                };
                let against = match key_cells {
                    Some(op) => Some((op, Vec::new())),
                    None => match (self.value(&c, Aspect::Actual), base) {
                        (Some((a, ma)), Some((b, mb))) => Some((
                            Operand::Sum {
                                terms: vec![(1, a), (-1, b)],
                            },
                            ma.into_iter().chain(mb).collect(),
                        )),
                        _ => None,
                    },
                };
                if let Some((against, more)) = against {
                    let kind = ClaimKind::Amount {
                        stated: f.number.clone(),
                        change: Some(dir),
                        against,
                    };
                    let mentions = std::iter::once(m).chain(more).collect();
                    self.claim(p, f.start, &c, kind, mentions);
                }
                here.change = Some((c.clone(), said.clone(), dir));
            }
            _ => {}
        }
        self.said.insert((c, aspect), said);
    }

    fn rate(&mut self, p: &Paragraph, here: &mut Here, f: &Found, w: Words) {
        let Words {
            subject,
            rest,
            words,
            ..
        } = w;
        let reason = if resolved(subject.as_deref()) {
            Unchecked::NoTable
        } else {
            Unchecked::SubjectUnresolved
        };
        let m = self.mention(p, f, subject.as_deref().unwrap_or(words), reason);
        let Some(c) = subject else {
            return;
        };
        let stated = f.number.clone();
        let share = self.last_word(rest, "share");
        let up = self.last_word(rest, "up").map(|(e, _)| e);
        let down = self.last_word(rest, "down").map(|(e, _)| e);
        let completion = self.has(rest, "completion");
        let rate = |num: Side, den: Side, growth: Option<Direction>, figure: Option<String>| {
            let kind = ClaimKind::Rate {
                stated: stated.clone(),
                figure,
                num: num.0,
                den: den.0,
                growth,
            };
            let mentions: Vec<usize> = std::iter::once(m).chain(num.1).chain(den.1).collect();
            (kind, mentions)
        };
        if share.is_some() && !here.parts.contains(&c) {
            here.parts.push(c.clone());
        }
        let made = if let Some((end, _)) = share {
            // `占本年支出合计的 p%`: the whole the sentence names, else the figure's own share,
            // else what the paragraph introduced.
            let named_whole = self
                .concepts
                .find(&rest[end..])
                .map(|(w, _)| w.to_string())
                .filter(|w| *w != c);
            match named_whole {
                Some(w) => self
                    .value(&c, Aspect::Actual)
                    .zip(self.value(&w, Aspect::Actual))
                    .map(|(n, d)| rate(n, d, None, None)),
                None => match self.ratio(&c, Aspect::Share) {
                    Some((num, den, key)) => Some(rate(num, den, None, Some(key))),
                    None => here
                        .list
                        .as_ref()
                        .and_then(|l| l.of.clone())
                        .or_else(|| here.parent())
                        .filter(|w| *w != c)
                        .and_then(|w| {
                            self.value(&c, Aspect::Actual)
                                .zip(self.value(&w, Aspect::Actual))
                        })
                        .map(|(n, d)| rate(n, d, None, None)),
                },
            }
        } else if completion
            || ((self.aspect_words_of(rest, Aspect::Budget)
                || self.aspect_words_of(rest, Aspect::FullBudget))
                && up.is_none()
                && down.is_none())
        {
            match self.ratio(&c, Aspect::Completion) {
                Some((num, den, key)) => Some(rate(num, den, None, Some(key))),
                None => self
                    .value(&c, Aspect::Actual)
                    .zip(self.budget(&c, rest))
                    .map(|(n, d)| rate(n, d, None, None)),
            }
        } else if up.is_some() || down.is_some() {
            let dir = if up > down {
                Direction::Up
            } else {
                Direction::Down
            };
            self.state(p, f, &c, Aspect::Growth, Some(dir));
            // The rate's own word says which way it went, unless it gives both (`下降（增长）`):
            // then the change's.
            let own = match (up, down) {
                (Some(_), None) => Some(Direction::Up),
                (None, Some(_)) => Some(Direction::Down),
                _ => None,
            };
            match here.change.clone().filter(|(x, _, _)| *x == c) {
                Some((_, change, said_dir)) => self.value(&c, Aspect::Actual).map(|this| {
                    // A change said to go one way and its rate the other: the rate is checked
                    // both ways, and one of them cannot hold.
                    if let Some(own) = own.filter(|o| *o != said_dir) {
                        let (kind, mentions) = rate(
                            (change.operand(), vec![change.mention]),
                            this.clone(),
                            Some(own),
                            None,
                        );
                        self.claim(p, f.start, &c, kind, mentions);
                    }
                    rate(
                        (change.operand(), vec![change.mention]),
                        this,
                        Some(said_dir),
                        None,
                    )
                }),
                None => match (
                    self.value(&c, Aspect::Actual),
                    self.value(&c, Aspect::Prior),
                ) {
                    (Some((a, ma)), Some((b, mb))) => {
                        let terms = match dir {
                            Direction::Up => vec![(1, a), (-1, b.clone())],
                            Direction::Down => vec![(1, b.clone()), (-1, a)],
                        };
                        Some(rate(
                            (
                                Operand::Sum { terms },
                                ma.into_iter().chain(mb.clone()).collect(),
                            ),
                            (b, mb),
                            None,
                            None,
                        ))
                    }
                    _ => None,
                },
            }
        } else {
            None
        };
        if let Some((kind, mentions)) = made {
            self.claim(p, f.start, &c, kind, mentions);
        }
    }

    /// The ratio figure of `aspect` of `concept` as cells (numerator, denominator, its key),
    /// when the tables read can say what it comes to.
    fn ratio(&self, concept: &str, aspect: Aspect) -> Option<(Side, Side, String)> {
        let key = self.lex.key(&self.concepts, concept, aspect)?;
        let Resolved::Ratio(num, den) = self.figures.cells(&key)? else {
            return None;
        };
        let num = Operand::Cells {
            figure: key.clone(),
            cells: num,
        };
        let den = Operand::Cells {
            figure: key.clone(),
            cells: den,
        };
        (operand(self.sheet, &num).is_some() && operand(self.sheet, &den).is_some())
            .then(|| ((num, Vec::new()), (den, Vec::new()), key))
    }

    /// Ends the `其中` list being read: the parts of each unit against the whole of that unit
    /// (`接待 2 批次、26 人次，其中：外宾 0 批次、0 人次`).
    fn close_list(&mut self, p: &Paragraph, here: &mut Here) {
        let Some(list) = here.list.take() else {
            return;
        };
        for whole in &list.wholes {
            let unit = unit_key(&whole.number.unit);
            let parts: Vec<&(Said, String)> = list
                .parts
                .iter()
                .filter(|(s, _)| unit_key(&s.number.unit) == unit)
                .collect();
            if parts.is_empty() {
                continue;
            }
            let names: Vec<&str> = parts.iter().map(|(_, w)| w.as_str()).collect();
            let kind = ClaimKind::Sum {
                stated: whole.number.clone(),
                parts: parts.iter().map(|(s, _)| s.number.clone()).collect(),
                complete: parts.len() > 1 && self.complete(&names),
            };
            let mentions = std::iter::once(whole.mention)
                .chain(parts.iter().map(|(s, _)| s.mention))
                .collect();
            self.made.push(Made {
                claim: Claim {
                    pattern: "parts".into(),
                    line: whole.line,
                    sentence: sentence_of_line(p, whole.line),
                    section: p.section.clone(),
                    kind,
                },
                mentions,
            });
        }
    }

    /// Whether a list names every part: its last part is `其他…`, or its parts are those of a
    /// partition of the lexicon, one word each.
    fn complete(&self, names: &[&str]) -> bool {
        if names.last().is_some_and(|n| {
            self.words("other")
                .iter()
                .any(|o| n.starts_with(o.as_str()))
        }) {
            return true;
        }
        self.lex.partitions.iter().any(|words| {
            if words.len() != names.len() {
                return false;
            }
            // Longest words first, each to a part no other took (`不合格` before `合格`).
            let mut order: Vec<&String> = words.iter().collect();
            order.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
            let mut taken = vec![false; names.len()];
            order.iter().all(|w| {
                match (0..names.len()).find(|&i| !taken[i] && names[i].contains(w.as_str())) {
                    Some(i) => {
                        taken[i] = true;
                        true
                    }
                    None => false,
                }
            })
        })
    }
}

/// What resolves to nothing, reported (info): one note per paragraph with its numbers.
fn unresolved_notes(mentions: &[Mention]) -> Vec<Claim> {
    let mut notes: Vec<(u32, Claim)> = Vec::new();
    let unresolved = mentions.iter().filter(|m| {
        matches!(
            m.status,
            Status::NotCheckable {
                reason: Unchecked::SubjectUnresolved
            }
        )
    });
    for m in unresolved {
        let shown = format!("{}（{}）", m.text, m.subject.trim_start_matches(['?', '§']));
        match notes.last_mut() {
            Some((
                paragraph,
                Claim {
                    kind: ClaimKind::Unresolved { numbers },
                    ..
                },
            )) if *paragraph == m.paragraph => numbers.push(shown),
            _ => notes.push((
                m.paragraph,
                Claim {
                    pattern: "unresolved".into(),
                    line: m.line,
                    sentence: String::new(),
                    section: m.section.clone(),
                    kind: ClaimKind::Unresolved {
                        numbers: vec![shown],
                    },
                },
            )),
        }
    }
    notes.into_iter().map(|(_, c)| c).collect()
}

/// Whether a rate that holds is left undetermined in its last printed digit by the amounts
/// it is computed from: the ratio's range from their intervals spans a unit of that digit.
fn coarse(kind: &ClaimKind, against: &Against) -> bool {
    let (ClaimKind::Rate { stated, .. }, Against::Rate { num, den }) = (kind, against) else {
        return false;
    };
    if den.lo <= 0 {
        return true;
    }
    let Some(k) = 10i128
        .checked_pow(stated.stated.decimals)
        .and_then(|p| p.checked_mul(100))
    else {
        return true;
    };
    // num.hi / den.lo − num.lo / den.hi ≥ 1 / k, cross-multiplied.
    let (Some(a), Some(b), Some(c)) = (
        num.hi
            .max(0)
            .checked_mul(den.hi)
            .and_then(|x| x.checked_mul(k)),
        num.lo
            .max(0)
            .checked_mul(den.lo)
            .and_then(|x| x.checked_mul(k)),
        den.lo.checked_mul(den.hi),
    ) else {
        return true;
    };
    a - b >= c
}

/// The unit a `其中` list adds up in: money (any unit of it), or a count's word.
const MONEY: &str = "money";

fn unit_key(unit: &NumUnit) -> String {
    match unit {
        NumUnit::Money(..) => MONEY.into(),
        NumUnit::Count(w) => w.clone(),
        NumUnit::Percent => "%".into(),
        NumUnit::Score => "score".into(),
    }
}

/// Whether a subject is a figure (or a row) the reader knows, not words no figure goes by.
fn resolved(subject: Option<&str>) -> bool {
    subject.is_some_and(|c| !c.starts_with('?') && !c.starts_with('§'))
}

/// What an operand reads, in a word: its figure, or `narrative` for stated numbers.
fn figure_of(o: &Operand) -> String {
    match o {
        Operand::Cells { figure, .. } => figure.clone(),
        Operand::Stated { .. } => "narrative".into(),
        Operand::Sum { terms } => terms
            .iter()
            .map(|(_, o)| figure_of(o))
            .collect::<Vec<_>>()
            .join(" − "),
    }
}

/// The sentence around byte `at` of a paragraph.
fn sentence_at(text: &str, at: usize) -> String {
    let start = text[..at]
        .rfind(['。', '！', '？'])
        .map_or(0, |i| i + '。'.len_utf8());
    let end = text[at..]
        .find(['。', '！', '？'])
        .map_or(text.len(), |i| at + i + '。'.len_utf8());
    text[start..end].to_string()
}

/// The sentence of a paragraph that stands on document line `line`.
fn sentence_of_line(p: &Paragraph, line: u32) -> String {
    let at = (0..p.text.len())
        .filter(|&b| p.text.is_char_boundary(b))
        .find(|&b| p.line_at(b) >= line)
        .unwrap_or(0);
    sentence_at(&p.text, at)
}

/// The names a `…（类）…（款）…（项）` heading gives.
#[derive(Default)]
struct HeadingNames {
    class: Option<String>,
    kuan: Option<String>,
    xiang: Option<String>,
}

fn heading_names(raw: &str) -> HeadingNames {
    // The name before a mark: the Han characters (and the parentheses inside names such as
    // `因公出国（境）`) back to the previous mark or a character that is not part of a name.
    fn before(text: &str, mark: &str) -> Option<(String, usize)> {
        let i = text.find(mark)?;
        let mut depth = 0;
        let name: Vec<char> = text[..i]
            .chars()
            .rev()
            .take_while(|&c| match c {
                '）' => {
                    depth += 1;
                    true
                }
                '（' if depth > 0 => {
                    depth -= 1;
                    true
                }
                // `环境保护法规、规划及标准`: a name may list.
                _ => is_han(c) || c == '、',
            })
            .collect();
        Some((name.into_iter().rev().collect(), i + mark.len()))
    }
    let mut out = HeadingNames::default();
    let mut rest = raw;
    if let Some((n, end)) = before(rest, "（类）") {
        out.class = Some(n);
        rest = &rest[end..];
    }
    if let Some((n, end)) = before(rest, "（款）") {
        out.kuan = Some(n);
        rest = &rest[end..];
    }
    if let Some((n, _)) = before(rest, "（项）") {
        out.xiang = Some(n);
    }
    out
}

/// A Chinese character (CJK unified ideographs).
fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// What a `…（类）…（款）…（项）` heading names in a table.
enum Heading {
    /// The row's code.
    Code(String),
    /// A 项 name no row under its 款 prints; what the tables print instead, if the paragraph's
    /// amount says.
    Misnamed {
        stated: String,
        printed: Option<String>,
    },
    /// Nothing the tables read can say.
    Unknown,
}

/// Whether a row's label is `name` (a 类 with or without its `支出`; a 项 label the extraction
/// cut short still names it).
fn same_label(label: &str, name: &str, level: RowKind) -> bool {
    let l = normalize_name(label);
    let n = normalize_name(name);
    if l.is_empty() {
        return false;
    }
    match level {
        RowKind::Lei => l.trim_end_matches("支出") == n.trim_end_matches("支出"),
        RowKind::Xiang => l == n || (l.chars().count() >= 4 && n.starts_with(&l)),
        _ => l == n,
    }
}

/// The row a heading names: the most specific level it names, its parents' names agreeing
/// where the tables print them (a parent whose label was not read constrains nothing).
fn resolve_heading(t: &CheckTable, names: &HeadingNames, amounts: &[String]) -> Heading {
    let code_of = |r: &CheckRow| r.code.clone().unwrap_or_default();
    // The row of `code`'s first `len` digits agrees with `name`, or was not read.
    let fits = |code: &str, len: usize, name: &Option<String>, level: RowKind| {
        let Some(name) = name else { return true };
        let Some(prefix) = code.get(..len) else {
            return false;
        };
        match t.rows.iter().find(|r| r.code.as_deref() == Some(prefix)) {
            Some(r) if !r.label.zh.trim().is_empty() => same_label(&r.label.zh, name, level),
            _ => true,
        }
    };
    let rows = |kind: RowKind, name: &str| -> Vec<&CheckRow> {
        t.rows
            .iter()
            .filter(|r| r.kind == kind && same_label(&r.label.zh, name, kind))
            .collect()
    };
    match (&names.class, &names.kuan, &names.xiang) {
        (_, _, Some(x)) => {
            let found: Vec<&CheckRow> = rows(RowKind::Xiang, x)
                .into_iter()
                .filter(|r| {
                    let c = code_of(r);
                    fits(&c, 5, &names.kuan, RowKind::Kuan)
                        && fits(&c, 3, &names.class, RowKind::Lei)
                })
                .collect();
            match found.as_slice() {
                [one] => return Heading::Code(code_of(one)),
                [] => {}
                _ => return Heading::Unknown,
            }
            // No 项 of that name: the 款 it says must be known, and every child of it read,
            // to say the name is none of them.
            let Some(k) = &names.kuan else {
                return Heading::Unknown;
            };
            let kuans: Vec<&CheckRow> = rows(RowKind::Kuan, k)
                .into_iter()
                .filter(|r| fits(&code_of(r), 3, &names.class, RowKind::Lei))
                .collect();
            let [kuan] = kuans.as_slice() else {
                return Heading::Unknown;
            };
            let k = code_of(kuan);
            let children: Vec<&CheckRow> = t
                .rows
                .iter()
                .filter(|r| r.kind == RowKind::Xiang && code_of(r).starts_with(&k))
                .collect();
            if children.is_empty()
                || children
                    .iter()
                    .any(|r| r.label.zh.trim().is_empty() || r.uncertain)
            {
                return Heading::Unknown;
            }
            // The child whose amount the paragraph states is what the tables print instead.
            let printed = children
                .iter()
                .find(|r| {
                    r.cells
                        .iter()
                        .any(|(k, f)| k == "total" && amounts.contains(&f.printed().plain()))
                })
                .map(|r| r.label.zh.clone());
            Heading::Misnamed {
                stated: x.clone(),
                printed,
            }
        }
        (_, Some(k), None) => {
            let found: Vec<&CheckRow> = rows(RowKind::Kuan, k)
                .into_iter()
                .filter(|r| fits(&code_of(r), 3, &names.class, RowKind::Lei))
                .collect();
            match found.as_slice() {
                [one] => Heading::Code(code_of(one)),
                _ => Heading::Unknown,
            }
        }
        (Some(c), None, None) => match rows(RowKind::Lei, c).as_slice() {
            [one] => Heading::Code(code_of(one)),
            _ => Heading::Unknown,
        },
        (None, None, None) => Heading::Unknown,
    }
}
