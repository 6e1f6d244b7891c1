//! An audit of a published report as one self-contained, print-ready HTML page
//! (`juesuan audit --format html`): the findings in the order and words of the text
//! ([`crate::findings::ordered`]), each with its hint, the difference in the unit of its figures,
//! its formula behind a toggle and, for a PDF, the page images with the figures involved boxed.
//!
//! The page is rendered by a minijinja template kept as data (`data/templates/audit.html.j2`);
//! this module builds its model. Page images arrive as PNG bytes (rendered at the edge, by
//! `juesuan-publish`) and go into the page as `data:` URIs, each page once: a finding's figure
//! is an SVG that shows that page image (`<use>`) and draws its boxes over it, in the page's
//! own units (hundredths of a point), so no coordinate is scaled here.

use crate::findings::{self, Summary};
use crate::html::{HtmlError, render_builtin};
use juesuan_core::rules::{Coverage, Evidence, Finding, Rect};
use juesuan_core::{Lang, Text};
use minijinja::Environment;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// What the page shows: the audit as the text words it, and the page images.
pub struct AuditReport<'a> {
    /// The page's language.
    pub lang: Lang,
    /// The report audited (its file, or files joined by ` + `).
    pub input: &'a str,
    /// The department, as the cover names it.
    pub department: Option<&'a str>,
    /// The fiscal year.
    pub year: Option<i32>,
    /// The first line of the text: department, year, layout and the tables read (and where).
    pub heading: String,
    /// The findings of the checks (what could not be read is in `unread`).
    pub findings: &'a [Finding],
    /// The evidence of each finding (the same order; empty lists where there is none).
    pub evidence: &'a [Vec<Evidence>],
    /// Counts of the findings.
    pub summary: Summary,
    /// Which rules ran.
    pub coverage: &'a Coverage,
    /// One line per table of the rows that could not be read.
    pub unread: Vec<String>,
    /// The numbers of the narrative: checked, or why not.
    pub narrative: Option<String>,
    /// The narrative as read, every number marked, with the viewer's panel
    /// ([`crate::viewer::audited`]); markup.
    pub viewer: Option<String>,
    /// PNG of the pages the evidence is on (a page that could not be rendered is absent: its
    /// findings show no image).
    pub images: &'a BTreeMap<u32, Vec<u8>>,
}

/// What the template sees: every text already in the page's language.
#[derive(Clone, Debug, Serialize)]
pub struct AuditPage {
    /// `zh` or `en`: picks the template's own fixed words.
    pub lang: &'static str,
    /// The `lang` attribute of `<html>`.
    pub html_lang: &'static str,
    /// The report audited.
    pub input: String,
    /// Department (empty when not recognised).
    pub department: String,
    /// Year, when recognised.
    pub year: Option<i32>,
    /// The first line of the text.
    pub heading: String,
    /// The summary line, and the rules that did not run wholly.
    pub summary: String,
    /// See [`findings::coverage_line`].
    pub coverage: Option<String>,
    /// Findings by table.
    pub groups: Vec<GroupModel>,
    /// Rows that could not be read, one line per table.
    pub unread: Vec<String>,
    /// The narrative's numbers in one line.
    pub narrative: Option<String>,
    /// The narrative as read with its numbers marked, and the viewer (markup, not escaped).
    pub viewer: Option<String>,
    /// The page images, each once.
    pub pages: Vec<PageImage>,
    /// Version of the writer.
    pub generator: String,
}

/// The findings about one table.
#[derive(Clone, Debug, Serialize)]
pub struct GroupModel {
    /// The table's name (or `（全表）`).
    pub name: String,
    /// Its findings, in the text's order.
    pub findings: Vec<FindingModel>,
}

/// One finding as the page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct FindingModel {
    /// Rule id.
    pub rule: String,
    /// `error`, `warning` or `info` (a CSS class).
    pub severity: &'static str,
    /// The severity in words (错误).
    pub severity_label: &'static str,
    /// A 舍入差异.
    pub rounding: bool,
    /// `舍入差异：` or nothing.
    pub class_label: &'static str,
    /// The row (and page) as the text names it.
    pub row: String,
    /// The rule's title.
    pub message: String,
    /// The relation with names and figures (behind a toggle); empty when the finding is said
    /// in words instead ([`FindingModel::words`]).
    pub formula: String,
    /// The finding in words (the sentence quoted, the name, the part missing), shown.
    pub words: Option<String>,
    /// How to fix it, after its label.
    pub hint: String,
    /// How far apart the sides are, in the unit of the figures.
    pub difference: Option<String>,
    /// Each page the figures are printed on, boxed.
    pub evidence: Vec<EvidenceModel>,
}

/// A page image, put in the page once and shown by every figure on it.
#[derive(Clone, Debug, Serialize)]
pub struct PageImage {
    /// The element id figures refer to (`page-12`).
    pub id: String,
    /// 1-based page.
    pub page: u32,
    /// `data:image/png;base64,…` (only base64 characters: safe in an attribute as it is).
    pub src: String,
    /// The page's width, in hundredths of a point.
    pub width: i32,
    /// The page's height.
    pub height: i32,
}

/// One page of a finding's evidence: the band of the page around its boxes (readable at the
/// page's width) and the whole page, both over the page image.
#[derive(Clone, Debug, Serialize)]
pub struct EvidenceModel {
    /// 1-based page.
    pub page: u32,
    /// `第 12 页`.
    pub caption: String,
    /// The id of the page image.
    pub image: String,
    /// The page's width and height, in hundredths of a point.
    pub width: i32,
    /// See `width`.
    pub height: i32,
    /// The band: `viewBox` of the figure (`0 y width height`).
    pub band: String,
    /// The band's height (for the figure's aspect ratio).
    pub band_height: i32,
    /// The boxes.
    pub boxes: Vec<Rect>,
}

/// How far above and below its boxes a figure's band reaches: 40 points, a few rows of a table
/// or lines of text.
const BAND_MARGIN: i32 = 4000;

/// The models of a finding's evidence whose page has an image (`images`: by page).
pub fn evidence_models(
    evidence: &[Evidence],
    images: &BTreeMap<u32, Vec<u8>>,
    lang: Lang,
) -> Vec<EvidenceModel> {
    evidence
        .iter()
        .filter(|e| images.contains_key(&e.page) && !e.boxes.is_empty())
        .map(|e| {
            let top = e.boxes.iter().map(|b| b.y).min().unwrap_or(0);
            let bottom = e
                .boxes
                .iter()
                .map(|b| b.y + b.height)
                .max()
                .unwrap_or(e.height);
            let y0 = (top - BAND_MARGIN).max(0);
            let y1 = (bottom + BAND_MARGIN).min(e.height);
            EvidenceModel {
                page: e.page,
                caption: Text::new(format!("第 {} 页", e.page), format!("page {}", e.page))
                    .get(lang)
                    .to_string(),
                image: image_id(e.page),
                width: e.width,
                height: e.height,
                band: format!("0 {y0} {} {}", e.width, y1 - y0),
                band_height: y1 - y0,
                boxes: e.boxes.clone(),
            }
        })
        .collect()
}

fn image_id(page: u32) -> String {
    format!("page-{page}")
}

/// The page images the evidence shows, each once in page order, with the size the evidence
/// gives the page.
pub fn page_images<'e>(
    evidence: impl IntoIterator<Item = &'e Evidence>,
    images: &BTreeMap<u32, Vec<u8>>,
) -> Vec<PageImage> {
    let mut sizes: BTreeMap<u32, (i32, i32)> = BTreeMap::new();
    for e in evidence {
        sizes.entry(e.page).or_insert((e.width, e.height));
    }
    sizes
        .into_iter()
        .filter_map(|(page, (width, height))| {
            let png = images.get(&page)?;
            Some(PageImage {
                id: image_id(page),
                page,
                src: format!("data:image/png;base64,{}", base64(png)),
                width,
                height,
            })
        })
        .collect()
}

/// Standard base64 with padding (RFC 4648).
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * k)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

impl AuditPage {
    /// The model of `r`.
    pub fn new(r: &AuditReport<'_>) -> AuditPage {
        let lang = r.lang;
        let no_evidence = Vec::new();
        let groups = findings::ordered(r.findings)
            .into_iter()
            .map(|(table, items)| GroupModel {
                name: findings::group_name(&table, lang).to_string(),
                findings: items
                    .into_iter()
                    .map(|i| {
                        let evidence = r.evidence.get(i).unwrap_or(&no_evidence);
                        finding_model(&r.findings[i], evidence, r.images, lang)
                    })
                    .collect(),
            })
            .collect();
        AuditPage {
            lang: match lang {
                Lang::Zh => "zh",
                Lang::En => "en",
            },
            html_lang: match lang {
                Lang::Zh => "zh-CN",
                Lang::En => "en",
            },
            input: r.input.to_string(),
            department: r.department.unwrap_or_default().to_string(),
            year: r.year,
            heading: r.heading.clone(),
            summary: findings::summary_line(&r.summary, lang),
            coverage: findings::coverage_line(&r.coverage.incomplete(), lang),
            groups,
            unread: r.unread.clone(),
            narrative: r.narrative.clone(),
            viewer: r.viewer.clone(),
            pages: page_images(r.evidence.iter().flatten(), r.images),
            generator: format!("juesuan-render {}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// One finding as the page (and the web app's audit page) shows it.
pub fn finding_model(
    f: &Finding,
    evidence: &[Evidence],
    images: &BTreeMap<u32, Vec<u8>>,
    lang: Lang,
) -> FindingModel {
    FindingModel {
        rule: f.rule.clone(),
        severity: f.severity.en(),
        severity_label: match lang {
            Lang::Zh => f.severity.zh(),
            Lang::En => f.severity.en(),
        },
        rounding: f.rounding(),
        class_label: findings::class_words(f, lang),
        row: findings::row_words(f, lang),
        message: format!("{}{}", f.message.get(lang), findings::review_words(f, lang)),
        formula: if f.states_a_relation() {
            f.formula().get(lang).to_string()
        } else {
            String::new()
        },
        words: (!f.states_a_relation()).then(|| f.formula().get(lang).to_string()),
        hint: format!("{}{}", findings::hint_words(lang), f.hint.get(lang)),
        difference: f.difference_words().map(|t| t.get(lang).to_string()),
        evidence: evidence_models(evidence, images, lang),
    }
}

/// The built-in template of the page (`data/templates/audit.html.j2`).
pub fn template() -> &'static str {
    crate::html::builtin_template("audit.html.j2")
}

/// The audit as one HTML page, with the built-in template.
pub fn page(report: &AuditReport<'_>) -> Result<String, HtmlError> {
    static ENV: OnceLock<Option<Environment<'static>>> = OnceLock::new();
    render_builtin(&ENV, "audit.html.j2", template(), &AuditPage::new(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_as_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    #[test]
    fn a_figure_shows_the_band_around_its_boxes_and_needs_its_page_image() {
        let e = Evidence {
            page: 3,
            width: 59500,
            height: 84200,
            boxes: vec![
                Rect {
                    x: 100,
                    y: 30000,
                    width: 500,
                    height: 1000,
                },
                Rect {
                    x: 100,
                    y: 82000,
                    width: 500,
                    height: 1000,
                },
            ],
        };
        let images = BTreeMap::from([(3, vec![1, 2, 3])]);
        let m = evidence_models(std::slice::from_ref(&e), &images, Lang::Zh);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].caption, "第 3 页");
        // 40 points above the first box; the page's bottom below the last.
        assert_eq!(m[0].band, "0 26000 59500 58200");
        assert!(evidence_models(std::slice::from_ref(&e), &BTreeMap::new(), Lang::En).is_empty());
        let pages = page_images([&e, &e], &images);
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].src, "data:image/png;base64,AQID");
    }

    /// The page: each finding once with its hint and formula (behind a toggle), the page image
    /// once, and the figure showing it with the boxes at the evidence's coordinates.
    #[test]
    fn the_page_shows_each_finding_with_its_figures_boxed() {
        use juesuan_core::diag::Severity;
        use juesuan_core::rules::finding::{Detail, Passage, Place};
        let finding = |line: u32| Finding {
            rule: "D004".into(),
            severity: Severity::Warning,
            scope: juesuan_core::rules::Scope::Document,
            place: Place::Document(Passage {
                line,
                page: Some(3),
                text: None,
            }),
            message: Text::new("目录所列各部分都在正文中", "parts listed"),
            hint: Text::new("补上缺失的部分", "add the part"),
            detail: Detail::Document {
                what: Text::new("目录列出“<第二部分>”，正文中找不到", "missing"),
            },
            cells: Vec::new(),
            review: None,
        };
        let box_at = |y| Rect {
            x: 7200,
            y,
            width: 20000,
            height: 1200,
        };
        let evidence = vec![
            vec![Evidence {
                page: 3,
                width: 59500,
                height: 84200,
                boxes: vec![box_at(10000)],
            }],
            vec![Evidence {
                page: 3,
                width: 59500,
                height: 84200,
                boxes: vec![box_at(50000)],
            }],
        ];
        let images = BTreeMap::from([(3, b"PNG".to_vec())]);
        let findings = [finding(10), finding(20)];
        let html = page(&AuditReport {
            lang: Lang::Zh,
            input: "r.pdf",
            department: Some("某局"),
            year: Some(2024),
            heading: "某局 2024 年度：按 x 版式读出 9 张表".into(),
            findings: &findings,
            evidence: &evidence,
            summary: Summary::default(),
            coverage: &Coverage::default(),
            unread: Vec::new(),
            narrative: None,
            viewer: None,
            images: &images,
        })
        .unwrap();
        assert_eq!(html.matches("<article class=\"finding warning").count(), 2);
        assert_eq!(html.matches("data:image/png;base64,UE5H").count(), 1);
        assert_eq!(html.matches("<use href=\"#page-3\"/>").count(), 4);
        assert!(html.contains(
            "<rect class=\"box\" x=\"7200\" y=\"50000\" width=\"20000\" height=\"1200\"/>"
        ));
        assert!(html.contains("<figcaption>第 3 页</figcaption>"));
        // A finding said in words shows them; only a relation's formula hides behind a toggle.
        assert!(html.contains("<p class=\"said\">目录列出“&lt;第二部分&gt;”，正文中找不到</p>"));
        assert!(!html.contains("<details class=\"formula\">"));
        assert!(html.contains("提示：补上缺失的部分"));
        // Text from the report is escaped (above), and no script or remote resource is used.
        assert!(
            !html.contains("<script") && !html.contains("http://") && !html.contains("https://")
        );
    }
}
