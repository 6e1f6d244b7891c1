//! # juesuan-core
//!
//! The pure core of juesuan: exact money, the classification catalog, the department-year
//! facts, consolidation of units into a department, table layouts and the nine public views.
//!
//! **Architecture invariant:** this crate does no IO. It never reads files, the clock or the
//! environment; readers and writers live in `juesuan-input` and `juesuan-render`.
//!
//! **Architecture invariant:** money is never binary floating point. [`money::Money`] counts
//! 分 in an integer; rates are computed from exact values and rounded once.

pub mod catalog;
pub mod consolidate;
pub mod diag;
pub mod disclosure;
pub mod facts;
pub mod figures;
pub mod kind;
pub mod layout;
pub mod money;
pub mod report;
pub mod rules;
pub mod scoring;
pub mod text;
pub mod views;

pub use catalog::Catalog;
pub use diag::{Diagnostic, Location};
pub use facts::DepartmentYear;
pub use money::Money;
pub use text::{Lang, Text};
