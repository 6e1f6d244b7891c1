//! Exit codes, the same for every subcommand (documented in README and `juesuan --help`), and
//! [`Failure`]: why a command failed, with its code.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | the checks found errors in the figures (`check`; `build` without `--allow-errors`) |
//! | 2 | the input, a catalog or layout file, or the command line is invalid; a file could not be read or written; or the PDF could not be rendered. Nothing was written. |

use juesuan_core::{Diagnostic, Text};
use std::process::ExitCode;

/// Success.
pub const OK: u8 = 0;
/// Checks found errors.
pub const FINDINGS: u8 = 1;
/// Invalid input, usage, IO or PDF rendering: nothing written.
pub const INVALID: u8 = 2;

/// As a process exit code.
pub fn code(c: u8) -> ExitCode {
    ExitCode::from(c)
}

/// Why a command failed: diagnostics, what that means for outputs, and the exit code.
pub struct Failure {
    /// The problems.
    pub diagnostics: Vec<Diagnostic>,
    /// What happened as a result ("nothing was written").
    pub consequence: Text,
    /// Exit code.
    pub exit: ExitCode,
}

impl Failure {
    /// Invalid input, usage or IO (exit 2): nothing was written.
    pub(crate) fn invalid(diagnostics: Vec<Diagnostic>) -> Failure {
        Failure {
            diagnostics,
            consequence: Text::new("未写出任何文件。", "nothing was written."),
            exit: code(INVALID),
        }
    }
}
