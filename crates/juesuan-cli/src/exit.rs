//! Exit codes, the same for every subcommand (documented in README and `juesuan --help`).
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | the checks found errors in the figures (`check`; `build` without `--allow-errors`) |
//! | 2 | the input, a catalog or layout file, or the command line is invalid; a file could not be read or written; or the PDF could not be rendered. Nothing was written. |

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
