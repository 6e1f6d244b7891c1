//! Two kinds of document in the web app: a department's 部门预算 and 部门决算 go through the
//! same review, stand side by side in the library's department × year grid, and its page
//! reconciles them (the R rules of `reconcile.toml`, on the published pages read back).

mod common;

use axum::http::StatusCode;
use common::*;
use juesuan_web::Db;
use juesuan_web::store::{self, Role};

const PUTUO: &str = "上海市普陀区财政局";

fn repo_file(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The one-ledger fixture: the real 2025 budget of 上海市普陀区财政局 with a 决算 beside it,
/// printed by a 决算 layout (its 年初预算 are the budget's by construction).
fn final_accounts() -> Vec<u8> {
    repo_file("fixtures/xdoc/one-ledger-2025.toml")
}

/// The department's real 2025 budget.
fn budget() -> Vec<u8> {
    repo_file("examples/shanghai-putuo-czj-2025-budget.toml")
}

/// The 决算 of the ledger with 2010602's 年初预算 made 110,000.00 where the published budget
/// has 100,000.00 (the budget facts' income and expenditure of the item both changed, so the
/// 决算 still passes its own rules).
fn final_accounts_off_budget() -> Vec<u8> {
    let text = String::from_utf8(final_accounts()).unwrap();
    let income = r#"{ source = "一般公共预算财政拨款", function = "2010602 一般行政管理事务", amount = 100000.00 }"#;
    let spent = r#"{ fund = "一般公共预算财政拨款", function = "2010602", kind = "项目支出", amount = 100000.00 }"#;
    assert_eq!(text.matches(income).count(), 1);
    assert_eq!(text.matches(spent).count(), 1);
    text.replace(income, &income.replace("100000.00", "110000.00"))
        .replace(spent, &spent.replace("100000.00", "110000.00"))
        .into_bytes()
}

/// A world with 上海市普陀区财政局 and its editor `putuo` (the reviewer of its region is
/// `outsider`).
fn world(backend: &str) -> World {
    let w = World::new(backend);
    sync(|| {
        let db = &w.state.db;
        let region = store::ensure_region(db, "上海市普陀区").unwrap();
        let dept = store::ensure_department(db, region, PUTUO).unwrap();
        store::add_user(
            db,
            "putuo",
            "普陀填报员",
            PASSWORD,
            Role::Editor,
            Some(dept),
            None,
        )
        .unwrap();
    });
    w
}

/// Uploads `bytes` as `name`, submits and approves it; returns (upload id, publication id).
async fn publish(editor: &Client, reviewer: &Client, name: &str, bytes: &[u8]) -> (i64, i64) {
    let r = editor.upload_to("/api/uploads", name, bytes, true).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["upload"]["id"].as_i64().unwrap();
    let r = editor.form(&format!("/uploads/{id}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = reviewer
        .form(&format!("/uploads/{id}/approve"), &[("confirm", "yes")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let p = editor.get(&format!("/api/uploads/{id}")).await.json()["upload"]["publication_id"]
        .as_i64()
        .unwrap();
    (id, p)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_budget_and_final_accounts_are_published_side_by_side_and_reconciled() {
    for backend in backends() {
        let w = world(backend);
        let editor = w.signed_in("putuo").await;
        let reviewer = w.signed_in("outsider").await;
        let public = w.client();

        // Each upload knows its kind from the layout it names.
        let (fa_upload, fa) = publish(&editor, &reviewer, "ledger.toml", &final_accounts()).await;
        let (b_upload, b) = publish(&editor, &reviewer, "budget.toml", &budget()).await;
        for (upload, kind) in [(fa_upload, "final-accounts"), (b_upload, "budget")] {
            let view = editor.get(&format!("/api/uploads/{upload}")).await.json();
            assert_eq!(view["upload"]["kind"], kind, "{backend}");
        }
        let work = editor.get("/work").await.text();
        assert!(work.contains(r#"data-kind="budget">部门预算"#), "{work}");

        // Versions count per kind: both are the first of 2025.
        for (p, kind) in [(fa, "final-accounts"), (b, "budget")] {
            let api = public.get(&format!("/api/publications/{p}")).await.json();
            assert_eq!(api["publication"]["kind"], kind, "{backend}");
            assert_eq!(api["publication"]["version"], 1, "{backend}: {kind}");
            assert_eq!(api["publication"]["year"], 2025);
        }
        let page = public.get(&format!("/p/{b}")).await.text();
        assert!(page.contains("2025年度部门预算</h1>"), "{page}");

        // The library: one cell, 2025, with both documents.
        let library = public.get("/").await.text();
        let row = library
            .split("<tr>")
            .find(|r| r.contains(PUTUO))
            .expect("the department's row");
        assert!(
            row.contains(&format!(r#"<a href="/p/{fa}">部门决算 第1版</a>"#))
                && row.contains(&format!(r#"<a href="/p/{b}">部门预算 第1版</a>"#)),
            "{row}"
        );

        // Its page: the two documents reconcile (R301 and R302 relations, none failing).
        let department = row
            .split("/departments/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        let page = public.get(&format!("/departments/{department}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let page = page.text();
        let section = page
            .split(r#"<section id="reconciliation">"#)
            .nth(1)
            .expect("a reconciliation section");
        assert!(
            section.contains("2025年度部门决算（第1版）")
                && section.contains("2025年度部门预算（第1版）"),
            "{section}"
        );
        let checked: usize = section
            .split("<td>")
            .filter_map(|c| c.split('<').next()?.trim().parse::<usize>().ok())
            .sum();
        assert!(
            checked >= 19,
            "R301 and R302 relate at least 19 figures: {section}"
        );
        assert!(section.contains("各文书之间的数字一致"), "{section}");
        let english = public
            .get(&format!("/departments/{department}?lang=en"))
            .await
            .text();
        assert!(
            english.contains("departmental final accounts 2025 (version 1)")
                && english.contains("The documents agree with each other."),
            "{english}"
        );
        public.get("/?lang=zh").await;
        // Tables compare within a kind; across kinds the page says where to look instead.
        let r = public
            .get(&format!("/compare?a={fa}&b={b}&table=income"))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.text().contains("只能比较同一类文书"), "{}", r.text());
        assert!(
            !public
                .get(&format!("/departments/{department}"))
                .await
                .text()
                .contains(r#"action="/compare""#),
            "one version of each kind: nothing to compare"
        );

        // A second 决算 whose 年初预算 of one item is not the published budget's: version 2 of
        // the 决算 (the budget stays version 1), and the page names both documents.
        let (_, fa2) = publish(
            &editor,
            &reviewer,
            "ledger-v2.toml",
            &final_accounts_off_budget(),
        )
        .await;
        let api = public.get(&format!("/api/publications/{fa2}")).await.json();
        assert_eq!(api["publication"]["version"], 2);
        let page = public
            .get(&format!("/departments/{department}"))
            .await
            .text();
        // The two versions of the 决算 compare with each other, not with the budget.
        let forms: Vec<&str> = page.split(r#"action="/compare""#).skip(1).collect();
        assert_eq!(forms.len(), 1, "{page}");
        assert!(forms[0].starts_with(r#" data-kind="final-accounts""#));
        let form = forms[0].split("</form>").next().unwrap();
        for (id, offered) in [(fa, true), (fa2, true), (b, false)] {
            assert_eq!(
                form.contains(&format!(r#"<option value="{id}""#)),
                offered,
                "{form}"
            );
        }
        let section = page
            .split(r#"<section id="reconciliation">"#)
            .nth(1)
            .unwrap();
        assert!(section.contains("2025年度部门决算（第2版）"), "{section}");
        let errors: Vec<&str> = section
            .split(r#"<div class="finding error" data-rule="R301">"#)
            .skip(1)
            .collect();
        assert!(!errors.is_empty(), "{section}");
        assert!(
            errors.iter().any(|e| e.contains("11.00万元")
                && e.contains("10.00万元")
                && e.contains(&format!(r#"href="/p/{fa2}""#))
                && e.contains(&format!(r#"href="/p/{b}""#))),
            "the stated 11.00 against the budget's 10.00, linking both: {section}"
        );
        assert!(
            !section.contains("各文书之间的数字一致"),
            "no all-clear beside an error"
        );

        // Withdrawn, version 2 is no longer the department's 决算: version 1 reconciles again.
        let r = reviewer
            .form(
                &format!("/p/{fa2}/withdraw"),
                &[
                    ("reason", "年初预算与公开的部门预算不一致"),
                    ("confirm", "yes"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let page = public
            .get(&format!("/departments/{department}"))
            .await
            .text();
        let section = page
            .split(r#"<section id="reconciliation">"#)
            .nth(1)
            .unwrap();
        assert!(
            section.contains("2025年度部门决算（第1版）")
                && section.contains("各文书之间的数字一致"),
            "{section}"
        );
    }
}

/// A database made by an earlier juesuan (migrations 1–3, one published version) is migrated:
/// the version stays, a final account with its files; a budget of the same year then starts at
/// version 1 of its own; published rows stay immutable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_earlier_database_keeps_its_publications_as_final_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "PRAGMA foreign_keys = ON; CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, \
             name TEXT NOT NULL, applied_at BIGINT NOT NULL);",
        )
        .unwrap();
        for (v, name, sql) in [
            (
                1,
                "init",
                include_str!("../../../data/migrations/0001_init.sql"),
            ),
            (
                2,
                "immutable",
                include_str!("../../../data/migrations/0002_immutable.sqlite.sql"),
            ),
            (
                3,
                "review",
                include_str!("../../../data/migrations/0003_review.sqlite.sql"),
            ),
        ] {
            c.execute_batch(
                &sql.replace("{id}", "INTEGER PRIMARY KEY AUTOINCREMENT")
                    .replace("{int}", "INTEGER")
                    .replace("{blob}", "BLOB"),
            )
            .unwrap();
            c.execute(
                "INSERT INTO schema_migrations VALUES (?1, ?2, 0)",
                rusqlite::params![v, name],
            )
            .unwrap();
        }
        c.execute_batch(
            "INSERT INTO regions (name, created_at) VALUES ('上海市普陀区', 0);
             INSERT INTO departments (region_id, name, created_at) VALUES (1, '上海市普陀区财政局', 0);
             INSERT INTO users (username, display_name, password_hash, role, department_id, created_at)
               VALUES ('putuo', '普陀填报员', 'x', 'editor', 1, 0);
             INSERT INTO uploads (department_id, year, filename, size, content, uploaded_by,
               uploaded_at, valid, errors, warnings, findings_json) VALUES
               (1, 2025, 'old.toml', 1, X'00', 1, 0, 1, 0, 0, '{}');
             INSERT INTO publications (upload_id, department_id, year, version, approved_by,
               published_at) VALUES (1, 1, 2025, 1, 1, 0);
             INSERT INTO publication_files VALUES (1, 'report.html', X'3C68746D6C3E');
             INSERT INTO withdrawals (publication_id, reason, user_id, at) VALUES (1, '旧版', 1, 0);",
        )
        .unwrap();
    }
    let db = sync(|| Db::open_sqlite(&path)).unwrap();
    let p = sync(|| store::publication(&db, 1)).unwrap().unwrap();
    assert_eq!(
        (p.kind.as_str(), p.version, p.year),
        ("final-accounts", 1, 2025)
    );
    assert_eq!(p.files, ["report.html", "report.pdf"]);
    assert_eq!(p.withdrawn.map(|w| w.reason).as_deref(), Some("旧版"));
    let upload = sync(|| store::upload(&db, 1)).unwrap().unwrap();
    assert_eq!(upload.kind, "final-accounts");
    // Published rows are still immutable, and references are still enforced.
    for sql in [
        "UPDATE publications SET version = 9 WHERE id = 1",
        "DELETE FROM publications WHERE id = 1",
        "INSERT INTO publication_files VALUES (99, 'x', X'00')",
    ] {
        assert!(sync(|| db.with(|c| c.query(sql, &[]))).is_err(), "{sql}");
    }
    // A budget of the same department and year: a version 1 of its own kind.
    let same = |kind: &str, version: i64| {
        format!(
            "INSERT INTO publications (upload_id, department_id, year, version, approved_by, \
             published_at, kind) VALUES (1, 1, 2025, {version}, 1, 0, '{kind}')"
        )
    };
    assert!(
        sync(|| db.with(|c| c.query(&same("final-accounts", 1), &[]))).is_err(),
        "version 1 of the final accounts exists"
    );
    sync(|| {
        db.with(|c| {
            c.query(
                "INSERT INTO uploads (department_id, year, filename, size, content, uploaded_by, \
                 uploaded_at, valid, errors, warnings, findings_json, kind) VALUES \
                 (1, 2025, 'b.toml', 1, X'00', 1, 0, 1, 0, 0, '{}', 'budget')",
                &[],
            )
        })
    })
    .unwrap();
    let budget = same("budget", 1).replace("VALUES (1,", "VALUES (2,");
    sync(|| db.with(|c| c.query(&budget, &[]))).unwrap();
    // Migrating again changes nothing.
    sync(|| db.migrate()).unwrap();
    assert_eq!(sync(|| store::count(&db, "publications")).unwrap(), 2);
}
