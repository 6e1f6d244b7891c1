//! juesuan at scale: a whole district or province at once.
//!
//! - [`synth`]: synthetic department-years (pure: the same seed gives the same files), with
//!   errors injected at a given rate and recorded in a manifest ([`inject`]).
//! - [`input_file`]: a department-year written back as an input file (TOML or JSON).
//! - [`runner`]: the batch runner — a sorted listing of a folder's inputs, a bounded queue,
//!   worker threads, per-department results reduced to small summaries at once and handed
//!   back in order; memory stays flat in the number of departments.
//! - [`summary`]: what a batch found, per department and per rule, and `summary.json`.
//! - [`rollup`]: many departments consolidated into one district (汇总), inter-department
//!   flows eliminated where both sides mark them (pure).
//! - [`export`]: facts and views as open data — CSV, a Fiscal Data Package descriptor and
//!   Parquet.
//! - [`audits`]: a folder of published reports audited into a findings dataset (CSV,
//!   Parquet, a Frictionless descriptor) and a summary page.
//! - [`service`]: the commands at scale as library functions over the above — batch check and
//!   build, generation, roll-up, export — with progress reported to the caller and results
//!   returned as data; what the command line and the web app call.
//!
//! The pure parts (`synth`, `inject`, `input_file`, `rollup`) do no IO; the runner lists
//! folders and reads inputs; every file is written through `juesuan_publish::output`.

pub mod audits;
pub mod export;
pub mod inject;
pub mod input_file;
pub mod rollup;
pub mod runner;
pub mod service;
pub mod summary;
pub mod synth;
