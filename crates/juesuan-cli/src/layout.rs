//! `juesuan layout infer` and `juesuan layout check`: onboarding a region. The draft is
//! `juesuan_audit::infer`'s, the check `juesuan_input::layout_check`'s; here only the files
//! and the terminal.

use crate::cli::{LayoutArgs, LayoutCheckArgs, LayoutCommand, LayoutInferArgs};
use crate::common::{Failure, emit, setup};
use crate::exit;
use juesuan_core::diag::Severity;
use juesuan_core::{Diagnostic, Lang};
use juesuan_publish::{files, output};
use std::path::PathBuf;
use std::process::ExitCode;

/// `juesuan layout …`.
pub fn run(args: &LayoutArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    match &args.command {
        LayoutCommand::Infer(a) => infer(a, lang, quiet),
        LayoutCommand::Check(a) => check(a, lang, quiet),
    }
}

/// `juesuan layout infer REPORT… [-o FILE]`.
fn infer(args: &LayoutInferArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let (setup, mut protect) = setup(Some(&args.data), None, None)?;
    protect.extend(args.inputs.iter().cloned());
    let doc =
        juesuan_publish::audited::read_files(&setup, &args.inputs).map_err(Failure::invalid)?;
    let kind = args
        .kind
        .as_deref()
        .unwrap_or(juesuan_core::kind::FINAL_ACCOUNTS);
    let known =
        juesuan_audit::infer::Known::new(&setup.assets, kind, &[]).map_err(Failure::invalid)?;
    let id = args.id.clone().unwrap_or_else(|| {
        args.out
            .as_ref()
            .and_then(|o| o.file_stem())
            .map_or_else(|| "draft".into(), |s| s.to_string_lossy().into_owned())
    });
    let draft = juesuan_audit::infer::infer(&doc, &known.context(&setup.catalog), &id)
        .map_err(|d| Failure::invalid(vec![d]))?;
    let Some(out) = &args.out else {
        emit(&draft.toml);
        return Ok(exit::code(exit::OK));
    };
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out.file_name().map_or_else(
        || "layout.toml".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    output::write_all(&dir, &[(name, draft.toml.into_bytes())], &protect)
        .map_err(|e| Failure::invalid(vec![files::io_error(out, e)]))?;
    if !quiet {
        let (tables, review) = (draft.tables.len(), draft.review.len());
        emit(&match lang {
            Lang::Zh => format!(
                "已写出 {}：{tables} 张表，{review} 处待核（见文件中的“待核”注释）；核对后运行 juesuan layout check {}\n",
                out.display(),
                out.display()
            ),
            Lang::En => format!(
                "wrote {}: {tables} tables, {review} notes to review (the \"review\" comments); then run juesuan layout check {}\n",
                out.display(),
                out.display()
            ),
        });
    }
    Ok(exit::code(exit::OK))
}

/// `juesuan layout check FILE`: the problems on standard output, errors and warnings, and a
/// count.
fn check(args: &LayoutCheckArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let (setup, _) = setup(Some(&args.data), None, None)?;
    let source = files::read_source(&args.file).map_err(|d| Failure::invalid(vec![d]))?;
    let problems: Vec<Diagnostic> =
        juesuan_input::layout_check::check(&setup.assets, &setup.catalog, &source);
    let errors = problems
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    for d in &problems {
        if !quiet || d.severity == Severity::Error {
            emit(&format!("{}\n", d.render(lang)));
        }
    }
    if !quiet || errors > 0 {
        let file = args.file.display();
        emit(&match (lang, errors) {
            (Lang::Zh, 0) => format!("{file}：表式无误（{warnings} 个警告）\n"),
            (Lang::Zh, _) => format!("{file}：{errors} 个错误，{warnings} 个警告\n"),
            (Lang::En, 0) => format!(
                "{file}: the layout is sound ({})\n",
                juesuan_render::findings::count_en(warnings, "warning")
            ),
            (Lang::En, _) => format!(
                "{file}: {}, {}\n",
                juesuan_render::findings::count_en(errors, "error"),
                juesuan_render::findings::count_en(warnings, "warning")
            ),
        });
    }
    Ok(exit::code(if errors > 0 {
        exit::INVALID
    } else {
        exit::OK
    }))
}
