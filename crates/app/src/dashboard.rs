//! What needs doing today, per role: attendance to take, unit results to record, plans to
//! approve, certificates to issue, follow-ups due, imports with errors. Each task carries the
//! ids the pages link to; only tasks the actor could act on are listed (the same scoping as
//! the use cases themselves: [`crate::classes`] for classes, `Actor::authorise` for the rest).

use crate::classes::{self, ClassFilter, ClassSummary};
use crate::{Actor, App, AppError, Permission};
use bekal_domain::role::Role;
use bekal_store::entity::{
    certificate, enrolment, facility, import_run, package_unit, plan, training_session, unit_result,
};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Most items listed per task (the count is always complete).
pub const ITEMS_PER_TASK: usize = 8;

/// The kinds of task, as stable codes (the pages translate them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    TakeAttendance,
    RecordResults,
    ApprovePlan,
    IssueCertificates,
    FollowUpsDue,
    ImportErrors,
}

/// One thing to do (a session, a class, a plan, an import run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TaskItem {
    pub label: String,
    pub date: Option<NaiveDate>,
    pub class_id: Option<i64>,
    pub session_id: Option<i64>,
    pub plan_id: Option<i64>,
    pub import_run_id: Option<i64>,
    /// How many of something within the item (trainees without results, ...).
    pub count: Option<u64>,
}

/// A kind of work with how much of it there is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Task {
    pub kind: TaskKind,
    pub count: u64,
    pub items: Vec<TaskItem>,
}

/// The home page of a signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Dashboard {
    pub today: NaiveDate,
    pub tasks: Vec<Task>,
    /// The classes running today that the actor may see.
    pub running_classes: Vec<ClassSummary>,
}

fn role_of(actor: &Actor) -> Option<Role> {
    match actor {
        Actor::User { role, .. } => Some(*role),
        _ => None,
    }
}

fn own_facility(actor: &Actor) -> Option<i64> {
    match actor {
        Actor::User { facility_id, .. } => *facility_id,
        _ => None,
    }
}

/// Where the actor may use `permission`: `Some(Some(id))` in their own facility, `Some(None)`
/// everywhere (national admins, the operator), `None` nowhere.
fn scope_for(actor: &Actor, permission: Permission) -> Option<Option<i64>> {
    match own_facility(actor) {
        Some(id) => actor
            .authorise(permission, Some(id))
            .is_ok()
            .then_some(Some(id)),
        None => actor.authorise(permission, None).is_ok().then_some(None),
    }
}

fn push(tasks: &mut Vec<Task>, kind: TaskKind, count: u64, items: Vec<TaskItem>) {
    if count > 0 {
        tasks.push(Task { kind, count, items });
    }
}

fn item(label: String) -> TaskItem {
    TaskItem {
        label,
        date: None,
        class_id: None,
        session_id: None,
        plan_id: None,
        import_run_id: None,
        count: None,
    }
}

/// The dashboard of `actor` on the clock's today.
pub async fn dashboard(app: &App, actor: &Actor) -> Result<Dashboard, AppError> {
    let today = app.clock.today();
    let conn = app.store.conn();
    let role = role_of(actor);
    let mut tasks = Vec::new();

    let sees_classes = !matches!(
        role,
        Some(Role::OversightViewer | Role::ProbationOfficer) | None
    );
    let classes = if sees_classes {
        classes::list(app, actor, &ClassFilter::default()).await?
    } else {
        Vec::new()
    };
    let class_by_id: HashMap<i64, &ClassSummary> = classes.iter().map(|c| (c.id, c)).collect();

    // Attendance to take: scheduled sessions up to today with nothing recorded.
    if matches!(
        role,
        Some(Role::Trainer | Role::ProgramOfficer | Role::NationalAdmin)
    ) && !classes.is_empty()
    {
        let due = training_session::Entity::find()
            .filter(training_session::Column::ClassId.is_in(class_by_id.keys().copied()))
            .filter(training_session::Column::Status.eq("scheduled"))
            .filter(training_session::Column::SheetVersion.eq(0))
            .filter(training_session::Column::Date.lte(today))
            .order_by_desc(training_session::Column::Date)
            .all(conn)
            .await?;
        let items = due
            .iter()
            .take(ITEMS_PER_TASK)
            .map(|s| TaskItem {
                date: Some(s.date),
                class_id: Some(s.class_id),
                session_id: Some(s.id),
                ..item(
                    class_by_id
                        .get(&s.class_id)
                        .map(|c| format!("{} ({})", c.code, c.package_name))
                        .unwrap_or_default(),
                )
            })
            .collect();
        push(
            &mut tasks,
            TaskKind::TakeAttendance,
            due.len() as u64,
            items,
        );
    }

    // Unit results to record: finished or ending classes whose trainees lack a current result.
    if matches!(
        role,
        Some(Role::Assessor | Role::ProgramOfficer | Role::NationalAdmin)
    ) {
        let mut items = Vec::new();
        for class in classes
            .iter()
            .filter(|c| c.status != "cancelled" && c.end_date <= today + Duration::days(3))
        {
            let missing = missing_results(app, class.id).await?;
            if missing > 0 {
                items.push(TaskItem {
                    date: Some(class.end_date),
                    class_id: Some(class.id),
                    count: Some(missing),
                    ..item(format!("{} ({})", class.code, class.package_name))
                });
            }
        }
        let count = items.len() as u64;
        items.truncate(ITEMS_PER_TASK);
        push(&mut tasks, TaskKind::RecordResults, count, items);
    }

    // Plans to approve: draft plans of the facility (facility head, admin).
    if let Some(scope) = scope_for(actor, Permission::ApprovePlans) {
        let mut query = plan::Entity::find().filter(plan::Column::Status.eq("draft"));
        if let Some(facility_id) = scope {
            query = query.filter(plan::Column::FacilityId.eq(facility_id));
        }
        let drafts = query
            .order_by_desc(plan::Column::CreatedAt)
            .all(conn)
            .await?;
        let items = drafts
            .iter()
            .take(ITEMS_PER_TASK)
            .map(|p| TaskItem {
                plan_id: Some(p.id),
                date: Some(p.horizon_start),
                ..item(p.name.clone())
            })
            .collect();
        push(
            &mut tasks,
            TaskKind::ApprovePlan,
            drafts.len() as u64,
            items,
        );
    }

    // Certificates to issue: completers of finished classes without a certificate.
    if matches!(role, Some(Role::PartnerStaff | Role::NationalAdmin)) {
        let finished: Vec<&ClassSummary> =
            classes.iter().filter(|c| c.status == "finished").collect();
        let completers = enrolment::Entity::find()
            .filter(enrolment::Column::ClassId.is_in(finished.iter().map(|c| c.id)))
            .filter(enrolment::Column::State.eq("completed"))
            .all(conn)
            .await?;
        let certified: HashSet<i64> = certificate::Entity::find()
            .filter(certificate::Column::EnrolmentId.is_in(completers.iter().map(|e| e.id)))
            .all(conn)
            .await?
            .into_iter()
            .map(|c| c.enrolment_id)
            .collect();
        let mut waiting: HashMap<i64, u64> = HashMap::new();
        for e in completers.iter().filter(|e| !certified.contains(&e.id)) {
            *waiting.entry(e.class_id).or_default() += 1;
        }
        let mut items: Vec<TaskItem> = finished
            .iter()
            .filter_map(|c| {
                waiting.get(&c.id).map(|n| TaskItem {
                    class_id: Some(c.id),
                    date: Some(c.end_date),
                    count: Some(*n),
                    ..item(format!("{} ({})", c.code, c.package_name))
                })
            })
            .collect();
        let count = items.len() as u64;
        items.truncate(ITEMS_PER_TASK);
        push(&mut tasks, TaskKind::IssueCertificates, count, items);
    }

    // Follow-ups due: released trainees whose follow-up date has come and nothing is recorded
    // (the same rule as the follow-up list, from the releases in custody_events).
    if let Some(scope) = scope_for(actor, Permission::ReadFollowUps) {
        let facilities: Vec<i64> = match scope {
            Some(facility_id) => vec![facility_id],
            None => facility::Entity::find()
                .all(conn)
                .await?
                .into_iter()
                .map(|f| f.id)
                .collect(),
        };
        let mut due = 0;
        for facility_id in facilities {
            due += crate::followup::count_due(app, facility_id).await?;
        }
        push(&mut tasks, TaskKind::FollowUpsDue, due, Vec::new());
    }

    // Imports with rejected rows in the last 30 days.
    if let Some(scope) = scope_for(actor, Permission::WriteInmates) {
        let since = app.clock.now() - Duration::days(30);
        let mut query = import_run::Entity::find();
        if let Some(facility_id) = scope {
            query = query.filter(import_run::Column::FacilityId.eq(facility_id));
        }
        let runs = query
            .filter(import_run::Column::Rejected.gt(0))
            .filter(import_run::Column::StartedAt.gte(since))
            .order_by_desc(import_run::Column::StartedAt)
            .all(conn)
            .await?;
        let items = runs
            .iter()
            .take(ITEMS_PER_TASK)
            .map(|r| TaskItem {
                import_run_id: Some(r.id),
                date: Some(r.started_at.date_naive()),
                count: Some(u64::try_from(r.rejected).unwrap_or(0)),
                ..item(r.file_name.clone())
            })
            .collect();
        push(&mut tasks, TaskKind::ImportErrors, runs.len() as u64, items);
    }

    let running_classes = classes
        .into_iter()
        .filter(|c| c.status == "running" || (c.start_date <= today && c.end_date >= today))
        .filter(|c| c.status != "cancelled")
        .collect();
    Ok(Dashboard {
        today,
        tasks,
        running_classes,
    })
}

/// How many (trainee, unit) pairs of a class still lack a current result, counting trainees
/// who are enrolled or completed.
async fn missing_results(app: &App, class_id: i64) -> Result<u64, AppError> {
    let conn = app.store.conn();
    let Some(class) = bekal_store::entity::training_class::Entity::find_by_id(class_id)
        .one(conn)
        .await?
    else {
        return Ok(0);
    };
    let units = package_unit::Entity::find()
        .filter(package_unit::Column::PackageId.eq(class.package_id))
        .count(conn)
        .await?;
    let trainees: Vec<i64> = enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.eq(class_id))
        .filter(enrolment::Column::State.is_in(["enrolled", "completed", "not_completed"]))
        .all(conn)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let recorded = unit_result::Entity::find()
        .filter(unit_result::Column::EnrolmentId.is_in(trainees.clone()))
        .filter(unit_result::Column::Current.eq(true))
        .count(conn)
        .await?;
    Ok((units * trainees.len() as u64).saturating_sub(recorded))
}
