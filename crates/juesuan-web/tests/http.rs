//! HTTP-level tests of every route and role boundary, against SQLite and (when the test set-up
//! started one) PostgreSQL: the workflow from upload to publication, who may see and do what,
//! escaping of user text, CSRF, login rate limiting, concurrent uploads, immutability.

mod common;

use axum::http::StatusCode;
use common::*;
use juesuan_web::db::Value;
use juesuan_web::store;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_workflow() {
    for backend in backends() {
        let w = World::new(backend);
        let public = w.client();
        let home = public.get("/").await;
        assert!(!home.text().contains(DEPT), "{backend}");
        assert_eq!(home.headers["x-frame-options"], "SAMEORIGIN");
        assert_eq!(home.headers["referrer-policy"], "same-origin");

        let editor = w.signed_in("editor").await;
        let id = editor.upload_example().await;
        let page = editor.get(&format!("/uploads/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let text = page.text();
        assert!(text.contains("P104"), "findings listed");
        assert!(text.contains("cell="), "each finding links to its cell");
        assert!(text.contains("草稿"));
        let preview = editor.get(&format!("/uploads/{id}/preview")).await;
        assert!(preview.text().contains("公开01表") && preview.text().contains("cell=([^&]*)"));
        assert!(editor.get("/work").await.text().contains("hongshan.toml"));
        // English pages on request.
        assert!(
            editor
                .get("/work?lang=en")
                .await
                .text()
                .contains("Workspace")
        );
        assert!(
            editor.get("/work").await.text().contains("Workspace"),
            "the cookie keeps it"
        );
        editor.get("/work?lang=zh").await;

        // The reviewer does not see a draft; after submission they do.
        let reviewer = w.signed_in("reviewer").await;
        assert_eq!(
            reviewer.get(&format!("/uploads/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        let r = editor.form(&format!("/uploads/{id}/submit"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let again = editor.form(&format!("/uploads/{id}/submit"), &[]).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "submitted once");
        let page = reviewer.get(&format!("/uploads/{id}")).await.text();
        assert!(page.contains("已提交") && page.contains("id=\"approve\""));
        let r = reviewer
            .form(
                &format!("/uploads/{id}/comments"),
                &[("finding", "0"), ("text", "请补填总目标得分")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let r = reviewer
            .post_json(
                &format!("/api/uploads/{id}/comments"),
                serde_json::json!({"text": "总体意见：数据完整"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let view = editor.get(&format!("/api/uploads/{id}")).await.json();
        assert_eq!(view["findings"][0]["notes"][0]["text"], "请补填总目标得分");
        assert_eq!(
            view["general"].as_array().unwrap().len(),
            2,
            "submitted + overall comment"
        );

        // Approving asks first: the first press publishes nothing.
        let r = reviewer
            .form(&format!("/uploads/{id}/approve"), &[("comment", "")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains("id=\"confirm-approve\""), "{}", r.text());
        assert_eq!(
            sync(|| store::count(&w.state.db, "publications")).unwrap(),
            0
        );
        let r = reviewer
            .form(
                &format!("/uploads/{id}/approve"),
                &[("comment", ""), ("confirm", "yes")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let view = editor.get(&format!("/api/uploads/{id}")).await.json();
        assert_eq!(view["upload"]["state"], "approved");
        let p = view["upload"]["publication_id"].as_i64().unwrap();

        // The public reads it, with every download.
        let page = public.get(&format!("/p/{p}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains(DEPT));
        assert!(public.get("/").await.text().contains(DEPT));
        assert!(
            public
                .get(&format!("/?q={}", enc("洪山")))
                .await
                .text()
                .contains(DEPT)
        );
        assert!(
            !public
                .get("/?q=nothing-like-it")
                .await
                .text()
                .contains(DEPT)
        );
        let xlsx = public.get(&format!("/p/{p}/files/report.xlsx")).await;
        assert!(xlsx.body.starts_with(b"PK"));
        assert!(
            xlsx.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains("attachment")
        );
        // The Word report is made with the publication and offered with the others.
        let docx = public.get(&format!("/p/{p}/files/report.docx")).await;
        assert!(docx.body.starts_with(b"PK"));
        assert!(
            docx.headers["content-type"]
                .to_str()
                .unwrap()
                .contains("wordprocessingml")
        );
        let page = public.get(&format!("/p/{p}")).await.text();
        assert!(page.contains("report.docx") && page.contains("Word 报告"));
        let csv = public.get(&format!("/p/{p}/files/views.csv")).await.text();
        assert!(
            csv.starts_with("department_code,") || csv.contains("amount"),
            "{}",
            &csv[..200.min(csv.len())]
        );
        assert!(
            public
                .get(&format!("/p/{p}/files/report.json"))
                .await
                .json()
                .is_object()
        );
        assert!(
            public
                .get(&format!("/p/{p}/files/views.json"))
                .await
                .json()
                .is_object()
        );
        assert!(
            public
                .get(&format!("/p/{p}/files/report.html"))
                .await
                .text()
                .contains("<html")
        );
        let pdf = public.get(&format!("/p/{p}/files/report.pdf")).await;
        assert_eq!(pdf.body, b"%PDF-1.4 test");
        assert_eq!(
            public.get(&format!("/p/{p}/files/nope.txt")).await.status,
            StatusCode::NOT_FOUND
        );
        let api = public.get("/api/publications").await.json();
        assert_eq!(api["publications"][0]["version"], 1);
        assert!(
            public.get(&format!("/api/publications/{p}")).await.json()["publication"]["files"]
                .as_array()
                .unwrap()
                .len()
                >= 7
        );

        // A second version: version 1 stays as it was.
        let v1 = public.get(&format!("/p/{p}/files/report.xlsx")).await.body;
        let id2 = editor.upload_example().await;
        editor.form(&format!("/uploads/{id2}/submit"), &[]).await;
        let r = reviewer
            .post_json(
                &format!("/api/uploads/{id2}/approve"),
                serde_json::json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let p2 = r.json()["publication_id"].as_i64().unwrap();
        assert_eq!(
            public.get(&format!("/api/publications/{p2}")).await.json()["publication"]["version"],
            2
        );
        assert_eq!(
            public.get(&format!("/p/{p}/files/report.xlsx")).await.body,
            v1
        );

        // Department page, comparison (identical versions: nothing changed), roll-up.
        let dept_id = view["upload"]["department_id"].as_i64().unwrap();
        let dp = public.get(&format!("/departments/{dept_id}")).await.text();
        assert!(dp.contains("/compare"));
        let cmp = public
            .get(&format!("/api/compare?a={p}&b={p2}&table=summary"))
            .await
            .json();
        assert!(!cmp["rows"].as_array().unwrap().is_empty());
        assert!(
            cmp["rows"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["changed"] == false)
        );
        assert!(
            public
                .get(&format!("/compare?a={p}&b={p2}&table=summary"))
                .await
                .text()
                .contains("id=\"compare\"")
        );
        let region = view["upload"]["region_id"].as_i64().unwrap();
        let roll = public
            .get(&format!("/rollup?region={region}&year=2023"))
            .await
            .text();
        assert!(roll.contains(DEPT), "{roll}");
        let report = public
            .get(&format!("/rollup/report.html?region={region}&year=2023"))
            .await;
        assert!(report.text().contains("公开01表"));
        // A district lists no units: no "本级决算和 0 个下属单位决算组成".
        assert!(
            !report.text().contains("下属单位决算组成")
                && report.text().contains("年度决算未按单位列示构成"),
            "{}",
            report.text()
        );

        // Returning a submission.
        let id3 = editor.upload_example().await;
        editor.form(&format!("/uploads/{id3}/submit"), &[]).await;
        let r = reviewer
            .form(&format!("/uploads/{id3}/return"), &[("comment", "请核对")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            editor.get(&format!("/api/uploads/{id3}")).await.json()["upload"]["state"],
            "returned"
        );
        let r = reviewer
            .post_json(
                &format!("/api/uploads/{id3}/return"),
                serde_json::json!({"comment": "x"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);

        // Sign out.
        let r = editor.form("/logout", &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(editor.get("/work").await.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_boundaries() {
    for backend in backends() {
        let w = World::new(backend);
        let editor = w.signed_in("editor").await;
        let draft = editor.upload_example().await;
        let other = w.signed_in("other").await;
        let outsider = w.signed_in("outsider").await;
        let reviewer = w.signed_in("reviewer").await;
        let admin = w.signed_in("admin").await;
        let public = w.client();
        for path in [
            format!("/uploads/{draft}"),
            format!("/uploads/{draft}/preview"),
            format!("/api/uploads/{draft}"),
        ] {
            assert_eq!(
                other.get(&path).await.status,
                StatusCode::NOT_FOUND,
                "{backend} {path}: another department's draft"
            );
            assert_eq!(
                reviewer.get(&path).await.status,
                StatusCode::NOT_FOUND,
                "{path}: a draft"
            );
            assert_eq!(
                public.get(&path).await.status,
                StatusCode::UNAUTHORIZED,
                "{path}: anonymous"
            );
            assert_eq!(
                admin.get(&path).await.status,
                StatusCode::OK,
                "{path}: admin"
            );
            assert_eq!(
                editor.get(&path).await.status,
                StatusCode::OK,
                "{path}: own"
            );
        }
        assert!(
            other.get("/api/uploads").await.json()["uploads"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            other
                .form(&format!("/uploads/{draft}/submit"), &[])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // Another department's file is refused, and not stored.
        let r = other
            .upload_to("/api/uploads", "x.toml", EXAMPLE, true)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["code"], "E1208");
        // Only editors upload.
        assert_eq!(
            reviewer
                .upload_to("/api/uploads", "x.toml", EXAMPLE, true)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            public
                .upload_to("/api/uploads", "x.toml", EXAMPLE, true)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );

        editor.form(&format!("/uploads/{draft}/submit"), &[]).await;
        assert_eq!(
            outsider.get(&format!("/uploads/{draft}")).await.status,
            StatusCode::NOT_FOUND,
            "another region"
        );
        assert_eq!(
            outsider
                .form(&format!("/uploads/{draft}/approve"), &[])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            editor
                .form(&format!("/uploads/{draft}/approve"), &[])
                .await
                .status,
            StatusCode::FORBIDDEN,
            "an editor does not approve"
        );
        assert_eq!(
            editor
                .form(&format!("/uploads/{draft}/comments"), &[("text", "x")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        // Nothing is public before approval.
        assert!(
            public.get("/api/publications").await.json()["publications"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert_eq!(public.get("/p/1").await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            public.get("/p/1/files/report.xlsx").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(public.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(admin.get("/api/me").await.json()["user"]["role"], "admin");
        let r = admin
            .post_json(
                &format!("/api/uploads/{draft}/approve"),
                serde_json::json!({}),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "an administrator approves anywhere"
        );
        assert_eq!(
            public.get("/api/publications").await.json()["publications"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            public.get("/no/such/page").await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_text_is_escaped() {
    for backend in backends() {
        let w = World::new(backend);
        let other = w.signed_in("other").await;
        let work = other.get("/work").await.text();
        assert!(
            !work.contains("<script>alert(1)</script>"),
            "{backend}: display name"
        );
        assert!(
            work.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
                || work.contains("&lt;script&gt;")
        );
        // A file name and comments.
        let editor = w.signed_in("editor").await;
        let evil = "<img src=x onerror=alert(1)>.toml";
        let r = editor.upload_to("/api/uploads", evil, EXAMPLE, true).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["upload"]["id"].as_i64().unwrap();
        editor.form(&format!("/uploads/{id}/submit"), &[]).await;
        let reviewer = w.signed_in("reviewer").await;
        for (finding, text) in [
            ("0", "<script>alert('f')</script>"),
            ("", "\"><svg onload=alert(2)>"),
        ] {
            let r = reviewer
                .form(
                    &format!("/uploads/{id}/comments"),
                    &[("finding", finding), ("text", text)],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
        }
        reviewer
            .form(
                &format!("/uploads/{id}/return"),
                &[("comment", "<b onmouseover=x>退回</b>")],
            )
            .await;
        for c in [&editor, &reviewer] {
            let page = c.get(&format!("/uploads/{id}")).await.text();
            for raw in [
                "<img src=x",
                "<script>alert('f')",
                "<svg onload",
                "<b onmouseover",
            ] {
                assert!(!page.contains(raw), "{raw} printed raw");
            }
            assert!(page.contains("&lt;img src=x"));
            assert!(page.contains("&lt;script&gt;alert("));
        }
        // A garbled upload's diagnostics show escaped, too.
        let r = editor
            .upload_to(
                "/api/uploads",
                "bad.toml",
                b"department = \"<script>x</script>",
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let bad = r.json()["upload"]["id"].as_i64().unwrap();
        assert!(!r.json()["upload"]["valid"].as_bool().unwrap());
        let page = editor.get(&format!("/uploads/{bad}")).await.text();
        assert!(page.contains("id=\"diagnostics\""));
        assert!(!page.contains("<script>x"));
        // A department name with markup, in the input itself: escaped in the findings, the
        // preview (the report the CLI builds) and the published page.
        let marked = String::from_utf8(EXAMPLE.to_vec()).unwrap().replacen(
            &format!("name = \"{DEPT}\""),
            "name = \"武汉市洪山区<b>其他</b>局\"",
            1,
        );
        let r = other
            .upload_to("/api/uploads", "other.toml", marked.as_bytes(), true)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let oid = r.json()["upload"]["id"].as_i64().unwrap();
        for path in [
            format!("/uploads/{oid}"),
            format!("/uploads/{oid}/preview"),
            "/work".to_string(),
        ] {
            let page = other.get(&path).await.text();
            assert!(!page.contains("<b>其他</b>"), "{path} prints the name raw");
            assert!(page.contains("&lt;b&gt;其他&lt;"), "{path}");
        }
        other.form(&format!("/uploads/{oid}/submit"), &[]).await;
        let r = reviewer
            .post_json(
                &format!("/api/uploads/{oid}/approve"),
                serde_json::json!({}),
            )
            .await;
        let p = r.json()["publication_id"].as_i64().unwrap();
        let public = w.client();
        for path in [
            format!("/p/{p}"),
            format!("/p/{p}/files/report.html"),
            "/".to_string(),
        ] {
            let page = public.get(&path).await.text();
            assert!(!page.contains("<b>其他</b>"), "{path} prints the name raw");
        }
        // A search term.
        let page = w
            .client()
            .get(&format!("/?q={}", enc("\"><script>q</script>")))
            .await
            .text();
        assert!(!page.contains("<script>q"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csrf_is_required_on_every_post() {
    for backend in backends() {
        let w = World::new(backend);
        let editor = w.signed_in("editor").await;
        let id = editor.upload_example().await;
        let good = editor.csrf();
        for (path, fields) in [
            (
                "/login".to_string(),
                vec![("username", "editor"), ("password", PASSWORD)],
            ),
            ("/logout".to_string(), vec![]),
            (format!("/uploads/{id}/submit"), vec![]),
            (format!("/uploads/{id}/comments"), vec![("text", "x")]),
            (format!("/uploads/{id}/approve"), vec![]),
            (format!("/uploads/{id}/return"), vec![("comment", "x")]),
        ] {
            for token in [
                "",
                "0000000000000000000000000000000000000000000000000000000000000000",
            ] {
                let mut f = fields.clone();
                f.push(("csrf", token));
                let r = editor.form(&path, &f).await;
                assert_eq!(
                    r.status,
                    StatusCode::FORBIDDEN,
                    "{backend} {path} token {token:?}"
                );
                assert!(r.text().contains("E1204"));
            }
        }
        // Multipart without the token, API without the header.
        let r = editor.upload_to("/uploads", "x.toml", EXAMPLE, false).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = editor.upload_to("/audit", "x.txt", b"text", false).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = editor
            .send(
                axum::http::Request::post(format!("/api/uploads/{id}/submit"))
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(r.json()["error"]["code"], "E1204");
        // A token from another visitor does not work either.
        let stranger = w.client();
        let theirs = stranger.ensure_csrf().await;
        assert_ne!(theirs, good);
        let r = editor
            .form(&format!("/uploads/{id}/submit"), &[("csrf", &theirs)])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Still a draft: nothing happened.
        assert_eq!(sync(|| store::count(&w.state.db, "events")).unwrap(), 0);
        // A multipart form's token in the query is refused (URLs are logged); in a field of
        // the form it works, and another visitor's does not.
        let r = editor
            .upload_to(&format!("/uploads?csrf={good}"), "x.toml", EXAMPLE, false)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = editor
            .upload_form("/uploads", "x.toml", EXAMPLE, &theirs)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = editor
            .upload_form("/uploads", "x.toml", EXAMPLE, &good)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_are_rate_limited() {
    for backend in backends() {
        let w = World::new(backend);
        let c = w.client();
        for _ in 0..store::MAX_FAILED_LOGINS {
            let r = c
                .form(
                    "/login",
                    &[("username", "editor"), ("password", "wrong-password")],
                )
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{backend}");
            assert!(r.text().contains("E1206"));
        }
        let r = c
            .form("/login", &[("username", "editor"), ("password", PASSWORD)])
            .await;
        assert_eq!(
            r.status,
            StatusCode::TOO_MANY_REQUESTS,
            "locked even with the right password"
        );
        assert!(r.text().contains("E1205"));
        let r = c
            .post_json(
                "/api/login",
                serde_json::json!({"username": "editor", "password": PASSWORD}),
            )
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        // Other users are not locked; the API login works.
        let r = c
            .post_json(
                "/api/login",
                serde_json::json!({"username": "reviewer", "password": PASSWORD}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(
            c.get("/api/me").await.json()["user"]["username"],
            "reviewer"
        );
        let r = c.post_json("/api/logout", serde_json::json!({})).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(c.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
        // Unknown users fail the same way.
        let r = c
            .form("/login", &[("username", "nobody"), ("password", "x")])
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_uploads_are_all_kept() {
    for backend in backends() {
        let w = World::new(backend);
        let editor = w.signed_in("editor").await;
        editor.ensure_csrf().await;
        let mut tasks = Vec::new();
        for i in 0..100 {
            let c = editor.clone();
            tasks.push(tokio::spawn(async move {
                c.upload_to("/api/uploads", &format!("u{i}.toml"), EXAMPLE, true)
                    .await
            }));
        }
        let mut ids = Vec::new();
        for t in tasks {
            let r = t.await.unwrap();
            assert_eq!(r.status, StatusCode::CREATED, "{backend}: {}", r.text());
            ids.push(r.json()["upload"]["id"].as_i64().unwrap());
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 100);
        assert_eq!(sync(|| store::count(&w.state.db, "uploads")).unwrap(), 100);
        let listed = editor.get("/api/uploads").await.json();
        assert_eq!(listed["uploads"].as_array().unwrap().len(), 100);
        for id in [ids[0], ids[99]] {
            let (bytes, _) = sync(|| store::upload_content(&w.state.db, id)).unwrap();
            assert_eq!(bytes, EXAMPLE, "stored as uploaded");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_records_cannot_be_changed() {
    for backend in backends() {
        let w = World::new(backend);
        let editor = w.signed_in("editor").await;
        let id = editor.upload_example().await;
        for sql in [
            "UPDATE uploads SET filename = 'x' WHERE id = $1",
            "DELETE FROM uploads WHERE id = $1",
        ] {
            let r = sync(|| w.state.db.with(|c| c.query(sql, &[Value::I(id)])));
            assert!(r.is_err(), "{backend}: {sql} must fail");
        }
        assert_eq!(
            sync(|| store::upload(&w.state.db, id))
                .unwrap()
                .unwrap()
                .filename,
            "hongshan.toml"
        );
        // Migrating again changes nothing.
        sync(|| w.state.db.migrate()).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_page_reads_a_published_report() {
    let w = World::new("sqlite");
    let c = w.client();
    assert_eq!(c.get("/audit").await.status, StatusCode::OK);
    let report = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/reports/wuhan-hongshan-kjj-2023.txt"
    ))
    .unwrap();
    let token = c.ensure_csrf().await;
    let r = c.upload_form("/audit", "report.txt", &report, &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("id=\"summary\""));
    // The narrative's numbers: how many were checked, and each of them.
    assert!(
        r.text().contains("情况说明共 239 个数字：已核对"),
        "{}",
        r.text()
    );
    assert!(
        r.text()
            .contains("<td>1466.62万元</td><td>personnel</td><td>不符")
    );
    let r = c.upload_to("/api/audit", "report.txt", &report, true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["format"], "juesuan.findings/1");
    assert_eq!(r.json()["narrative"]["numbers"], 239);
}

/// A PDF audited on the audit page: each finding with its page image, the figures boxed where
/// the audit read them (the library's evidence for the same bytes), each page image once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_page_boxes_a_pdf_s_figures_on_its_pages() {
    let pdf = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/reports/pdf/03_shanghai-putuo-shgzb-2024.pdf"
    ))
    .unwrap();
    let setup = juesuan_publish::Setup::new(juesuan_publish::SetupOptions::default()).unwrap();
    let audited = juesuan_publish::audited::audit_bytes(&setup, "report.pdf", &pdf, &|| {
        juesuan_publish::ocr::read_pdf_bytes("report.pdf", &pdf, true)
    })
    .unwrap();
    let w = World::new("sqlite");
    let c = w.client();
    let token = c.ensure_csrf().await;
    let r = c.upload_form("/audit", "report.pdf", &pdf, &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    let pages = audited.evidence_pages();
    assert!(pages.contains(&18), "{pages:?}");
    for p in &pages {
        let image = format!("<image id=\"page-{p}\"");
        assert_eq!(page.matches(&image).count(), 1, "page {p}");
    }
    assert!(page.contains("href=\"data:image/png;base64,iVBORw0KGgo"));
    // Every finding's boxes, in its own block.
    let blocks: Vec<&str> = page.split("<div class=\"finding ").skip(1).collect();
    assert_eq!(blocks.len(), audited.audit.findings.len());
    for (block, (f, evidence)) in blocks
        .iter()
        .zip(audited.audit.findings.iter().zip(&audited.evidence))
    {
        assert!(block.contains(&format!("data-rule=\"{}\"", f.rule)));
        assert!(!evidence.is_empty(), "{}: no evidence", f.rule);
        for e in evidence {
            assert!(block.contains(&format!("<use href=\"#page-{}\"/>", e.page)));
            for b in &e.boxes {
                let rect = format!(
                    "<rect class=\"box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                    b.x, b.y, b.width, b.height
                );
                assert!(block.contains(&rect), "{}: {rect}", f.rule);
            }
        }
    }
    assert!(
        page.contains("相差"),
        "the difference in the unit of the figures"
    );
}

/// The example as a filled-in input workbook (what `juesuan init --xlsx --from` writes).
fn example_xlsx() -> Vec<u8> {
    let source = juesuan_input::Source::from_bytes("example.toml".to_string(), EXAMPLE).unwrap();
    let tree = juesuan_input::decode::parse_document(&source).unwrap();
    let catalog = juesuan_input::compile::catalog(true, &[]).unwrap();
    juesuan_render::template::template(&juesuan_render::template::Options {
        catalog: &catalog,
        from: Some(&tree),
        lang: juesuan_core::Lang::Zh,
    })
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workbook_upload_gives_the_same_findings_as_the_toml() {
    let w = World::new("sqlite");
    let editor = w.signed_in("editor").await;
    let toml = editor.upload_example().await;
    let xlsx = example_xlsx();
    assert!(xlsx.starts_with(b"PK"));
    let r = editor
        .upload_to("/api/uploads", "填报.xlsx", &xlsx, true)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let from_xlsx = r.json();
    assert_eq!(from_xlsx["upload"]["valid"], true, "{from_xlsx}");
    let from_toml = editor.get(&format!("/api/uploads/{toml}")).await.json();
    let rules = |v: &serde_json::Value| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["rule"].clone(), f["cell"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(rules(&from_xlsx), rules(&from_toml));
    assert_eq!(from_xlsx["upload"]["year"], 2023);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pdf_that_cannot_be_printed_is_a_clear_error() {
    let w = World::without_pdf("sqlite");
    let editor = w.signed_in("editor").await;
    let id = editor.upload_example().await;
    editor.form(&format!("/uploads/{id}/submit"), &[]).await;
    let reviewer = w.signed_in("reviewer").await;
    let r = reviewer
        .post_json(&format!("/api/uploads/{id}/approve"), serde_json::json!({}))
        .await;
    let p = r.json()["publication_id"].as_i64().unwrap();
    let public = w.client();
    let r = public
        .get(&format!("/api/publications/{p}/files/report.pdf"))
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.json()["error"]["code"], "E1211");
    assert!(
        r.json()["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("Chromium")
    );
    let page = public
        .get(&format!("/p/{p}/files/report.pdf?lang=en"))
        .await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.text().contains("Chromium is not installed"));
    // The other downloads are unaffected.
    let csv = public
        .get(&format!("/api/publications/{p}/files/views.csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
}

/// Every route the router has is in docs/openapi.json, and every path there is a route.
#[test]
fn every_route_is_documented() {
    let doc: serde_json::Value =
        serde_json::from_str(include_str!("../../../docs/openapi.json")).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for (method, path) in juesuan_web::routes::ROUTES {
        assert!(
            paths.get(*path).and_then(|p| p.get(*method)).is_some(),
            "{method} {path} is not in docs/openapi.json"
        );
    }
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            assert!(
                juesuan_web::routes::ROUTES.contains(&(method.as_str(), path.as_str())),
                "docs/openapi.json documents {method} {path}, which is no route"
            );
        }
    }
}

/// Every GET page answers anonymously with a page or a clean refusal, never a server error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_get_route_answers() {
    let w = World::new("sqlite");
    let c = w.client();
    for (method, path) in juesuan_web::routes::ROUTES {
        if *method != "get" {
            continue;
        }
        let p = path
            .replace("{id}", "1")
            .replace("{name}", "report.xlsx")
            .replace("/compare", "/compare?a=1&b=1&table=summary")
            .replace(
                "/rollup/report.html",
                "/rollup/report.html?region=1&year=2023",
            );
        let r = c.get(&p).await;
        assert!(
            [200, 400, 401, 404].contains(&r.status.as_u16()),
            "GET {p}: {}",
            r.status
        );
    }
}

/// The example with one income and its expenditure changed (2030699: 560.00 → 561.00 万元), so
/// it still balances: a corrected second version.
fn corrected() -> Vec<u8> {
    String::from_utf8(EXAMPLE.to_vec())
        .unwrap()
        .replace(
            "function = \"2030699 其他国防动员支出\", amount = 560.00",
            "function = \"2030699 其他国防动员支出\", amount = 561.00",
        )
        .replace(
            "function = \"2030699\", kind = \"项目支出\", amount = 560.00",
            "function = \"2030699\", kind = \"项目支出\", amount = 561.00",
        )
        .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_returned_upload_is_resubmitted_as_its_next_version() {
    for backend in backends() {
        let w = World::new(backend);
        let editor = w.signed_in("editor").await;
        let reviewer = w.signed_in("reviewer").await;
        let other = w.signed_in("other").await;
        let first = editor.upload_example().await;
        // Under review, no new version: the reviewer reads what was submitted.
        editor.form(&format!("/uploads/{first}/submit"), &[]).await;
        let r = editor
            .upload_to(
                &format!("/api/uploads/{first}/resubmit"),
                "v2.toml",
                &corrected(),
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{backend}: {}", r.text());
        assert!(
            r.json()["error"]["detail_zh"]
                .as_str()
                .unwrap()
                .contains("为“已提交”")
        );
        reviewer
            .form(
                &format!("/uploads/{first}/comments"),
                &[("finding", "0"), ("text", "请补填总目标得分")],
            )
            .await;
        let r = reviewer
            .form(
                &format!("/uploads/{first}/return"),
                &[("comment", "请核对国防动员支出")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = editor.get(&format!("/uploads/{first}")).await.text();
        assert!(
            page.contains("id=\"resubmit-form\""),
            "the editor is offered a new version"
        );
        // Another department's editor cannot add to it.
        let r = other
            .upload_to(
                &format!("/api/uploads/{first}/resubmit"),
                "x.toml",
                &corrected(),
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // The page form: the new version, linked, opened after the upload.
        let token = editor.csrf();
        let r = editor
            .upload_form(
                &format!("/uploads/{first}/resubmit"),
                "v2.toml",
                &corrected(),
                &token,
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let second: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
        let v2 = editor.get(&format!("/api/uploads/{second}")).await.json();
        assert_eq!(v2["upload"]["previous_id"], first);
        assert_eq!(v2["upload"]["state"], "draft");
        let v1 = editor.get(&format!("/api/uploads/{first}")).await.json();
        assert_eq!(v1["upload"]["next_id"], second);
        assert_eq!(
            v1["upload"]["state"], "returned",
            "the returned version stays returned"
        );
        // Once replaced, not again (the chain does not fork).
        let r = editor
            .upload_to(
                &format!("/api/uploads/{first}/resubmit"),
                "v3.toml",
                &corrected(),
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(sync(|| store::count(&w.state.db, "uploads")).unwrap(), 2);
        // The chain, with the earlier version's comments.
        let versions = v2["versions"].as_array().unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!(versions[0]["upload"]["id"], first);
        let earlier: Vec<&str> = versions[0]["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["text"].as_str().unwrap())
            .collect();
        assert!(earlier.contains(&"请补填总目标得分"), "{earlier:?}");
        assert!(earlier.contains(&"请核对国防动员支出"), "{earlier:?}");
        let comment = versions[0]["notes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["kind"] == "comment")
            .unwrap();
        assert_eq!(
            comment["rule"], "P104",
            "a comment names its finding's rule"
        );
        // What changed: exactly the figures of 2030699 and their totals, in 万元.
        let changes = editor
            .get(&format!("/api/uploads/{second}/changes"))
            .await
            .json();
        let rows: Vec<&serde_json::Value> = changes["tables"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["rows"].as_array().unwrap())
            .collect();
        assert!(!rows.is_empty(), "{changes}");
        assert!(rows.iter().all(|r| r["change"] == "1.00"), "{rows:?}");
        assert!(
            rows.iter()
                .any(|r| r["a"] == "560.00" && r["b"] == "561.00" && r["rate"] == "+0.18%"),
            "{rows:?}"
        );
        assert_eq!(changes["unit"], "万元");
        assert_eq!(changes["new"].as_array().unwrap().len(), 0);
        let page = editor
            .get(&format!("/uploads/{second}/changes"))
            .await
            .text();
        assert!(
            page.contains("2030699") && page.contains("35,550.61"),
            "thousands separators"
        );
        assert_eq!(
            editor
                .get(&format!("/uploads/{first}/changes"))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "the first version has nothing before it"
        );
        // The reviewer sees the chain on the new submission and the comparison.
        editor.form(&format!("/uploads/{second}/submit"), &[]).await;
        let page = reviewer.get(&format!("/uploads/{second}")).await.text();
        assert!(page.contains("id=\"versions\"") && page.contains("请核对国防动员支出"));
        assert!(page.contains(&format!("/uploads/{second}/changes")));
        assert_eq!(
            reviewer
                .get(&format!("/uploads/{second}/changes"))
                .await
                .status,
            StatusCode::OK
        );
        let r = reviewer
            .form(&format!("/uploads/{second}/approve"), &[("confirm", "yes")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        // Resubmission is a new row: no stored upload was changed (the triggers would refuse).
        sync(|| w.state.db.migrate()).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publication_is_withdrawn_with_a_reason_and_kept() {
    for backend in backends() {
        let w = World::new(backend);
        let editor = w.signed_in("editor").await;
        let reviewer = w.signed_in("reviewer").await;
        let outsider = w.signed_in("outsider").await;
        let admin = w.signed_in("admin").await;
        let public = w.client();
        let id = editor.upload_example().await;
        editor.form(&format!("/uploads/{id}/submit"), &[]).await;
        let r = reviewer
            .form(&format!("/uploads/{id}/approve"), &[("confirm", "yes")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{backend}: {}", r.text());
        let p = editor.get(&format!("/api/uploads/{id}")).await.json()["upload"]["publication_id"]
            .as_i64()
            .unwrap();
        // Who approved it, and when, is on the page and in the API.
        let api = public.get(&format!("/api/publications/{p}")).await.json();
        assert_eq!(api["publication"]["approved_by"], "审核员");
        assert!(api["publication"]["withdrawn"].is_null());
        assert!(
            public
                .get(&format!("/p/{p}"))
                .await
                .text()
                .contains("由审核员 审核通过")
        );
        let xlsx = public.get(&format!("/p/{p}/files/report.xlsx")).await.body;
        // Only a reviewer of the region or an administrator, with a reason.
        for c in [&editor, &public] {
            let r = c
                .form(
                    &format!("/p/{p}/withdraw"),
                    &[("reason", "x"), ("confirm", "yes")],
                )
                .await;
            assert!([401, 403].contains(&r.status.as_u16()), "{}", r.status);
        }
        let r = outsider
            .form(
                &format!("/p/{p}/withdraw"),
                &[("reason", "x"), ("confirm", "yes")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "another region's reviewer");
        let r = reviewer
            .form(
                &format!("/p/{p}/withdraw"),
                &[("reason", " "), ("confirm", "yes")],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(
            r.text().contains("意见应为 1 至 10000 个字"),
            "{}",
            r.text()
        );
        assert!(
            reviewer
                .get(&format!("/p/{p}"))
                .await
                .text()
                .contains("id=\"withdraw\"")
        );
        assert!(
            !editor
                .get(&format!("/p/{p}"))
                .await
                .text()
                .contains("id=\"withdraw\"")
        );
        // Unconfirmed: refused, the reason shown again.
        let r = reviewer
            .form(&format!("/p/{p}/withdraw"), &[("reason", "未勾选确认")])
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.text().contains("请勾选") && r.text().contains("未勾选确认"));
        let r = reviewer
            .form(
                &format!("/p/{p}/withdraw"),
                &[("reason", "数据有误，待更正后重新发布"), ("confirm", "yes")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert_eq!(r.location(), format!("/p/{p}"));
        // Kept, marked: the page, the files and the API still answer, with the reason.
        let page = public.get(&format!("/p/{p}")).await.text();
        assert!(page.contains("id=\"withdrawn\"") && page.contains("数据有误，待更正后重新发布"));
        assert_eq!(
            public.get(&format!("/p/{p}/files/report.xlsx")).await.body,
            xlsx
        );
        let api = public.get(&format!("/api/publications/{p}")).await.json();
        assert_eq!(
            api["publication"]["withdrawn"]["reason"],
            "数据有误，待更正后重新发布"
        );
        assert_eq!(api["publication"]["withdrawn"]["user"], "审核员");
        assert!(public.get("/").await.text().contains("已撤回"));
        assert_eq!(
            editor.get(&format!("/api/uploads/{id}")).await.json()["upload"]["state"],
            "withdrawn"
        );
        assert_eq!(
            sync(|| store::count(&w.state.db, "publications")).unwrap(),
            1
        );
        // Once only; through the API too.
        let r = admin
            .post_json(
                &format!("/api/publications/{p}/withdraw"),
                serde_json::json!({"reason": "again"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        // A withdrawn version leaves the roll-up.
        let region = api["publication"]["region_id"].as_i64().unwrap();
        let roll = public
            .get(&format!("/rollup?region={region}&year=2023"))
            .await
            .text();
        assert!(roll.contains("E1203"), "{roll}");
        // The record cannot be changed or removed.
        for sql in [
            "UPDATE withdrawals SET reason = 'x'",
            "DELETE FROM withdrawals",
        ] {
            let r = sync(|| w.state.db.with(|c| c.query(sql, &[])));
            assert!(r.is_err(), "{backend}: {sql} must fail");
        }
        // Every action is in the audit log, which only administrators read.
        assert_eq!(
            reviewer.get("/admin/log").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            public.get("/api/log").await.status,
            StatusCode::UNAUTHORIZED
        );
        let log = admin.get("/api/log").await.json();
        let actions: Vec<String> = log["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["action"].as_str().unwrap().to_string())
            .collect();
        for a in [
            "login",
            "upload",
            "submitted",
            "approved",
            "published",
            "withdrawn",
        ] {
            assert!(actions.contains(&a.to_string()), "{a} in {actions:?}");
        }
        assert_eq!(actions[0], "withdrawn", "newest first");
        let page = admin.get("/admin/log").await.text();
        assert!(
            page.contains("撤回发布") && page.contains("数据有误"),
            "{page}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_queries_and_files_are_refused_in_the_visitors_language() {
    let w = World::new("sqlite");
    let public = w.client();
    // The roll-up's year box is empty before anything is published, never "None".
    let page = public.get("/rollup").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text().contains("None") && !page.text().contains("none\""));
    assert!(
        page.text().contains("id=\"year\" value=\"\""),
        "{}",
        page.text()
    );
    for (path, zh) in [
        (
            "/rollup?region=1&year=abc",
            "year 应为四位数的年度（如 2023），收到“abc”",
        ),
        ("/rollup?region=1&year=23", "收到“23”"),
        ("/rollup?region=x&year=2023", "region 应为地区编号"),
        ("/compare?a=1&b=x&table=summary", "b 应为发布版本编号"),
        ("/compare?a=1&b=2", "缺少参数 table"),
        ("/rollup/report.html?region=1", "缺少参数 year"),
    ] {
        let r = public.get(path).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
        let text = r.text();
        assert!(text.contains(zh), "{path}: {text}");
        assert!(!text.contains("deserialize"), "{path}");
    }
    // A path's number that is not one: no such page, said in Chinese.
    for path in [
        "/uploads/abc",
        "/p/x",
        "/p/1x/files/report.xlsx",
        "/api/uploads/9999999999999999999999",
    ] {
        let r = public.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.text().contains("E1203"), "{path}: {}", r.text());
        assert!(!r.text().contains("Cannot parse"), "{path}");
    }
    let r = public.get("/rollup?region=1&year=abc&lang=en").await;
    assert!(
        r.text().contains("year should be a four-digit year"),
        "{}",
        r.text()
    );
    let r = public.get("/api/compare?a=1&b=x&table=summary").await;
    assert_eq!(r.json()["error"]["code"], "E1207");

    // Empty files and images are refused and not kept.
    let editor = w.signed_in("editor").await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    for (name, bytes, zh) in [
        ("empty.toml", &b""[..], "空文件"),
        ("scan.png", &png[..], "PNG 图片"),
        ("photo.jpg", &b"\xFF\xD8\xFF\xE0"[..], "JPEG 图片"),
        (
            "填报.xlsx",
            &b"hello"[..],
            "扩展名为 .xlsx，内容却不是工作簿",
        ),
    ] {
        let r = editor.upload_to("/api/uploads", name, bytes, true).await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{name}");
        assert_eq!(r.json()["error"]["code"], "E1215");
        assert!(
            r.json()["error"]["detail_zh"]
                .as_str()
                .unwrap()
                .contains(zh)
        );
        let token = editor.csrf();
        let page = editor
            .upload_form("/uploads", name, bytes, &token)
            .await
            .text();
        assert!(
            page.contains("不支持的文件类型") && !page.contains("UTF-8"),
            "{page}"
        );
    }
    assert_eq!(sync(|| store::count(&w.state.db, "uploads")).unwrap(), 0);
    // A state error says the state in Chinese, with a way back.
    let id = editor.upload_example().await;
    editor.form(&format!("/uploads/{id}/submit"), &[]).await;
    let r = editor
        .send(
            axum::http::Request::post(format!("/uploads/{id}/submit"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("host", "example.org")
                .header("referer", format!("http://example.org/uploads/{id}"))
                .body(axum::body::Body::from(format!("csrf={}", editor.csrf())))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let text = r.text();
    assert!(
        text.contains("该上传当前为“已提交”，不能改为“已提交”"),
        "{text}"
    );
    assert!(!text.contains("submitted →"), "{text}");
    assert!(
        // (minijinja escapes the slashes of the path; the browser reads it back.)
        text.contains(&format!("href=\"&#x2f;uploads&#x2f;{id}\" id=\"back\"")),
        "{text}"
    );
    // A comment too long for the record is shown again, not lost.
    let reviewer = w.signed_in("reviewer").await;
    let long = "审".repeat(10_001);
    let r = reviewer
        .form(&format!("/uploads/{id}/comments"), &[("text", &long)])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("收到 10001 个字"));
    assert!(
        r.text().contains(&long),
        "the text is kept on the error page"
    );
    // The preview of a draft says so on every page.
    let preview = editor.get(&format!("/uploads/{id}/preview")).await.text();
    assert!(preview.contains("id=\"draft-mark\"") && preview.contains("content: \"草稿\""));
    // English pages count in English.
    let work = editor.get("/work?lang=en").await.text();
    assert!(
        work.contains("2 warnings") && work.contains("0 errors"),
        "{work}"
    );
    assert!(
        work.contains("<span class=\"ok\">0 errors</span>"),
        "no red zero"
    );
    let page = editor.get(&format!("/uploads/{id}")).await.text();
    assert!(page.contains("total score: "), "{page}");
    assert!(page.contains("Beijing time"), "times in China's time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_cookies_downloads_and_search() {
    let w = World::new("sqlite");
    let public = w.client();
    let home = public.get("/").await;
    let csp = home.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self';") && csp.contains("frame-ancestors 'self'"));
    // The only script an app page runs is the figure viewer, served by the app.
    let script = public.get("/viewer.js").await;
    assert_eq!(script.status, 200);
    assert!(
        script.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(script.text().contains("figure-data"));
    assert!(
        home.headers.get("cache-control").is_none(),
        "public pages may be cached"
    );
    assert!(
        !home.headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Secure"),
        "plain HTTP without a trusted proxy"
    );
    let icon = public.get("/favicon.ico").await;
    assert_eq!(icon.status, StatusCode::OK);
    assert_eq!(icon.headers["content-type"], "image/svg+xml");
    // Signed-in pages are not stored: Back after signing out shows nothing.
    let editor = w.signed_in("editor").await;
    for path in ["/work", "/api/me", "/"] {
        assert_eq!(
            editor.get(path).await.headers["cache-control"],
            "no-store",
            "{path}"
        );
    }
    let id = editor.upload_example().await;
    let preview = editor.get(&format!("/uploads/{id}/preview")).await;
    let csp = preview.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'unsafe-inline'"),
        "the highlighter runs: {csp}"
    );
    editor.form(&format!("/uploads/{id}/submit"), &[]).await;
    let reviewer = w.signed_in("reviewer").await;
    let r = reviewer
        .post_json(&format!("/api/uploads/{id}/approve"), serde_json::json!({}))
        .await;
    let p = r.json()["publication_id"].as_i64().unwrap();
    // The PDF is listed before anyone asked for it.
    let files =
        public.get(&format!("/api/publications/{p}")).await.json()["publication"]["files"].clone();
    assert!(
        files
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("report.pdf")),
        "{files}"
    );
    // The CSV opens in Excel: a byte order mark; the page says amounts are in 元.
    let csv = public.get(&format!("/p/{p}/files/views.csv")).await.body;
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    assert!(
        public
            .get(&format!("/p/{p}"))
            .await
            .text()
            .contains("（金额单位：元）")
    );
    // The roll-up offers the latest published year.
    assert!(
        public
            .get("/rollup")
            .await
            .text()
            .contains("id=\"year\" value=\"2023\"")
    );
    // Search terms are literal: % and _ match only themselves.
    for q in ["%", "_", "洪山%"] {
        let page = public.get(&format!("/?q={}", enc(q))).await.text();
        assert!(!page.contains(DEPT), "{q} matched everything");
        assert!(
            public
                .get(&format!("/api/publications?q={}", enc(q)))
                .await
                .json()["publications"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
    assert!(
        public
            .get(&format!("/?q={}", enc("洪山")))
            .await
            .text()
            .contains(DEPT)
    );
}

/// A request from `peer`, optionally through headers a proxy sets.
fn from_peer(
    path: &str,
    peer: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> axum::http::Request<axum::body::Body> {
    let mut b = match &body {
        Some(_) => axum::http::Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded"),
        None => axum::http::Request::get(path),
    };
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let mut req = b
        .body(axum::body::Body::from(body.unwrap_or_default()))
        .unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(
        peer.parse::<std::net::SocketAddr>().unwrap(),
    ));
    req
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_lock_per_name_and_address_and_cookies_are_secure_behind_tls() {
    let mut w = World::new("sqlite");
    // The router holds the state too: dropped, the state can be configured, then served again.
    w.app = axum::Router::new();
    let state = std::sync::Arc::get_mut(&mut w.state).expect("only the world holds the state");
    state.trusted_proxies = vec!["10.0.0.1".parse().unwrap()];
    w.app = juesuan_web::app(w.state.clone());
    let stranger = w.client();
    let token = stranger.ensure_csrf().await;
    let wrong = format!("username=reviewer&password=wrong-password&csrf={token}");
    for _ in 0..store::MAX_FAILED_LOGINS {
        let r = stranger
            .send(from_peer(
                "/login",
                "203.0.113.9:5000",
                &[],
                Some(wrong.clone()),
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let right = format!("username=reviewer&password={PASSWORD}&csrf={token}");
    let r = stranger
        .send(from_peer(
            "/login",
            "203.0.113.9:5000",
            &[],
            Some(right.clone()),
        ))
        .await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the stranger's address is locked"
    );
    let text = r.text();
    assert!(
        text.contains("请于 ") && text.contains("北京时间 后再试"),
        "{text}"
    );
    // The reviewer, elsewhere, still signs in.
    let r = stranger
        .send(from_peer(
            "/login",
            "198.51.100.7:5000",
            &[],
            Some(right.clone()),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // Behind the trusted proxy: its X-Forwarded-For is the address, and X-Forwarded-Proto
    // makes the cookies Secure; from anyone else both headers are ignored.
    let proxied = [
        ("x-forwarded-for", "203.0.113.9"),
        ("x-forwarded-proto", "https"),
    ];
    let r = stranger
        .send(from_peer(
            "/login",
            "10.0.0.1:443",
            &proxied,
            Some(right.clone()),
        ))
        .await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the forwarded address is locked"
    );
    let r = stranger
        .send(from_peer(
            "/login",
            "10.0.0.1:443",
            &[
                ("x-forwarded-for", "198.51.100.8"),
                ("x-forwarded-proto", "https"),
            ],
            Some(right.clone()),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cookie = r.headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.ends_with("; Secure"),
        "{cookie}"
    );
    let r = stranger
        .send(from_peer("/login", "198.51.100.9:1", &proxied, Some(right)))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        !r.headers["set-cookie"].to_str().unwrap().contains("Secure"),
        "an untrusted X-Forwarded-Proto is ignored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_is_discarded_not_deleted() {
    for backend in backends() {
        let w = World::new(backend);
        let editor = w.signed_in("editor").await;
        let other = w.signed_in("other").await;
        // A file of a kind juesuan reads that does not read: kept as a draft, with year —.
        let r = editor
            .upload_to("/api/uploads", "broken.toml", b"department = [", true)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{backend}");
        let id = r.json()["upload"]["id"].as_i64().unwrap();
        assert!(
            editor
                .get("/work")
                .await
                .text()
                .contains("<span class=\"muted\">—</span>")
        );
        let page = editor.get(&format!("/uploads/{id}")).await.text();
        assert!(page.contains("id=\"discard\""));
        assert_eq!(
            other
                .form(&format!("/uploads/{id}/discard"), &[])
                .await
                .status,
            StatusCode::NOT_FOUND,
            "another department's"
        );
        let r = editor.form(&format!("/uploads/{id}/discard"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/work");
        let view = editor.get(&format!("/api/uploads/{id}")).await.json();
        assert_eq!(view["upload"]["state"], "discarded");
        assert_eq!(view["can_discard"], false);
        assert!(editor.get("/work").await.text().contains("已放弃"));
        // Once; and a discarded draft is not submitted.
        let r = editor
            .post_json(&format!("/api/uploads/{id}/discard"), serde_json::json!({}))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let good = editor.upload_example().await;
        editor
            .post_json(
                &format!("/api/uploads/{good}/discard"),
                serde_json::json!({}),
            )
            .await;
        let r = editor.form(&format!("/uploads/{good}/submit"), &[]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        assert!(r.text().contains("该上传当前为“已放弃”"), "{}", r.text());
        // Kept: the rows are there, and the discard cannot be undone.
        assert_eq!(sync(|| store::count(&w.state.db, "uploads")).unwrap(), 2);
        assert_eq!(sync(|| store::count(&w.state.db, "discards")).unwrap(), 2);
        for sql in ["UPDATE discards SET at = 0", "DELETE FROM discards"] {
            let r = sync(|| w.state.db.with(|c| c.query(sql, &[])));
            assert!(r.is_err(), "{backend}: {sql} must fail");
        }
        let admin = w.signed_in("admin").await;
        let log = admin.get("/api/log").await.json();
        let discarded = log["actions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["action"] == "discarded")
            .count();
        assert_eq!(discarded, 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_starts_with_a_published_example() {
    let (db, _dir) = fresh_db("sqlite");
    let mut state = juesuan_web::AppState::new(db).unwrap();
    std::sync::Arc::get_mut(&mut state).unwrap().pdf = Box::new(|_: &str| Ok(b"%PDF".to_vec()));
    let users = sync(|| juesuan_web::seed_demo(&state, "hongshan-kjj-2023.toml", EXAMPLE)).unwrap();
    assert_eq!(users.len(), 3);
    let public = Client::new(juesuan_web::app(state.clone()));
    let pubs = public.get("/api/publications").await.json();
    assert_eq!(pubs["publications"].as_array().unwrap().len(), 1, "{pubs}");
    assert_eq!(pubs["publications"][0]["department"], DEPT);
    assert_eq!(pubs["publications"][0]["approved_by"], "财政局审核员");
    assert!(
        public.get("/").await.text().contains(DEPT),
        "the library is not empty"
    );
    // A second start leaves it as it is.
    assert!(
        sync(|| juesuan_web::seed_demo(&state, "x.toml", EXAMPLE))
            .unwrap()
            .is_empty()
    );
    assert_eq!(sync(|| store::count(&state.db, "publications")).unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_version_with_errors_is_itself_replaced() {
    let w = World::new("sqlite");
    let editor = w.signed_in("editor").await;
    let reviewer = w.signed_in("reviewer").await;
    let first = editor.upload_example().await;
    editor.form(&format!("/uploads/{first}/submit"), &[]).await;
    reviewer
        .form(
            &format!("/uploads/{first}/return"),
            &[("comment", "请更正")],
        )
        .await;
    // The corrected version has an error of its own: it cannot be submitted, but it takes a
    // version after it, and the chain goes on.
    let unbalanced = String::from_utf8(EXAMPLE.to_vec()).unwrap().replace(
        "balances = []",
        "balances = [{ fund = \"一般公共预算财政拨款\", kind = \"年末结转和结余\", amount = 1.00 }]",
    );
    let r = editor
        .upload_to(
            &format!("/api/uploads/{first}/resubmit"),
            "v2.toml",
            unbalanced.as_bytes(),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let second = r.json()["upload"]["id"].as_i64().unwrap();
    assert!(r.json()["upload"]["errors"].as_i64().unwrap() > 0);
    assert_eq!(r.json()["can_resubmit"], true);
    let r = editor
        .upload_to(
            &format!("/api/uploads/{second}/resubmit"),
            "v3.toml",
            &corrected(),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let third = r.json()["upload"]["id"].as_i64().unwrap();
    let versions: Vec<i64> = r.json()["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["upload"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [first, second, third]);
    // A replaced draft is not submitted: its successor is.
    let clean = editor.upload_example().await;
    editor
        .upload_to(
            &format!("/api/uploads/{clean}/resubmit"),
            "v.toml",
            &corrected(),
            true,
        )
        .await;
    let r = editor.form(&format!("/uploads/{clean}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("请提交新版本"), "{}", r.text());
    let r = editor.form(&format!("/uploads/{third}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The reviewer sees the submitted versions, not the draft between them, and compares
    // the new one with the one they returned.
    let view = reviewer.get(&format!("/api/uploads/{third}")).await.json();
    let seen: Vec<i64> = view["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["upload"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(seen, [first, third]);
    let changes = reviewer
        .get(&format!("/api/uploads/{third}/changes"))
        .await
        .json();
    assert_eq!(changes["previous"]["id"], first, "{changes}");
    let editors = editor
        .get(&format!("/api/uploads/{third}/changes"))
        .await
        .json();
    assert_eq!(
        editors["previous"]["id"], second,
        "the editor sees the draft"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_over_the_limit_is_refused_saying_the_limit() {
    let mut w = World::new("sqlite");
    w.app = axum::Router::new();
    std::sync::Arc::get_mut(&mut w.state)
        .expect("only the world holds the state")
        .max_upload = 4096;
    w.app = juesuan_web::app(w.state.clone());
    let editor = w.signed_in("editor").await;
    let r = editor
        .upload_to("/api/uploads", "big.toml", EXAMPLE, true)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert_eq!(r.json()["error"]["detail_zh"], "文件超过上限 4 KB");
    let token = editor.csrf();
    let page = editor
        .upload_form("/uploads", "big.toml", EXAMPLE, &token)
        .await;
    assert!(page.text().contains("文件超过上限 4 KB"), "{}", page.text());
    assert!(
        !page.text().contains("length limit"),
        "no English in the Chinese page"
    );
    assert_eq!(sync(|| store::count(&w.state.db, "uploads")).unwrap(), 0);
}

/// A zip of two fixture reports and a file that is no report, uploaded on /audit: the batch's
/// page with its totals, the summary with both documents linked to their own audit pages, the
/// dataset with the findings of the single audits, and the same summary in English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zip_of_reports_is_audited_as_a_batch() {
    let w = World::new("sqlite");
    let c = w.client();
    let (a, b) = (
        fixture_report("01_shanghai-putuo-czj-2024.txt"),
        fixture_report("04_shanghai-putuo-sthjj-2025.txt"),
    );
    // The findings each single audit reports: the dataset must hold exactly as many.
    let setup = juesuan_publish::Setup::new(juesuan_publish::SetupOptions::default()).unwrap();
    let single = |name: &str, bytes: &[u8]| {
        juesuan_publish::audited::audit_bytes(&setup, name, bytes, &|| unreachable!())
            .unwrap()
            .audit
            .findings
            .len()
    };
    let expected = single("a.txt", &a) + single("b.txt", &b);
    let zip = zip_of(&[
        ("putuo/czj-2024.txt", &a),
        ("putuo/sthjj-2025.txt", &b),
        ("README.md", b"not a report"),
    ]);
    let r = c.upload_files("/audit", &[("reports.zip", zip)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page_url = r.location();
    assert!(page_url.starts_with("/audit/batches/"), "{page_url}");
    let page = c.get(&page_url).await.text();
    assert!(
        page.contains("共 2 份文件：审查 2 份"),
        "the totals: {page}"
    );
    assert!(page.contains(&format!("共 {expected} 条发现")), "{page}");
    assert!(
        page.contains("reports.zip&#x2f;README.md"),
        "the file left out: {page}"
    );
    let summary = c.get(&format!("{page_url}/index.html")).await;
    assert_eq!(summary.status, StatusCode::OK);
    let text = summary.text();
    assert!(text.contains("id=\"by-rule\"") && text.contains("id=\"documents\""));
    assert!(text.contains("<option>2024</option>") && text.contains("<option>2025</option>"));
    let link = "documents&#x2f;putuo&#x2f;czj-2024.txt.html";
    assert!(text.contains(link), "each document links its page: {text}");
    let doc = c
        .get(&format!("{page_url}/documents/putuo/czj-2024.txt.html"))
        .await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.text().contains("czj-2024.txt"), "{}", doc.text());
    // The dataset: a row per finding and per document; all of it in one zip.
    let findings = c.get(&format!("{page_url}/findings.csv")).await.text();
    assert_eq!(findings.lines().count(), expected + 1, "{findings}");
    let documents = c.get(&format!("{page_url}/documents.csv")).await;
    assert_eq!(documents.text().lines().count(), 3);
    assert!(
        documents.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let all = c.get(&format!("{page_url}/dataset.zip")).await.body;
    let mut names: Vec<String> = zip::ZipArchive::new(std::io::Cursor::new(all))
        .unwrap()
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "datapackage.json",
            "documents.csv",
            "documents.parquet",
            "findings.csv",
            "findings.parquet"
        ]
    );
    // The summary follows the visitor's language.
    let en = c
        .get(&format!("{page_url}/index.html?lang=en"))
        .await
        .text();
    assert!(
        en.contains("Audit summary") && en.contains("2 files: 2 audited"),
        "{en}"
    );
    // Several files chosen at once are a batch too; an unknown batch is no page.
    let r = c
        .upload_files("/audit", &[("a.txt", a.clone()), ("b.txt", b.clone())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(
        c.get(&r.location())
            .await
            .text()
            .contains("2 files: 2 audited")
    );
    assert_eq!(
        c.get("/audit/batches/nosuchbatch").await.status,
        StatusCode::NOT_FOUND
    );
    // One file that is no zip is still audited on the page itself.
    let r = c.upload_files("/audit", &[("a.txt", a)]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("id=\"summary\""));
}

/// A zip with an entry outside it, one over the upload limit uncompressed, one that is no zip
/// and one without a report are refused, saying what was expected and what was found.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_zip_is_refused_saying_why() {
    let mut w = World::new("sqlite");
    w.app = axum::Router::new();
    std::sync::Arc::get_mut(&mut w.state)
        .expect("only the world holds the state")
        .max_upload = 16 << 10;
    w.app = juesuan_web::app(w.state.clone());
    let c = w.client();
    let report = fixture_report("01_shanghai-putuo-czj-2024.txt");
    let refused = |r: &Resp| {
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
        r.text()
    };
    let evil = zip_of(&[("ok.txt", b"x"), ("../evil.txt", b"x")]);
    let text = refused(&c.upload_files("/audit", &[("a.zip", evil)]).await);
    assert!(
        text.contains("E1216") && text.contains("不含 ..") && text.contains("..&#x2f;evil.txt"),
        "{text}"
    );
    // 27 KB of text inflated from a few: over the 16 KB limit.
    let big = zip_of(&[("a.txt", &report)]);
    assert!(big.len() < 16 << 10);
    let text = refused(&c.upload_files("/audit", &[("big.zip", big)]).await);
    assert!(text.contains("解压后合计不超过 16 KB"), "{text}");
    let text = refused(
        &c.upload_files("/audit?lang=en", &[("c.zip", b"no zip".to_vec())])
            .await,
    );
    assert!(
        text.contains("the uploaded zip cannot be audited")
            && text.contains("expected a ZIP archive"),
        "{text}"
    );
    let text = refused(
        &c.upload_files(
            "/audit?lang=zh",
            &[("d.zip", zip_of(&[("notes.md", b"x")]))],
        )
        .await,
    );
    assert!(
        text.contains("E1217") && text.contains("d.zip&#x2f;notes.md"),
        "{text}"
    );
}

/// An administrator audits the whole library: every published version, read back from its
/// report page, gives the batch summary; nobody else may, and an empty library says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_library_is_audited_as_a_whole_by_an_administrator() {
    let w = World::new("sqlite");
    let editor = w.signed_in("editor").await;
    let reviewer = w.signed_in("reviewer").await;
    let admin = w.signed_in("admin").await;
    let r = admin.form("/admin/audit-library", &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("E1218"), "{}", r.text());
    let id = editor.upload_example().await;
    editor.form(&format!("/uploads/{id}/submit"), &[]).await;
    let r = reviewer
        .form(&format!("/uploads/{id}/approve"), &[("confirm", "yes")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        reviewer.form("/admin/audit-library", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    // The button is on the administrators' page.
    assert!(
        admin
            .get("/admin/log")
            .await
            .text()
            .contains("action=\"/admin/audit-library\"")
    );
    let r = admin.form("/admin/audit-library", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page_url = r.location();
    assert!(page_url.starts_with("/audit/batches/"), "{page_url}");
    let page = admin.get(&page_url).await.text();
    assert!(page.contains("共 1 份文件：审查 1 份"), "{page}");
    // The published report reads back as the department's: its name and year, no error.
    let documents = admin.get(&format!("{page_url}/documents.csv")).await.text();
    let row = documents.lines().nth(1).unwrap();
    assert!(
        row.contains(",audited,") && row.contains(",2023,"),
        "{documents}"
    );
    // The row's value under the header `name`.
    let cell = |name: &str| {
        let at = documents
            .lines()
            .next()
            .unwrap()
            .split(',')
            .position(|h| h == name)
            .unwrap();
        row.split(',').nth(at).unwrap_or_default()
    };
    assert_eq!(cell("errors"), "0", "{documents}");
    // The report page is what is read back (its narrative checked), not the workbook alone.
    assert!(
        row.starts_with("武汉市洪山区/") && row.contains("/report.html,"),
        "{documents}"
    );
    let checked: u32 = cell("numbers_checked").parse().unwrap();
    assert!(checked > 50, "the narrative's numbers checked: {documents}");
}
