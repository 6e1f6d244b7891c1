//! The input workbook: a department-year as an XLSX (or XLS) that finance officers fill in.
//! [`book`] is its layout, derived from the input format; [`read`] turns a workbook into the
//! same located tree as a TOML file ([`crate::node::Node`], every value at its `sheet!cell`), so
//! one decoder checks both.

pub mod book;
pub mod read;

pub use book::Book;
pub use read::{is_workbook, read};
