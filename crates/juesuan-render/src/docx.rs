//! The whole report as an editable Word document (`.docx`), from the same [`ReportModel`] the
//! report page is rendered from: the cover, a table of contents (a `TOC` field), the narrative,
//! the nine tables as Word tables (header rows repeated on every page, merged header cells,
//! amounts right-aligned, landscape sections where the layout prints a table landscape), the
//! charts as pictures, the key-work table and the 绩效 forms, and page numbers in the footer.
//!
//! WordprocessingML is written directly (a zip of a few XML parts): the crates that write
//! `.docx` leave out repeated header rows, and the parts needed here are few. The fixed words
//! and the fonts are data (`data/templates/report.docx.toml`); the charts are the report's own
//! SVG drawn to PNG by resvg with the fonts the caller passes ([`Fonts`]: reading the
//! system's fonts is the caller's IO).

use crate::html::{CellModel, HeaderModel, TableModel};
use crate::report::{BlockModel, DepartmentForm, IndicatorRow, ProjectForm, ReportModel};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::{Arc, OnceLock};

pub use resvg::usvg::fontdb;

/// The fonts the charts' words are drawn with.
#[derive(Clone, Debug, Default)]
pub struct Fonts(Arc<fontdb::Database>);

impl Fonts {
    /// The fonts of `db` (the system's, loaded by the caller).
    pub fn new(db: Arc<fontdb::Database>) -> Fonts {
        Fonts(db)
    }
}

/// Why the document could not be written.
#[derive(Debug)]
pub struct DocxError(String);

impl std::fmt::Display for DocxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Word document: {}", self.0)
    }
}

impl std::error::Error for DocxError {}

/// The report as a `.docx` file: every text of `model` in its language, the charts drawn with
/// `fonts`.
pub fn document(model: &ReportModel, fonts: &Fonts) -> Result<Vec<u8>, DocxError> {
    let style = Style::builtin()?;
    let words = match model.page.lang {
        "en" => &style.en,
        _ => &style.zh,
    };
    let mut doc = Doc::new(model, words, &style.fonts);
    doc.cover();
    doc.contents();
    for (i, b) in model.blocks.iter().enumerate() {
        doc.block(b, i, fonts)?;
    }
    let body = doc.finish();
    package(model, &style.fonts, &body, &doc.images)
}

// ---------------------------------------------------------------------------------------
// The look: fixed words and fonts (data), sizes and page geometry (here).

/// `data/templates/report.docx.toml`.
#[derive(Debug, Deserialize)]
struct Style {
    zh: Words,
    en: Words,
    fonts: FontNames,
}

impl Style {
    fn builtin() -> Result<&'static Style, DocxError> {
        static STYLE: OnceLock<Result<Style, String>> = OnceLock::new();
        STYLE
            .get_or_init(|| {
                toml::from_str(crate::html::builtin_template("report.docx.toml"))
                    .map_err(|e| format!("report.docx.toml: {e}"))
            })
            .as_ref()
            .map_err(|e| DocxError(e.clone()))
    }
}

/// The fixed words of one language (see the data file for each).
#[derive(Debug, Deserialize)]
struct Words {
    contents: String,
    seal: String,
    date: String,
    total: String,
    points: String,
    unit: String,
    basic: String,
    project_total: String,
    wan: String,
    execution: String,
    dep_total: String,
    budget: String,
    actual: String,
    rate: String,
    exec_score: String,
    indicators: String,
    level1: String,
    level2: String,
    name: String,
    target: String,
    achieved: String,
    score: String,
    self_score: String,
    project: String,
    competent: String,
    implementer: String,
    funds: String,
    goal: String,
    goal_target: String,
    goal_actual: String,
    project_indicators: String,
    deviation: String,
    improvement: String,
    no: String,
    task: String,
    progress: String,
    department_form: String,
    department_form_unit: String,
    project_form: String,
    project_suffix: String,
    reported: String,
    goal_row: String,
    form_widths: Vec<u32>,
}

/// Fonts by role, and the installed font to use for each where it is missing.
#[derive(Debug, Deserialize)]
struct FontNames {
    latin: String,
    title: String,
    heading: String,
    subheading: String,
    body: String,
    table: String,
    fallback: BTreeMap<String, String>,
}

/// `template` with each `{name}` replaced by its value.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Sizes in half-points: 二号 22pt, 三号 16pt, 小二 18pt, 四号 14pt, 小四 12pt, 五号 10.5pt,
/// 小五 9pt.
mod size {
    pub const TITLE: u32 = 44;
    pub const TEXT: u32 = 32;
    pub const TOC: u32 = 28;
    pub const TABLE_TITLE: u32 = 36;
    pub const CAPTION: u32 = 24;
    pub const META: u32 = 21;
    pub const CELL: u32 = 18;
}

/// A page's orientation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Orient {
    Portrait,
    Landscape,
}

/// A4 in twips (1/20 pt), and the margins: GB/T 9704's for portrait pages (37 mm top, 35 mm
/// bottom, 28 mm left, 26 mm right); 20 mm around a landscape table, which needs the width.
struct Page {
    width: u32,
    height: u32,
    top: u32,
    bottom: u32,
    left: u32,
    right: u32,
}

impl Orient {
    fn page(self) -> Page {
        match self {
            Orient::Portrait => Page {
                width: 11906,
                height: 16838,
                top: 2098,
                bottom: 1984,
                left: 1588,
                right: 1474,
            },
            Orient::Landscape => Page {
                width: 16838,
                height: 11906,
                top: 1134,
                bottom: 1134,
                left: 1134,
                right: 1134,
            },
        }
    }

    /// The width text and tables have.
    fn text_width(self) -> u32 {
        let p = self.page();
        p.width - p.left - p.right
    }
}

/// A chart's width on the page: 14 cm, in EMU (360000 a centimetre).
const CHART_WIDTH_EMU: u64 = 14 * 360_000;
/// Charts are drawn at two pixels per SVG unit: 960 pixels over 14 cm, 174 dpi (three took half
/// again as long to draw and compress, for print that shows no difference at this size).
const CHART_SCALE: u32 = 2;

// ---------------------------------------------------------------------------------------
// XML text.

/// `s` escaped for element text and attribute values; characters XML 1.0 forbids dropped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A run of `text` (tabs as `w:tab`), with `rpr` (run properties, may be empty).
fn run(text: &str, rpr: &str) -> String {
    let mut out = String::new();
    for (i, piece) in text.split('\t').enumerate() {
        out.push_str("<w:r>");
        if !rpr.is_empty() {
            let _ = write!(out, "<w:rPr>{rpr}</w:rPr>");
        }
        if i > 0 {
            out.push_str("<w:tab/>");
        }
        if !piece.is_empty() {
            let _ = write!(out, "<w:t xml:space=\"preserve\">{}</w:t>", esc(piece));
        }
        out.push_str("</w:r>");
    }
    out
}

/// A paragraph of style `style` with more paragraph properties `ppr` and its runs.
fn para(style: &str, ppr: &str, runs: &str) -> String {
    format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{ppr}</w:pPr>{runs}</w:p>")
}

/// Run properties: fonts (east Asian and Latin) and size.
fn fonts_rpr(east_asia: &str, latin: &str) -> String {
    format!(
        "<w:rFonts w:ascii=\"{l}\" w:hAnsi=\"{l}\" w:cs=\"{l}\" w:eastAsia=\"{e}\"/>",
        l = esc(latin),
        e = esc(east_asia)
    )
}

// ---------------------------------------------------------------------------------------
// Tables.

/// Horizontal alignment of a cell's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Align {
    Left,
    Center,
    Right,
}

impl Align {
    fn jc(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
        }
    }
}

/// A cell as a table writer places it: HTML's cell (spans, one or more paragraphs).
#[derive(Clone, Debug)]
struct Cell {
    paras: Vec<String>,
    colspan: usize,
    rowspan: usize,
    align: Align,
    bold: bool,
    /// A header cell (`th`): the heading font.
    head: bool,
    /// Its paragraphs' style.
    style: &'static str,
}

impl Cell {
    fn td(text: &str, align: Align) -> Cell {
        Cell {
            paras: vec![text.to_string()],
            colspan: 1,
            rowspan: 1,
            align,
            bold: false,
            head: false,
            style: "TableText",
        }
    }

    fn th(text: &str) -> Cell {
        Cell {
            head: true,
            style: "TableHeader",
            ..Cell::td(text, Align::Center)
        }
    }

    fn span(mut self, colspan: usize, rowspan: usize) -> Cell {
        self.colspan = colspan.max(1);
        self.rowspan = rowspan.max(1);
        self
    }
}

/// A table: column widths in twips, rows of cells (those covered by a span left out, as in
/// HTML), and how many rows at the top are its header (repeated on every page).
struct Table {
    grid: Vec<u32>,
    rows: Vec<Vec<Cell>>,
    header_rows: usize,
    /// Ruled (a table of figures) or not (a line of three parts).
    ruled: bool,
}

/// Column widths in twips for `width`, from shares (any unit); equal when there are none.
fn grid(shares: &[u32], columns: usize, width: u32) -> Vec<u32> {
    let total: u32 = shares.iter().sum();
    if shares.len() != columns || total == 0 {
        let n = u32::try_from(columns.max(1)).unwrap_or(1);
        return vec![width / n; columns.max(1)];
    }
    shares.iter().map(|s| width * s / total).collect()
}

impl Table {
    /// The table as `w:tbl`. Cells covered by a rowspan get a `w:vMerge` continuation cell,
    /// colspans `w:gridSpan`; the header rows `w:tblHeader`; no row breaks across pages.
    fn xml(&self, fonts: &FontNames) -> String {
        let n = self.grid.len();
        let total: u32 = self.grid.iter().sum();
        let mut out = String::new();
        let rule = if self.ruled {
            "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\""
        } else {
            "w:val=\"nil\""
        };
        let _ = write!(
            out,
            "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
             <w:tblBorders>{b}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>\
             <w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar>\
             <w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/>\
             </w:tblPr><w:tblGrid>",
            b = ["top", "left", "bottom", "right", "insideH", "insideV"]
                .iter()
                .map(|s| format!("<w:{s} {rule}/>"))
                .collect::<String>()
        );
        for w in &self.grid {
            let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
        }
        out.push_str("</w:tblGrid>");
        // Rows still covered at a column by a rowspan from above, and that span's width.
        let mut covered = vec![0usize; n];
        let mut covered_span = vec![1usize; n];
        for (r, row) in self.rows.iter().enumerate() {
            out.push_str("<w:tr><w:trPr><w:cantSplit/>");
            if r < self.header_rows {
                out.push_str("<w:tblHeader/>");
            }
            out.push_str("</w:trPr>");
            let mut cells = row.iter();
            let mut col = 0;
            while col < n {
                if covered[col] > 0 {
                    covered[col] -= 1;
                    let span = covered_span[col].min(n - col);
                    out.push_str(&self.cell_xml(col, span, "<w:vMerge/>", None, fonts));
                    col += span;
                    continue;
                }
                match cells.next() {
                    Some(c) => {
                        let span = c.colspan.min(n - col);
                        let merge = if c.rowspan > 1 {
                            covered[col] = c.rowspan - 1;
                            covered_span[col] = span;
                            "<w:vMerge w:val=\"restart\"/>"
                        } else {
                            ""
                        };
                        out.push_str(&self.cell_xml(col, span, merge, Some(c), fonts));
                        col += span;
                    }
                    // A short row: filled with empty cells, as a browser draws it.
                    None => {
                        out.push_str(&self.cell_xml(col, 1, "", None, fonts));
                        col += 1;
                    }
                }
            }
            out.push_str("</w:tr>");
        }
        out.push_str("</w:tbl>");
        out
    }

    fn cell_xml(
        &self,
        col: usize,
        span: usize,
        merge: &str,
        cell: Option<&Cell>,
        fonts: &FontNames,
    ) -> String {
        let width: u32 = self.grid[col..col + span].iter().sum();
        let mut out = format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
        if span > 1 {
            let _ = write!(out, "<w:gridSpan w:val=\"{span}\"/>");
        }
        out.push_str(merge);
        out.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
        match cell {
            Some(c) => {
                let style = c.style;
                let mut rpr = String::new();
                if c.head {
                    rpr.push_str(&fonts_rpr(&fonts.heading, &fonts.latin));
                }
                if c.bold {
                    rpr.push_str("<w:b/>");
                }
                let ppr = format!("<w:jc w:val=\"{}\"/>", c.align.jc());
                for p in &c.paras {
                    out.push_str(&para(style, &ppr, &run(p, &rpr)));
                }
                if c.paras.is_empty() {
                    out.push_str(&para(style, &ppr, ""));
                }
            }
            None => out.push_str(&para("TableText", "", "")),
        }
        out.push_str("</w:tc>");
        out
    }
}

/// A body cell's alignment by its column's kind (as the page's CSS aligns it).
fn align_of(kind: &str) -> Align {
    match kind {
        "value" => Align::Right,
        "line" | "code" | "lei" | "kuan" | "xiang" => Align::Center,
        _ => Align::Left,
    }
}

/// One of the nine tables as a Word table.
fn report_table(t: &TableModel, width: u32) -> Table {
    let columns = t
        .rows
        .iter()
        .map(|r| r.iter().map(|c| c.colspan).sum::<usize>())
        .chain(
            t.header
                .first()
                .map(|r| r.iter().map(|h| h.colspan).sum::<usize>()),
        )
        .max()
        .unwrap_or(1);
    let mut rows: Vec<Vec<Cell>> = t
        .header
        .iter()
        .map(|r| {
            r.iter()
                .map(|h: &HeaderModel| Cell::th(&h.text).span(h.colspan, h.rowspan))
                .collect()
        })
        .collect();
    rows.extend(t.rows.iter().map(|r| {
        r.iter()
            .map(|c: &CellModel| Cell {
                bold: c.strong,
                ..Cell::td(&c.text, align_of(c.kind)).span(c.colspan, 1)
            })
            .collect()
    }));
    Table {
        grid: grid(&t.shares, columns, width),
        rows,
        header_rows: t.header.len(),
        ruled: true,
    }
}

// ---------------------------------------------------------------------------------------
// The document body.

/// A chart drawn for the document.
#[derive(Debug)]
struct Image {
    /// `word/media/<name>`.
    name: String,
    png: Vec<u8>,
}

struct Doc<'a> {
    model: &'a ReportModel,
    words: &'a Words,
    fonts: &'a FontNames,
    body: String,
    orient: Orient,
    /// Whether anything is in the current section yet.
    started: bool,
    /// The next paragraph starts a page.
    page_break: bool,
    images: Vec<Image>,
}

impl<'a> Doc<'a> {
    fn new(model: &'a ReportModel, words: &'a Words, fonts: &'a FontNames) -> Doc<'a> {
        Doc {
            model,
            words,
            fonts,
            body: String::new(),
            orient: Orient::Portrait,
            started: false,
            page_break: false,
            images: Vec::new(),
        }
    }

    /// A paragraph of the body; it takes a pending page break.
    fn p(&mut self, style: &str, ppr: &str, runs: &str) {
        let ppr = if std::mem::take(&mut self.page_break) {
            // After keepNext and keepLines, as the schema orders them.
            let keeps = ["<w:keepNext/>", "<w:keepLines/>"];
            let mut rest = ppr;
            let mut head = String::new();
            while let Some(k) = keeps.iter().find(|k| rest.starts_with(*k)) {
                head.push_str(k);
                rest = &rest[k.len()..];
            }
            format!("{head}<w:pageBreakBefore/>{rest}")
        } else {
            ppr.to_string()
        };
        self.body.push_str(&para(style, &ppr, runs));
        self.started = true;
    }

    /// Goes on in a section of orientation `o`: the current one, or a new one (on a new page).
    fn orient(&mut self, o: Orient) {
        if o != self.orient {
            if self.started {
                // The section ends with a paragraph holding its properties, a point high.
                let sect = spacer(&sect_pr(self.orient));
                self.body.push_str(&sect);
            }
            self.orient = o;
            self.page_break = false;
        }
    }

    fn cover(&mut self) {
        let p = &self.model.page;
        self.p("Title", "", &run(&p.department, ""));
        self.p("Subtitle", "", &run(&p.titles[0], ""));
        self.page_break = true;
    }

    /// The contents: a `TOC` field over headings 1–2, its entries written as Word would write
    /// them (linked to each heading's bookmark; Word adds the page numbers when it updates
    /// the field, which `settings.xml` asks for on opening).
    fn contents(&mut self) {
        let contents = self.words.contents.clone();
        self.p("TOCHeading", "", &run(&contents, ""));
        let toc = &self.model.toc;
        let begin = "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
                     <w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-2\" \\h \\z \\u </w:instrText></w:r>\
                     <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>";
        let end = "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>";
        if toc.is_empty() {
            self.p("TOC1", "", &format!("{begin}{end}"));
        }
        for (i, e) in toc.iter().enumerate() {
            let link = format!(
                "<w:hyperlink w:anchor=\"{}\" w:history=\"1\">{}</w:hyperlink>",
                bookmark(&e.id),
                run(&e.text, "")
            );
            let first = if i == 0 { begin } else { "" };
            let last = if i + 1 == toc.len() { end } else { "" };
            let style = if e.level <= 1 { "TOC1" } else { "TOC2" };
            self.p(style, "", &format!("{first}{link}{last}"));
        }
        self.page_break = true;
    }

    fn block(&mut self, b: &BlockModel, index: usize, fonts: &Fonts) -> Result<(), DocxError> {
        match b.kind.as_str() {
            "tables" => {
                for t in &self.model.page.tables {
                    self.table_section(t);
                }
                return Ok(());
            }
            "page" => {
                self.page_break = true;
                return Ok(());
            }
            _ => {}
        }
        self.orient(Orient::Portrait);
        match b.kind.as_str() {
            "heading" => {
                let level = b.level.clamp(1, 4);
                let id = index + 1;
                let runs = format!(
                    "<w:bookmarkStart w:id=\"{id}\" w:name=\"{}\"/>{}<w:bookmarkEnd w:id=\"{id}\"/>",
                    bookmark(&b.id),
                    run(&b.text, "")
                );
                self.p(&format!("Heading{level}"), "", &runs);
            }
            "paragraph" => self.p("BodyText", "", &run(&b.text, "")),
            "chart" => self.chart(b, fonts)?,
            "key_work" => self.key_work(),
            "evaluation" => match b.arg.as_deref() {
                Some("department") => {
                    if let Some(f) = &self.model.department_form {
                        self.department_form(f);
                    }
                }
                Some(arg) => {
                    let forms = &self.model.project_forms;
                    if let Some(f) = forms.iter().find(|f| format!("project:{}", f.index) == arg) {
                        self.project_form(f);
                    }
                }
                None => {}
            },
            _ => {}
        }
        Ok(())
    }

    /// One of the nine tables on its own page(s), landscape when its layout says so.
    fn table_section(&mut self, t: &TableModel) {
        let o = if t.landscape {
            Orient::Landscape
        } else {
            Orient::Portrait
        };
        self.orient(o);
        // Each table starts a page, as on paper.
        self.page_break = self.started;
        let keep = "<w:keepNext/>";
        self.p("TableTitle", keep, &run(&t.title, ""));
        if let Some(n) = &t.number {
            self.p(
                "TableMeta",
                &format!("{keep}<w:jc w:val=\"right\"/>"),
                &run(n, ""),
            );
        }
        let width = o.text_width();
        self.three(&t.meta, &[11, 4, 5], width);
        let table = report_table(t, width).xml(self.fonts);
        self.body.push_str(&table);
        if let Some(note) = &t.note {
            self.p("Note", "", &run(note, ""));
        }
        if let Some(note) = &t.empty_note {
            self.p("Note", "", &run(note, ""));
        }
        // Word needs a paragraph between two tables, and after the last.
        if t.note.is_none() && t.empty_note.is_none() {
            self.p("Note", "", "");
        }
    }

    fn chart(&mut self, b: &BlockModel, fonts: &Fonts) -> Result<(), DocxError> {
        let Some(id) = &b.arg else { return Ok(()) };
        let Some(svg) = self.model.charts.get(id) else {
            return Ok(());
        };
        let (png, w, h) = chart_png(svg, fonts)?;
        let n = self.images.len() + 1;
        let name = format!("chart{n}.png");
        self.images.push(Image {
            name: name.clone(),
            png,
        });
        let cx = CHART_WIDTH_EMU;
        let cy = CHART_WIDTH_EMU * u64::from(h) / u64::from(w.max(1));
        let caption = b.caption.clone().unwrap_or_default();
        let drawing = format!(
            "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">\
             <wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:docPr id=\"{n}\" name=\"{name}\" descr=\"{d}\"/>\
             <wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>\
             <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
             <pic:pic><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"{name}\" descr=\"{d}\"/><pic:cNvPicPr/></pic:nvPicPr>\
             <pic:blipFill><a:blip r:embed=\"{rid}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
             <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm>\
             <a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>\
             </a:graphicData></a:graphic></wp:inline></w:drawing></w:r>",
            d = esc(&caption),
            rid = image_rid(n),
        );
        self.p("Figure", "<w:keepNext/>", &drawing);
        self.p("Caption", "", &run(&caption, ""));
        Ok(())
    }

    fn key_work(&mut self) {
        let w = self.words;
        let mut rows = vec![vec![
            Cell::th(&w.no),
            Cell::th(&w.task),
            Cell::th(&w.progress),
        ]];
        for (i, item) in self.model.key_work.iter().enumerate() {
            rows.push(vec![
                Cell::td(&(i + 1).to_string(), Align::Center),
                Cell::td(&item.name, Align::Left),
                Cell {
                    paras: item.details.clone(),
                    ..Cell::td("", Align::Left)
                },
            ]);
        }
        let table = Table {
            grid: grid(&[8, 27, 65], 3, Orient::Portrait.text_width()),
            rows,
            header_rows: 1,
            ruled: true,
        };
        self.body.push_str(&table.xml(self.fonts));
        self.p("Note", "", "");
    }

    /// The title and the line above a form (seal, date, score).
    fn form_head(&mut self, title: &str, head: [String; 3]) {
        self.p("FormTitle", "<w:keepNext/>", &run(title, ""));
        self.three(&head, &[4, 3, 3], Orient::Portrait.text_width());
    }

    /// A line of three parts above a table (department, year, unit; seal, date, score): at
    /// its left, centre and right, each in its own cell of an unruled table, so that a long
    /// part wraps in its place rather than pushing the others (as the page's grid does).
    /// A paragraph a point high follows: Word joins two tables that touch.
    fn three(&mut self, parts: &[String; 3], shares: &[u32], width: u32) {
        let cell = |text: &str, align| Cell {
            style: "TableMeta",
            ..Cell::td(text, align)
        };
        let table = Table {
            grid: grid(shares, 3, width),
            rows: vec![vec![
                cell(&parts[0], Align::Left),
                cell(&parts[1], Align::Center),
                cell(&parts[2], Align::Right),
            ]],
            header_rows: 0,
            ruled: false,
        };
        self.body.push_str(&table.xml(self.fonts));
        self.body.push_str(&spacer(""));
    }

    fn form_table(&mut self, rows: Vec<Vec<Cell>>) {
        let table = Table {
            grid: grid(&self.words.form_widths, 7, Orient::Portrait.text_width()),
            rows,
            header_rows: 0,
            ruled: true,
        };
        self.body.push_str(&table.xml(self.fonts));
        self.p("Note", "", "");
    }

    /// The rows of the execution block (预算执行情况), as both forms print it.
    fn execution_rows(
        &self,
        total: &str,
        budget: &str,
        actual: &str,
        rate: &str,
        score: &str,
    ) -> [Vec<Cell>; 2] {
        let w = self.words;
        let v = |s: &str| Cell::td(s, Align::Right);
        [
            vec![
                Cell::th(&fill(&w.execution, &self.points())).span(1, 2),
                Cell::th(total).span(1, 2),
                Cell::th(&w.budget),
                Cell::th(&w.actual),
                Cell::th(&w.rate),
                Cell::th(&fill(&w.exec_score, &self.points())).span(2, 1),
            ],
            vec![v(budget), v(actual), v(rate), v(score).span(2, 1)],
        ]
    }

    fn points(&self) -> [(&'static str, &'a str); 3] {
        let s = &self.model.scheme;
        [
            ("execution", s.execution.as_str()),
            ("goal", s.goal.as_str()),
            ("indicators", s.indicators.as_str()),
        ]
    }

    /// The header row of the indicators and their rows.
    fn indicator_rows(&self, label: &str, side: &str, list: &[IndicatorRow]) -> Vec<Vec<Cell>> {
        let w = self.words;
        let mut rows = vec![vec![
            Cell::th(label),
            Cell::th(&w.level1),
            Cell::th(&w.level2),
            Cell::th(&w.name),
            Cell::th(&w.target),
            Cell::th(&w.achieved),
            Cell::th(&w.score),
        ]];
        for (i, r) in list.iter().enumerate() {
            let mut row = Vec::new();
            if i == 0 {
                row.push(Cell::th(side).span(1, list.len()));
            }
            if let Some((l1, n)) = &r.level1 {
                row.push(Cell::td(l1, Align::Center).span(1, *n));
            }
            if let Some((l2, n)) = &r.level2 {
                row.push(Cell::td(l2, Align::Center).span(1, *n));
            }
            row.extend([
                Cell::td(&r.name, Align::Left),
                Cell::td(&r.target, Align::Left),
                Cell::td(&r.actual, Align::Left),
                Cell::td(&r.score, Align::Right),
            ]);
            rows.push(row);
        }
        rows
    }

    fn department_form(&mut self, f: &DepartmentForm) {
        let w = self.words;
        let year = self.model.page.year.to_string();
        let unit = if f.unit_name.is_empty() {
            String::new()
        } else {
            fill(&w.department_form_unit, &[("unit", &f.unit_name)])
        };
        let title = fill(&w.department_form, &[("year", &year), ("unit", &unit)]);
        self.form_head(
            &title,
            [
                format!("{}{}", w.seal, f.unit_name),
                format!("{}{}", w.date, f.filled_on),
                format!("{}{}{}", w.total, f.score, w.points),
            ],
        );
        let mut rows = vec![
            vec![
                Cell::th(&w.unit),
                Cell::td(&f.department, Align::Left).span(6, 1),
            ],
            vec![
                Cell::th(&w.basic),
                Cell::td(&format!("{}{}", f.basic, w.wan), Align::Right).span(2, 1),
                Cell::th(&w.project_total),
                Cell::td(&format!("{}{}", f.project, w.wan), Align::Right).span(3, 1),
            ],
        ];
        rows.extend(self.execution_rows(&w.dep_total, &f.budget, &f.actual, &f.rate, &f.execution));
        for g in &f.goals {
            let goal = fill(
                &w.goal_row,
                &[
                    ("index", &g.index.to_string()),
                    ("weight", &g.weight),
                    ("text", &g.text),
                ],
            );
            rows.push(vec![Cell {
                align: Align::Left,
                ..Cell::th(&goal).span(7, 1)
            }]);
            rows.extend(self.indicator_rows(&w.indicators, &w.indicators, &g.indicators));
        }
        self.form_table(rows);
    }

    fn project_form(&mut self, f: &ProjectForm) {
        let w = self.words;
        let year = self.model.page.year.to_string();
        let name = if f.name.ends_with(w.project_suffix.as_str()) {
            f.name.clone()
        } else {
            format!("{}{}", f.name, w.project_suffix)
        };
        let title = fill(&w.project_form, &[("year", &year), ("name", &name)]);
        let reported = f
            .reported_score
            .as_ref()
            .map(|s| fill(&w.reported, &[("score", s)]))
            .unwrap_or_default();
        self.form_head(
            &title,
            [
                format!("{}{}", w.seal, f.unit_name),
                format!("{}{}", w.date, f.filled_on),
                format!("{}{}{}{reported}", w.self_score, f.score, w.points),
            ],
        );
        let mut rows = vec![
            vec![
                Cell::th(&w.project),
                Cell::td(&f.name, Align::Left).span(6, 1),
            ],
            vec![
                Cell::th(&w.competent),
                Cell::td(&f.department, Align::Left).span(2, 1),
                Cell::th(&w.implementer),
                Cell::td(&f.implementer, Align::Left).span(3, 1),
            ],
        ];
        rows.extend(self.execution_rows(&w.funds, &f.budget, &f.actual, &f.rate, &f.execution));
        rows.push(vec![
            Cell::th(&fill(&w.goal, &self.points())).span(1, 2),
            Cell::th(&w.goal_target).span(3, 1),
            Cell::th(&w.goal_actual).span(2, 1),
            Cell::th(&w.score),
        ]);
        rows.push(vec![
            Cell::td(&f.goal_target, Align::Left).span(3, 1),
            Cell::td(&f.goal_actual, Align::Left).span(2, 1),
            Cell::td(&f.goal_score, Align::Right),
        ]);
        let label = fill(&w.project_indicators, &self.points());
        rows.extend(self.indicator_rows(&label, "", &f.indicators));
        rows.push(vec![
            Cell::th(&w.deviation),
            Cell::td(&f.deviation, Align::Left).span(6, 1),
        ]);
        rows.push(vec![
            Cell::th(&w.improvement),
            Cell::td(&f.improvement_plan, Align::Left).span(6, 1),
        ]);
        self.form_table(rows);
    }

    /// The body, its last section's properties at its end.
    fn finish(&mut self) -> String {
        let mut body = std::mem::take(&mut self.body);
        body.push_str(&sect_pr(self.orient));
        body
    }
}

/// An empty paragraph a point high, with a section's properties `sect` (or none).
fn spacer(sect: &str) -> String {
    format!(
        "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/><w:rPr><w:sz w:val=\"2\"/></w:rPr>{sect}</w:pPr></w:p>"
    )
}

/// A heading's bookmark (hidden: its name starts with `_`).
fn bookmark(id: &str) -> String {
    format!("_Toc_{}", esc(id))
}

fn image_rid(n: usize) -> String {
    format!("rIdImage{n}")
}

/// A section's properties: A4 in `o`, its margins, the footer with the page number.
fn sect_pr(o: Orient) -> String {
    let p = o.page();
    let orient = match o {
        Orient::Portrait => "",
        Orient::Landscape => " w:orient=\"landscape\"",
    };
    format!(
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
         <w:pgSz w:w=\"{}\" w:h=\"{}\"{orient}/>\
         <w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>\
         </w:sectPr>",
        p.width, p.height, p.top, p.right, p.bottom, p.left
    )
}

/// A chart's SVG drawn as PNG with `fonts`: the bytes and the size in pixels.
fn chart_png(svg: &str, fonts: &Fonts) -> Result<(Vec<u8>, u32, u32), DocxError> {
    use resvg::{tiny_skia, usvg};
    let options = usvg::Options {
        fontdb: fonts.0.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| DocxError(e.to_string()))?;
    let size = tree.size().to_int_size();
    let (w, h) = (size.width() * CHART_SCALE, size.height() * CHART_SCALE);
    let mut pixmap =
        tiny_skia::Pixmap::new(w, h).ok_or_else(|| DocxError("an empty chart".into()))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    // CHART_SCALE as resvg takes it (a literal: no conversion to binary floating point).
    let scale = tiny_skia::Transform::from_scale(2.0, 2.0);
    resvg::render(&tree, scale, &mut pixmap.as_mut());
    let png = pixmap.encode_png().map_err(|e| DocxError(e.to_string()))?;
    Ok((png, w, h))
}

// ---------------------------------------------------------------------------------------
// The package.

const W_NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
     xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

fn package(
    model: &ReportModel,
    fonts: &FontNames,
    body: &str,
    images: &[Image],
) -> Result<Vec<u8>, DocxError> {
    let p = &model.page;
    let lang = if p.lang == "en" { "en-US" } else { "zh-CN" };
    let title = p.titles[1].clone();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, text: String| parts.push((name.to_string(), text.into_bytes()));
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
    add(
        "[Content_Types].xml",
        format!(
            "{xml}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Default Extension=\"png\" ContentType=\"image/png\"/>\
             <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
             <Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
             <Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
             <Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>\
             <Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
             <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
             <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
             </Types>"
        ),
    );
    add(
        "_rels/.rels",
        format!(
            "{xml}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
             <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
             <Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
             </Relationships>"
        ),
    );
    add(
        "docProps/core.xml",
        format!(
            "{xml}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
             xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>juesuan</dc:creator>\
             <dc:language>{lang}</dc:language></cp:coreProperties>",
            esc(&title)
        ),
    );
    add(
        "docProps/app.xml",
        format!(
            "{xml}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
             <Application>{}</Application></Properties>",
            esc(&p.generator)
        ),
    );
    let mut rels = String::from(
        "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"rIdFonts\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>\
         <Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>",
    );
    for (i, img) in images.iter().enumerate() {
        let _ = write!(
            rels,
            "<Relationship Id=\"{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/{}\"/>",
            image_rid(i + 1),
            img.name
        );
    }
    add(
        "word/_rels/document.xml.rels",
        format!(
            "{xml}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>"
        ),
    );
    add(
        "word/document.xml",
        format!(
            "{xml}<w:document {W_NS} \
             xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
             xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
             xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>{body}</w:body></w:document>"
        ),
    );
    add("word/styles.xml", styles(fonts, lang));
    add(
        "word/settings.xml",
        format!(
            "{xml}<w:settings {W_NS}><w:defaultTabStop w:val=\"420\"/>\
             <w:characterSpacingControl w:val=\"compressPunctuation\"/><w:updateFields w:val=\"true\"/>\
             <w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
             </w:settings>"
        ),
    );
    add("word/fontTable.xml", font_table(fonts));
    add(
        "word/footer1.xml",
        format!(
            "{xml}<w:ftr {W_NS}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>\
             <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
             </w:p></w:ftr>"
        ),
    );
    for img in images {
        parts.push((format!("word/media/{}", img.name), img.png.clone()));
    }
    zip(&parts)
}

/// The parts as a zip, deflated (the pictures too: their PNG is compressed for speed, and
/// shrinks by half again), every entry dated 1980-01-01 (the same bytes for the same report).
fn zip(parts: &[(String, Vec<u8>)]) -> Result<Vec<u8>, DocxError> {
    let err = |e: &dyn std::fmt::Display| DocxError(e.to_string());
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in parts {
        z.start_file(name.as_str(), options).map_err(|e| err(&e))?;
        z.write_all(bytes).map_err(|e| err(&e))?;
    }
    Ok(z.finish().map_err(|e| err(&e))?.into_inner())
}

/// The styles: the body, title, headings (outline levels 1–4, which the contents list),
/// contents entries, tables, notes, captions and the footer.
fn styles(f: &FontNames, lang: &str) -> String {
    let rf = |east: &str| fonts_rpr(east, &f.latin);
    let sz = |n: u32| format!("<w:sz w:val=\"{n}\"/><w:szCs w:val=\"{n}\"/>");
    // Lines of body text 28 pt apart, as 公文 set 三号 text.
    let lines = "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"560\" w:lineRule=\"exact\"/>";
    let indent = "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>";
    let single = "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>";
    let center = "<w:jc w:val=\"center\"/>";
    let keep = "<w:keepNext/><w:keepLines/>";
    let style = |id: &str, name: &str, ppr: String, rpr: String| {
        format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>\
             <w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
        )
    };
    let heading = |level: u8, font: &str, ppr: &str, bold: bool| {
        style(
            &format!("Heading{level}"),
            &format!("heading {level}"),
            format!("{keep}{lines}{ppr}<w:outlineLvl w:val=\"{}\"/>", level - 1),
            format!(
                "{}{}{}",
                rf(font),
                if bold { "<w:b/>" } else { "" },
                sz(size::TEXT)
            ),
        )
    };
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles {W_NS}>\
         <w:docDefaults><w:rPrDefault><w:rPr>{}{}<w:lang w:val=\"{lang}\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr>{single}</w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:widowControl/>{single}</w:pPr><w:rPr>{}{}</w:rPr></w:style>\
         <w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/></w:style>",
        rf(&f.body),
        sz(size::TEXT),
        rf(&f.body),
        sz(size::TEXT),
    );
    out.push_str(&style(
        "BodyText",
        "Body Text",
        format!("{lines}{indent}<w:jc w:val=\"both\"/>"),
        String::new(),
    ));
    out.push_str(&style(
        "Title",
        "Title",
        format!("<w:spacing w:before=\"4800\" w:after=\"480\"/>{center}"),
        format!("{}{}", rf(&f.title), sz(size::TITLE)),
    ));
    out.push_str(&style(
        "Subtitle",
        "Subtitle",
        center.to_string(),
        format!("{}{}", rf(&f.subheading), sz(size::TEXT)),
    ));
    out.push_str(&heading(1, &f.heading, center, false));
    out.push_str(&heading(2, &f.heading, indent, false));
    out.push_str(&heading(3, &f.subheading, indent, false));
    out.push_str(&heading(4, &f.body, indent, true));
    out.push_str(&style(
        "TOCHeading",
        "TOC Heading",
        format!("<w:spacing w:after=\"240\"/>{center}"),
        format!("{}{}", rf(&f.heading), sz(size::TEXT)),
    ));
    let right = Orient::Portrait.text_width();
    for (level, ind) in [(1, 0), (2, 640)] {
        out.push_str(&style(
            &format!("TOC{level}"),
            &format!("toc {level}"),
            format!(
                "<w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"{right}\"/></w:tabs>\
                 <w:spacing w:before=\"60\" w:after=\"60\"/><w:ind w:left=\"{ind}\"/>"
            ),
            sz(size::TOC),
        ));
    }
    out.push_str(&style(
        "TableTitle",
        "Table Title",
        format!("{keep}<w:spacing w:after=\"120\"/>{center}"),
        format!("{}{}", rf(&f.title), sz(size::TABLE_TITLE)),
    ));
    out.push_str(&style(
        "FormTitle",
        "Form Title",
        format!("{keep}<w:spacing w:before=\"240\" w:after=\"120\"/>{center}"),
        format!("{}{}", rf(&f.heading), sz(size::TEXT)),
    ));
    out.push_str(&style(
        "TableMeta",
        "Table Meta",
        single.to_string(),
        format!("{}{}", rf(&f.body), sz(size::META)),
    ));
    out.push_str(&style(
        "TableText",
        "Table Text",
        "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>".to_string(),
        format!("{}{}", rf(&f.table), sz(size::CELL)),
    ));
    out.push_str(&style(
        "TableHeader",
        "Table Header",
        format!("<w:spacing w:before=\"0\" w:after=\"0\"/>{center}"),
        format!("{}{}", rf(&f.heading), sz(size::CELL)),
    ));
    out.push_str(&style(
        "Note",
        "Note",
        "<w:spacing w:before=\"120\" w:after=\"0\"/>".to_string(),
        format!("{}{}", rf(&f.body), sz(size::META)),
    ));
    out.push_str(&style(
        "Figure",
        "Figure",
        format!("<w:spacing w:before=\"240\" w:after=\"0\"/>{center}"),
        String::new(),
    ));
    out.push_str(&style(
        "Caption",
        "caption",
        format!("<w:spacing w:before=\"60\" w:after=\"240\"/>{center}"),
        format!("{}{}", rf(&f.subheading), sz(size::CAPTION)),
    ));
    out.push_str(&style(
        "Footer",
        "footer",
        center.to_string(),
        format!("{}{}", rf(&f.table), sz(size::META)),
    ));
    out.push_str("</w:styles>");
    out
}

/// The fonts the document names, each with the installed font to use in its place
/// (`w:altName`), its character set (GB2312) and family.
fn font_table(f: &FontNames) -> String {
    let mut out =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:fonts {W_NS}>");
    let mut names: Vec<&String> = vec![&f.title, &f.heading, &f.subheading, &f.body, &f.table];
    names.dedup();
    for name in names {
        let alt = f.fallback.get(name.as_str());
        let family = if alt.is_some_and(|a| a.contains("Sans")) {
            "swiss"
        } else {
            "roman"
        };
        let _ = write!(out, "<w:font w:name=\"{}\">", esc(name));
        if let Some(a) = alt {
            let _ = write!(out, "<w:altName w:val=\"{}\"/>", esc(a));
        }
        let _ = write!(
            out,
            "<w:charset w:val=\"86\"/><w:family w:val=\"{family}\"/><w:pitch w:val=\"variable\"/></w:font>"
        );
    }
    let _ = write!(
        out,
        "<w:font w:name=\"{}\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font></w:fonts>",
        esc(&f.latin)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(xml: &str) -> Vec<&str> {
        xml.split("<w:tc>").skip(1).collect()
    }

    #[test]
    fn spans_become_grid_spans_and_vertical_merges() {
        // Two header rows: A spans both rows, B spans two columns over C and D.
        let t = Table {
            grid: vec![100, 200, 300],
            rows: vec![
                vec![Cell::th("A").span(1, 2), Cell::th("B").span(2, 1)],
                vec![Cell::th("C"), Cell::th("D")],
                vec![
                    Cell::td("x", Align::Left),
                    Cell::td("1.00", Align::Right),
                    Cell::td("2.00", Align::Right),
                ],
            ],
            header_rows: 2,
            ruled: true,
        };
        let fonts = Style::builtin().unwrap();
        let xml = t.xml(&fonts.fonts);
        let rows: Vec<&str> = xml.split("<w:tr>").skip(1).collect();
        assert_eq!(rows.len(), 3);
        // Both header rows repeat; the body row does not.
        assert!(rows[0].contains("<w:tblHeader/>") && rows[1].contains("<w:tblHeader/>"));
        assert!(!rows[2].contains("<w:tblHeader/>"));
        let first = cells(rows[0]);
        assert!(first[0].contains("<w:vMerge w:val=\"restart\"/>") && first[0].contains(">A<"));
        assert!(first[1].contains("<w:gridSpan w:val=\"2\"/>") && first[1].contains("w:w=\"500\""));
        // The second row starts with A's continuation, then C and D.
        let second = cells(rows[1]);
        assert_eq!(second.len(), 3);
        assert!(second[0].contains("<w:vMerge/>") && !second[0].contains("<w:t xml:space"));
        assert!(second[1].contains(">C<") && second[2].contains(">D<"));
        // Amounts are right-aligned.
        assert!(cells(rows[2])[1].contains("<w:jc w:val=\"right\"/>"));
    }

    #[test]
    fn widths_follow_the_shares_and_text_is_escaped() {
        assert_eq!(grid(&[250, 750], 2, 1000), [250, 750]);
        assert_eq!(grid(&[], 4, 1000), [250, 250, 250, 250]);
        assert_eq!(esc("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(
            run("x\ty", ""),
            "<w:r><w:t xml:space=\"preserve\">x</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\">y</w:t></w:r>"
        );
        assert_eq!(
            fill(
                "年度目标{index}（{weight}分）",
                &[("index", "1"), ("weight", "20")]
            ),
            "年度目标1（20分）"
        );
    }

    #[test]
    fn a_chart_is_drawn_at_two_pixels_a_unit() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 300"><rect x="10" y="10" width="100" height="50" fill="#1f4e79"/></svg>"##;
        let (png, w, h) = chart_png(svg, &Fonts::default()).unwrap();
        assert_eq!((w, h), (480 * CHART_SCALE, 300 * CHART_SCALE));
        assert!(png.starts_with(b"\x89PNG"));
        assert!(chart_png("<svg", &Fonts::default()).is_err());
    }

    #[test]
    fn both_languages_have_every_word() {
        let s = Style::builtin().unwrap();
        for w in [&s.zh, &s.en] {
            assert_eq!(w.form_widths.len(), 7);
            assert!(w.execution.contains("{execution}") && w.goal.contains("{goal}"));
        }
        assert!(s.fonts.fallback.contains_key(&s.fonts.body));
    }
}
