//! `juesuan serve` and `juesuan user add`: thin glue over `juesuan-web`.

use crate::cli::{ServeArgs, StorageArgs, UserArgs, UserCommand};
use crate::common::Failure;
use crate::exit;
use juesuan_core::{Diagnostic, Lang, Location, Text};
use juesuan_web::store::{self, Role};
use juesuan_web::{AppState, Db, WebError};
use std::process::ExitCode;

fn failure(e: &WebError) -> Failure {
    Failure::invalid(vec![
        Diagnostic::error(
            e.code,
            Location::Nowhere,
            Text::new(e.message.zh.clone(), e.message.en.clone()),
        )
        .found(e.detail.clone()),
    ])
}

fn open(storage: &StorageArgs) -> Result<Db, WebError> {
    match &storage.database_url {
        Some(url) => Db::open(url),
        None => {
            std::fs::create_dir_all(&storage.data)
                .map_err(|e| WebError::database(format!("{}: {e}", storage.data.display())))?;
            Db::open_sqlite(&storage.data.join("juesuan.sqlite3"))
        }
    }
}

const EXAMPLE: &[u8] = include_bytes!("../../../examples/hongshan-kjj-2023.toml");

/// Runs the server until interrupted.
pub fn serve(args: &ServeArgs, lang: Lang) -> Result<ExitCode, Failure> {
    let (setup, _) = crate::common::setup(Some(&args.data), None, None)?;
    let db = open(&args.storage).map_err(|e| failure(&e))?;
    let mut state = AppState::with_setup(db, setup);
    // Just made, so this is its only reference.
    if let Some(s) = std::sync::Arc::get_mut(&mut state) {
        s.secure_cookies = args.secure_cookies;
        s.trusted_proxies.clone_from(&args.trusted_proxies);
    }
    if args.demo {
        let users = juesuan_web::seed_demo(&state, "hongshan-kjj-2023.toml", EXAMPLE)
            .map_err(|e| failure(&e))?;
        for (role, name, password) in &users {
            println!(
                "{}",
                match lang {
                    Lang::Zh => format!("演示账号 {role}: 用户名 {name} 密码 {password}"),
                    Lang::En => format!("demo user {role}: name {name} password {password}"),
                }
            );
        }
        if users.is_empty() {
            println!(
                "{}",
                match lang {
                    Lang::Zh => "演示数据已存在（账号密码在首次启动时打印）",
                    Lang::En =>
                        "the demo exists already (its passwords were printed on first start)",
                }
            );
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| failure(&WebError::database(e.to_string())))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .map_err(|e| failure(&WebError::bad_request(format!("{}: {e}", args.addr))))?;
        let addr = listener
            .local_addr()
            .map_err(|e| failure(&WebError::bad_request(e.to_string())))?;
        println!(
            "{}",
            match lang {
                Lang::Zh => format!("juesuan 已启动：http://{addr}/"),
                Lang::En => format!("juesuan is serving http://{addr}/"),
            }
        );
        juesuan_web::serve(state, listener)
            .await
            .map_err(|e| failure(&WebError::database(e.to_string())))
    })?;
    Ok(exit::code(exit::OK))
}

/// `juesuan user add`.
pub fn user(args: &UserArgs, lang: Lang) -> Result<ExitCode, Failure> {
    let UserCommand::Add(a) = &args.command;
    let role = Role::parse(&a.role)
        .ok_or_else(|| failure(&WebError::bad_account(format!("role {}", a.role))))?;
    let db = open(&a.storage).map_err(|e| failure(&e))?;
    let region_name = a
        .region
        .clone()
        .or_else(|| a.department.as_deref().map(juesuan_web::region_of));
    let region = match &region_name {
        Some(r) if role != Role::Admin => {
            Some(store::ensure_region(&db, r).map_err(|e| failure(&e))?)
        }
        _ => None,
    };
    let department = match (&a.department, region, role) {
        (Some(d), Some(r), Role::Editor) => {
            Some(store::ensure_department(&db, r, d).map_err(|e| failure(&e))?)
        }
        _ => None,
    };
    let (password, generated) = match std::env::var("JUESUAN_PASSWORD") {
        Ok(p) if !p.is_empty() => (p, false),
        _ => (juesuan_web::auth::random_password(), true),
    };
    store::add_user(
        &db,
        &a.username,
        a.name.as_deref().unwrap_or(&a.username),
        &password,
        role,
        department,
        if role == Role::Reviewer { region } else { None },
    )
    .map_err(|e| failure(&e))?;
    println!(
        "{}",
        match (lang, generated) {
            (Lang::Zh, true) => format!("已创建用户 {}（{}），密码 {password}", a.username, a.role),
            (Lang::En, true) => format!(
                "created user {} ({}), password {password}",
                a.username, a.role
            ),
            (Lang::Zh, false) => format!("已创建用户 {}（{}）", a.username, a.role),
            (Lang::En, false) => format!("created user {} ({})", a.username, a.role),
        }
    );
    Ok(exit::code(exit::OK))
}
