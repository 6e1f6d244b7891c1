//! `juesuan build` end to end, on both bundled examples.

mod support;

use support::juesuan;

#[test]
fn builds_every_output_for_both_examples() {
    for name in ["hongshan-kjj-2023", "three-units-2024"] {
        let out = tempfile::tempdir().unwrap();
        let result = juesuan()
            .args(["build", &format!("examples/{name}.toml"), "-o"])
            .arg(out.path())
            .output()
            .unwrap();
        assert!(
            result.status.success(),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
        for ext in [
            "xlsx",
            "report.html",
            "tables.html",
            "report.pdf",
            "views.json",
            "report.json",
        ] {
            let file = out.path().join(format!("{name}.{ext}"));
            assert!(
                std::fs::metadata(&file).unwrap().len() > 1000,
                "{}",
                file.display()
            );
        }
        // The findings go beside the outputs, even when there are none.
        let findings: serde_json::Value = serde_json::from_slice(
            &std::fs::read(out.path().join(format!("{name}.findings.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(findings["summary"]["errors"], 0);
        let json: serde_json::Value = serde_json::from_slice(
            &std::fs::read(out.path().join(format!("{name}.views.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(json["tables"].as_array().unwrap().len(), 9);
        // The report's JSON: every printed figure of the narrative names a figure it has.
        let report: serde_json::Value = serde_json::from_slice(
            &std::fs::read(out.path().join(format!("{name}.report.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(report["format"], "juesuan.report/1");
        let figures = report["figures"].as_object().unwrap();
        let mut printed = 0;
        for block in report["narrative"].as_array().unwrap() {
            for seg in block["segments"].as_array().into_iter().flatten() {
                if seg["type"] == "figure" {
                    printed += 1;
                    let key = seg["key"].as_str().unwrap();
                    assert!(figures.contains_key(key), "{name}: {key}");
                }
            }
        }
        assert!(printed > 20, "{name}: {printed} figures printed");
        // No temporary files are left behind.
        let names: Vec<String> = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    }
}

#[test]
fn english_messages_and_outputs() {
    let out = tempfile::tempdir().unwrap();
    let result = juesuan()
        .args([
            "--lang",
            "en",
            "build",
            "examples/three-units-2024.toml",
            "--format",
            "json",
            "-o",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(result.status.success());
    assert!(String::from_utf8_lossy(&result.stdout).starts_with("wrote "));
}

#[test]
fn help_documents_every_command_with_examples_and_exit_codes() {
    let top = juesuan().arg("--help").output().unwrap();
    let text = String::from_utf8(top.stdout).unwrap();
    for needle in [
        "build",
        "schema",
        "layouts",
        "catalog",
        "Exit codes",
        "--lang",
        "Examples",
    ] {
        assert!(text.contains(needle), "--help lacks {needle}");
    }
    for sub in ["build", "check", "rules", "schema", "catalog"] {
        let help = juesuan().args([sub, "--help"]).output().unwrap();
        assert!(help.status.success());
        assert!(
            String::from_utf8(help.stdout).unwrap().contains("Examples"),
            "{sub} --help has no examples"
        );
    }
}

#[test]
fn a_layout_can_be_given_as_a_file() {
    let out = tempfile::tempdir().unwrap();
    let result = juesuan()
        .args([
            "build",
            "examples/hongshan-kjj-2023.toml",
            "--layout",
            "data/kinds/final-accounts/layouts/hubei-wuhan-2023.toml",
            "--format",
            "json",
            "-o",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let unknown = juesuan()
        .args([
            "build",
            "examples/hongshan-kjj-2023.toml",
            "--layout",
            "no-such-layout",
            "-o",
        ])
        .arg(out.path().join("x"))
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("E0503"));
}

#[test]
fn a_catalog_file_extends_or_replaces_the_builtin_one() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("official.csv");
    std::fs::write(
        &csv,
        "code,name\n206,科学技术支出\n20601,科学技术管理事务\n2060101,行政运行\n2060105,新增项\n",
    )
    .unwrap();
    let ok = juesuan()
        .args(["catalog", "--check", "--catalog"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(ok.status.success());
    // Without the built-in catalog, the seed's other codes are unknown.
    let only = juesuan()
        .args([
            "build",
            "examples/hongshan-kjj-2023.toml",
            "--no-builtin-catalog",
            "--catalog",
        ])
        .arg(&csv)
        .arg("-o")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(only.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&only.stderr).contains("E0211"));
    // A broken catalog: a 项 whose 款 is missing.
    std::fs::write(&csv, "code,name\n206,科学技术支出\n2069901,某项\n").unwrap();
    let bad = juesuan()
        .args(["catalog", "--check", "--no-builtin-catalog", "--catalog"])
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("E0105") && err.contains("official.csv:3:1"),
        "{err}"
    );
}

#[test]
fn a_broken_narrative_template_is_located_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("bad.j2");
    // Line 3 asks for a rate over a zero base (no 三公 abroad budget in the seed).
    std::fs::write(
        &template,
        "# 测试\n共 {{ m(\"grand_total\") }} 万元。\n{{ pct(\"sangong.abroad.completion\", 1) }}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    for (narrative, code, place) in [
        (template.display().to_string(), "E0802", "bad.j2:3:1"),
        ("no-such-template".to_string(), "E0801", "no-such-template"),
    ] {
        let result = juesuan()
            .args([
                "build",
                "examples/hongshan-kjj-2023.toml",
                "--format",
                "html",
                "--narrative",
                &narrative,
                "-o",
            ])
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(code), "{stderr}");
        assert!(stderr.contains(place), "{stderr}");
        assert!(!out.exists(), "outputs written for {narrative}");
    }
}
