//! The issued certificates of a facility or a partner, for `bekal cert export` and the
//! holder's copy: the signed credential, its QR payload and the printable facts.

use crate::results::package_units;
use crate::{Actor, App, AppError, Permission};
use bekal_credentials::encode_qr_payload;
use bekal_store::entity::{
    certificate, enrolment, facility, package, partner, training_class, unit_result,
};
use bekal_store::sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use chrono::NaiveDate;
use serde::Serialize;

/// Whose certificates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportScope {
    Facility(String),
    Partner(String),
}

/// One certificate ready to be written out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedCertificate {
    pub id: i64,
    pub number: String,
    pub holder_name: String,
    pub status: String,
    /// The signed credential (JSON text).
    pub credential: String,
    /// The `BKL1:` QR payload.
    pub qr: String,
    /// What the printed certificate shows besides the credential.
    pub print: PrintFacts,
}

/// The facts of the printed certificate (nothing about the facility).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintFacts {
    pub class_id: i64,
    pub class_code: String,
    pub program: String,
    pub program_en: Option<String>,
    pub program_code: String,
    pub hours_jp: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub issued_on: NaiveDate,
    pub issuer_name: String,
    pub city: Option<String>,
    pub head_name: Option<String>,
    pub head_title: Option<String>,
    pub assessor_name: Option<String>,
    /// (code, title, hours JP, current decision).
    pub units: Vec<(String, String, i32, String)>,
}

async fn print_facts(
    conn: &impl ConnectionTrait,
    cert: &certificate::Model,
) -> Result<PrintFacts, AppError> {
    let missing = |what: &str| AppError::NotFound(format!("{what} of certificate {}", cert.number));
    let enrolment = enrolment::Entity::find_by_id(cert.enrolment_id)
        .one(conn)
        .await?
        .ok_or_else(|| missing("enrolment"))?;
    let class = training_class::Entity::find_by_id(enrolment.class_id)
        .one(conn)
        .await?
        .ok_or_else(|| missing("class"))?;
    let package = package::Entity::find_by_id(class.package_id)
        .one(conn)
        .await?
        .ok_or_else(|| missing("package"))?;
    let issuer = partner::Entity::find_by_id(cert.partner_id)
        .one(conn)
        .await?
        .ok_or_else(|| missing("partner"))?;
    let results = unit_result::Entity::find()
        .filter(unit_result::Column::EnrolmentId.eq(enrolment.id))
        .filter(unit_result::Column::Current.eq(true))
        .order_by_desc(unit_result::Column::AssessedOn)
        .all(conn)
        .await?;
    let units = package_units(conn, package.id)
        .await?
        .into_iter()
        .map(|u| {
            let decision = results
                .iter()
                .find(|r| r.unit_id == u.id)
                .map(|r| r.decision.clone())
                .unwrap_or_default();
            (u.code, u.title, u.hours_jp, decision)
        })
        .collect();
    Ok(PrintFacts {
        class_id: class.id,
        class_code: class.code,
        program: package.name,
        program_en: package.name_en,
        program_code: package.code,
        hours_jp: package.hours_jp,
        start_date: class.start_date,
        end_date: class.end_date,
        issued_on: cert.issued_on,
        issuer_name: issuer.name,
        city: issuer.city,
        head_name: issuer.head_name,
        head_title: issuer.head_title,
        assessor_name: results.iter().find_map(|r| r.assessor_name.clone()),
        units,
    })
}

/// Every issued certificate in scope, by number. Facility scope needs the facility's read
/// rights; partner scope is the partner's (as for issuing).
/// The export writes the holders' names and credentials out of Bekal, so it is an audited
/// read (purpose `certificate export`) in the facility's chain, or the national one for a
/// partner's export.
pub async fn export(
    app: &App,
    actor: &Actor,
    scope: &ExportScope,
) -> Result<Vec<ExportedCertificate>, AppError> {
    let (facility_id, list) = collect(app, actor, scope).await?;
    let (entity, key) = match scope {
        ExportScope::Facility(code) => ("facility", code),
        ExportScope::Partner(code) => ("partner", code),
    };
    crate::auth::audit_read(
        app,
        actor,
        facility_id,
        entity,
        key.trim().to_ascii_uppercase(),
        &format!("certificate export ({} certificates)", list.len()),
    )
    .await?;
    Ok(list)
}

/// The certificates in scope (checked as for [`export`]), and the facility when the scope
/// is one; not audited: callers that hand the result out audit it.
pub(crate) async fn collect(
    app: &App,
    actor: &Actor,
    scope: &ExportScope,
) -> Result<(Option<i64>, Vec<ExportedCertificate>), AppError> {
    let conn = app.store.conn();
    let mut facility_id = None;
    let query = match scope {
        ExportScope::Facility(code) => {
            let f = facility::Entity::find()
                .filter(facility::Column::Code.eq(code.trim().to_ascii_uppercase()))
                .one(conn)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("facility {code}")))?;
            actor.authorise(Permission::ReadInmates, Some(f.id))?;
            facility_id = Some(f.id);
            certificate::Entity::find().filter(certificate::Column::FacilityId.eq(f.id))
        }
        ExportScope::Partner(code) => {
            let p = partner::Entity::find()
                .filter(partner::Column::Code.eq(code.trim().to_ascii_uppercase()))
                .one(conn)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("partner {code}")))?;
            super::authorise_partner(actor, Permission::IssueCertificates, p.id)?;
            certificate::Entity::find().filter(certificate::Column::PartnerId.eq(p.id))
        }
    };
    let mut out = Vec::new();
    for c in query
        .order_by_asc(certificate::Column::Number)
        .all(conn)
        .await?
    {
        out.push(exported(conn, c).await?);
    }
    Ok((facility_id, out))
}

/// One certificate row with its QR payload and printed facts (no check, no audit).
pub(crate) async fn exported(
    conn: &impl ConnectionTrait,
    c: certificate::Model,
) -> Result<ExportedCertificate, AppError> {
    Ok(ExportedCertificate {
        qr: encode_qr_payload(&c.credential)
            .map_err(|e| AppError::Internal(format!("qr {}: {e}", c.number)))?,
        print: print_facts(conn, &c).await?,
        id: c.id,
        number: c.number,
        holder_name: c.holder_name,
        status: c.status,
        credential: c.credential,
    })
}
