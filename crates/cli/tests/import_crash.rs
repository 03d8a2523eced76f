//! Crash safety of `bekal import inmates`: the process is killed with SIGKILL while it writes,
//! then the database must hold whole batches only, pass its integrity check and audit chain
//! verification, and running the same import again must complete it with no duplicates.
//! Killed 20 times at random moments (`BEKAL_CRASH_CYCLES`), on SQLite and, when configured,
//! PostgreSQL.

#![expect(clippy::unwrap_used, reason = "test: a failure is a failed test")]

mod support;

use bekal_store::Store;
use bekal_store::entity::inmate;
use bekal_store::sea_orm::{EntityTrait, PaginatorTrait};
use std::fmt::Write as _;
use std::time::{Duration, Instant};
use support::{PgDatabase, bekal, run};

const ROWS: usize = 20_000;
const BATCH: u64 = 1_000;

fn write_file(dir: &std::path::Path) -> std::path::PathBuf {
    let mut text = String::from("No. Register;Nama;Tgl Lahir;Jenis Kelamin;Tgl Ekspirasi;Blok\n");
    for n in 0..ROWS {
        writeln!(
            text,
            "B.I-{n:06}/2025;Warga Binaan {n};{:02}/0{}/19{};L;01/12/2028;Blok {}",
            1 + n % 28,
            1 + n % 9,
            60 + n % 40,
            n % 4
        )
        .unwrap();
    }
    let path = dir.join("wbp.csv");
    std::fs::write(&path, text).unwrap();
    path
}

async fn count(url: &str) -> u64 {
    let store = Store::connect(url).await.unwrap();
    let n = inmate::Entity::find().count(store.conn()).await.unwrap();
    store.close().await.unwrap();
    n
}

async fn chains_verify(url: &str) {
    let store = Store::connect(url).await.unwrap();
    assert_eq!(store.integrity_check().await.unwrap(), "ok");
    for chain in bekal_store::audit::chains(store.conn()).await.unwrap() {
        let report = bekal_store::audit::verify_chain(store.conn(), &chain)
            .await
            .unwrap();
        assert_eq!(report.first_break, None, "{chain}");
    }
    store.close().await.unwrap();
}

async fn kill_and_resume(url: &str, dir: &std::path::Path, rounds: usize) {
    let file = write_file(dir);
    let added = run(
        &[
            "facility",
            "add",
            "PKL",
            "Lapas Kelas IIA Pekalongan",
            "--kind",
            "lapas",
            "--database",
            url,
        ],
        dir,
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let file_arg = file.to_str().unwrap();
    let mut killed_mid_way = 0;
    let mut seed = 17_u64;
    for round in 0..rounds {
        let before = count(url).await;
        let mut child = bekal()
            .args([
                "import",
                "inmates",
                "--facility",
                "PKL",
                file_arg,
                "--database",
                url,
            ])
            .current_dir(dir)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Kill at a random moment once at least one more batch is in.
        let deadline = Instant::now() + Duration::from_secs(120);
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let jitter = Duration::from_millis((seed >> 33) % 400);
        std::thread::sleep(Duration::from_millis(50));
        loop {
            if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
                break;
            }
            if count(url).await > before {
                std::thread::sleep(jitter);
                child.kill().unwrap();
                killed_mid_way += 1;
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait().unwrap();
        let after = count(url).await;
        assert_eq!(
            after % BATCH,
            0,
            "round {round}: only whole batches survive a kill ({after} rows)"
        );
        chains_verify(url).await;
    }
    assert!(killed_mid_way > 0, "the import was never caught mid-way");
    let finish = run(
        &[
            "import",
            "inmates",
            "--facility",
            "PKL",
            file_arg,
            "--json",
            "--database",
            url,
        ],
        dir,
    );
    assert!(
        finish.status.success(),
        "{}",
        String::from_utf8_lossy(&finish.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&finish.stdout).unwrap();
    assert_eq!(summary["rejected"], 0);
    assert_eq!(
        count(url).await,
        ROWS as u64,
        "completed with no duplicates"
    );
    chains_verify(url).await;
}

/// `BEKAL_CRASH_CYCLES` (default 20): how many times the import is killed.
fn rounds() -> usize {
    std::env::var("BEKAL_CRASH_CYCLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20)
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_import_survives_kill_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/crash.sqlite", dir.path().display());
    kill_and_resume(&url, dir.path(), rounds()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_import_survives_kill_and_resumes() {
    let Some(pg) = PgDatabase::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    kill_and_resume(&pg.url, dir.path(), rounds()).await;
}
