//! `juesuan init --xlsx` end to end: the template is written, filled from an input it builds
//! the same outputs as that input, and a filled-in workbook's mistakes are located in both
//! languages.

mod support;

use support::{juesuan, repo};

#[test]
fn a_template_filled_from_each_example_builds_the_same_report() {
    for name in [
        "hongshan-kjj-2023",
        "three-units-2024",
        "shanghai-putuo-czj-2024",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let xlsx = dir.path().join(format!("{name}.xlsx"));
        let run = juesuan()
            .args(["init", "--xlsx"])
            .arg(&xlsx)
            .args(["--from", &format!("examples/{name}.toml")])
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(String::from_utf8_lossy(&run.stdout).contains("已写出"));
        let build = |input: &std::path::Path, out: &std::path::Path| {
            let run = juesuan()
                .arg("build")
                .arg(input)
                .arg("-o")
                .arg(out)
                .args(["--format", "xlsx,html,json"])
                .output()
                .unwrap();
            assert!(
                run.status.success(),
                "{}",
                String::from_utf8_lossy(&run.stderr)
            );
        };
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        build(&repo().join(format!("examples/{name}.toml")), &a);
        build(&xlsx, &b);
        for ext in [
            "views.json",
            "report.json",
            "report.html",
            "tables.html",
            "xlsx",
        ] {
            let f = format!("{name}.{ext}");
            assert!(
                std::fs::read(a.join(&f)).unwrap() == std::fs::read(b.join(&f)).unwrap(),
                "{f} differs between the TOML and the workbook"
            );
        }
    }
}

#[test]
fn the_empty_template_has_every_sheet_and_refuses_to_overwrite_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("t.xlsx");
    let run = juesuan()
        .args(["--lang", "en", "init", "--xlsx"])
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(run.status.success());
    let bytes = std::fs::read(&xlsx).unwrap();
    use calamine::Reader;
    let wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names();
    for s in [
        "Instructions",
        "Department",
        "Income",
        "Expenditure",
        "Project indicators",
        "Checks",
        "Lists",
    ] {
        assert!(names.iter().any(|n| n == s), "{s} missing from {names:?}");
    }
    // --from the very file it would write: refused, the input intact.
    let input = dir.path().join("x.toml");
    std::fs::copy(repo().join("examples/three-units-2024.toml"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let run = juesuan()
        .args(["init", "--xlsx"])
        .arg(&input)
        .arg("--from")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn a_bad_workbook_is_located_in_both_languages() {
    let file = "fixtures/bad-input/wb-wrong-code.xlsx";
    let zh = juesuan().args(["check", file]).output().unwrap();
    assert_eq!(zh.status.code(), Some(2));
    let zh = String::from_utf8_lossy(&zh.stderr);
    assert!(
        zh.contains(&format!("{file}: 收入!C5: 错误[E0211]")),
        "{zh}"
    );
    assert!(
        zh.contains("2070112 文化和旅游市场管理"),
        "the code its name names: {zh}"
    );
    let en = juesuan()
        .args(["--lang", "en", "check", file])
        .output()
        .unwrap();
    let en = String::from_utf8_lossy(&en.stderr);
    assert!(
        en.contains(&format!("{file}: 收入!C5: error[E0211]")),
        "{en}"
    );
    assert!(
        en.contains("is the name of 2070112") && en.contains("expected: 2070112"),
        "{en}"
    );
}
