//! The services through the library API, as the web app or a test drives them: no terminal,
//! progress recorded, results as data.

use juesuan_batch::service::{
    self, BuildOptions, CheckOptions, ExportFrom, ExportOptions, GenOptions, InMemory, Progress,
    RollupFolderOptions, RollupOptions,
};
use juesuan_batch::summary::{DepartmentSummary, Status};
use juesuan_batch::synth::Params;
use juesuan_core::{Diagnostic, Lang};
use juesuan_publish::{Format, Setup, SetupOptions};
use std::path::Path;

/// What a service told.
#[derive(Default)]
struct Recorded {
    total: Option<usize>,
    departments: Vec<(String, Status)>,
    generated: Vec<usize>,
    finished: bool,
}

impl Progress for Recorded {
    fn start(&mut self, total: usize) {
        assert!(self.total.is_none(), "started twice");
        self.total = Some(total);
    }
    fn department(&mut self, d: &DepartmentSummary) {
        assert!(self.total.is_some() && !self.finished);
        self.departments.push((d.file.clone(), d.status));
    }
    fn generated(&mut self, index: usize) {
        self.generated.push(index);
    }
    fn finish(&mut self) {
        self.finished = true;
    }
}

fn setup() -> Setup {
    Setup::new(SetupOptions::default()).unwrap()
}

fn no_pdf(_: &str) -> Result<Vec<u8>, Diagnostic> {
    unreachable!("no PDF asked for")
}

/// `n` generated departments in `dir` (the first few with an injected error when `errors`).
fn generate(dir: &Path, n: usize, errors: bool) -> Recorded {
    let mut p = Recorded::default();
    let out = service::generate(
        &setup().catalog,
        &GenOptions {
            params: Params {
                departments: n,
                seed: 3,
                error_ppm: if errors { 500_000 } else { 0 },
                ..Params::default()
            },
            out: dir.to_path_buf(),
            jobs: 2,
        },
        &mut p,
    )
    .unwrap();
    assert_eq!(out.departments, n);
    assert_eq!(out.manifest, dir.join("manifest.jsonl"));
    let manifest = std::fs::read_to_string(&out.manifest).unwrap();
    assert_eq!(manifest.lines().count(), n + 1);
    assert_eq!(errors, out.injected > 0);
    p
}

fn visible(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    v.sort();
    v
}

#[test]
fn generate_then_check_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("district");
    let p = generate(&dir, 8, true);
    assert_eq!(p.total, Some(8));
    assert_eq!(p.generated, (0..8).collect::<Vec<_>>());
    std::fs::write(dir.join("broken.toml"), "department = {").unwrap();
    let summary = tmp.path().join("report/summary.json");
    let mut p = Recorded::default();
    let outcome = service::check(
        &setup(),
        &CheckOptions {
            dir: dir.clone(),
            jobs: 3,
            lang: Lang::En,
            summary: Some(summary.clone()),
            protect: Vec::new(),
        },
        &mut p,
    )
    .unwrap();
    // Every input once, in listing order, then the end.
    assert_eq!(p.total, Some(9));
    assert!(p.finished);
    let files: Vec<&str> = p.departments.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(files[0], "broken.toml");
    assert!(files[1..].windows(2).all(|w| w[0] < w[1]));
    assert_eq!(p.departments[0].1, Status::Invalid);
    let t = &outcome.totals;
    // The broken file, and any department given a code not in the catalog.
    let invalid = p
        .departments
        .iter()
        .filter(|(_, s)| *s == Status::Invalid)
        .count();
    assert_eq!((t.departments, t.invalid), (9, invalid));
    assert!(t.with_errors > 0, "errors were injected");
    assert_eq!(outcome.exit_code(), 2);
    // The summary file says the same.
    assert_eq!(outcome.summary.as_deref(), Some(summary.as_path()));
    let s: serde_json::Value = serde_json::from_slice(&std::fs::read(&summary).unwrap()).unwrap();
    assert_eq!(s["format"], "juesuan.batch/1");
    assert_eq!(s["departments"].as_array().unwrap().len(), 9);
    assert_eq!(s["totals"], serde_json::to_value(t).unwrap());
    assert_eq!(visible(summary.parent().unwrap()), ["summary.json"]);
}

#[test]
fn an_empty_folder_is_refused_and_the_summary_never_lands_on_an_input() {
    let tmp = tempfile::tempdir().unwrap();
    let options = |summary| CheckOptions {
        dir: tmp.path().to_path_buf(),
        jobs: 1,
        lang: Lang::Zh,
        summary,
        protect: Vec::new(),
    };
    let e = service::check(&setup(), &options(None), &mut ()).unwrap_err();
    assert_eq!(e[0].code, "E1101");
    generate(tmp.path(), 1, false);
    let input = tmp.path().join("dept-00001.toml");
    let before = std::fs::read(&input).unwrap();
    let e = service::check(&setup(), &options(Some(input.clone())), &mut ()).unwrap_err();
    assert_eq!(e[0].code, "E0601");
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn build_a_folder_writes_each_department_and_the_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    generate(&dir, 3, false);
    let out = dir.join("out");
    let mut p = Recorded::default();
    let outcome = service::build(
        &setup(),
        &BuildOptions {
            dir: dir.clone(),
            out: out.clone(),
            formats: Format::without_external(),
            allow_errors: false,
            jobs: 2,
            lang: Lang::Zh,
            protect: Vec::new(),
        },
        &no_pdf,
        &mut p,
    )
    .unwrap();
    // The output folder inside the input folder is not read back.
    assert_eq!(p.total, Some(3));
    assert_eq!(outcome.exit_code(), 0);
    assert_eq!(outcome.totals.files_written, 3 * 7);
    assert_eq!(outcome.summary, Some(out.join("summary.json")));
    assert_eq!(
        visible(&out.join("dept-00002")),
        [
            "dept-00002.findings.json",
            "dept-00002.report.docx",
            "dept-00002.report.html",
            "dept-00002.report.json",
            "dept-00002.tables.html",
            "dept-00002.views.json",
            "dept-00002.xlsx",
        ]
    );
}

#[test]
fn the_web_rollup_and_the_folder_rollup_are_the_same_rollup() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    generate(&dir, 4, false);
    let rollup = RollupOptions {
        name: "示例区".into(),
        code: None,
        allow_errors: false,
        jobs: 2,
        lang: Lang::Zh,
    };
    let out = tmp.path().join("out");
    let mut p = Recorded::default();
    let folder = service::rollup_folder(
        &setup(),
        &RollupFolderOptions {
            dir: dir.clone(),
            out: out.clone(),
            formats: vec![Format::Json],
            rollup: rollup.clone(),
            protect: Vec::new(),
        },
        &no_pdf,
        &mut p,
    )
    .unwrap();
    assert_eq!(p.departments.len(), 4);
    assert_eq!(folder.exit_code(), 0);
    let written = folder.written.unwrap();
    assert!(!written.refused);
    assert_eq!(
        visible(&out),
        [
            "示例区.findings.json",
            "示例区.report.json",
            "示例区.toml",
            "示例区.views.json",
        ]
    );
    // The same departments held in memory, as the web app holds its uploads.
    let memory: Vec<InMemory> = (1..=4)
        .map(|i| {
            let name = format!("dept-{i:05}.toml");
            InMemory {
                bytes: std::fs::read(dir.join(&name)).unwrap(),
                name,
            }
        })
        .collect();
    let rolled = service::rollup(&setup(), &memory, &rollup, &mut ()).unwrap();
    let district = rolled.district.unwrap();
    assert_eq!(
        district.checked.built.views,
        written.district.checked.built.views
    );
    assert_eq!(district.flows, written.district.flows);
    // An invalid department stops the roll-up with its diagnostics.
    let mut bad = memory.clone();
    bad[1].bytes = b"department = {".to_vec();
    let e = service::rollup(&setup(), &bad, &rollup, &mut ()).unwrap_err();
    assert!(
        e.iter()
            .all(|d| d.location.to_string().contains("dept-00002.toml"))
    );
}

#[test]
fn departments_with_errors_stop_a_rollup_unless_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    let setup = setup();
    service::generate(
        &setup.catalog,
        &GenOptions {
            params: Params {
                departments: 8,
                seed: 5,
                error_ppm: 500_000,
                interdepartment: false,
                ..Params::default()
            },
            out: tmp.path().to_path_buf(),
            jobs: 1,
        },
        &mut (),
    )
    .unwrap();
    // The valid departments, some of them failing error rules.
    let memory: Vec<InMemory> = (1..=8)
        .map(|i| format!("dept-{i:05}.toml"))
        .map(|name| InMemory {
            bytes: std::fs::read(tmp.path().join(&name)).unwrap(),
            name,
        })
        .filter(|m| juesuan_publish::check_bytes(&setup, &m.name, &m.bytes).is_ok())
        .collect();
    let with_errors = memory
        .iter()
        .filter(|m| {
            juesuan_publish::check_bytes(&setup, &m.name, &m.bytes).is_ok_and(|c| c.has_errors())
        })
        .count();
    assert!(with_errors > 0 && with_errors < memory.len());
    let mut options = RollupOptions {
        name: "区".into(),
        code: None,
        allow_errors: false,
        jobs: 2,
        lang: Lang::En,
    };
    let rolled = service::rollup(&setup, &memory, &options, &mut ()).unwrap();
    assert!(rolled.district.is_none());
    assert_eq!(rolled.totals.with_errors, with_errors);
    options.allow_errors = true;
    let rolled = service::rollup(&setup, &memory, &options, &mut ()).unwrap();
    assert!(rolled.district.is_some());
    assert_eq!(rolled.totals.departments, memory.len());
}

#[test]
fn export_a_folder_and_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    generate(&dir, 3, false);
    let options = |from, out: &Path| ExportOptions {
        from,
        out: out.to_path_buf(),
        allow_errors: false,
        jobs: 2,
        lang: Lang::Zh,
        protect: Vec::new(),
    };
    let out = tmp.path().join("open");
    let mut p = Recorded::default();
    let exported = service::export(
        &setup(),
        &options(ExportFrom::Folder(dir.clone()), &out),
        &mut p,
    )
    .unwrap();
    assert_eq!(p.total, Some(3));
    assert_eq!((exported.exported, exported.exit_code()), (3, 0));
    let names: Vec<String> = exported
        .written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "facts.csv",
            "facts.parquet",
            "views.csv",
            "views.parquet",
            "datapackage.json"
        ]
    );
    assert_eq!(visible(&out).len(), 5);
    let d: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("datapackage.json")).unwrap()).unwrap();
    assert_eq!(d["name"], "in");
    let one = tmp.path().join("one");
    let exported = service::export(
        &setup(),
        &options(ExportFrom::File(dir.join("dept-00002.toml")), &one),
        &mut (),
    )
    .unwrap();
    assert_eq!(exported.exported, 1);
    let d: serde_json::Value =
        serde_json::from_slice(&std::fs::read(one.join("datapackage.json")).unwrap()).unwrap();
    assert_eq!(d["name"], "dept-00002");
}
