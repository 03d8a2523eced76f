//! Selection on both backends: eligibility rules as data cited by the explanations, the
//! configurable ranking, pins, exclusions and non-associations honoured by planning, the
//! approval lock with versions, the waiting-list workflow, and the CSV import of assessments.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::assessments::{self, AssessmentInput};
use bekal_app::catalogue::{self, CatalogueSpec};
use bekal_app::facilities::{self, NewFacility};
use bekal_app::inmates::{self, InmateRecord};
use bekal_app::planning::{self, PlanParameters};
use bekal_app::selection::non_associations;
use bekal_app::selection::rounds::{self, EXCLUDE, PIN, PinChange};
use bekal_app::selection::rules::{self, RuleChange};
use bekal_app::selection::waiting_list;
use bekal_app::{Actor, App, AppError, selection};
use bekal_domain::clock::FixedClock;
use bekal_domain::codes::RegisterNumber;
use bekal_domain::eligibility::{Flag, RuleKind};
use bekal_domain::role::Role;
use bekal_domain::status::FacilityKind;
use bekal_store::entity::{audit_log, inmate, package};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2026, 11, 29)
}

fn operator() -> Actor {
    Actor::Operator {
        label: "test".into(),
    }
}

fn user(role: Role, facility_id: i64) -> Actor {
    Actor::User {
        id: 0,
        username: format!("{role:?}"),
        role,
        facility_id: Some(facility_id),
        partner_id: None,
        region: None,
    }
}

/// A stored account (rows that name their author need a real user id).
async fn account(app: &App, role: Role, facility_id: i64) -> Actor {
    let username = format!("{role:?}").to_lowercase();
    let id = bekal_app::accounts::create_user(
        app,
        &operator(),
        bekal_app::accounts::NewUser {
            username: username.clone(),
            display_name: username.clone(),
            password: "kuda-lumping-berlari-kencang".into(),
            role,
            facility_id: Some(facility_id),
            partner_id: None,
            region: None,
        },
    )
    .await
    .unwrap();
    Actor::User {
        id,
        username,
        role,
        facility_id: Some(facility_id),
        partner_id: None,
        region: None,
    }
}

bekal_store::on_both_backends!(
    rules_are_data_and_explanations_cite_them,
    pins_exclusions_and_non_associations_shape_the_plan_and_approval_locks,
    waiting_list_ranks_offers_and_allocates,
    assessments_import_from_csv_with_row_errors,
    two_approvals_at_the_same_moment_approve_once,
);

const CATALOGUE: &str = r#"
[[partners]]
code = "BLK-PKL"
name = "UPTD BLK Kota Pekalongan"
kind = "training_centre"
certificate_number_format = "{partner}/{year}/{seq:05}"

[[packages]]
code = "JAHIT"
name = "Menjahit Pakaian"
hours_jp = 60
duration_days = 10
capacity = 2
trainer_skill = "jahit"

[[packages]]
code = "LAS"
name = "Teknik Las"
hours_jp = 60
duration_days = 10
capacity = 2
trainer_skill = "las"

[[trainers]]
partner = "BLK-PKL"
name = "Bu Sri"
skills = ["jahit"]

[[trainers]]
partner = "BLK-PKL"
name = "Pak Joko"
skills = ["las"]

[[rooms]]
facility = "LPKL"
code = "R1"
name = "Ruang Jahit"
capacity = 16
packages = ["JAHIT"]

[[rooms]]
facility = "LPKL"
code = "R2"
name = "Bengkel Las"
capacity = 16
packages = ["LAS"]

[[partnerships]]
facility = "LPKL"
partner = "BLK-PKL"
valid_from = "2026-01-01"
"#;

/// A date as (year, month, day).
type Ymd = (i32, u32, u32);

/// One inmate of the fixture: name, birth date, release, JAHIT score.
const PEOPLE: [(&str, Ymd, Ymd, i32); 6] = [
    ("Ani", (1990, 1, 1), (2027, 3, 1), 80),
    ("Budi", (1991, 1, 1), (2027, 3, 1), 70),
    ("Citra", (1992, 1, 1), (2027, 3, 1), 60),
    ("Dedi", (1993, 1, 1), (2027, 3, 1), 50),
    ("Eko", (2009, 6, 1), (2027, 3, 1), 90),
    ("Fajar", (1994, 1, 1), (2026, 12, 20), 85),
];

struct Fixture {
    app: App,
    facility_id: i64,
    /// Register number by name.
    numbers: HashMap<&'static str, String>,
    ids: HashMap<&'static str, i64>,
}

/// Facility LPKL with JAHIT and LAS (capacity 2 each, one room and trainer each) and six
/// inmates assessed for JAHIT (preference 1, cleared); Eko is 17, Fajar is released on 20 Dec.
async fn fixture(db: &TestDatabase) -> Fixture {
    let app = App::new(db.store.clone(), Arc::new(FixedClock::at_day(today())));
    let op = operator();
    let facility = facilities::add(
        &app,
        &op,
        NewFacility {
            code: "LPKL".into(),
            name: "Lapas Kelas IIA Pekalongan".into(),
            kind: FacilityKind::Lapas,
            region: None,
            city: None,
        },
    )
    .await
    .unwrap();
    catalogue::apply(&app, &op, &CatalogueSpec::from_toml(CATALOGUE).unwrap())
        .await
        .unwrap();
    let records: Vec<InmateRecord> = PEOPLE
        .iter()
        .enumerate()
        .map(|(i, (name, born, release, _))| InmateRecord {
            register_number: Some(RegisterNumber::parse(&format!("BI.N-20{i}/2025")).unwrap()),
            name: (*name).into(),
            birth_date: Some(day(born.0, born.1, born.2)),
            expected_release: Some(day(release.0, release.1, release.2)),
            sentence_start: Some(day(2025, 1, 1)),
            ..InmateRecord::default()
        })
        .collect();
    inmates::upsert_batch(&app, &op, facility.id, &records)
        .await
        .unwrap();
    let conn = db.store.conn();
    let jahit = package::Entity::find()
        .filter(package::Column::Code.eq("JAHIT"))
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let rows = inmate::Entity::find()
        .order_by_asc(inmate::Column::RegisterNumber)
        .all(conn)
        .await
        .unwrap();
    let mut numbers = HashMap::new();
    let mut ids = HashMap::new();
    let mut inputs = Vec::new();
    for (row, (name, _, _, score)) in rows.iter().zip(PEOPLE) {
        numbers.insert(name, row.register_number.clone());
        ids.insert(name, row.id);
        inputs.push(AssessmentInput {
            inmate_id: row.id,
            package_id: jahit.id,
            skill_score: Some(score),
            preference_rank: Some(1),
            prior_experience: None,
            health_cleared: true,
            security_cleared: true,
            literate: true,
            sppn_score: None,
            assessed_on: today(),
            notes: None,
        });
    }
    assessments::record_batch(&app, &op, facility.id, &inputs)
        .await
        .unwrap();
    Fixture {
        app,
        facility_id: facility.id,
        numbers,
        ids,
    }
}

fn parameters() -> PlanParameters {
    PlanParameters {
        name: "Rencana Desember".into(),
        horizon_start: day(2026, 12, 7),
        stage_days: 12,
        num_stages: 1,
        max_selected: None,
        preference_bonus: vec![15, 10, 5],
    }
}

/// Plans and approves; returns the explanations by name.
async fn plan_and_explain(f: &Fixture) -> HashMap<&'static str, selection::SelectionExplanation> {
    let summary = planning::create_draft_plan(
        &f.app,
        &operator(),
        "LPKL",
        &parameters(),
        Duration::from_secs(5),
    )
    .await
    .unwrap();
    planning::approve_plan(&f.app, &operator(), summary.plan_id)
        .await
        .unwrap();
    let all = selection::explain(&f.app, &operator(), "LPKL", None)
        .await
        .unwrap();
    f.numbers
        .iter()
        .map(|(name, number)| {
            let e = all
                .iter()
                .find(|e| &e.register_number == number)
                .unwrap()
                .clone();
            (*name, e)
        })
        .collect()
}

async fn rules_are_data_and_explanations_cite_them(db: &TestDatabase) {
    let f = fixture(db).await;
    let national = rules::set_rule(
        &f.app,
        &operator(),
        &RuleChange {
            id: None,
            package: "JAHIT".into(),
            facility: None,
            rule: RuleKind::MinAge { years: 18 },
            active: true,
        },
    )
    .await
    .unwrap();
    let officer = user(Role::ProgramOfficer, f.facility_id);
    // an officer may not change national rules, only the facility's own
    let national_change = RuleChange {
        id: None,
        package: "JAHIT".into(),
        facility: None,
        rule: RuleKind::MinScore { min: 10 },
        active: true,
    };
    assert!(matches!(
        rules::set_rule(&f.app, &officer, &national_change).await,
        Err(AppError::Forbidden(_))
    ));
    let own = rules::set_rule(
        &f.app,
        &officer,
        &RuleChange {
            facility: Some("LPKL".into()),
            rule: RuleKind::ReleaseAfterCourse { margin_days: 30 },
            ..national_change.clone()
        },
    )
    .await
    .unwrap();
    assert!(!own.national);
    let bad = RuleChange {
        facility: Some("LPKL".into()),
        rule: RuleKind::MinScore { min: 120 },
        ..national_change.clone()
    };
    assert!(matches!(
        rules::set_rule(&f.app, &officer, &bad).await,
        Err(AppError::Invalid { .. })
    ));
    // a rule that no longer applies is switched off, not deleted
    let blocked = rules::set_rule(
        &f.app,
        &officer,
        &RuleChange {
            facility: Some("LPKL".into()),
            rule: RuleKind::RequiredFlag {
                flag: Flag::HealthCleared,
            },
            ..national_change.clone()
        },
    )
    .await
    .unwrap();
    let off = rules::set_rule(
        &f.app,
        &officer,
        &RuleChange {
            id: Some(blocked.id),
            facility: Some("LPKL".into()),
            rule: RuleKind::BlockedFlag {
                flag: Flag::Literate,
            },
            active: false,
            ..national_change.clone()
        },
    )
    .await
    .unwrap();
    assert!(!off.active);
    let listed = rules::list_rules(&f.app, &officer, "LPKL", Some("JAHIT"))
        .await
        .unwrap();
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert_eq!(listed[0], national);
    assert!(
        rules::list_rules(&f.app, &user(Role::Trainer, f.facility_id), "LPKL", None)
            .await
            .is_err()
    );
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("eligibility_rule"))
        .count(db.store.conn())
        .await
        .unwrap();
    assert_eq!(audited, 4);

    let eko = rules::check_eligibility(
        &f.app,
        &officer,
        "LPKL",
        &f.numbers["Eko"],
        "JAHIT",
        day(2026, 12, 7),
    )
    .await
    .unwrap();
    assert_eq!(eko.len(), 1, "{eko:?}");
    assert_eq!(eko[0].rule_id, Some(national.id));
    assert_eq!(eko[0].code, "min_age");
    let ani = rules::check_eligibility(
        &f.app,
        &officer,
        "LPKL",
        &f.numbers["Ani"],
        "JAHIT",
        day(2026, 12, 7),
    )
    .await
    .unwrap();
    assert!(ani.is_empty(), "{ani:?}");

    // education and pembinaan stage come from the registry record: Ani's sentence began on
    // 2025-01-01 and ends on 2027-03-01, so on 2026-12-07 she is past 2/3 (final stage); her
    // record names no education.
    let mut extra = Vec::new();
    for rule in [
        RuleKind::MinStage {
            stage: bekal_domain::pembinaan::PembinaanStage::Final,
        },
        RuleKind::MinEducation {
            level: bekal_domain::eligibility::EducationLevel::Primary,
        },
    ] {
        let change = RuleChange {
            package: "LAS".into(),
            facility: Some("LPKL".into()),
            rule,
            ..national_change.clone()
        };
        extra.push((
            rules::set_rule(&f.app, &officer, &change).await.unwrap(),
            change,
        ));
    }
    let on_las = rules::check_eligibility(
        &f.app,
        &officer,
        "LPKL",
        &f.numbers["Ani"],
        "LAS",
        day(2026, 12, 7),
    )
    .await
    .unwrap();
    assert_eq!(on_las.len(), 1, "{on_las:?}");
    assert_eq!(on_las[0].code, "min_education");
    assert!(on_las[0].en.contains("education unknown"), "{on_las:?}");
    let early = rules::check_eligibility(
        &f.app,
        &officer,
        "LPKL",
        &f.numbers["Ani"],
        "LAS",
        day(2025, 3, 1),
    )
    .await
    .unwrap();
    assert_eq!(
        early.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(),
        ["min_stage", "min_education"],
        "in the initial stage on 2025-03-01: {early:?}"
    );
    for (row, change) in extra {
        rules::set_rule(
            &f.app,
            &officer,
            &RuleChange {
                id: Some(row.id),
                active: false,
                ..change
            },
        )
        .await
        .unwrap();
    }

    let explained = plan_and_explain(&f).await;
    let eko = &explained["Eko"];
    assert_eq!(eko.status, "ineligible", "{eko:?}");
    assert_eq!(eko.reasons[0].code, "rule:min_age");
    assert_eq!(eko.reasons[0].rule_id, Some(national.id));
    assert!(eko.reasons[0].en.contains("aged 17"), "{eko:?}");
    let fajar = &explained["Fajar"];
    assert_eq!(fajar.status, "ineligible", "{fajar:?}");
    assert_eq!(fajar.reasons[0].rule_id, Some(own.id));
    assert_eq!(explained["Ani"].status, "selected");
    assert_eq!(explained["Budi"].status, "selected");
    assert_eq!(explained["Citra"].status, "not_selected");
    let _ = f.ids.len();
}

async fn pins_exclusions_and_non_associations_shape_the_plan_and_approval_locks(db: &TestDatabase) {
    let f = fixture(db).await;
    let officer = account(&f.app, Role::ProgramOfficer, f.facility_id).await;
    let head = account(&f.app, Role::FacilityHead, f.facility_id).await;
    let trainer = user(Role::Trainer, f.facility_id);
    // without any change, the two best scores (Eko 90, Fajar 85) fill JAHIT's two places
    let round = rounds::open_round(&f.app, &officer, "LPKL", "Seleksi Desember", None)
        .await
        .unwrap();
    assert!(matches!(
        rounds::open_round(&f.app, &officer, "LPKL", "again", None).await,
        Err(AppError::Conflict(_))
    ));
    let change = |name: &str, package: Option<&str>, reason: &str| PinChange {
        register_number: f.numbers[name].clone(),
        package: package.map(str::to_owned),
        reason: reason.into(),
    };
    assert!(matches!(
        rounds::set_pin(
            &f.app,
            &officer,
            round.id,
            Some(EXCLUDE),
            &change("Eko", None, " ")
        )
        .await,
        Err(AppError::Invalid { .. })
    ));
    rounds::set_pin(
        &f.app,
        &officer,
        round.id,
        Some(EXCLUDE),
        &change("Eko", None, "pindah blok"),
    )
    .await
    .unwrap();
    let view = rounds::set_pin(
        &f.app,
        &officer,
        round.id,
        Some(PIN),
        &change("Dedi", Some("JAHIT"), "sudah punya mesin jahit"),
    )
    .await
    .unwrap();
    assert_eq!(view.entries.len(), 2);
    let na = non_associations::add(
        &f.app,
        &officer,
        "LPKL",
        &f.numbers["Fajar"],
        &f.numbers["Dedi"],
        "perkara yang sama",
    )
    .await
    .unwrap();
    assert!(matches!(
        non_associations::add(
            &f.app,
            &officer,
            "LPKL",
            &f.numbers["Dedi"],
            &f.numbers["Fajar"],
            "x"
        )
        .await,
        Err(AppError::Conflict(_))
    ));
    assert!(matches!(
        non_associations::list(&f.app, &trainer, "LPKL").await,
        Err(AppError::Forbidden(_))
    ));
    assert_eq!(
        non_associations::list(&f.app, &officer, "LPKL")
            .await
            .unwrap(),
        vec![na.clone()]
    );

    let explained = plan_and_explain(&f).await;
    assert_eq!(
        explained["Eko"].status, "ineligible",
        "{:?}",
        explained["Eko"]
    );
    assert_eq!(explained["Eko"].reasons[0].code, "rule:excluded");
    assert!(explained["Eko"].reasons[0].en.contains("pindah blok"));
    assert_eq!(
        explained["Dedi"].status, "selected",
        "the pin keeps score 50 in"
    );
    assert_eq!(
        explained["Fajar"].status, "not_selected",
        "non-association with Dedi"
    );
    // JAHIT's second place goes to the next candidate, Ani (the pair is kept apart, the
    // place is not left empty).
    assert_eq!(explained["Ani"].status, "selected", "{explained:#?}");

    // the facility head approves; the approved round is locked
    assert!(matches!(
        rounds::approve_round(&f.app, &officer, round.id).await,
        Err(AppError::Forbidden(_))
    ));
    let approved = rounds::approve_round(&f.app, &head, round.id)
        .await
        .unwrap();
    assert_eq!(approved.status, "approved");
    assert_eq!(approved.entries.len(), PEOPLE.len());
    let dedi = approved
        .entries
        .iter()
        .find(|e| e.register_number == f.numbers["Dedi"])
        .unwrap();
    assert_eq!(
        (dedi.decision.as_str(), dedi.pin.as_deref()),
        ("selected", Some(PIN))
    );
    let locked = rounds::set_pin(&f.app, &officer, round.id, None, &change("Dedi", None, "")).await;
    match locked {
        Err(AppError::Conflict(message)) => assert!(message.contains("locked"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        rounds::set_scoring(&f.app, &officer, round.id, &Default::default()).await,
        Err(AppError::Conflict(_))
    ));
    assert!(matches!(
        rounds::approve_round(&f.app, &head, round.id).await,
        Err(AppError::Conflict(_))
    ));
    assert!(matches!(
        rounds::new_version(&f.app, &officer, round.id, "  ").await,
        Err(AppError::Invalid { .. })
    ));
    let second = rounds::new_version(&f.app, &officer, round.id, "Dedi dipindahkan")
        .await
        .unwrap();
    assert_eq!(second.based_on, Some(round.id));
    assert_eq!(second.revision_reason.as_deref(), Some("Dedi dipindahkan"));
    assert_eq!(second.entries.len(), 2, "pins and exclusions are copied");
    rounds::set_pin(
        &f.app,
        &officer,
        second.id,
        Some(EXCLUDE),
        &change("Dedi", None, "dipindahkan ke blok lain"),
    )
    .await
    .unwrap();
    // the approved plan still places Dedi: the round cannot record an outcome it excludes
    match rounds::approve_round(&f.app, &head, second.id).await {
        Err(AppError::Conflict(message)) => {
            assert!(message.contains(&f.numbers["Dedi"]), "{message}");
            assert!(message.contains("new plan"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    rounds::set_pin(&f.app, &officer, second.id, None, &change("Dedi", None, ""))
        .await
        .unwrap();
    rounds::approve_round(&f.app, &head, second.id)
        .await
        .unwrap();
    let first = bekal_store::entity::selection::Entity::find_by_id(round.id)
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.status, "superseded");
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("selection"))
        .filter(audit_log::Column::Action.eq("approve"))
        .count(db.store.conn())
        .await
        .unwrap();
    assert_eq!(audited, 2);
}

async fn waiting_list_ranks_offers_and_allocates(db: &TestDatabase) {
    use bekal_app::delivery::enrolments::{self, StateChange};
    use bekal_domain::status::{EnrolmentState, WaitingListStatus};
    let f = fixture(db).await;
    let officer = account(&f.app, Role::ProgramOfficer, f.facility_id).await;
    let explained = plan_and_explain(&f).await;
    assert_eq!(explained["Eko"].status, "selected");
    assert_eq!(explained["Fajar"].status, "selected");
    let list = waiting_list::refresh(&f.app, &officer, "LPKL", "JAHIT")
        .await
        .unwrap();
    let order: Vec<(&str, Option<i32>, Option<i64>)> = list
        .iter()
        .map(|w| (w.name.as_str(), w.rank, w.points))
        .collect();
    // priority 5 (released within 182 days) x (score + 15 for the first choice)
    assert_eq!(
        order,
        vec![
            ("Ani", Some(1), Some(475)),
            ("Budi", Some(2), Some(425)),
            ("Citra", Some(3), Some(375)),
            ("Dedi", Some(4), Some(325)),
        ]
    );
    let again = waiting_list::refresh(&f.app, &officer, "LPKL", "JAHIT")
        .await
        .unwrap();
    assert_eq!(again.len(), 4, "refreshing twice adds nobody");
    let entry = |name: &str| list.iter().find(|w| w.name == name).unwrap().entry_id;
    waiting_list::set_status(
        &f.app,
        &officer,
        entry("Ani"),
        WaitingListStatus::Approved,
        "disetujui",
    )
    .await
    .unwrap();
    assert!(matches!(
        waiting_list::set_status(
            &f.app,
            &officer,
            entry("Ani"),
            WaitingListStatus::Pending,
            "x"
        )
        .await,
        Err(AppError::Conflict(_))
    ));
    waiting_list::decline(&f.app, &officer, entry("Budi"), "tidak berminat lagi")
        .await
        .unwrap();

    // on the course's second day Eko withdraws: the freed place is proposed to Ani, offered,
    // and accepted
    let later = App::new(
        db.store.clone(),
        Arc::new(FixedClock::at_day(day(2026, 12, 8))),
    );
    let eko = bekal_store::entity::enrolment::Entity::find()
        .filter(bekal_store::entity::enrolment::Column::InmateId.eq(f.ids["Eko"]))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    let outcome = enrolments::change_state(
        &later,
        &officer,
        StateChange {
            enrolment_id: eko.id,
            to: EnrolmentState::Withdrawn,
            effective_on: day(2026, 12, 8),
            reason: "mengundurkan diri".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        outcome.proposal.as_ref().unwrap().waiting_list_entry_id,
        entry("Ani")
    );
    let offered = waiting_list::offer(&later, &officer, eko.class_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(offered.inmate_id, f.ids["Ani"]);
    waiting_list::accept(&later, &officer, entry("Ani"), eko.class_id)
        .await
        .unwrap();
    assert!(matches!(
        waiting_list::accept(&later, &officer, entry("Ani"), eko.class_id).await,
        Err(AppError::Conflict(_))
    ));
    waiting_list::set_status(
        &f.app,
        &officer,
        entry("Citra"),
        WaitingListStatus::Approved,
        "ok",
    )
    .await
    .unwrap();
    match waiting_list::accept(&later, &officer, entry("Citra"), eko.class_id).await {
        Err(AppError::Conflict(message)) => assert!(message.contains("full"), "{message}"),
        other => panic!("{other:?}"),
    }
    let shown = waiting_list::show(&f.app, &officer, "LPKL", "JAHIT")
        .await
        .unwrap();
    let ani = shown.iter().find(|w| w.name == "Ani").unwrap();
    assert_eq!(ani.status, "allocated");
    let moves: Vec<(Option<&str>, &str)> = ani
        .history
        .iter()
        .map(|e| (e.from.as_deref(), e.to.as_str()))
        .collect();
    assert_eq!(
        moves,
        vec![
            (None, "pending"),
            (Some("pending"), "approved"),
            (Some("approved"), "approved"),
            (Some("approved"), "allocated"),
        ]
    );
    assert!(
        ani.history[2]
            .reason
            .as_deref()
            .unwrap()
            .contains("offered")
    );
    let budi = shown.iter().find(|w| w.name == "Budi").unwrap();
    assert_eq!(budi.status, "declined");
    assert_eq!(
        budi.history.last().unwrap().reason.as_deref(),
        Some("tidak berminat lagi")
    );
    assert!(matches!(
        waiting_list::show(&f.app, &user(Role::Trainer, f.facility_id), "LPKL", "JAHIT").await,
        Err(AppError::Forbidden(_))
    ));
}

async fn assessments_import_from_csv_with_row_errors(db: &TestDatabase) {
    use bekal_app::selection::import_assessments;
    use bekal_store::entity::assessment;
    let f = fixture(db).await;
    let ani = &f.numbers["Ani"];
    let budi = &f.numbers["Budi"];
    let csv = format!(
        "No Registrasi;Kode Paket;Nilai;Pilihan;Kesehatan;Keamanan;Baca Tulis;Tanggal\n\
         {ani};las;75;2;ya;ya;tidak;27/11/2026\n\
         BI.N-999/2025;LAS;75;1;ya;ya;ya;27/11/2026\n\
         {budi};LAS;120;1;ya;ya;ya;27/11/2026\n\
         {budi};LAS;70;1;mungkin;ya;ya;31/02/2026\n"
    );
    let officer = user(Role::ProgramOfficer, f.facility_id);
    let dry = import_assessments::import_csv(&f.app, &officer, "LPKL", csv.as_bytes(), true)
        .await
        .unwrap();
    assert_eq!((dry.rows, dry.valid, dry.written), (4, 1, 0));
    let found: Vec<(u64, &str, &str)> = dry
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            (3, "register_number", "unknown_inmate"),
            (4, "skill_score", "out_of_range"),
            (5, "health_cleared", "not_yes_no"),
            (5, "assessed_on", dry.errors[3].code.as_str()),
        ]
    );
    assert_ne!(dry.errors[3].code, "");
    let count = || async {
        assessment::Entity::find()
            .count(db.store.conn())
            .await
            .unwrap()
    };
    assert_eq!(count().await, 6, "a dry run writes nothing");
    let done = import_assessments::import_csv(&f.app, &operator(), "LPKL", csv.as_bytes(), false)
        .await
        .unwrap();
    assert_eq!(done.written, 1);
    assert_eq!(count().await, 7);
    let row = assessment::Entity::find()
        .filter(assessment::Column::InmateId.eq(f.ids["Ani"]))
        .filter(assessment::Column::PreferenceRank.eq(2))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.skill_score, row.literate, row.health_cleared),
        (Some(75), false, true)
    );
    assert!(matches!(
        import_assessments::import_csv(
            &f.app,
            &user(Role::Trainer, f.facility_id),
            "LPKL",
            csv.as_bytes(),
            true
        )
        .await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        import_assessments::import_csv(&f.app, &operator(), "LPKL", b"nama;nilai\nx;1\n", true)
            .await,
        Err(AppError::Invalid { .. })
    ));

    // the same sheet as an Excel workbook: a title row above the headings, numbers as
    // numbers, a real date cell; told apart from CSV by its content
    let xlsx = assessment_workbook(budi).unwrap();
    assert!(import_assessments::looks_like_xlsx(&xlsx));
    let done = import_assessments::import_file(&f.app, &operator(), "LPKL", &xlsx, false)
        .await
        .unwrap();
    let found: Vec<(u64, &str, &str)> = done
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        (done.rows, done.valid, done.written),
        (3, 1, 1),
        "{found:?}"
    );
    assert_eq!(found[0], (5, "register_number", "unknown_inmate"));
    assert_eq!((found[1].0, found[1].1), (6, "assessed_on"));
    assert_eq!(found.len(), 2, "{found:?}");
    let row = assessment::Entity::find()
        .filter(assessment::Column::InmateId.eq(f.ids["Budi"]))
        .filter(assessment::Column::SkillScore.eq(82))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.assessed_on, row.preference_rank, row.health_cleared),
        (day(2026, 11, 26), Some(1), true)
    );
    let bomb_like = b"PK\x03\x04 not really a zip";
    match import_assessments::import_file(&f.app, &officer, "LPKL", bomb_like, true).await {
        Err(AppError::Invalid { field, .. }) => assert_eq!(field, "file"),
        other => panic!("{other:?}"),
    }
}

/// An assessment sheet as officers keep it in Excel (see the test above).
fn assessment_workbook(budi: &str) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "ASESMEN AWAL LAPAS")?;
    let headings = [
        "No Registrasi",
        "Kode Paket",
        "Nilai",
        "Pilihan",
        "Kesehatan",
        "Keamanan",
        "Baca Tulis",
        "Tanggal",
    ];
    for (column, heading) in (0u16..).zip(headings) {
        sheet.write_string(2, column, heading)?;
    }
    for (row, number) in (3u32..).zip([budi, "BI.N-999/2025", budi]) {
        sheet.write_string(row, 0, number)?;
        sheet.write_string(row, 1, "LAS")?;
        sheet.write_number(row, 2, 82)?;
        sheet.write_number(row, 3, 1)?;
        sheet.write_boolean(row, 4, true)?;
        sheet.write_string(row, 5, "ya")?;
        sheet.write_string(row, 6, "ya")?;
    }
    sheet.write_datetime_with_format(3, 7, ExcelDateTime::from_ymd(2026, 11, 26)?, &date)?;
    sheet.write_datetime_with_format(4, 7, ExcelDateTime::from_ymd(2026, 11, 26)?, &date)?;
    sheet.write_string(5, 7, "31/02/2026")?;
    book.save_to_buffer()
}

/// Two approvals of one draft plan, and of one selection round, sent at the same moment
/// through two connection pools (two servers): exactly one succeeds, the other is a conflict,
/// and one `approve` entry is audited each.
async fn two_approvals_at_the_same_moment_approve_once(db: &TestDatabase) {
    let f = fixture(db).await;
    let second = App::new(
        db.second_store().await.unwrap(),
        Arc::new(FixedClock::at_day(today())),
    );
    let summary = planning::create_draft_plan(
        &f.app,
        &operator(),
        "LPKL",
        &parameters(),
        Duration::from_secs(5),
    )
    .await
    .unwrap();
    let op = operator();
    let (a, b) = tokio::join!(
        planning::approve_plan(&f.app, &op, summary.plan_id),
        planning::approve_plan(&second, &op, summary.plan_id),
    );
    assert!(
        a.is_ok() != b.is_ok(),
        "exactly one approval: {a:?} / {b:?}"
    );
    assert!(matches!(a.err().or(b.err()), Some(AppError::Conflict(_))));
    let approvals = |entity: &'static str| async move {
        audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("approve"))
            .filter(audit_log::Column::Entity.eq(entity))
            .count(db.store.conn())
            .await
            .unwrap()
    };
    assert_eq!(approvals("plan").await, 1);

    let round = rounds::open_round(&f.app, &op, "LPKL", "Seleksi serentak", None)
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        rounds::approve_round(&f.app, &op, round.id),
        rounds::approve_round(&second, &op, round.id),
    );
    assert!(
        a.is_ok() != b.is_ok(),
        "exactly one approval: {:?} / {:?}",
        a.as_ref().err(),
        b.as_ref().err()
    );
    assert_eq!(approvals("selection").await, 1);
}
