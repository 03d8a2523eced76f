//! The national benchmark data set loaded straight into a database (`bekal bench load`): the
//! facilities and inmates of [`crate::synthetic`] (the same people as its CSV files for the
//! same seed) plus three years of programmes (see [`programme`]): about 40,000 trainees a
//! year, 5 million attendance rows, unit results, signed certificates, releases and
//! follow-ups.
//!
//! It writes rows with multi-row INSERTs, one transaction per facility, **without audit
//! entries**: it builds a benchmark database, never a record of real work, and it refuses a
//! database that already holds any facility.

pub mod catalogue;
mod outcomes;
pub mod programme;

use crate::synthetic::{REGIONS, Scale, synthetic_facilities, synthetic_inmate};
use bekal_domain::rng::DeterministicRng;
use bekal_store::entity::{facility, partner, partnership, status_list};
use bekal_store::sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, Iterable,
    PaginatorTrait, Set, TransactionTrait,
};
use bekal_store::{Backend, Store};
use chrono::{Datelike, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// Why a load failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("the database already holds {0} facilities: load into an empty database")]
    NotEmpty(u64),
    #[error("database: {0}")]
    Database(#[from] DbErr),
    #[error("credential: {0}")]
    Credential(#[from] bekal_credentials::Error),
}

/// Rows written, by table.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Loaded {
    pub tables: BTreeMap<String, u64>,
}

impl Loaded {
    /// Rows written to `table`.
    pub fn rows(&self, table: &str) -> u64 {
        self.tables.get(table).copied().unwrap_or(0)
    }
}

/// Bind values per statement, under SQLite's limit of 32,766.
const VALUES_PER_STATEMENT: usize = 30_000;

/// Writes `rows` with multi-row INSERTs, each under the bind-value limit.
async fn insert<M, A>(
    conn: &impl ConnectionTrait,
    loaded: &mut Loaded,
    table: &str,
    rows: Vec<M>,
) -> Result<(), DbErr>
where
    M: IntoActiveModel<A>,
    A: ActiveModelTrait + Send,
{
    let columns = <<A::Entity as EntityTrait>::Column as Iterable>::iter()
        .count()
        .max(1);
    let per_statement = (VALUES_PER_STATEMENT / columns).max(1);
    *loaded.tables.entry(table.to_owned()).or_default() += rows.len() as u64;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows
            .by_ref()
            .take(per_statement)
            .map(|m| m.into_active_model().reset_all())
            .collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// Tables whose ids the load chose itself (PostgreSQL's sequences must then catch up).
const TABLES: [&str; 24] = [
    "facilities",
    "partners",
    "partnerships",
    "packages",
    "competency_units",
    "package_units",
    "trainers",
    "trainer_skills",
    "issuer_keys",
    "status_lists",
    "inmates",
    "custody_events",
    "rooms",
    "assessments",
    "selections",
    "selection_entries",
    "plans",
    "classes",
    "class_trainers",
    "enrolments",
    "enrolment_events",
    "training_sessions",
    "attendance",
    "unit_results",
];
const MORE_TABLES: [&str; 2] = ["certificates", "follow_ups"];

/// Loads the data set of `scale` for `seed`, as of `as_of` (the last day of the three
/// programme years), into `store` (migrated, empty). `progress` hears (facilities done, all).
pub async fn load(
    store: &Store,
    scale: Scale,
    seed: u64,
    as_of: NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Loaded, LoadError> {
    let conn = store.conn();
    let existing = facility::Entity::find().count(conn).await?;
    if existing > 0 {
        return Err(LoadError::NotEmpty(existing));
    }
    let at = Utc.from_utc_datetime(&as_of.and_time(NaiveTime::MIN));
    // The same stream as `synthetic::generate`: facilities first, then inmates in order.
    let mut people_rng = DeterministicRng::new(seed);
    let facilities = synthetic_facilities(scale, &mut people_rng);
    let mut programme_rng = DeterministicRng::new(seed ^ 0x05EE_D0FB_3CA1);
    let regions: Vec<&str> = {
        let mut seen: Vec<&str> = Vec::new();
        for f in &facilities {
            if !seen.contains(&f.region) {
                seen.push(f.region);
            }
        }
        REGIONS
            .iter()
            .copied()
            .filter(|r| seen.contains(r))
            .collect()
    };
    let catalogue = catalogue::catalogue(&regions, seed, at)?;
    let mut loaded = Loaded::default();
    let tx = conn.begin().await?;
    insert(&tx, &mut loaded, "partners", catalogue.partners.clone()).await?;
    insert(&tx, &mut loaded, "packages", catalogue.packages.clone()).await?;
    insert(
        &tx,
        &mut loaded,
        "competency_units",
        catalogue.units.clone(),
    )
    .await?;
    insert(
        &tx,
        &mut loaded,
        "package_units",
        catalogue.package_units.clone(),
    )
    .await?;
    insert(&tx, &mut loaded, "trainers", catalogue.trainers.clone()).await?;
    insert(
        &tx,
        &mut loaded,
        "trainer_skills",
        catalogue.trainer_skills.clone(),
    )
    .await?;
    insert(
        &tx,
        &mut loaded,
        "issuer_keys",
        catalogue.issuer_keys.clone(),
    )
    .await?;
    insert(
        &tx,
        &mut loaded,
        "status_lists",
        catalogue.status_lists.clone(),
    )
    .await?;
    let mut facility_rows = Vec::new();
    let mut partnerships = Vec::new();
    for (i, f) in facilities.iter().enumerate() {
        let id = i64::try_from(i + 1).unwrap_or(0);
        let partner = regions.iter().position(|r| *r == f.region).unwrap_or(0);
        facility_rows.push(facility::Model {
            id,
            code: f.code.clone(),
            name: f.name.clone(),
            kind: f.kind.to_owned(),
            region: Some(f.region.to_owned()),
            city: None,
            utc_offset_minutes: 420,
            active: true,
            created_at: at,
            updated_at: at,
        });
        partnerships.push(partnership::Model {
            id,
            facility_id: id,
            partner_id: i64::try_from(partner + 1).unwrap_or(0),
            agreement_number: Some(format!("PKS/{}/{}", f.code, as_of.year() - 2)),
            valid_from: NaiveDate::from_ymd_opt(as_of.year() - 2, 1, 1).unwrap_or(as_of),
            valid_to: None,
            scope: None,
            created_at: at,
            updated_at: at,
        });
    }
    insert(&tx, &mut loaded, "facilities", facility_rows).await?;
    insert(&tx, &mut loaded, "partnerships", partnerships).await?;
    tx.commit().await?;

    let mut ids = programme::Ids::default();
    for (i, f) in facilities.iter().enumerate() {
        let inmates: Vec<_> = (0..f.size)
            .map(|n| synthetic_inmate(&mut people_rng, &f.code, n, as_of))
            .collect();
        let cx = programme::Context {
            facility: f,
            facility_id: i64::try_from(i + 1).unwrap_or(0),
            partner: regions.iter().position(|r| *r == f.region).unwrap_or(0),
            catalogue: &catalogue,
            as_of,
            years: (as_of.year() - 2)..=as_of.year(),
        };
        let rows = programme::facility_rows(&cx, &inmates, &mut programme_rng, &mut ids)?;
        write_facility(conn, &mut loaded, rows).await?;
        progress(i + 1, facilities.len());
    }
    finish(store, &mut ids, &catalogue).await?;
    Ok(loaded)
}

/// One facility's rows in one transaction, parents before children.
async fn write_facility(
    conn: &bekal_store::sea_orm::DatabaseConnection,
    loaded: &mut Loaded,
    rows: programme::FacilityRows,
) -> Result<(), DbErr> {
    let tx = conn.begin().await?;
    insert(&tx, loaded, "inmates", rows.inmates).await?;
    insert(&tx, loaded, "custody_events", rows.custody).await?;
    insert(&tx, loaded, "rooms", rows.rooms).await?;
    insert(&tx, loaded, "assessments", rows.assessments).await?;
    insert(&tx, loaded, "selections", rows.selections).await?;
    insert(&tx, loaded, "selection_entries", rows.entries).await?;
    insert(&tx, loaded, "plans", rows.plans).await?;
    insert(&tx, loaded, "classes", rows.classes).await?;
    insert(&tx, loaded, "class_trainers", rows.class_trainers).await?;
    insert(&tx, loaded, "enrolments", rows.enrolments).await?;
    insert(&tx, loaded, "enrolment_events", rows.events).await?;
    insert(&tx, loaded, "training_sessions", rows.sessions).await?;
    insert(&tx, loaded, "attendance", rows.attendance).await?;
    insert(&tx, loaded, "unit_results", rows.results).await?;
    insert(&tx, loaded, "certificates", rows.certificates).await?;
    insert(&tx, loaded, "follow_ups", rows.follow_ups).await?;
    tx.commit().await
}

/// Partners' certificate sequences and status-list positions, PostgreSQL's id sequences,
/// and fresh planner statistics.
async fn finish(
    store: &Store,
    ids: &mut programme::Ids,
    catalogue: &catalogue::Catalogue,
) -> Result<(), DbErr> {
    let conn = store.conn();
    for (index, issued) in ids.per_partner.iter().enumerate() {
        let (Some(p), Some(list)) = (
            catalogue.partners.get(index),
            catalogue.status_lists.get(index),
        ) else {
            continue;
        };
        let mut active: partner::ActiveModel = p.clone().into();
        active.certificate_sequence = Set(*issued);
        active.update(conn).await?;
        let mut active: status_list::ActiveModel = list.clone().into();
        active.next_index = Set(*issued);
        active.update(conn).await?;
    }
    let backend = store.backend();
    for table in TABLES.iter().chain(MORE_TABLES.iter()) {
        if backend == Backend::Postgres {
            conn.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))
            .await?;
        }
    }
    conn.execute_unprepared("ANALYZE").await?;
    Ok(())
}

/// The facility holding the most inmates (code, id): the facility case of the reports
/// benchmark. `None` for an empty database.
pub async fn largest_facility(store: &Store) -> Result<Option<(String, i64)>, DbErr> {
    use bekal_store::sea_orm::Statement;
    let backend = match store.backend() {
        Backend::Sqlite => bekal_store::sea_orm::DbBackend::Sqlite,
        Backend::Postgres => bekal_store::sea_orm::DbBackend::Postgres,
    };
    let row = store
        .conn()
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT f.code, f.id FROM facilities f JOIN inmates i ON i.facility_id = f.id \
             GROUP BY f.code, f.id ORDER BY COUNT(*) DESC, f.code LIMIT 1",
        ))
        .await?;
    row.map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .transpose()
}

/// The number of some valid certificate in the database (for the HTTP benchmark's public
/// verification requests), or `None`.
pub async fn some_certificate_number(store: &Store) -> Result<Option<String>, DbErr> {
    use bekal_store::entity::certificate;
    use bekal_store::sea_orm::{ColumnTrait, QueryFilter};
    Ok(certificate::Entity::find()
        .filter(certificate::Column::Status.eq("valid"))
        .one(store.conn())
        .await?
        .map(|c| c.number))
}

/// Up to `count` sessions of the first facility dated before `before` (their sheets can be
/// submitted and corrected): the attendance case of the HTTP benchmark.
pub async fn past_session_ids(
    store: &Store,
    count: usize,
    before: NaiveDate,
) -> Result<Vec<i64>, DbErr> {
    use bekal_store::entity::training_session;
    use bekal_store::sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
    Ok(training_session::Entity::find()
        .filter(training_session::Column::Date.lt(before))
        .filter(training_session::Column::Status.is_in(["held", "scheduled"]))
        .order_by_asc(training_session::Column::Id)
        .limit(u64::try_from(count).unwrap_or(u64::MAX))
        .all(store.conn())
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect())
}
