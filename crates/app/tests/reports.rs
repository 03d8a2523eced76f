//! Follow-up after release and the reports, on both backends, over a small built world
//! (tests/support/report_world.rs): the due list as of a pinned day, recording with its rules,
//! permissions and audit, each facility's exact figures, region and nation totals that add up
//! to their facility rows, partner and package scopes, and the CSV / XLSX / SVG exports.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

#[path = "support/report_world.rs"]
mod report_world;

use bekal_app::followup::{self, NewFollowUp};
use bekal_app::reports::{self, Figures, Scope, chart, export};
use bekal_app::{Actor, App, AppError};
use bekal_domain::clock::FixedClock;
use bekal_domain::role::Role;
use bekal_domain::status::{EmployerType, FollowUpOutcome, FollowUpSource};
use bekal_store::entity::audit_log;
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use bekal_store::testing::TestDatabase;
use report_world::{Built, FACILITIES, day, expected, today};
use std::sync::Arc;

fn operator() -> Actor {
    Actor::Operator {
        label: "test".into(),
    }
}

fn user(role: Role, facility_id: Option<i64>, region: Option<&str>) -> Actor {
    Actor::User {
        id: 1,
        username: "u".into(),
        role,
        facility_id,
        partner_id: None,
        region: region.map(str::to_owned),
    }
}

fn app(db: &TestDatabase) -> App {
    App::new(db.store.clone(), Arc::new(FixedClock::at_day(today())))
}

fn follow_up(b: &Built, inmate_id: i64, outcome: FollowUpOutcome) -> NewFollowUp {
    let employed = outcome == FollowUpOutcome::Employed;
    NewFollowUp {
        facility_id: b.facility_id,
        inmate_id,
        months_after_release: 3,
        contacted_on: day(2026, 9, 12),
        outcome,
        in_trained_trade: employed,
        employer_type: employed.then_some(EmployerType::Company),
        source: FollowUpSource::Bapas,
        notes: Some("bengkel las".into()),
    }
}

/// The world with, in every facility, three 3-month follow-ups recorded: a trained releasee
/// employed in the trade, a trained one re-offended, the untrained one unemployed.
async fn world(db: &TestDatabase) -> (App, Vec<Built>) {
    let app = app(db);
    let built = report_world::build(&db.store).await;
    for b in &built {
        for (id, outcome) in [
            (b.trained_released[0], FollowUpOutcome::Employed),
            (b.trained_released[1], FollowUpOutcome::Reoffended),
            (b.untrained_released, FollowUpOutcome::Unemployed),
        ] {
            followup::record(&app, &operator(), follow_up(b, id, outcome))
                .await
                .unwrap();
        }
    }
    (app, built)
}

async fn follow_ups_due_as_of_the_clock_and_recorded_with_rules(db: &TestDatabase) {
    let (app, built) = world(db).await;
    let b = &built[0];
    let due = followup::due(&app, &operator(), b.facility_id, &[3, 6, 12])
        .await
        .unwrap();
    // Released on 10 June: the 3-month follow-up fell due on 10 September; two of the three
    // trained releasees are recorded; 6 months falls on 10 December, after the clock's today.
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0].inmate_id, b.trained_released[2]);
    assert_eq!(due[0].months_after_release, 3);
    assert_eq!(due[0].due_on, day(2026, 9, 10));
    assert_eq!(due[0].days_overdue, 82);
    // A shorter schedule makes more follow-ups due; the untrained releasee is never listed.
    let due = followup::due(&app, &operator(), b.facility_id, &[1, 3])
        .await
        .unwrap();
    assert_eq!(due.len(), 4);
    assert!(due.iter().all(|d| d.inmate_id != b.untrained_released));

    let bad = |f: fn(&mut NewFollowUp)| {
        let mut new = follow_up(b, b.trained_released[2], FollowUpOutcome::Employed);
        f(&mut new);
        new
    };
    for (case, field) in [
        (bad(|n| n.employer_type = None), "employer_type"),
        (bad(|n| n.contacted_on = day(2026, 12, 2)), "contacted_on"),
        (bad(|n| n.contacted_on = day(2026, 6, 9)), "contacted_on"),
        (bad(|n| n.months_after_release = 0), "months_after_release"),
        (bad(|n| n.outcome = FollowUpOutcome::Unemployed), "outcome"),
    ] {
        match followup::record(&app, &operator(), case).await {
            Err(AppError::Invalid { field: got, .. }) => assert_eq!(got, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    // Somebody never released cannot be followed up.
    let mut never = bad(|_| ());
    never.inmate_id = b.inmates[b.inmates.len() - 2];
    assert!(matches!(
        followup::record(&app, &operator(), never).await,
        Err(AppError::Invalid { .. })
    ));
    // Another facility's officer may neither read nor record; the own facility's may.
    let other = user(Role::ProgramOfficer, Some(built[1].facility_id), None);
    assert!(matches!(
        followup::due(&app, &other, b.facility_id, &[3]).await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        followup::record(&app, &other, bad(|_| ())).await,
        Err(AppError::Forbidden(_))
    ));
    let bapas_id = report_world::user_row(
        &db.store,
        "pk.bapas",
        "probation_officer",
        Some(b.facility_id),
    )
    .await;
    let bapas = Actor::User {
        id: bapas_id,
        username: "pk.bapas".into(),
        role: Role::ProbationOfficer,
        facility_id: Some(b.facility_id),
        partner_id: None,
        region: None,
    };
    let before = audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("follow_up"))
        .count(app.store.conn())
        .await
        .unwrap();
    let saved = followup::record(&app, &bapas, bad(|_| ())).await.unwrap();
    assert_eq!(saved.due_on, day(2026, 9, 10));
    assert_eq!(saved.employer_type, Some(EmployerType::Company));
    // Correcting the same offset updates the row instead of adding one.
    let corrected = followup::record(
        &app,
        &bapas,
        bad(|n| {
            n.outcome = FollowUpOutcome::SelfEmployed;
            n.employer_type = None;
        }),
    )
    .await
    .unwrap();
    assert_eq!(corrected.id, saved.id);
    let history = followup::history(&app, &bapas, b.facility_id, b.trained_released[2])
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].outcome, FollowUpOutcome::SelfEmployed);
    let after = audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("follow_up"))
        .count(app.store.conn())
        .await
        .unwrap();
    assert_eq!(after, before + 2, "each record is audited");
    assert!(
        followup::due(&app, &bapas, b.facility_id, &[3])
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        followup::parse_offsets(" 12, 3,6,3").unwrap(),
        vec![3, 6, 12]
    );
    assert!(followup::parse_offsets("3,x").is_err());
    assert_eq!(
        followup::offsets_from_settings(&app).await.unwrap(),
        vec![3, 6, 12]
    );
}

fn year() -> (chrono::NaiveDate, chrono::NaiveDate) {
    (day(2026, 1, 1), day(2026, 12, 31))
}

fn assert_facility_figures(f: &Figures, n: usize) {
    let (assessed, selected, enrolled, completed, certified, attended, possible) = expected(n);
    assert!(f.candidates_counted);
    assert_eq!(f.assessed, assessed, "assessed");
    assert_eq!(f.selected, selected, "selected");
    assert_eq!(f.enrolled, enrolled, "enrolled");
    assert_eq!(f.completed, completed, "completed");
    assert_eq!(f.certified, certified, "certified");
    assert_eq!(f.hours_attended, attended, "hours attended");
    assert_eq!(f.hours_possible, possible, "hours possible");
    assert_eq!(f.leaving.get("withdrawn"), Some(&1));
    let m = (n - 2) as u64;
    let k = f.units.get("LAS.001").unwrap();
    assert_eq!((k.competent, k.not_yet_competent), (m - 1, 0));
    let k2 = f.units.get("LAS.002").unwrap();
    assert_eq!(k2.competent + k2.not_yet_competent, m - 1);
    assert_eq!(k2.competent, certified);
    assert_eq!(f.follow_ups.get("employed"), Some(&1));
    assert_eq!(f.follow_ups.get("reoffended"), Some(&1));
    assert_eq!(f.follow_ups.get("unemployed"), Some(&1));
    assert_eq!(f.follow_ups_in_trade, 1);
    assert_eq!(
        (
            f.trained.released,
            f.trained.followed_up,
            f.trained.employed,
            f.trained.reoffended
        ),
        (3, 2, 1, 1)
    );
    assert_eq!(
        (
            f.untrained.released,
            f.untrained.followed_up,
            f.untrained.employed,
            f.untrained.reoffended
        ),
        (1, 1, 0, 0)
    );
}

async fn each_facility_has_its_exact_figures(db: &TestDatabase) {
    let (app, _) = world(db).await;
    let (from, to) = year();
    for (code, _, n) in FACILITIES {
        let s = reports::summary(&app, &operator(), &Scope::Facility(code.into()), from, to)
            .await
            .unwrap();
        assert_eq!(s.facilities.len(), 1);
        assert_facility_figures(&s.totals, n);
        assert_eq!(s.facilities[0].figures, s.totals);
    }
    // A period before anything happened has nothing but zeroes (and no attendance share).
    let s = reports::summary(
        &app,
        &operator(),
        &Scope::Facility("SMG".into()),
        day(2025, 1, 1),
        day(2025, 6, 30),
    )
    .await
    .unwrap();
    assert_eq!(s.totals.assessed, 0);
    assert_eq!(s.totals.attendance_share, None);
    assert_eq!(s.totals.trained.released, 0);
    // Only the intake of December 2025 falls into a period around it.
    let s = reports::summary(
        &app,
        &operator(),
        &Scope::Facility("SMG".into()),
        day(2025, 12, 1),
        day(2026, 3, 10),
    )
    .await
    .unwrap();
    assert_eq!(s.totals.assessed, 6);
    assert_eq!(s.totals.completed, 0, "the class ends later");
}

fn sum(rows: &[&Figures]) -> Figures {
    let mut total = Figures {
        candidates_counted: true,
        ..Figures::default()
    };
    for f in rows {
        total.assessed += f.assessed;
        total.selected += f.selected;
        total.enrolled += f.enrolled;
        total.completed += f.completed;
        total.certified += f.certified;
        total.hours_attended += f.hours_attended;
        total.hours_possible += f.hours_possible;
        for (k, u) in &f.units {
            let t = total.units.entry(k.clone()).or_default();
            t.competent += u.competent;
            t.not_yet_competent += u.not_yet_competent;
        }
        for (k, n) in &f.leaving {
            *total.leaving.entry(k.clone()).or_default() += n;
        }
        for (k, n) in &f.follow_ups {
            *total.follow_ups.entry(k.clone()).or_default() += n;
        }
        total.follow_ups_in_trade += f.follow_ups_in_trade;
        total.trained.released += f.trained.released;
        total.trained.followed_up += f.trained.followed_up;
        total.trained.employed += f.trained.employed;
        total.trained.reoffended += f.trained.reoffended;
        total.untrained.released += f.untrained.released;
        total.untrained.followed_up += f.untrained.followed_up;
        total.untrained.employed += f.untrained.employed;
        total.untrained.reoffended += f.untrained.reoffended;
    }
    total.attendance_share = (total.hours_possible > 0)
        .then(|| total.hours_attended as f64 / total.hours_possible as f64);
    total
}

async fn region_and_nation_add_up_to_their_facilities(db: &TestDatabase) {
    let (app, _) = world(db).await;
    let (from, to) = year();
    let nation = reports::summary(&app, &operator(), &Scope::National, from, to)
        .await
        .unwrap();
    assert_eq!(nation.facilities.len(), 3);
    // Each row of the nation equals that facility's own summary (a different query path:
    // one filtered to the facility), and the totals are the exact sum of the rows.
    for row in &nation.facilities {
        let own = reports::summary(
            &app,
            &operator(),
            &Scope::Facility(row.code.clone()),
            from,
            to,
        )
        .await
        .unwrap();
        assert_eq!(own.totals, row.figures, "{}", row.code);
    }
    let rows: Vec<&Figures> = nation.facilities.iter().map(|r| &r.figures).collect();
    assert_eq!(nation.totals, sum(&rows));
    let n_total: usize = FACILITIES.iter().map(|f| f.2).sum();
    assert_eq!(nation.totals.assessed, (n_total - 3) as u64);
    assert_eq!(nation.totals.trained.released, 9);

    let region = reports::summary(
        &app,
        &operator(),
        &Scope::Region("Jawa Tengah".into()),
        from,
        to,
    )
    .await
    .unwrap();
    let codes: Vec<&str> = region.facilities.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, vec!["PKL", "SMG"]);
    let in_region: Vec<&Figures> = nation
        .facilities
        .iter()
        .filter(|r| r.region.as_deref() == Some("Jawa Tengah"))
        .map(|r| &r.figures)
        .collect();
    assert_eq!(region.totals, sum(&in_region));
    let rows: Vec<&Figures> = region.facilities.iter().map(|r| &r.figures).collect();
    assert_eq!(region.totals, sum(&rows));
    assert_eq!(region.totals.enrolled, (4 + 7) as u64);

    // The only package and the only partner cover every class: the same class figures; the
    // package's follow-ups are those of its trainees only (not the untrained releasees'); the
    // partner's report does not count candidates.
    let package = reports::summary(&app, &operator(), &Scope::Package("LAS".into()), from, to)
        .await
        .unwrap();
    let mut expected_package = nation.totals.clone();
    expected_package.follow_ups.remove("unemployed");
    assert_eq!(package.totals, expected_package);
    let partner = reports::summary(&app, &operator(), &Scope::Partner("BLK-X".into()), from, to)
        .await
        .unwrap();
    assert!(!partner.totals.candidates_counted);
    assert_eq!(partner.totals.assessed, 0);
    assert_eq!(partner.totals.certified, nation.totals.certified);
    assert_eq!(partner.totals.trained, nation.totals.trained);
}

async fn reports_are_authorised_by_scope(db: &TestDatabase) {
    let (app, built) = world(db).await;
    let (from, to) = year();
    let officer = user(Role::ProgramOfficer, Some(built[0].facility_id), None);
    assert!(
        reports::summary(&app, &officer, &Scope::Facility("SMG".into()), from, to)
            .await
            .is_ok()
    );
    for scope in [
        Scope::Facility("PKL".into()),
        Scope::Region("Jawa Tengah".into()),
        Scope::National,
    ] {
        assert!(matches!(
            reports::summary(&app, &officer, &scope, from, to).await,
            Err(AppError::Forbidden(_))
        ));
    }
    let kanwil = user(Role::OversightViewer, None, Some("Jawa Timur"));
    assert!(
        reports::summary(&app, &kanwil, &Scope::Region("Jawa Timur".into()), from, to)
            .await
            .is_ok()
    );
    assert!(
        reports::summary(&app, &kanwil, &Scope::Facility("SBY".into()), from, to)
            .await
            .is_ok()
    );
    for scope in [
        Scope::Facility("SMG".into()),
        Scope::Region("Jawa Tengah".into()),
        Scope::National,
    ] {
        assert!(matches!(
            reports::summary(&app, &kanwil, &scope, from, to).await,
            Err(AppError::Forbidden(_))
        ));
    }
    // A regional viewer's package report covers the own region only.
    let package = reports::summary(&app, &kanwil, &Scope::Package("LAS".into()), from, to)
        .await
        .unwrap();
    assert_eq!(package.facilities.len(), 1);
    assert!(matches!(
        reports::summary(&app, &operator(), &Scope::National, to, from).await,
        Err(AppError::Invalid { .. })
    ));
}

async fn exports_carry_the_figures(db: &TestDatabase) {
    let (app, _) = world(db).await;
    let (from, to) = year();
    let s = reports::summary(&app, &operator(), &Scope::National, from, to)
        .await
        .unwrap();
    let text = String::from_utf8(export::csv(&s).unwrap()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "header, three facilities, totals");
    let header: Vec<&str> = lines[0].split(',').collect();
    let total: Vec<&str> = lines[4].split(',').collect();
    assert_eq!(total[0], "TOTAL");
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    assert_eq!(total[col("enrolled")], s.totals.enrolled.to_string());
    assert_eq!(total[col("trained_reoffended")], "3");
    assert_eq!(total[col("follow_up_unemployed")], "3");
    let book = export::xlsx(&s).unwrap();
    assert!(book.starts_with(b"PK"), "an XLSX is a zip");
    let svg = chart::outcomes_svg(&s.totals, "Hasil tindak lanjut").unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("reoffended") && svg.contains("Hasil tindak lanjut"));
    assert!(
        svg.matches("<rect").count() >= 3,
        "a bar per non-zero outcome"
    );
}

bekal_store::on_both_backends!(
    follow_ups_due_as_of_the_clock_and_recorded_with_rules,
    each_facility_has_its_exact_figures,
    region_and_nation_add_up_to_their_facilities,
    reports_are_authorised_by_scope,
    exports_carry_the_figures,
);
