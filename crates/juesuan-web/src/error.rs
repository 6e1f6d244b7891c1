//! The web app's errors (E12xx in docs/errors.md): a code, an HTTP status and a message in
//! Chinese and English. Pages show them in the visitor's language, the API returns both.

use juesuan_core::{Lang, Text};

/// An error of a web request or of the store.
#[derive(Clone, Debug)]
pub struct WebError {
    /// Stable code (E12xx, or the pipeline's code for a diagnostic passed through).
    pub code: &'static str,
    /// HTTP status.
    pub status: u16,
    /// What went wrong.
    pub message: Text,
    /// Details (what was expected and found; a database message), in English, or the same in
    /// both languages when they are names or numbers.
    pub detail: String,
    /// The details in Chinese, when they are words ([`WebError::detail`] otherwise).
    pub detail_zh: String,
}

impl WebError {
    fn new(code: &'static str, status: u16, zh: &str, en: &str) -> WebError {
        WebError {
            code,
            status,
            message: Text::new(zh, en),
            detail: String::new(),
            detail_zh: String::new(),
        }
    }

    /// With details (the same in both languages: names, numbers, a database's message).
    pub fn detail(mut self, detail: impl Into<String>) -> WebError {
        self.detail = detail.into();
        self
    }

    /// With details in Chinese and in English.
    pub fn details(mut self, zh: impl Into<String>, en: impl Into<String>) -> WebError {
        self.detail_zh = zh.into();
        self.detail = en.into();
        self
    }

    /// E1201: the action needs a signed-in user.
    pub fn login_required() -> WebError {
        WebError::new("E1201", 401, "请先登录", "please sign in first")
    }
    /// E1202: the signed-in user's role does not allow the action.
    pub fn forbidden() -> WebError {
        WebError::new(
            "E1202",
            403,
            "您的角色无权进行此操作",
            "your role does not allow this action",
        )
    }
    /// E1203: no such page or record, or not visible to this user.
    pub fn not_found() -> WebError {
        WebError::new(
            "E1203",
            404,
            "找不到该页面或记录（或您无权查看）",
            "no such page or record (or you may not see it)",
        )
    }
    /// E1204: the CSRF token is missing or wrong.
    pub fn csrf() -> WebError {
        WebError::new(
            "E1204",
            403,
            "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试",
            "the form expired or came from elsewhere (CSRF check failed); reload the page and try again",
        )
    }
    /// E1205: too many failed logins for this user name from this address, until `until`
    /// (Unix seconds).
    pub fn rate_limited(until: i64) -> WebError {
        WebError::new(
            "E1205",
            429,
            "登录失败次数过多，暂时锁定",
            "too many failed logins; signing in is locked for now",
        )
        .details(
            format!("请于 {} 后再试", crate::clock::datetime_in(until, Lang::Zh)),
            format!(
                "try again after {}",
                crate::clock::datetime_in(until, Lang::En)
            ),
        )
    }
    /// E1206: wrong user name or password.
    pub fn bad_login() -> WebError {
        WebError::new(
            "E1206",
            401,
            "用户名或密码错误",
            "wrong user name or password",
        )
    }
    /// E1207: a malformed request (missing field, file too large, bad form).
    pub fn bad_request(detail: impl Into<String>) -> WebError {
        WebError::new(
            "E1207",
            400,
            "请求不完整或格式错误",
            "the request is incomplete or malformed",
        )
        .detail(detail)
    }
    /// E1208: the input names a department other than the uploader's.
    pub fn other_department(found: &str, expected: &str) -> WebError {
        WebError::new(
            "E1208",
            422,
            "上传文件中的部门名称与您所在的部门不一致",
            "the uploaded file names another department than yours",
        )
        .detail(format!("{found} ≠ {expected}"))
    }
    /// E1209: the action is not possible in the upload's current state.
    pub fn wrong_state(detail: impl Into<String>) -> WebError {
        WebError::new(
            "E1209",
            409,
            "当前状态下不能进行此操作",
            "this action is not possible in the current state",
        )
        .detail(detail)
    }
    /// E1210: the database failed.
    pub fn database(detail: impl Into<String>) -> WebError {
        WebError::new("E1210", 500, "数据库出错", "the database failed").detail(detail)
    }
    /// E1211: the PDF cannot be made (no Chromium).
    pub fn pdf(detail: impl Into<String>) -> WebError {
        WebError::new(
            "E1211",
            503,
            "无法生成 PDF（服务器未安装 Chromium 或打印失败）",
            "the PDF cannot be made (Chromium is not installed on the server, or printing failed)",
        )
        .detail(detail)
    }
    /// E1212: a user, department or region cannot be created as asked.
    pub fn bad_account(detail: impl Into<String>) -> WebError {
        WebError::new(
            "E1212",
            400,
            "无法创建用户（用户名已存在、角色未知或缺少部门/地区）",
            "the user cannot be created (name taken, unknown role, or department/region missing)",
        )
        .detail(detail)
    }
    /// E1213: the database was migrated by a newer juesuan.
    pub fn newer_schema(found: i64, known: i64) -> WebError {
        WebError::new(
            "E1213",
            500,
            "数据库由更新版本的 juesuan 创建，请升级",
            "the database was created by a newer juesuan; upgrade",
        )
        .detail(format!("schema {found} > {known}"))
    }
    /// E1215: the uploaded file is empty or not of a kind juesuan reads (TOML, JSON, XLSX);
    /// `found_zh`/`found_en` say what it is.
    pub fn unsupported_file(found_zh: &str, found_en: &str) -> WebError {
        WebError::new(
            "E1215",
            415,
            "不支持的文件类型：请上传 TOML、JSON 或 XLSX 格式的决算数据",
            "unsupported file type: upload the accounts as TOML, JSON or XLSX",
        )
        .details(format!("收到：{found_zh}"), format!("found: {found_en}"))
    }
    /// E1216: an uploaded zip of reports cannot be audited (not a zip, an entry outside it,
    /// too many entries, too large uncompressed); the details say what was expected and found.
    pub fn bad_zip() -> WebError {
        WebError::new(
            "E1216",
            400,
            "上传的压缩包无法审查",
            "the uploaded zip cannot be audited",
        )
    }
    /// E1217: an upload to audit holds no report (no file with a report's extension).
    pub fn no_report() -> WebError {
        WebError::new(
            "E1217",
            400,
            "上传的文件中没有可审查的报告",
            "the upload holds no report to audit",
        )
    }
    /// E1218: the library holds no published version to audit.
    pub fn empty_library() -> WebError {
        WebError::new(
            "E1218",
            409,
            "公开库中还没有可审查的发布版本",
            "the library holds no published version to audit",
        )
    }
    /// E1214: the input could not be read, built or rendered (the pipeline's diagnostics).
    pub fn pipeline(detail: impl Into<String>) -> WebError {
        WebError::new(
            "E1214",
            422,
            "无法处理该文件",
            "the file cannot be processed",
        )
        .detail(detail)
    }

    /// The details in `lang`.
    pub fn detail_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh if !self.detail_zh.is_empty() => &self.detail_zh,
            _ => &self.detail,
        }
    }

    /// The message in `lang`, with the details.
    pub fn render(&self, lang: Lang) -> String {
        let m = self.message.get(lang);
        match (self.detail_in(lang), lang) {
            ("", _) => format!("{}: {m}", self.code),
            (d, Lang::Zh) => format!("{}: {m}（{d}）", self.code),
            (d, Lang::En) => format!("{}: {m} ({d})", self.code),
        }
    }

    /// The JSON body of an API error.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "error": {
                "code": self.code,
                "message_zh": self.message.zh,
                "message_en": self.message.en,
                "detail": self.detail,
                "detail_zh": self.detail_in(Lang::Zh),
            }
        })
    }
}

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for WebError {}
