//! A small world for the reports: three facilities (two in Jawa Tengah, one in Jawa Timur)
//! of different sizes, one partner and one package of two units, and in each facility an
//! intake, an approved selection, a finished class with attendance, unit results,
//! certificates, a withdrawal, and releases of trained and untrained people. Rows are inserted
//! directly (this is a fixture, not a use case); follow-ups go through the service.
//! Shared by crates/app/tests/reports.rs and crates/cli/tests/report_cli.rs (`#[path]`).

#![allow(dead_code, reason = "each test binary uses part of the fixture")]
#![allow(
    clippy::expect_used,
    clippy::needless_range_loop,
    reason = "a fixture: a failure is a failed test; indices name inmates by position"
)]

use bekal_store::Store;
use bekal_store::entity::*;
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

/// Facility codes, their regions and sizes (inmates).
pub const FACILITIES: [(&str, &str, usize); 3] = [
    ("SMG", "Jawa Tengah", 6),
    ("PKL", "Jawa Tengah", 9),
    ("SBY", "Jawa Timur", 12),
];

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid day")
}

/// The day the world is looked at.
pub fn today() -> NaiveDate {
    day(2026, 12, 1)
}

pub fn release_day() -> NaiveDate {
    day(2026, 6, 10)
}

fn now() -> DateTime<Utc> {
    day(2026, 3, 1)
        .and_hms_opt(1, 0, 0)
        .expect("time")
        .and_utc()
}

/// What one facility of the world holds, for the tests' expectations.
#[derive(Debug, Clone)]
pub struct Built {
    pub facility_id: i64,
    pub code: &'static str,
    /// Inmates by index.
    pub inmates: Vec<i64>,
    /// Inmate ids released after completing the class.
    pub trained_released: Vec<i64>,
    /// Inmate id released without ever being enrolled.
    pub untrained_released: i64,
}

/// The expected figures of a facility of `n` inmates (see [`build`]).
pub fn expected(n: usize) -> (u64, u64, u64, u64, u64, u64, u64) {
    let m = n - 2;
    let assessed = (n - 1) as u64;
    let selected = m as u64;
    let enrolled = m as u64;
    let completed = (m - 1) as u64;
    let certified = (1..m).filter(|i| i % 3 != 0).count() as u64;
    let attended = (8 * m + 8 * (0..m).filter(|i| i % 2 == 0).count()) as u64;
    let possible = (16 * m) as u64;
    (
        assessed, selected, enrolled, completed, certified, attended, possible,
    )
}

macro_rules! ins {
    ($conn:expr, $model:expr) => {
        $model.insert($conn).await.expect("fixture row")
    };
}

/// A user account of `role` at `facility_id` (actors need a real user id for `recorded_by`).
pub async fn user_row(store: &Store, username: &str, role: &str, facility_id: Option<i64>) -> i64 {
    ins!(
        store.conn(),
        user::ActiveModel {
            username: Set(username.into()),
            display_name: Set(username.into()),
            password_hash: Set("$argon2id$x".into()),
            role: Set(role.into()),
            facility_id: Set(facility_id),
            totp_required: Set(false),
            failed_logins: Set(0),
            active: Set(true),
            created_at: Set(now()),
            updated_at: Set(now()),
            ..Default::default()
        }
    )
    .id
}

/// Builds the world; returns each facility.
pub async fn build(store: &Store) -> Vec<Built> {
    let c: &DatabaseConnection = store.conn();
    let p = ins!(
        c,
        partner::ActiveModel {
            code: Set("BLK-X".into()),
            name: Set("UPTD BLK X".into()),
            kind: Set("training_centre".into()),
            certificate_number_format: Set("{partner}/{year}/{seq:05}".into()),
            certificate_sequence: Set(0),
            issuer_did_method: Set("key".into()),
            active: Set(true),
            created_at: Set(now()),
            updated_at: Set(now()),
            ..Default::default()
        }
    );
    let pk = ins!(
        c,
        package::ActiveModel {
            code: Set("LAS".into()),
            name: Set("Teknik Las".into()),
            hours_jp: Set(160),
            duration_days: Set(18),
            capacity: Set(10),
            min_size: Set(1),
            trainer_skill: Set("LAS".into()),
            min_score: Set(0),
            min_attendance_percent: Set(80),
            required_flags: Set(json!([])),
            active: Set(true),
            created_at: Set(now()),
            updated_at: Set(now()),
            ..Default::default()
        }
    );
    let mut units = Vec::new();
    for (pos, code) in ["LAS.001", "LAS.002"].iter().enumerate() {
        let u = ins!(
            c,
            competency_unit::ActiveModel {
                code: Set((*code).into()),
                title: Set(format!("Unit {code}")),
                hours_jp: Set(16),
                standard: Set("SKKNI".into()),
                version: Set("01".into()),
                active: Set(true),
                created_at: Set(now()),
                updated_at: Set(now()),
                ..Default::default()
            }
        );
        ins!(
            c,
            package_unit::ActiveModel {
                package_id: Set(pk.id),
                unit_id: Set(u.id),
                position: Set(pos as i32),
                ..Default::default()
            }
        );
        units.push(u.id);
    }
    let key = ins!(
        c,
        issuer_key::ActiveModel {
            partner_id: Set(p.id),
            did: Set("did:key:z6Mk".into()),
            verification_method: Set("did:key:z6Mk#z6Mk".into()),
            public_key_multibase: Set("z6Mk".into()),
            secret_ref: Set("keys/x.json".into()),
            created_at: Set(now()),
            ..Default::default()
        }
    );
    let sl = ins!(
        c,
        status_list::ActiveModel {
            partner_id: Set(p.id),
            purpose: Set("revocation".into()),
            size_bits: Set(131_072),
            next_index: Set(0),
            encoded_list: Set("u".into()),
            created_at: Set(now()),
            updated_at: Set(now()),
            ..Default::default()
        }
    );
    let mut out = Vec::new();
    let mut cert_seq = 0;
    for (code, region, n) in FACILITIES {
        let f = ins!(
            c,
            facility::ActiveModel {
                code: Set(code.into()),
                name: Set(format!("Lapas {code}")),
                kind: Set("lapas".into()),
                region: Set(Some(region.into())),
                utc_offset_minutes: Set(420),
                active: Set(true),
                created_at: Set(now()),
                updated_at: Set(now()),
                ..Default::default()
            }
        );
        let mut inmates = Vec::new();
        for i in 0..n {
            let row = ins!(
                c,
                inmate::ActiveModel {
                    facility_id: Set(f.id),
                    register_number: Set(format!("B.I-{i:03}/{code}")),
                    name: Set(format!("Warga {code} {i}")),
                    remission_days: Set(0),
                    health_cleared: Set(true),
                    disciplinary_flag: Set(false),
                    custody_status: Set("in_custody".into()),
                    created_at: Set(now()),
                    updated_at: Set(now()),
                    ..Default::default()
                }
            );
            inmates.push(row.id);
        }
        // Intake: everyone but the last assessed in the period; the last one a year before.
        for (i, id) in inmates.iter().enumerate() {
            let on = if i + 1 == n {
                day(2025, 12, 1)
            } else {
                day(2026, 3, 10)
            };
            ins!(
                c,
                assessment::ActiveModel {
                    facility_id: Set(f.id),
                    inmate_id: Set(*id),
                    package_id: Set(pk.id),
                    health_cleared: Set(true),
                    security_cleared: Set(true),
                    literate: Set(true),
                    assessed_on: Set(on),
                    created_at: Set(now()),
                    updated_at: Set(now()),
                    ..Default::default()
                }
            );
        }
        let m = n - 2;
        let s = ins!(
            c,
            selection::ActiveModel {
                facility_id: Set(f.id),
                name: Set("Seleksi 2026".into()),
                status: Set("approved".into()),
                scoring: Set(json!({})),
                approved_at: Set(Some(
                    day(2026, 3, 15).and_hms_opt(3, 0, 0).expect("t").and_utc()
                )),
                created_at: Set(now()),
                updated_at: Set(now()),
                ..Default::default()
            }
        );
        for (i, id) in inmates.iter().enumerate() {
            ins!(
                c,
                selection_entry::ActiveModel {
                    facility_id: Set(f.id),
                    selection_id: Set(s.id),
                    inmate_id: Set(*id),
                    package_id: Set(Some(pk.id)),
                    decision: Set(if i < m { "selected" } else { "waiting" }.into()),
                    reasons: Set(json!([])),
                    ..Default::default()
                }
            );
        }
        let pl = ins!(
            c,
            plan::ActiveModel {
                facility_id: Set(f.id),
                selection_id: Set(Some(s.id)),
                name: Set("Rencana 2026".into()),
                status: Set("approved".into()),
                horizon_start: Set(day(2026, 4, 1)),
                stage_days: Set(18),
                num_stages: Set(1),
                created_at: Set(now()),
                updated_at: Set(now()),
                ..Default::default()
            }
        );
        let cl = ins!(
            c,
            training_class::ActiveModel {
                facility_id: Set(f.id),
                plan_id: Set(pl.id),
                package_id: Set(pk.id),
                partner_id: Set(p.id),
                code: Set(format!("LAS-{code}")),
                stage: Set(0),
                start_date: Set(day(2026, 4, 1)),
                end_date: Set(day(2026, 5, 20)),
                status: Set("finished".into()),
                created_at: Set(now()),
                updated_at: Set(now()),
                ..Default::default()
            }
        );
        let mut sessions = Vec::new();
        for d in [2, 3] {
            let sess = ins!(
                c,
                training_session::ActiveModel {
                    facility_id: Set(f.id),
                    class_id: Set(cl.id),
                    date: Set(day(2026, 4, d)),
                    hours_jp: Set(8),
                    status: Set("held".into()),
                    sheet_version: Set(1),
                    created_at: Set(now()),
                    updated_at: Set(now()),
                    ..Default::default()
                }
            );
            sessions.push(sess.id);
        }
        for i in 0..m {
            let withdrawn = i == 0;
            let en = ins!(
                c,
                enrolment::ActiveModel {
                    facility_id: Set(f.id),
                    class_id: Set(cl.id),
                    inmate_id: Set(inmates[i]),
                    state: Set(if withdrawn { "withdrawn" } else { "enrolled" }.into()),
                    enrolled_on: Set(day(2026, 4, 1)),
                    state_changed_on: Set(withdrawn.then(|| day(2026, 4, 10))),
                    created_at: Set(now()),
                    updated_at: Set(now()),
                    ..Default::default()
                }
            );
            if withdrawn {
                ins!(
                    c,
                    enrolment_event::ActiveModel {
                        facility_id: Set(f.id),
                        enrolment_id: Set(en.id),
                        from_state: Set(Some("enrolled".into())),
                        to_state: Set("withdrawn".into()),
                        effective_on: Set(day(2026, 4, 10)),
                        reason: Set(Some("mengundurkan diri".into())),
                        recorded_at: Set(now()),
                        ..Default::default()
                    }
                );
            }
            for (k, sess) in sessions.iter().enumerate() {
                let present = k == 0 || i % 2 == 0;
                ins!(
                    c,
                    attendance::ActiveModel {
                        facility_id: Set(f.id),
                        session_id: Set(*sess),
                        enrolment_id: Set(en.id),
                        status: Set(if present { "present" } else { "absent" }.into()),
                        hours_attended: Set(if present { 8 } else { 0 }),
                        recorded_at: Set(now()),
                        revision: Set(1),
                        ..Default::default()
                    }
                );
            }
            if withdrawn {
                continue;
            }
            for (u, unit) in units.iter().enumerate() {
                let k = u == 0 || i % 3 != 0;
                ins!(
                    c,
                    unit_result::ActiveModel {
                        facility_id: Set(f.id),
                        enrolment_id: Set(en.id),
                        unit_id: Set(*unit),
                        decision: Set(if k { "K" } else { "BK" }.into()),
                        attempt: Set(1),
                        current: Set(true),
                        assessed_on: Set(day(2026, 5, 19)),
                        recorded_at: Set(now()),
                        ..Default::default()
                    }
                );
            }
            if i % 3 != 0 {
                cert_seq += 1;
                ins!(
                    c,
                    certificate::ActiveModel {
                        facility_id: Set(f.id),
                        partner_id: Set(p.id),
                        enrolment_id: Set(en.id),
                        issuer_key_id: Set(key.id),
                        status_list_id: Set(sl.id),
                        status_index: Set(cert_seq),
                        number: Set(format!("BLK-X/2026/{cert_seq:05}")),
                        holder_name: Set(format!("Warga {code} {i}")),
                        credential: Set("{}".into()),
                        issued_on: Set(day(2026, 6, 1)),
                        status: Set("valid".into()),
                        created_at: Set(now()),
                        ..Default::default()
                    }
                );
            }
        }
        // The sheet totals the attendance service keeps on each session (this world writes
        // rows directly, so it keeps them too).
        c.execute_unprepared(
            "UPDATE training_sessions SET \
             attended_hours = COALESCE((SELECT SUM(a.hours_attended) FROM attendance a \
               WHERE a.session_id = training_sessions.id), 0), \
             marked_trainees = (SELECT COUNT(*) FROM attendance a \
               WHERE a.session_id = training_sessions.id)",
        )
        .await
        .unwrap();
        // Releases: three who completed the class, and the last inmate (never enrolled).
        let trained_released: Vec<i64> = inmates[1..4].to_vec();
        let untrained_released = inmates[n - 1];
        for id in trained_released.iter().chain([&untrained_released]) {
            ins!(
                c,
                custody_event::ActiveModel {
                    facility_id: Set(f.id),
                    inmate_id: Set(*id),
                    kind: Set("released".into()),
                    effective_on: Set(release_day()),
                    recorded_at: Set(now()),
                    ..Default::default()
                }
            );
        }
        out.push(Built {
            facility_id: f.id,
            code,
            inmates,
            trained_released,
            untrained_released,
        });
    }
    out
}
