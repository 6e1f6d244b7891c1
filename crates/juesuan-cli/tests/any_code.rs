//! A department that uses real codes the built-in (partial) catalog lacks: 项 2060103 机关服务
//! under a 款 the catalog has, 2050299 其他普通教育支出 under 款 20502, which it lacks too, and
//! the economic 款 31005 基础设施建设.
//! Accepted with the names the input gives them, one C104 warning per code; refused with
//! --strict-catalog or `catalog = "严格"` in the file; a code whose name is nowhere is an error naming what to write. The same
//! through the Excel template (its 科目名称 sheet).

mod support;

use std::path::Path;
use std::process::Output;
use support::juesuan;

/// The bundled example with two of its codes replaced by codes the catalog lacks; `codes`:
/// whether it names the missing 款 in `[codes]`.
fn input(codes: bool) -> String {
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/hongshan-kjj-2023.toml"
    ))
    .unwrap();
    let mut text = example
        .replace("2069999 其他科学技术支出", "2050299 其他普通教育支出")
        .replace("\"2069999\"", "\"2050299\"")
        .replace("2060199 其他科学技术管理事务支出", "2060103 机关服务")
        .replace("\"2060199\"", "\"2060103\"")
        .replace("30309 奖励金", "31005 基础设施建设");
    assert_ne!(text, example);
    if codes {
        text.push_str("\n[codes]\n\"20502\" = \"普通教育\"\n");
    }
    text
}

/// `juesuan build INPUT -o OUT` with `extra` arguments.
fn build(input: &Path, out: &Path, extra: &[&str]) -> Output {
    juesuan()
        .arg("build")
        .arg(input)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

/// Asserts exit 0, showing what was said otherwise.
fn ok(r: &Output) {
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
}

fn findings(dir: &std::path::Path, stem: &str) -> Vec<serde_json::Value> {
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(format!("{stem}.findings.json"))).unwrap())
            .unwrap();
    json["findings"].as_array().unwrap().clone()
}

/// The C104 findings: (code and name, severity).
fn c104(findings: &[serde_json::Value]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = findings
        .iter()
        .filter(|f| f["rule"] == "C104")
        .map(|f| {
            (
                f["found"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn expected() -> Vec<(String, String)> {
    [
        "20502 普通教育",
        "2050299 其他普通教育支出",
        "2060103 机关服务",
        "31005 基础设施建设",
    ]
    .map(|c| (c.to_string(), "warning".to_string()))
    .to_vec()
}

#[test]
fn codes_the_catalog_lacks_are_accepted_with_a_warning_each_and_refused_when_strict() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dept.toml");
    std::fs::write(&file, input(true)).unwrap();
    let out = dir.path().join("out");
    ok(&build(&file, &out, &["--format", "html,json"]));
    for ext in ["report.html", "report.json", "tables.html", "findings.json"] {
        assert!(out.join(format!("dept.{ext}")).exists(), "{ext}");
    }
    assert_eq!(c104(&findings(&out, "dept")), expected());
    // The tables print the new 款 and 项 with the input's names.
    let tables = std::fs::read_to_string(out.join("dept.tables.html")).unwrap();
    for row in [
        "20502</td><td class=\"name\">普通教育",
        "2050299</td><td class=\"name\">其他普通教育支出",
        "2060103</td><td class=\"name\">机关服务",
        "31005</td><td class=\"name\">基础设施建设",
    ] {
        assert!(tables.contains(row), "{row}");
    }

    // Strict: membership is an error again, nothing written.
    let strict = dir.path().join("strict");
    let r = build(
        &file,
        &strict,
        &["--format", "html,json", "--strict-catalog"],
    );
    assert_eq!(r.status.code(), Some(2));
    let said = String::from_utf8_lossy(&r.stderr);
    assert!(said.contains("E0212") && said.contains("E0211"), "{said}");
    assert!(!strict.exists());

    // The same asked by the file itself: `catalog = "严格"` in [department].
    let text = input(true);
    let asked = text.replacen(
        "layout = \"hubei-wuhan-2023\"",
        "layout = \"hubei-wuhan-2023\", catalog = \"严格\"",
        1,
    );
    assert_ne!(asked, text);
    let file = dir.path().join("strict.toml");
    std::fs::write(&file, asked).unwrap();
    let r = build(&file, &strict, &["--format", "html,json"]);
    assert_eq!(r.status.code(), Some(2));
    let said = String::from_utf8_lossy(&r.stderr);
    assert!(said.contains("E0212") && said.contains("E0211"), "{said}");
    assert!(!strict.exists());
}

#[test]
fn a_code_whose_name_is_nowhere_is_an_error_saying_what_to_write() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dept.toml");
    std::fs::write(&file, input(false)).unwrap();
    let r = build(&file, &dir.path().join("out"), &["--format", "json"]);
    assert_eq!(r.status.code(), Some(2));
    let said = String::from_utf8_lossy(&r.stderr);
    assert!(
        said.contains("E0211") && said.contains("\"20502\" = \"……\""),
        "{said}"
    );
    // Where it is: the fact's file, line and column.
    assert!(said.contains("dept.toml:33:"), "{said}");
    // A bare use of the 项 after a fact named it is not asked for its name again.
    assert!(!said.contains("\"2050299\" = \"……\""), "{said}");
}

#[test]
fn the_excel_template_carries_the_code_names() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dept.toml");
    std::fs::write(&file, input(true)).unwrap();
    let xlsx = dir.path().join("dept.xlsx");
    let r = juesuan()
        .args(["init", "--xlsx"])
        .arg(&xlsx)
        .arg("--from")
        .arg(&file)
        .output()
        .unwrap();
    ok(&r);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range("科目名称").unwrap();
    let rows: Vec<String> = sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    assert!(rows.iter().any(|r| r == "20502|普通教育"), "{rows:?}");
    let out = dir.path().join("out");
    ok(&build(&xlsx, &out, &["--format", "json"]));
    assert_eq!(c104(&findings(&out, "dept")), expected());
}

/// A district rolls up a department with such codes: its tables print them, and the district's
/// own input file names them, so it reads back.
#[test]
fn a_rollup_keeps_the_codes_the_departments_named() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(inputs.join("a.toml"), input(true)).unwrap();
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/hongshan-kjj-2023.toml"
    ))
    .unwrap();
    std::fs::write(
        inputs.join("b.toml"),
        example.replace("武汉市洪山区科学技术和经济信息化局", "武汉市洪山区另一局"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let r = juesuan()
        .args(["rollup"])
        .arg(&inputs)
        .arg("-o")
        .arg(&out)
        .args(["--name", "某区", "--format", "json"])
        .output()
        .unwrap();
    ok(&r);
    assert_eq!(c104(&findings(&out, "某区")), expected());
    let district = out.join("某区.toml");
    assert!(
        std::fs::read_to_string(&district)
            .unwrap()
            .contains("[codes]\n20502 = \"普通教育\"")
    );
    ok(&juesuan().arg("check").arg(&district).output().unwrap());
}
