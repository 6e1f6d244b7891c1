//! `juesuan`: compile, check and publish Chinese government departmental final accounts.
//!
//! A thin shell over the libraries: [`cli`] parses the arguments, [`commands`], [`batch`],
//! [`init`], [`layout`] and [`serve`] hand them to `juesuan-publish`, `juesuan-batch` and `juesuan-web` and
//! print what comes back; [`common`] is what they share. Exit codes are documented in [`exit`].

mod batch;
mod cli;
mod commands;
mod common;
mod exit;
mod init;
mod layout;
mod serve;

use clap::Parser;
use cli::{Cli, Command};
use juesuan_core::{Diagnostic, Lang};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang.resolve();
    let result = match &cli.command {
        Command::Build(args) => match (&args.input, &args.batch) {
            (Some(input), _) => commands::build(args, input, lang, cli.quiet),
            (None, Some(dir)) => batch::build(args, dir, lang, cli.quiet),
            (None, None) => unreachable!("clap: --batch or an input"),
        },
        Command::Check(args) => match (&args.input, &args.batch) {
            (Some(input), _) => commands::check(args, input, lang, cli.quiet),
            (None, Some(dir)) => batch::check(args, dir, lang, cli.quiet),
            (None, None) => unreachable!("clap: --batch or an input"),
        },
        Command::Audit(args) => match &args.batch {
            Some(dir) => batch::audit(args, dir, lang, cli.quiet),
            None => commands::audit(args, lang, cli.quiet),
        },
        Command::Init(args) => init::init(args, lang, cli.quiet),
        Command::Rules(args) => commands::rules(args, lang),
        Command::Schema(args) => commands::schema(args),
        Command::Layouts(args) => commands::layouts(args, lang),
        Command::Layout(args) => layout::run(args, lang, cli.quiet),
        Command::Catalog(args) => commands::catalog(args, lang),
        Command::Gen(args) => batch::generate(args, lang, cli.quiet),
        Command::Rollup(args) => batch::rollup(args, lang, cli.quiet),
        Command::Export(args) => batch::export(args, lang, cli.quiet),
        Command::Serve(args) => serve::serve(args, lang),
        Command::User(args) => serve::user(args, lang),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            report(&failure.diagnostics, lang);
            if !failure.diagnostics.is_empty() && !cli.quiet {
                let n = failure.diagnostics.len();
                eprintln!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("共 {n} 个错误；{}", failure.consequence.zh),
                        Lang::En => format!(
                            "{}; {}",
                            juesuan_render::findings::count_en(n, "error"),
                            failure.consequence.en
                        ),
                    }
                );
            }
            failure.exit
        }
    }
}

/// Prints diagnostics to stderr, one block each.
fn report(diagnostics: &[Diagnostic], lang: Lang) {
    for d in diagnostics {
        eprintln!("{}", d.render(lang));
    }
}
