//! What every front end shares: one department-year from input to checked outputs, the
//! output formats, the external tools, and every file juesuan reads or writes.
//!
//! - [`pipeline`]: one department-year from input to checked outputs, in memory; the one
//!   [`Setup`] builder; the input template workbook.
//! - [`format`]: the output formats, described once (files, names, media types, labels).
//! - [`audited`]: a published report audited from its bytes (PDF, workbook or text) or a file.
//! - [`tools`]: the external programs at the edge — headless Chromium prints the PDF,
//!   poppler's pdftotext reads one.
//! - [`ocr`]: a PDF read for the audit, its scanned pages recognised by tesseract.
//! - [`output`]: the one atomic writer (temporary files, synced, then renamed), whole files or
//!   streamed.
//! - [`files`]: bounded, read-only input reads with located errors.
//! - [`fonts`]: the font the Word document's charts are drawn with, read once.
//!
//! The pure work stays in `juesuan-input`, `juesuan-core`, `juesuan-render` and
//! `juesuan-audit`; this crate only strings it together and owns the IO every front end needs.
//! `juesuan-batch`'s services write through [`output`] too.

pub mod audited;
pub mod files;
pub mod fonts;
pub mod format;
pub mod ocr;
pub mod output;
pub mod pipeline;
pub mod tools;

pub use format::{Format, OutputFile, Rendering};
pub use pipeline::{
    Checked, NarrativeChoice, Published, Request, Setup, SetupOptions, check, check_bytes, publish,
    template,
};
