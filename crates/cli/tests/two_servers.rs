//! Two `bekal serve` processes on one PostgreSQL database behave as one: what is written through
//! one is seen through the other, because servers keep no state of their own.

mod support;

use support::{PgDatabase, get_signed_in, login, run, start_server};

#[test]
fn two_servers_on_one_postgres_see_the_same_state() {
    let Some(pg) = PgDatabase::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let migrate = run(&["migrate", "--database", &pg.url], dir.path());
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    let added = support::bekal()
        .args(["user", "add", "kanwil.jateng", "--role", "oversight_viewer"])
        .args(["--database", &pg.url])
        .env("BEKAL_NEW_PASSWORD", "pengawas wilayah tengah")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let first = start_server(&["serve", "--database", &pg.url], dir.path());
    let second = start_server(&["serve", "--database", &pg.url], dir.path());
    // A session opened on the first server is valid on the second (sessions live in the database).
    let cookie = login(&first.url, "kanwil.jateng", "pengawas wilayah tengah");
    let get = |url: String| get_signed_in(&url, &cookie);
    for server in [&first, &second] {
        assert_eq!(
            get(format!("{}/api/facilities", server.url)),
            (200, "[]".to_owned())
        );
    }
    for (code, name) in [
        ("PKL", "Lapas Kelas IIA Pekalongan"),
        ("SMG", "Rutan Kelas I Semarang"),
    ] {
        let added = run(
            &[
                "facility",
                "add",
                code,
                name,
                "--kind",
                "lapas",
                "--database",
                &pg.url,
            ],
            dir.path(),
        );
        assert!(
            added.status.success(),
            "{}",
            String::from_utf8_lossy(&added.stderr)
        );
        let through_first = get(format!("{}/api/facilities", first.url));
        let through_second = get(format!("{}/api/facilities", second.url));
        assert_eq!(through_first.0, 200);
        assert_eq!(through_first, through_second);
        assert!(through_second.1.contains(code));
    }
    let overview_a = get(format!("{}/api/facilities/PKL/overview", first.url));
    let overview_b = get(format!("{}/api/facilities/PKL/overview", second.url));
    assert_eq!(overview_a, overview_b);
    assert_eq!(overview_a.0, 200);
}
