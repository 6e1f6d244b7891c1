//! The pages' templates (`data/web/*.html`, minijinja, HTML auto-escaping on every template:
//! whatever a user typed is printed as text). `t(zh, en)` picks the visitor's language.

use minijinja::{AutoEscape, Environment, State, Value};
use std::sync::OnceLock;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../../data/web/base.html")),
    ("error.html", include_str!("../../../data/web/error.html")),
    ("login.html", include_str!("../../../data/web/login.html")),
    (
        "library.html",
        include_str!("../../../data/web/library.html"),
    ),
    (
        "department.html",
        include_str!("../../../data/web/department.html"),
    ),
    (
        "compare.html",
        include_str!("../../../data/web/compare.html"),
    ),
    ("rollup.html", include_str!("../../../data/web/rollup.html")),
    ("work.html", include_str!("../../../data/web/work.html")),
    ("upload.html", include_str!("../../../data/web/upload.html")),
    (
        "publication.html",
        include_str!("../../../data/web/publication.html"),
    ),
    ("audit.html", include_str!("../../../data/web/audit.html")),
    (
        "audit-batch.html",
        include_str!("../../../data/web/audit-batch.html"),
    ),
    (
        "confirm.html",
        include_str!("../../../data/web/confirm.html"),
    ),
    (
        "changes.html",
        include_str!("../../../data/web/changes.html"),
    ),
    ("log.html", include_str!("../../../data/web/log.html")),
];

fn en(state: &State) -> bool {
    state
        .lookup("lang")
        .is_some_and(|l| l.as_str() == Some("en"))
}

/// The environment, built once.
pub fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        for (name, text) in TEMPLATES {
            env.add_template(name, text)
                .unwrap_or_else(|e| panic!("template {name}: {e}"));
        }
        env.add_function(
            "t",
            |state: &State, zh: String, en_text: String| {
                if en(state) { en_text } else { zh }
            },
        );
        env.add_function("state_name", |state: &State, s: String| {
            let (zh, e) = match s.as_str() {
                "draft" => ("草稿", "draft"),
                "submitted" => ("已提交", "submitted"),
                "returned" => ("已退回", "returned"),
                "approved" => ("已通过并发布", "approved and published"),
                "withdrawn" => ("已撤回发布", "publication withdrawn"),
                "discarded" => ("已放弃", "discarded"),
                "comment" => ("审核意见", "comment"),
                _ => ("", ""),
            };
            if en(state) {
                e.to_string()
            } else {
                zh.to_string()
            }
        });
        env.add_function("action_name", |state: &State, s: String| {
            let (zh, e) = match s.as_str() {
                "login" => ("登录", "signed in"),
                "login_failed" => ("登录失败", "sign-in failed"),
                "upload" => ("上传", "uploaded"),
                "submitted" => ("提交审核", "submitted"),
                "returned" => ("退回", "returned"),
                "approved" => ("审核通过", "approved"),
                "comment" => ("审核意见", "commented"),
                "published" => ("发布", "published"),
                "withdrawn" => ("撤回发布", "withdrew"),
                "discarded" => ("放弃草稿", "discarded a draft"),
                _ => ("", ""),
            };
            if en(state) {
                e.to_string()
            } else {
                zh.to_string()
            }
        });
        // A document kind's name in the page's language (`kinds`, the app's kind names), its
        // id when the assets do not name it.
        env.add_function("kind_name", |state: &State, id: String| {
            let key = if en(state) { "en" } else { "zh" };
            state
                .lookup("kinds")
                .and_then(|k| k.get_item(&Value::from(id.as_str())).ok())
                .and_then(|n| n.get_attr(key).ok())
                .and_then(|n| n.as_str().map(str::to_string))
                .filter(|n| !n.is_empty())
                .unwrap_or(id)
        });
        env.add_filter("datetime", |state: &State, secs: i64| {
            crate::clock::datetime_in(
                secs,
                if en(state) {
                    juesuan_core::Lang::En
                } else {
                    juesuan_core::Lang::Zh
                },
            )
        });
        env.add_filter("urlencode", |s: String| percent_encode(&s));
        env
    })
}

/// Renders `name` with `ctx`.
pub fn render(name: &str, ctx: &impl serde::Serialize) -> Result<String, crate::WebError> {
    env()
        .get_template(name)
        .and_then(|t| t.render(minijinja::value::Serde(ctx)))
        .map_err(|e| crate::WebError::database(format!("template {name}: {e:#}")))
}

/// Percent-encoding of everything but unreserved characters (RFC 3986).
pub fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses_and_names_encode() {
        for (name, _) in TEMPLATES {
            assert!(env().get_template(name).is_ok(), "{name}");
        }
        assert_eq!(
            percent_encode("公开01表/1 a"),
            "%E5%85%AC%E5%BC%8001%E8%A1%A8%2F1%20a"
        );
    }
}
