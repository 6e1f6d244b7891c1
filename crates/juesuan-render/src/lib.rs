//! # juesuan-render
//!
//! Writers for the views of juesuan: a workbook with one sheet per table ([`xlsx`]), one
//! self-contained print-ready HTML page ([`html`]), the whole report as a page ([`report`])
//! or a Word document ([`docx`]) and JSON ([`json`]). Each writer turns
//! [`juesuan_core::views::Views`] into bytes; putting bytes on disk is the caller's job.

pub mod audit;
pub mod audit_batch;
pub mod charts;
pub mod docx;
pub mod findings;
pub mod html;
pub mod json;
pub mod narrative;
pub mod report;
pub mod template;
pub mod viewer;
pub mod xlsx;
