//! Who is acting, and what they may do. Every use case starts by asking [`Actor::authorise`]
//! for a [`Permission`] on a facility (or on national data). Facility scoping lives here, once:
//! a user of one facility can never act on another's data, whatever the URL or API call.

use crate::AppError;
use bekal_domain::role::Role;
use bekal_store::AuditActor;

/// The principal behind a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The operator of the machine, through the CLI (`bekal facility add` and friends). The CLI
    /// runs with the rights of whoever can read the database file or URL; it is audited with
    /// its label.
    Operator { label: String },
    /// A signed-in user.
    User {
        id: i64,
        username: String,
        role: Role,
        facility_id: Option<i64>,
        partner_id: Option<i64>,
        region: Option<String>,
    },
    /// Nobody signed in: the public verification page only.
    Public,
}

/// What an actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Create or change facilities, partners, packages, units (national catalogue).
    ManageCatalogue,
    /// Create or change accounts.
    ManageAccounts,
    /// Read the list of facilities (codes and names).
    ListFacilities,
    /// Read a facility's aggregate figures (no names).
    ReadAggregates,
    /// Read or change a facility's rooms, trainers, holidays.
    ManageFacilitySetup,
    /// Read inmates' personal records.
    ReadInmates,
    /// Create or change inmates' records (import, edit).
    WriteInmates,
    /// Draft training plans (assessments, planning, what-if).
    PlanTraining,
    /// Approve selections and plans (the facility head).
    ApprovePlans,
    /// Record unit results (K/BK) and read a class's results sheet.
    RecordResults,
    /// Issue certificates (checked per partner in `certificates::authorise_partner`).
    IssueCertificates,
    /// Revoke certificates (checked per partner in `certificates::authorise_partner`).
    RevokeCertificates,
    /// Read a class's sessions and sheets and record attendance (trainers: only the classes
    /// they teach, checked in `delivery`).
    RecordAttendance,
    /// End an enrolment mid-course (withdrawn, transferred, released, dismissed, medical).
    ChangeEnrolments,
    /// Read classes, rosters and sessions (trainers: their own classes; partner staff: their
    /// partner's classes, both checked in `classes`).
    ReadClasses,
    /// Read the follow-ups after release of a facility's releasees (names, outcomes).
    ReadFollowUps,
    /// Record a follow-up after release (facility officers; probation officers of the
    /// facility's Bapas are given the facility in their account).
    RecordFollowUps,
}

impl Actor {
    /// The signed-in user's id (for `created_by`, `assessed_by` and the like), if any.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Actor::User { id, .. } => Some(*id),
            Actor::Operator { .. } | Actor::Public => None,
        }
    }

    /// The audit identity of this actor.
    pub fn audit_actor(&self) -> AuditActor {
        match self {
            Actor::Operator { label } => AuditActor::system(label),
            Actor::User { id, username, .. } => AuditActor::user(*id, username),
            Actor::Public => AuditActor::system("public"),
        }
    }

    /// Allows or refuses `permission` on `facility_id` (`None` = national data).
    pub fn authorise(
        &self,
        permission: Permission,
        facility_id: Option<i64>,
    ) -> Result<(), AppError> {
        let allowed = match self {
            Actor::Operator { .. } => true,
            Actor::Public => false,
            Actor::User {
                role,
                facility_id: own_facility,
                ..
            } => {
                let own = facility_id.is_some() && facility_id == *own_facility;
                match (role, permission) {
                    (Role::NationalAdmin, _) => true,
                    (_, Permission::ListFacilities) => true,
                    (Role::OversightViewer, Permission::ReadAggregates) => true,
                    (Role::FacilityHead | Role::ProgramOfficer, Permission::ReadAggregates)
                    | (Role::FacilityHead | Role::ProgramOfficer, Permission::ReadInmates)
                    | (Role::ProgramOfficer, Permission::WriteInmates)
                    | (Role::ProgramOfficer, Permission::ManageFacilitySetup)
                    | (Role::ProgramOfficer, Permission::PlanTraining)
                    | (Role::FacilityHead, Permission::ApprovePlans)
                    | (Role::Assessor | Role::ProgramOfficer, Permission::RecordResults)
                    | (Role::ProgramOfficer, Permission::RecordAttendance)
                    | (Role::ProgramOfficer, Permission::ChangeEnrolments)
                    | (
                        Role::FacilityHead | Role::ProgramOfficer | Role::ProbationOfficer,
                        Permission::ReadFollowUps,
                    )
                    | (
                        Role::ProgramOfficer | Role::ProbationOfficer,
                        Permission::RecordFollowUps,
                    )
                    | (
                        Role::FacilityHead | Role::ProgramOfficer | Role::Assessor,
                        Permission::ReadClasses,
                    ) => own,
                    _ => false,
                }
            }
        };
        if allowed {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!("{permission:?}")))
        }
    }
}

impl Actor {
    /// The region an oversight viewer is tied to: they read that region's aggregates only.
    pub fn region_limit(&self) -> Option<&str> {
        match self {
            Actor::User {
                role: Role::OversightViewer,
                region: Some(region),
                ..
            } => Some(region.as_str()),
            _ => None,
        }
    }
}

/// Allows reading one facility's aggregate figures: [`Permission::ReadAggregates`] on the
/// facility, and for a regional oversight viewer only a facility of their region.
pub(crate) async fn authorise_facility_aggregates(
    conn: &impl bekal_store::sea_orm::ConnectionTrait,
    actor: &Actor,
    facility_id: i64,
) -> Result<(), AppError> {
    actor.authorise(Permission::ReadAggregates, Some(facility_id))?;
    if let Some(region) = actor.region_limit() {
        use bekal_store::sea_orm::EntityTrait;
        let place = bekal_store::entity::facility::Entity::find_by_id(facility_id)
            .one(conn)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("facility {facility_id}")))?;
        if place.region.as_deref() != Some(region) {
            return Err(AppError::Forbidden(format!(
                "{:?} outside the region {region}",
                Permission::ReadAggregates
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officer(facility: i64) -> Actor {
        Actor::User {
            id: 1,
            username: "petugas".into(),
            role: Role::ProgramOfficer,
            facility_id: Some(facility),
            partner_id: None,
            region: None,
        }
    }

    #[test]
    fn facility_users_stay_in_their_facility() {
        assert!(
            officer(1)
                .authorise(Permission::ReadInmates, Some(1))
                .is_ok()
        );
        assert!(
            officer(1)
                .authorise(Permission::ReadInmates, Some(2))
                .is_err()
        );
        assert!(officer(1).authorise(Permission::ReadInmates, None).is_err());
        assert!(
            officer(1)
                .authorise(Permission::ManageCatalogue, None)
                .is_err()
        );
        assert!(
            Actor::Public
                .authorise(Permission::ListFacilities, None)
                .is_err()
        );
    }
}
