//! Accounts and the audit log from the command line, on the real binary: `bekal user add`
//! (password never on argv), `bekal user reset-password`, `bekal audit verify` and `bekal audit
//! checkpoint`, a tampered database caught, and no password or session token in server logs.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure is a failed test"
)]

mod support;

use bekal_store::Store;
use bekal_store::audit::{self, EntryFields, entry_hash};
use bekal_store::entity::{audit_head, audit_log};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use std::io::Write;
use std::process::Stdio;
use support::{bekal, get_signed_in, login, request, run, start_server_with_env};

fn add_user(
    db: &str,
    dir: &std::path::Path,
    args: &[&str],
    password: &str,
) -> std::process::Output {
    bekal()
        .args(["user", "add"])
        .args(args)
        .args(["--database", db])
        .env("BEKAL_NEW_PASSWORD", password)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn users_are_added_and_reset_without_passwords_on_argv() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/t.sqlite", dir.path().display());
    let ok = add_user(
        &db,
        dir.path(),
        &["kanwil.jateng", "--role", "oversight_viewer"],
        "pengawas wilayah tengah",
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let weak = add_user(
        &db,
        dir.path(),
        &["siti", "--role", "oversight_viewer"],
        "password123",
    );
    assert_eq!(weak.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&weak.stderr).contains("password"));
    let no_facility = add_user(
        &db,
        dir.path(),
        &["budi", "--role", "program_officer"],
        "kata sandi panjang sekali",
    );
    assert_eq!(no_facility.status.code(), Some(1));
    let bad_role = add_user(
        &db,
        dir.path(),
        &["budi", "--role", "warden"],
        "kata sandi panjang sekali",
    );
    assert_eq!(bad_role.status.code(), Some(2));
    // From stdin.
    let mut child = bekal()
        .args([
            "user",
            "add",
            "budi",
            "--role",
            "oversight_viewer",
            "--database",
            &db,
        ])
        .env_remove("BEKAL_NEW_PASSWORD")
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"sandi dari masukan standar\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reset = bekal()
        .args(["user", "reset-password", "budi", "--database", &db])
        .env("BEKAL_NEW_PASSWORD", "sandi baru yang lebih panjang")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
    let server = start_server_with_env(&["serve", "--database", &db], dir.path(), &[]);
    let cookie = login(&server.url, "budi", "sandi baru yang lebih panjang");
    assert_eq!(
        get_signed_in(&format!("{}/api/facilities", server.url), &cookie).0,
        200
    );
    let unknown = bekal()
        .args(["user", "reset-password", "nobody", "--database", &db])
        .env("BEKAL_NEW_PASSWORD", "sandi baru yang lebih panjang")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(1));
}

/// Rewrites the first entry of `chain` and recomputes every later hash and the head, as
/// someone with write access to the database file could.
async fn rewrite_chain(url: &str, chain: &str) {
    let store = Store::connect(url).await.unwrap();
    let conn = store.conn();
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::Chain.eq(chain))
        .order_by_asc(audit_log::Column::Seq)
        .all(conn)
        .await
        .unwrap();
    let mut prev = audit::GENESIS_HASH.to_owned();
    for row in rows {
        let changes = if row.seq == 1 {
            r#"{"note":{"forged":true}}"#.to_owned()
        } else {
            row.changes.clone()
        };
        let hash = entry_hash(&EntryFields {
            prev_hash: &prev,
            chain: &row.chain,
            seq: row.seq,
            at: row.at,
            actor_user_id: row.actor_user_id,
            actor: &row.actor,
            facility_id: row.facility_id,
            action: &row.action,
            entity: &row.entity,
            entity_id: row.entity_id.as_deref(),
            changes: &changes,
        });
        let mut active = row.into_active_model();
        active.changes = Set(changes);
        active.prev_hash = Set(prev.clone());
        active.hash = Set(hash.clone());
        active.update(conn).await.unwrap();
        prev = hash;
    }
    let head = audit_head::Entity::find_by_id(chain.to_owned())
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let mut head = head.into_active_model();
    head.hash = Set(prev);
    head.update(conn).await.unwrap();
    store.close().await.unwrap();
}

#[test]
fn audit_verify_and_checkpoint_catch_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/t.sqlite", dir.path().display());
    for code in ["PKL", "SMG"] {
        let out = run(
            &[
                "facility",
                "add",
                code,
                "Lapas",
                "--kind",
                "lapas",
                "--database",
                &db,
            ],
            dir.path(),
        );
        assert!(out.status.success());
    }
    let verify = run(
        &["audit", "verify", "--json", "--database", &db],
        dir.path(),
    );
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert_eq!(report["ok"], true);
    let file = dir.path().join("checkpoint.json");
    let cp = run(
        &[
            "audit",
            "checkpoint",
            "-o",
            file.to_str().unwrap(),
            "--database",
            &db,
        ],
        dir.path(),
    );
    assert!(
        cp.status.success(),
        "{}",
        String::from_utf8_lossy(&cp.stderr)
    );
    let key = dir.path().join("bekal-data/audit-key.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let signed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(signed["signature"].as_str().unwrap().len() == 128);
    // More activity after the checkpoint is fine.
    run(
        &[
            "facility",
            "add",
            "BTG",
            "Lapas",
            "--kind",
            "lapas",
            "--database",
            &db,
        ],
        dir.path(),
    );
    let ok = run(
        &[
            "audit",
            "verify",
            "--checkpoint",
            file.to_str().unwrap(),
            "--database",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    // A forged checkpoint file is caught.
    let forged = dir.path().join("forged.json");
    std::fs::write(
        &forged,
        std::fs::read_to_string(&file)
            .unwrap()
            .replace("\"seq\": 2", "\"seq\": 1"),
    )
    .unwrap();
    let bad = run(
        &[
            "audit",
            "verify",
            "--checkpoint",
            forged.to_str().unwrap(),
            "--database",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(bad.status.code(), Some(1));
    // A rewritten, rehashed chain passes the chain walk but not the checkpoint.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(rewrite_chain(&db, "national"));
    let walk = run(&["audit", "verify", "--database", &db], dir.path());
    assert_eq!(walk.status.code(), Some(0), "self-consistent rewrite");
    let caught = run(
        &[
            "audit",
            "verify",
            "--checkpoint",
            file.to_str().unwrap(),
            "--database",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(caught.status.code(), Some(1));
    let text = String::from_utf8_lossy(&caught.stderr);
    assert!(
        text.contains("national") && text.contains("rewritten"),
        "{text}"
    );
    // A plain edit breaks the chain walk, naming the entry.
    runtime.block_on(async {
        let store = Store::connect(&db).await.unwrap();
        let row = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.eq(2_i64))
            .filter(audit_log::Column::Chain.eq("national"))
            .one(store.conn())
            .await
            .unwrap()
            .unwrap();
        let mut row = row.into_active_model();
        row.actor = Set("someone else".into());
        row.update(store.conn()).await.unwrap();
        store.close().await.unwrap();
    });
    let broken = run(&["audit", "verify", "--database", &db], dir.path());
    assert_eq!(broken.status.code(), Some(1));
    let text = String::from_utf8_lossy(&broken.stderr);
    assert!(text.contains("chain national: entry 2"), "{text}");
}

#[test]
fn no_password_or_session_token_in_server_logs() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/t.sqlite", dir.path().display());
    let secret = "rahasia-tidak-boleh-bocor-77";
    let out = add_user(
        &db,
        dir.path(),
        &["kanwil.jateng", "--role", "oversight_viewer"],
        secret,
    );
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains(secret));
    let server = start_server_with_env(
        &["serve", "--database", &db],
        dir.path(),
        &[(
            "BEKAL_LOG",
            "trace,sqlx=trace,sea_orm=trace,tower_http=trace",
        )],
    );
    let wrong = format!("username=kanwil.jateng&password={secret}x");
    let (status, _, _) = request("POST", &format!("{}/login", server.url), &[], &wrong);
    assert_eq!(status, 401);
    let cookie = login(&server.url, "kanwil.jateng", secret);
    assert_eq!(
        get_signed_in(&format!("{}/api/facilities", server.url), &cookie).0,
        200
    );
    let token = cookie.trim_start_matches("bekal_session=");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let log = server.log.lock().unwrap().clone();
    assert!(log.len() > 1000, "the server logged at trace level: {log}");
    assert!(!log.contains(secret), "password in the log");
    assert!(!log.contains(token), "session token in the log");
}

#[test]
fn api_tokens_from_the_cli_open_the_api_within_scope_until_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/t.sqlite", dir.path().display());
    let out = add_user(
        &db,
        dir.path(),
        &["kanwil.jateng", "--role", "oversight_viewer"],
        "pengawas wilayah tengah",
    );
    assert!(out.status.success());
    let made = run(
        &[
            "user",
            "token",
            "kanwil.jateng",
            "--name",
            "dashboard",
            "--scope",
            "ListFacilities",
            "--expires-days",
            "30",
            "--database",
            &db,
        ],
        dir.path(),
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let secret = String::from_utf8(made.stdout).unwrap().trim().to_owned();
    assert!(secret.starts_with("bekal_"), "{secret}");
    let unknown = run(
        &[
            "user",
            "token",
            "kanwil.jateng",
            "--name",
            "x",
            "--scope",
            "Everything",
            "--database",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(unknown.status.code(), Some(1));
    let server = start_server_with_env(&["serve", "--database", &db], dir.path(), &[]);
    let bearer = format!("Bearer {secret}");
    let call = |path: &str| {
        request(
            "GET",
            &format!("{}{path}", server.url),
            &[("Authorization", &bearer)],
            "",
        )
        .0
    };
    assert_eq!(call("/api/facilities"), 200);
    assert_eq!(call("/api/facilities/PKL/overview"), 403);
    let revoked = run(
        &["user", "revoke-token", "1", "--database", &db],
        dir.path(),
    );
    assert!(
        revoked.status.success(),
        "{}",
        String::from_utf8_lossy(&revoked.stderr)
    );
    assert_eq!(call("/api/facilities"), 401);
    let totp = run(
        &["user", "require-totp", "kanwil.jateng", "--database", &db],
        dir.path(),
    );
    assert!(totp.status.success());
    let form = "username=kanwil.jateng&password=pengawas+wilayah+tengah";
    let (status, head, _) = request("POST", &format!("{}/login", server.url), &[], form);
    assert_eq!(status, 303);
    assert!(head.contains("/login/second-factor"), "{head}");
}
