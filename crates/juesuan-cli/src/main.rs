//! `juesuan`: compile, check and publish Chinese government departmental final accounts.
//!
//! A thin shell over `juesuan-input` (reading), `juesuan-core` (consolidation and views) and
//! `juesuan-render` (writing). Exit codes are documented in [`exit`].

mod batch;
mod cli;
mod exit;
mod init;
mod opts;
mod serve;

use clap::Parser;
use cli::{Cli, Command};
use juesuan_core::{Diagnostic, Lang};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang.resolve();
    let result = match &cli.command {
        Command::Build(args) => cli::build(args, lang, cli.quiet),
        Command::Check(args) => cli::check(args, lang, cli.quiet),
        Command::Audit(args) => cli::audit(args, lang, cli.quiet),
        Command::Init(args) => init::init(args, lang, cli.quiet),
        Command::Rules(args) => cli::rules(args, lang),
        Command::Schema(args) => cli::schema(args),
        Command::Layouts => cli::layouts(lang),
        Command::Catalog(args) => cli::catalog(args, lang),
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
                        Lang::En => format!("{n} error(s); {}", failure.consequence.en),
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
