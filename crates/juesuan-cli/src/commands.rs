//! The commands on one document — `build`, `check`, `audit` — and the listings — `rules`,
//! `schema`, `layouts`, `catalog`: arguments to library calls, results to the terminal and,
//! for `build`, to files through the atomic writer.

use crate::cli::{
    AuditArgs, AuditFormat, BuildArgs, CatalogArgs, CheckArgs, KindArg, LayoutsArgs, ReportFormat,
    RulesArgs, SchemaArgs,
};
use crate::common::{Failure, emit, emit_written, setup};
use crate::exit;
use juesuan_core::catalog::Classification;
use juesuan_core::{Diagnostic, Lang, Location, Text};
use juesuan_input::Source;
use juesuan_publish::audited::{AuditedSet, Outcome};
use juesuan_publish::{Setup, files, output, tools};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// An input read, built and checked: shared by `build` and `check`.
struct Checked {
    setup: Setup,
    checked: juesuan_publish::Checked,
    protect: Vec<PathBuf>,
}

/// Reads the input, builds its tables and runs every rule.
fn build_and_check(
    input_path: &Path,
    layout: Option<&str>,
    narrative: Option<&str>,
    data: &crate::cli::DataOpts,
) -> Result<Checked, Failure> {
    let (setup, mut protect) = setup(Some(data), layout, narrative)?;
    let input = files::read_bounded(input_path, Source::MAX_BYTES)
        .map_err(|d| Failure::invalid(vec![d]))?;
    protect.push(input_path.to_path_buf());
    let checked = juesuan_publish::check_bytes(&setup, &input_path.display().to_string(), &input)
        .map_err(Failure::invalid)?;
    Ok(Checked {
        setup,
        checked,
        protect,
    })
}

/// Prints findings for people on stderr (colours only on a terminal).
fn print_findings(checked: &juesuan_publish::Checked, lang: Lang) {
    use std::io::Write;
    let text = juesuan_render::findings::text(
        &checked.findings,
        checked.summary(),
        &checked.coverage,
        lang,
    );
    let mut err = anstream::stderr();
    let _ = err.write_all(text.as_bytes());
}

/// `juesuan check INPUT`.
pub fn check(args: &CheckArgs, input: &Path, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let Checked { checked, .. } = build_and_check(input, args.layout.as_deref(), None, &args.data)?;
    match args.format {
        ReportFormat::Json => {
            emit(&String::from_utf8_lossy(
                &checked.findings_json(&input.display().to_string()),
            ));
        }
        ReportFormat::Text => {
            if !quiet || checked.has_errors() {
                emit(&juesuan_render::findings::text(
                    &checked.findings,
                    checked.summary(),
                    &checked.coverage,
                    lang,
                ));
            }
        }
    }
    Ok(exit::code(if checked.has_errors() {
        exit::FINDINGS
    } else {
        exit::OK
    }))
}

/// `juesuan audit`.
pub fn audit(args: &AuditArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let (setup, _) = setup(Some(&args.data), args.layout.as_deref(), None)?;
    let audited = match juesuan_publish::audited::audit_inputs(&setup, &args.inputs)
        .map_err(Failure::invalid)?
    {
        Outcome::One(a) => *a,
        Outcome::Set(set) => return audit_set(&setup, &set, args, lang, quiet),
    };
    let names: Vec<String> = args
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    match args.format {
        AuditFormat::Json => emit(&String::from_utf8_lossy(
            &audited.findings_json(&names.join(" + ")),
        )),
        AuditFormat::Text => {
            if !quiet || audited.has_errors() {
                emit(&audited.text(lang));
            }
        }
        AuditFormat::Html => {
            // Only a PDF read in one piece has evidence, so only then are pages drawn.
            let pages = audited.evidence_pages();
            let (images, problems) = match args.inputs.as_slice() {
                [pdf] => tools::page_images(pdf, &pages),
                _ => Default::default(),
            };
            if !quiet {
                for d in &problems {
                    eprintln!("{}", d.render(lang));
                }
            }
            let html = audited
                .html(&names.join(" + "), &images, lang)
                .map_err(|d| Failure::invalid(vec![d]))?;
            emit(&html);
        }
    }
    Ok(exit::code(if audited.has_errors() {
        exit::FINDINGS
    } else {
        exit::OK
    }))
}

/// `juesuan audit` of several documents of one department: each audited, then reconciled.
fn audit_set(
    setup: &Setup,
    set: &AuditedSet,
    args: &AuditArgs,
    lang: Lang,
    quiet: bool,
) -> Result<ExitCode, Failure> {
    match args.format {
        AuditFormat::Json => emit(&String::from_utf8_lossy(&set.json(setup))),
        AuditFormat::Text => {
            if !quiet || set.has_errors() {
                emit(&set.text(setup, lang));
            }
        }
        AuditFormat::Html => emit(
            &set.html(setup, lang)
                .map_err(|d| Failure::invalid(vec![d]))?,
        ),
    }
    Ok(exit::code(if set.has_errors() {
        exit::FINDINGS
    } else {
        exit::OK
    }))
}

/// `juesuan rules`.
pub fn rules(args: &RulesArgs, lang: Lang) -> Result<ExitCode, Failure> {
    let (setup, _) = setup(Some(&args.data), None, None)?;
    let kind = args
        .kind
        .as_deref()
        .unwrap_or(juesuan_core::kind::FINAL_ACCOUNTS);
    let Some(bundle) = setup.assets.bundle(kind) else {
        let known: Vec<&str> = setup.assets.bundles().map(|b| b.kind.id.as_str()).collect();
        return Err(Failure::invalid(vec![
            Diagnostic::error(
                "E1301",
                Location::Nowhere,
                Text::new(
                    format!("没有文书类型 {kind}"),
                    format!("no document kind {kind}"),
                ),
            )
            .expected(Text::same(known.join(", ")))
            .found(kind.to_string()),
        ]));
    };
    let rules = &bundle.rules;
    if args.markdown {
        let intro = bundle.rules_intro.as_ref().map_or("", |s| s.text.as_str());
        let file = format!("data/kinds/{}/rules.toml", bundle.kind.id);
        let mut page = juesuan_render::findings::reference(rules, intro, &file);
        page.push_str(&juesuan_render::findings::reconcile_reference(
            &bundle.reconcile.rules,
            &format!("data/kinds/{}/reconcile.toml", bundle.kind.id),
        ));
        emit(&page);
    } else if let Some(id) = &args.id {
        // A relation between documents (R rule) is documented as the rules of one are.
        let relation = bundle
            .reconcile
            .rules
            .iter()
            .find(|r| r.def.id == *id)
            .map(|r| juesuan_core::rules::Rule {
                def: r.def.clone(),
                formulas: Vec::new(),
            });
        match rules.get(id).or(relation.as_ref()) {
            Some(rule) => emit(&juesuan_render::findings::rule_doc(rule, lang)),
            None => {
                return Err(Failure::invalid(vec![
                    Diagnostic::error(
                        "E0703",
                        Location::Nowhere,
                        Text::new(format!("没有规则 {id}"), format!("no rule {id}")),
                    )
                    .expected(Text::new(
                        "juesuan rules 列出的规则编号",
                        "an id listed by juesuan rules",
                    ))
                    .found(id.clone()),
                ]));
            }
        }
    } else {
        for d in rules
            .rules
            .iter()
            .map(|r| &r.def)
            .chain(bundle.reconcile.rules.iter().map(|r| &r.def))
        {
            let sev = match lang {
                Lang::Zh => d.severity.zh(),
                Lang::En => d.severity.en(),
            };
            let scope = match lang {
                Lang::Zh => d.scope.zh(),
                Lang::En => d.scope.en(),
            };
            emit(&format!(
                "{}\t{sev}\t{scope}\t{}\n",
                d.id,
                d.title.get(lang)
            ));
        }
    }
    Ok(exit::code(exit::OK))
}

/// `juesuan build INPUT`.
pub fn build(args: &BuildArgs, input: &Path, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "juesuan".into());
    // The input's document, then each other document asked for, named by its layout.
    let mut documents = vec![(
        args.layout.as_deref(),
        args.narrative.as_deref(),
        stem.clone(),
    )];
    for other in &args.with_layout {
        let id = Path::new(other)
            .file_stem()
            .map_or_else(|| other.clone(), |s| s.to_string_lossy().into_owned());
        documents.push((Some(other.as_str()), None, format!("{stem}.{id}")));
    }
    let mut refused = false;
    for (layout, narrative, stem) in documents {
        refused |= build_one(args, input, layout, narrative, &stem, lang, quiet)?;
    }
    if refused {
        if !quiet {
            eprintln!(
                "{}",
                match lang {
                    Lang::Zh =>
                        "检查发现错误，未发布；改正后重新生成，或用 --allow-errors 强制写出。",
                    Lang::En =>
                        "errors found: nothing published; fix them, or write anyway with --allow-errors.",
                }
            );
        }
        return Ok(exit::code(exit::FINDINGS));
    }
    Ok(exit::code(exit::OK))
}

/// Builds and writes one document of `input` with `layout`; whether its errors refused it.
fn build_one(
    args: &BuildArgs,
    input: &Path,
    layout: Option<&str>,
    narrative: Option<&str>,
    stem: &str,
    lang: Lang,
    quiet: bool,
) -> Result<bool, Failure> {
    let Checked {
        setup,
        checked,
        protect,
    } = build_and_check(input, layout, narrative, &args.data)?;
    let published = juesuan_publish::publish(
        &setup,
        &checked,
        &juesuan_publish::Request {
            input: &input.display().to_string(),
            stem,
            formats: &args.format,
            allow_errors: args.allow_errors,
            lang,
        },
        &tools::render_pdf,
    )
    .map_err(Failure::invalid)?;
    if !checked.findings.is_empty() && !quiet || published.refused {
        print_findings(&checked, lang);
    }
    let written = output::write_all(&args.out, &published.files, &protect)
        .map_err(|e| Failure::invalid(vec![files::io_error(&args.out, e)]))?;
    if !quiet {
        emit_written(&written, lang);
    }
    Ok(published.refused)
}

/// `juesuan schema`.
pub fn schema(args: &SchemaArgs) -> Result<ExitCode, Failure> {
    if args.markdown {
        // The file format, then the same input as a workbook.
        let mut doc = juesuan_input::schema::markdown();
        doc.push_str(&juesuan_input::workbook::book::markdown());
        emit(&doc);
    } else {
        emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&juesuan_input::schema::json_schema()).expect("schema")
        ));
    }
    Ok(exit::code(exit::OK))
}

/// `juesuan layouts`.
pub fn layouts(args: &LayoutsArgs, lang: Lang) -> Result<ExitCode, Failure> {
    let (setup, _) = setup(Some(&args.data), None, None)?;
    let assets = &setup.assets;
    for (_, asset) in assets.layouts() {
        let (id, file) = (&asset.id, &asset.source.name);
        match assets.layout(id) {
            Some(Ok(l)) => emit(&format!(
                "{id}\t{}\t({file}; {} {})\n",
                l.name.get(lang),
                match lang {
                    Lang::Zh => "情况说明",
                    Lang::En => "narrative",
                },
                l.narrative.as_deref().unwrap_or("tables-only")
            )),
            Some(Err(p)) => return Err(Failure::invalid(p)),
            None => {}
        }
    }
    for b in assets.bundles() {
        for (id, file) in b.narratives() {
            let file = &file.name;
            emit(&match lang {
                Lang::Zh => format!("{id}\t情况说明模板\t({file})\n"),
                Lang::En => format!("{id}\tnarrative template\t({file})\n"),
            });
        }
    }
    Ok(exit::code(exit::OK))
}

/// `juesuan catalog`.
pub fn catalog(args: &CatalogArgs, lang: Lang) -> Result<ExitCode, Failure> {
    let (Setup { catalog, .. }, _) = setup(Some(&args.data), None, None)?;
    let kinds = [
        Classification::Function,
        Classification::Economic,
        Classification::EconomicGov,
    ];
    if args.check {
        for k in kinds {
            let (name, n) = (
                match lang {
                    Lang::Zh => k.zh(),
                    Lang::En => k.en(),
                },
                catalog.len(k),
            );
            match lang {
                Lang::Zh => emit(&format!("{name}：{n} 个代码，结构无误\n")),
                Lang::En => emit(&format!("{name}: {n} codes, structure sound\n")),
            }
        }
        return Ok(exit::code(exit::OK));
    }
    let kind = match args.kind {
        KindArg::Function => Classification::Function,
        KindArg::Economic => Classification::Economic,
        KindArg::EconomicGov => Classification::EconomicGov,
    };
    for e in catalog.entries(kind) {
        emit(&format!("{}\t{}\t{}\n", e.code, e.level.zh(), e.name));
    }
    Ok(exit::code(exit::OK))
}
