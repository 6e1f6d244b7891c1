//! The output formats, described once: what `--format` accepts and says about each value,
//! which files each format produces and how each is rendered, and how a file is named, typed
//! and labelled wherever it is offered (the web app's downloads). [`crate::publish`] renders
//! from this table, the command line builds `--format` from it and the web app serves files by
//! it; nothing else lists formats.

use juesuan_core::Lang;

/// An output format of a build (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Workbook, one sheet per table.
    Xlsx,
    /// The whole report and the nine tables, each one self-contained print-ready page.
    Html,
    /// The report page printed to A4 by headless Chromium.
    Pdf,
    /// The whole report as an editable Word document.
    Docx,
    /// The views and the report as JSON (exact amounts and printed text).
    Json,
}

/// How a file is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rendering {
    /// The nine tables as a workbook (`juesuan_render::xlsx`).
    Workbook,
    /// The whole disclosure as one print-ready page (`juesuan_render::report`).
    ReportHtml,
    /// The nine tables alone as one page (`juesuan_render::html`).
    TablesHtml,
    /// The report page printed by headless Chromium ([`crate::tools::render_pdf`]).
    ReportPdf,
    /// The whole report as a Word document (`juesuan_render::docx`).
    ReportDocx,
    /// The views as JSON (`juesuan_render::json`).
    ViewsJson,
    /// The report's blocks and figures as JSON (`juesuan.report/1`).
    ReportJson,
    /// What the rules found (`juesuan.findings/1`): written with every build, asked or not.
    Findings,
    /// The views as the export's CSV (`juesuan_batch::export::views_csv`): an open-data file
    /// the web app offers with a publication, not a build format.
    ViewsCsv,
}

/// One file juesuan produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// How it is made.
    pub rendering: Rendering,
    /// What follows `<stem>.` in its name (`xlsx`, `report.html`).
    pub suffix: &'static str,
    /// Its name without a stem, where the folder says whose it is (a web publication's files).
    pub alone: &'static str,
    /// Its media type (`Content-Type`).
    pub media_type: &'static str,
    /// What it is, in Chinese.
    pub label_zh: &'static str,
    /// What it is, in English.
    pub label_en: &'static str,
    /// Offered in a publication's list of downloads (the report page is shown instead).
    pub offered: bool,
}

impl OutputFile {
    /// Its name beside the others of `stem`: `<stem>.<suffix>`.
    pub fn name(&self, stem: &str) -> String {
        format!("{stem}.{}", self.suffix)
    }

    /// Its label in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.label_zh,
            Lang::En => self.label_en,
        }
    }

    /// A page a browser shows rather than saves.
    pub fn is_page(&self) -> bool {
        self.media_type.starts_with("text/html")
    }

    /// The file named `alone`, if juesuan makes one.
    pub fn alone(alone: &str) -> Option<&'static OutputFile> {
        FILES.iter().find(|f| f.alone == alone)
    }

    /// Which file `name` is among the files of `stem`.
    pub fn of_name(stem: &str, name: &str) -> Option<&'static OutputFile> {
        let suffix = name.strip_prefix(stem)?.strip_prefix('.')?;
        FILES.iter().find(|f| f.suffix == suffix)
    }
}

const HTML: &str = "text/html; charset=utf-8";
const JSON: &str = "application/json";

/// Every file, in the order they are offered for download.
pub const FILES: [OutputFile; 9] = [
    OutputFile {
        rendering: Rendering::Workbook,
        suffix: "xlsx",
        alone: "report.xlsx",
        media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        label_zh: "XLSX 表格",
        label_en: "XLSX workbook",
        offered: true,
    },
    OutputFile {
        rendering: Rendering::ReportPdf,
        suffix: "report.pdf",
        alone: "report.pdf",
        media_type: "application/pdf",
        label_zh: "PDF 报告",
        label_en: "PDF report",
        offered: true,
    },
    OutputFile {
        rendering: Rendering::ReportDocx,
        suffix: "report.docx",
        alone: "report.docx",
        media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        label_zh: "Word 报告",
        label_en: "Word report",
        offered: true,
    },
    OutputFile {
        rendering: Rendering::ReportJson,
        suffix: "report.json",
        alone: "report.json",
        media_type: JSON,
        label_zh: "JSON 报告",
        label_en: "JSON report",
        offered: true,
    },
    OutputFile {
        rendering: Rendering::ViewsJson,
        suffix: "views.json",
        alone: "views.json",
        media_type: JSON,
        label_zh: "JSON 表",
        label_en: "JSON tables",
        offered: true,
    },
    OutputFile {
        rendering: Rendering::ViewsCsv,
        suffix: "views.csv",
        alone: "views.csv",
        media_type: "text/csv; charset=utf-8",
        label_zh: "CSV 开放数据",
        label_en: "CSV open data",
        offered: true,
    },
    OutputFile {
        rendering: Rendering::TablesHtml,
        suffix: "tables.html",
        alone: "tables.html",
        media_type: HTML,
        label_zh: "九张表（网页）",
        label_en: "Nine tables (HTML)",
        offered: true,
    },
    OutputFile {
        rendering: Rendering::Findings,
        suffix: "findings.json",
        alone: "findings.json",
        media_type: JSON,
        label_zh: "检查结果 JSON",
        label_en: "Findings (JSON)",
        offered: true,
    },
    OutputFile {
        rendering: Rendering::ReportHtml,
        suffix: "report.html",
        alone: "report.html",
        media_type: HTML,
        label_zh: "报告（网页）",
        label_en: "Report (HTML)",
        offered: false,
    },
];

impl Rendering {
    /// The file it makes.
    pub fn file(self) -> &'static OutputFile {
        FILES
            .iter()
            .find(|f| f.rendering == self)
            .expect("every rendering has a file")
    }

    /// It needs the report rendered (narrative, charts, forms) first.
    pub fn uses_report(self) -> bool {
        matches!(
            self,
            Rendering::ReportHtml
                | Rendering::ReportPdf
                | Rendering::ReportDocx
                | Rendering::ReportJson
        )
    }
}

/// One `--format` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormatSpec {
    /// The format.
    pub format: Format,
    /// Its `--format` value.
    pub id: &'static str,
    /// What `--help` says of it.
    pub help: &'static str,
    /// The files it produces, in the order they are written.
    pub files: &'static [Rendering],
    /// Made by an external program (Chromium): left out where it cannot run or is not wanted
    /// by default (`rollup`), and made on first request by the web app.
    pub external: bool,
}

/// Every format, in `--format`'s order.
pub const FORMATS: [FormatSpec; 5] = [
    FormatSpec {
        format: Format::Xlsx,
        id: "xlsx",
        help: "Workbook, one sheet per table",
        files: &[Rendering::Workbook],
        external: false,
    },
    FormatSpec {
        format: Format::Html,
        id: "html",
        help: "One self-contained print-ready page",
        files: &[Rendering::ReportHtml, Rendering::TablesHtml],
        external: false,
    },
    FormatSpec {
        format: Format::Pdf,
        id: "pdf",
        help: "The HTML page printed to A4 by headless Chromium",
        files: &[Rendering::ReportPdf],
        external: true,
    },
    FormatSpec {
        format: Format::Docx,
        id: "docx",
        help: "The whole report as an editable Word document",
        files: &[Rendering::ReportDocx],
        external: false,
    },
    FormatSpec {
        format: Format::Json,
        id: "json",
        help: "The views as JSON (exact amounts and printed text)",
        files: &[Rendering::ViewsJson, Rendering::ReportJson],
        external: false,
    },
];

impl Format {
    /// Its entry in [`FORMATS`].
    pub fn spec(self) -> &'static FormatSpec {
        FORMATS
            .iter()
            .find(|s| s.format == self)
            .expect("every format is described")
    }

    /// Its `--format` value.
    pub fn id(self) -> &'static str {
        self.spec().id
    }

    /// The format whose `--format` value is `id`.
    pub fn from_id(id: &str) -> Option<Format> {
        FORMATS.iter().find(|s| s.id == id).map(|s| s.format)
    }

    /// Every format: what a build writes by default.
    pub fn all() -> Vec<Format> {
        FORMATS.iter().map(|s| s.format).collect()
    }

    /// The formats made without an external program.
    pub fn without_external() -> Vec<Format> {
        FORMATS
            .iter()
            .filter(|s| !s.external)
            .map(|s| s.format)
            .collect()
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_described_once_and_named_apart() {
        for (i, f) in FILES.iter().enumerate() {
            assert_eq!(f.rendering.file(), f);
            for g in &FILES[i + 1..] {
                assert_ne!(f.rendering, g.rendering);
                assert_ne!(f.suffix, g.suffix);
                assert_ne!(f.alone, g.alone);
            }
            assert_eq!(OutputFile::alone(f.alone), Some(f));
            assert_eq!(OutputFile::of_name("dept", &f.name("dept")), Some(f));
        }
        // Every file of a format belongs to that format only.
        let mut seen = Vec::new();
        for s in &FORMATS {
            assert_eq!(Format::from_id(s.id), Some(s.format));
            assert_eq!(s.format.spec(), s);
            for r in s.files {
                assert!(!seen.contains(r), "{r:?} in two formats");
                seen.push(*r);
            }
        }
    }

    #[test]
    fn names_as_published() {
        let names: Vec<String> = FORMATS
            .iter()
            .flat_map(|s| s.files.iter().map(|r| r.file().name("dept")))
            .collect();
        assert_eq!(
            names,
            [
                "dept.xlsx",
                "dept.report.html",
                "dept.tables.html",
                "dept.report.pdf",
                "dept.report.docx",
                "dept.views.json",
                "dept.report.json",
            ]
        );
        assert_eq!(Format::all().len(), 5);
        assert_eq!(
            Format::without_external(),
            [Format::Xlsx, Format::Html, Format::Docx, Format::Json]
        );
        assert_eq!(Rendering::Findings.file().name("d"), "d.findings.json");
    }
}
