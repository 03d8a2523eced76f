//! The demo scenario: Lapas Kelas IIA Pekalongan (code `PKL`, 253 synthetic inmates) with
//! UPTD BLK Kota Pekalongan, six packages, trainers, two rooms and Indonesia's holidays, built
//! through the same service calls an officer's actions go through. Dates are relative to the
//! day the demo is built (`today`), so the programme's first stage is over, the second is under
//! way and the third is planned. Building again on an existing demo database reuses it.

mod delivery;
mod people;
mod timeline;

pub use delivery::DeliverySummary;

pub use timeline::ProgrammeTimeline;

use crate::accounts::{self, NewUser};
use crate::catalogue::{self, CatalogueSpec, PartnershipSpec, RoomSpec};
use crate::facilities::{self, NewFacility};
use crate::planning::{self, PlanParameters, PlanSummary};
use crate::{Actor, App, AppError, assessments, inmates, selection};
use bekal_domain::calendar::TrainingCalendar;
use bekal_domain::role::Role;
use bekal_domain::status::FacilityKind;
use bekal_store::entity::{class_trainer, holiday, inmate, package, partner, training_class, user};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use chrono::{Duration, Months, NaiveDate};
use serde::Serialize;

/// The facility code of the demo.
pub const DEMO_FACILITY: &str = "PKL";
/// The partner code of the demo.
pub const DEMO_PARTNER: &str = "BLK-PKL";
/// The password of every demo account (printed by `bekal demo`; demo data only).
pub const DEMO_PASSWORD: &str = "bekal-demo-2026";
/// The seed of the synthetic people: the same demo everywhere.
pub const DEMO_SEED: u64 = 20_210_607;

const CATALOGUE_TOML: &str = include_str!("../../data/demo-catalogue.toml");

/// One demo account.
#[derive(Debug, Clone, Serialize)]
pub struct DemoLogin {
    pub username: String,
    pub role: Role,
    pub password: String,
}

/// What `bekal demo` built or found.
#[derive(Debug, Clone, Serialize)]
pub struct DemoSummary {
    pub facility: String,
    pub reused: bool,
    pub today: NaiveDate,
    pub inmates: u64,
    pub timeline: ProgrammeTimeline,
    /// The approved plan (absent when an existing demo was reused).
    pub plan: Option<PlanSummary>,
    /// Sessions, attendance, results and certificates up to `today` (absent when reused).
    pub delivery: Option<DeliverySummary>,
    pub logins: Vec<DemoLogin>,
}

fn demo_accounts() -> Vec<(&'static str, &'static str, Role)> {
    vec![
        ("admin", "Administrator Nasional", Role::NationalAdmin),
        (
            "kanwil.jateng",
            "Pengawas Kanwil Jawa Tengah",
            Role::OversightViewer,
        ),
        ("kalapas.pkl", "Kepala Lapas Pekalongan", Role::FacilityHead),
        (
            "petugas.pkl",
            "Petugas Bimker Lapas Pekalongan",
            Role::ProgramOfficer,
        ),
        (
            "blk.pkl",
            "Staf UPTD BLK Kota Pekalongan",
            Role::PartnerStaff,
        ),
        ("instruktur.pkl", "Instruktur BLK", Role::Trainer),
        ("asesor.pkl", "Asesor Kompetensi", Role::Assessor),
        ("bapas.pkl", "PK Bapas Pekalongan", Role::ProbationOfficer),
    ]
}

/// Builds the demo scenario for `today`, or reports the existing one.
pub async fn build(
    app: &App,
    today: NaiveDate,
    certificates: Option<&crate::certificates::CertificateConfig>,
) -> Result<DemoSummary, AppError> {
    let operator = Actor::Operator {
        label: "demo".to_owned(),
    };
    let logins = demo_accounts()
        .into_iter()
        .map(|(username, _, role)| DemoLogin {
            username: username.to_owned(),
            role,
            password: DEMO_PASSWORD.to_owned(),
        })
        .collect();
    if let Some(existing) = facilities::find_by_code(app, DEMO_FACILITY).await? {
        let calendar = national_calendar(app).await?;
        return Ok(DemoSummary {
            facility: DEMO_FACILITY.to_owned(),
            reused: true,
            today,
            inmates: inmates::count(app, &operator, existing.id).await?,
            timeline: ProgrammeTimeline::around(&calendar, today),
            plan: None,
            delivery: None,
            logins,
        });
    }

    let facility = facilities::add(
        app,
        &operator,
        NewFacility {
            code: DEMO_FACILITY.to_owned(),
            name: "Lapas Kelas IIA Pekalongan".to_owned(),
            kind: FacilityKind::Lapas,
            region: Some("Jawa Tengah".to_owned()),
            city: Some("Kota Pekalongan".to_owned()),
        },
    )
    .await?;

    catalogue::load_holidays(app, &operator, None, catalogue::NATIONAL_HOLIDAYS_CSV).await?;
    let calendar = national_calendar(app).await?;
    let timeline = ProgrammeTimeline::around(&calendar, today);

    let mut spec = CatalogueSpec::from_toml(CATALOGUE_TOML)?;
    spec.rooms = vec![
        RoomSpec {
            facility: DEMO_FACILITY.to_owned(),
            code: "BENGKEL".to_owned(),
            name: "Bengkel Kerja".to_owned(),
            capacity: 12,
            packages: None,
        },
        RoomSpec {
            facility: DEMO_FACILITY.to_owned(),
            code: "KETERAMPILAN".to_owned(),
            name: "Ruang Keterampilan".to_owned(),
            capacity: 10,
            packages: Some(vec!["JAHIT".into(), "BATIK".into(), "PANGKAS".into()]),
        },
    ];
    spec.partnerships = vec![PartnershipSpec {
        facility: DEMO_FACILITY.to_owned(),
        partner: DEMO_PARTNER.to_owned(),
        agreement_number: Some(format!(
            "PKS/{}/LAPAS-PKL/BLK",
            timeline.horizon_start.format("%Y")
        )),
        valid_from: timeline
            .horizon_start
            .checked_sub_months(Months::new(2))
            .unwrap_or(timeline.horizon_start),
        valid_to: timeline.horizon_start.checked_add_months(Months::new(22)),
    }];
    catalogue::apply(app, &operator, &spec).await?;

    let records = people::inmates(DEMO_SEED, today, &timeline);
    for chunk in records.chunks(100) {
        inmates::upsert_batch(app, &operator, facility.id, chunk).await?;
    }

    let partner_id = partner::Entity::find()
        .filter(partner::Column::Code.eq(DEMO_PARTNER))
        .one(app.store.conn())
        .await?
        .map(|p| p.id);
    for (username, display_name, role) in demo_accounts() {
        let facility_id = match role {
            Role::FacilityHead | Role::ProgramOfficer | Role::Assessor | Role::ProbationOfficer => {
                Some(facility.id)
            }
            _ => None,
        };
        let partner_id = matches!(role, Role::PartnerStaff | Role::Trainer)
            .then_some(partner_id)
            .flatten();
        accounts::create_user(
            app,
            &operator,
            NewUser {
                username: username.to_owned(),
                display_name: display_name.to_owned(),
                password: DEMO_PASSWORD.to_owned(),
                role,
                facility_id,
                partner_id,
                region: (role == Role::OversightViewer).then(|| "Jawa Tengah".to_owned()),
            },
        )
        .await?;
    }

    let plan = plan_programme(app, &operator, facility.id, &timeline, today).await?;
    let delivery = delivery::run(app, &operator, plan.plan_id, today, certificates).await?;
    link_demo_trainer(app, &operator, facility.id, today).await?;

    Ok(DemoSummary {
        facility: DEMO_FACILITY.to_owned(),
        reused: false,
        today,
        inmates: inmates::count(app, &operator, facility.id).await?,
        timeline,
        plan: Some(plan),
        delivery: Some(delivery),
        logins,
    })
}

/// Links the demo's trainer account to the trainer of a class running on `today` (or the
/// latest class), so `instruktur.pkl` sees a class to take attendance in.
async fn link_demo_trainer(
    app: &App,
    operator: &Actor,
    facility_id: i64,
    today: NaiveDate,
) -> Result<(), AppError> {
    let conn = app.store.conn();
    let Some(account) = user::Entity::find()
        .filter(user::Column::Username.eq("instruktur.pkl"))
        .one(conn)
        .await?
    else {
        return Ok(());
    };
    let classes = training_class::Entity::find()
        .filter(training_class::Column::FacilityId.eq(facility_id))
        .order_by_asc(training_class::Column::StartDate)
        .all(conn)
        .await?;
    let running = classes
        .iter()
        .find(|c| c.start_date <= today && today <= c.end_date)
        .or(classes.last());
    let Some(class) = running else {
        return Ok(());
    };
    let Some(link) = class_trainer::Entity::find()
        .filter(class_trainer::Column::ClassId.eq(class.id))
        .one(conn)
        .await?
    else {
        return Ok(());
    };
    accounts::link_trainer(app, operator, account.id, link.trainer_id).await
}

/// Assessments two weeks before the programme, a selection round, the planner's plan (at most
/// 60 trainees, three stages of 18 days) approved and then the round approved (every inmate's
/// outcome recorded and locked), with class states as of `today`.
async fn plan_programme(
    app: &App,
    operator: &Actor,
    facility_id: i64,
    timeline: &ProgrammeTimeline,
    today: NaiveDate,
) -> Result<PlanSummary, AppError> {
    let people = inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(facility_id))
        .all(app.store.conn())
        .await?;
    let packages = package::Entity::find().all(app.store.conn()).await?;
    let assessed_on = timeline.horizon_start - Duration::days(14);
    let inputs = people::assessments(DEMO_SEED, &people, &packages, assessed_on);
    assessments::record_batch(app, operator, facility_id, &inputs).await?;
    let parameters = PlanParameters {
        name: format!(
            "Pelatihan Pembinaan Kemandirian {}",
            timeline.horizon_start.format("%Y")
        ),
        horizon_start: timeline.horizon_start,
        stage_days: u32::try_from(timeline::STAGE_DAYS).unwrap_or(18),
        num_stages: u32::try_from(timeline::STAGES).unwrap_or(3),
        max_selected: Some(60),
        preference_bonus: vec![15, 10, 5],
    };
    let round = selection::rounds::open_round(
        app,
        operator,
        DEMO_FACILITY,
        &format!("Seleksi {}", timeline.horizon_start.format("%Y")),
        None,
    )
    .await?;
    let plan = planning::create_draft_plan(
        app,
        operator,
        DEMO_FACILITY,
        &parameters,
        std::time::Duration::from_secs(5),
    )
    .await?;
    planning::approve_plan(app, operator, plan.plan_id).await?;
    selection::rounds::approve_round(app, operator, round.id).await?;
    planning::refresh_class_statuses(app, operator, facility_id, today).await?;
    Ok(PlanSummary {
        status: "approved".to_owned(),
        ..plan
    })
}

/// Monday-to-Saturday training on the national holiday calendar.
pub async fn national_calendar(app: &App) -> Result<TrainingCalendar, AppError> {
    let holidays = holiday::Entity::find()
        .filter(holiday::Column::FacilityId.is_null())
        .all(app.store.conn())
        .await?;
    Ok(TrainingCalendar {
        holidays: holidays.into_iter().map(|h| h.date).collect(),
        ..TrainingCalendar::default()
    })
}
