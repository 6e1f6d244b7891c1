//! `juesuan init`: the input template workbook, empty or filled from an existing input.

use crate::cli::InitArgs;
use crate::common::{Failure, setup};
use crate::exit;
use juesuan_core::Lang;
use juesuan_input::Source;
use juesuan_publish::{files, output};
use std::path::PathBuf;
use std::process::ExitCode;

/// `juesuan init`.
pub fn init(args: &InitArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let (setup, mut protect) = setup(Some(&args.data), None, None)?;
    let from = match &args.from {
        None => None,
        Some(path) => {
            protect.push(path.clone());
            let bytes = files::read_bounded(path, Source::MAX_BYTES)
                .map_err(|d| Failure::invalid(vec![d]))?;
            Some((path.display().to_string(), bytes))
        }
    };
    let bytes = juesuan_publish::template(
        &setup,
        from.as_ref()
            .map(|(name, bytes)| (name.as_str(), bytes.as_slice())),
        &args.xlsx.display().to_string(),
        lang,
    )
    .map_err(Failure::invalid)?;
    let dir = match args.xlsx.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = args
        .xlsx
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "template.xlsx".into());
    output::write_all(&dir, &[(name, bytes)], &protect)
        .map_err(|e| Failure::invalid(vec![files::io_error(&args.xlsx, e)]))?;
    if !quiet {
        match lang {
            Lang::Zh => println!("已写出 {}", args.xlsx.display()),
            Lang::En => println!("wrote {}", args.xlsx.display()),
        }
    }
    Ok(exit::code(exit::OK))
}
