//! What every command shares: why a command failed ([`Failure`]), writing to the terminal,
//! and the run's [`Setup`] from the command line's catalog, layout and narrative options.

use crate::cli::DataOpts;
use crate::exit;
use juesuan_core::{Diagnostic, Lang, Text};
use juesuan_input::compile::LayoutChoice;
use juesuan_publish::{NarrativeChoice, Setup, SetupOptions, files};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
            exit: exit::code(exit::INVALID),
        }
    }
}

/// Writes to stdout; a closed pipe (`juesuan rules | head`) ends the program quietly.
pub(crate) fn emit(text: &str) {
    use std::io::Write;
    let mut out = anstream::stdout();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush())
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(i32::from(exit::OK));
    }
}

/// `wrote PATH`, one line per file.
pub(crate) fn emit_written(paths: &[PathBuf], lang: Lang) {
    for p in paths {
        emit(&match lang {
            Lang::Zh => format!("已写出 {}\n", p.display()),
            Lang::En => format!("wrote {}\n", p.display()),
        });
    }
}

/// The run's setup from the command line — the `--assets` folders over the built-in data, the
/// built-in catalog unless refused and the `--catalog` files, the layout and the narrative
/// template (each an id or a file) — and the files read, which no output may overwrite.
pub(crate) fn setup(
    data: Option<&DataOpts>,
    layout: Option<&str>,
    narrative: Option<&str>,
) -> Result<(Setup, Vec<PathBuf>), Failure> {
    let invalid = |d: Diagnostic| Failure::invalid(vec![d]);
    let mut options = SetupOptions::default();
    let mut protect = Vec::new();
    if let Some(c) = data {
        for dir in &c.assets {
            let files = files::read_folder(dir).map_err(Failure::invalid)?;
            protect.extend(files.iter().map(|(rel, _)| dir.join(rel)));
            options.assets.push(files);
        }
        options.builtin_catalog = !c.no_builtin_catalog;
        options.strict_catalog = c.strict_catalog;
        options.catalog_files = c
            .files
            .iter()
            .map(|p| files::read_source(p))
            .collect::<Result<_, _>>()
            .map_err(invalid)?;
        protect.extend(c.files.iter().cloned());
    }
    options.layout = match layout {
        None => LayoutChoice::FromInput,
        Some(l) if Path::new(l).exists() => {
            protect.push(PathBuf::from(l));
            let source = files::read_source(Path::new(l)).map_err(invalid)?;
            // The catalogs a layout file given alone names are beside it.
            if let Ok(parsed) = juesuan_input::layout_file::parse(&source)
                && !parsed.catalogs.is_empty()
            {
                let dir = Path::new(l).parent().unwrap_or(Path::new("."));
                let mut beside = Vec::new();
                for rel in &parsed.catalogs {
                    let path = dir.join(rel);
                    beside.push((rel.clone(), files::read_source(&path).map_err(invalid)?));
                    protect.push(path);
                }
                options.assets.push(beside);
            }
            LayoutChoice::File(source)
        }
        Some(id) => LayoutChoice::Builtin(id.to_string()),
    };
    options.narrative = match narrative {
        None => NarrativeChoice::FromLayout,
        Some(n) if Path::new(n).is_file() => {
            protect.push(PathBuf::from(n));
            let source = files::read_source(Path::new(n)).map_err(invalid)?;
            NarrativeChoice::File {
                name: n.to_string(),
                text: source.text.to_string(),
            }
        }
        Some(id) => NarrativeChoice::Builtin(id.to_string()),
    };
    let setup = Setup::new(options).map_err(Failure::invalid)?;
    Ok((setup, protect))
}
