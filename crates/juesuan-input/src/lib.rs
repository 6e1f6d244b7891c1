//! # juesuan-input
//!
//! Readers at the edge of juesuan: the department-year input file (TOML, or JSON for
//! programs), classification catalog CSV files and table layouts, with every error located
//! (`file:line:col`) and explained (expected vs found).
//!
//! Parsing is pure (text in, values or diagnostics out); reading bytes from disk is the
//! caller's job, so tests and the web app can feed text directly.
//!
//! The pipeline: bytes → [`node::Node`] tree (one per format, locations kept, numbers kept as
//! written) → [`decode`] (one decoder for every format, driven by [`schema`]) →
//! [`juesuan_core::DepartmentYear`].

pub mod assets;
pub mod builtin;
pub mod catalog_csv;
pub mod compile;
pub mod decode;
mod embedded;
pub mod layout_check;
pub mod layout_file;
pub mod node;
pub mod rule_file;
pub mod schema;
pub mod source;
pub mod workbook;

pub use decode::read_department_year;
pub use source::Source;
