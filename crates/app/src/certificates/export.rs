//! The issued certificates of a facility or a partner, for `bekal cert export` and the
//! holder's copy: the signed credential, its QR payload and the printable facts.

use crate::{Actor, App, AppError, Permission};
use bekal_credentials::encode_qr_payload;
use bekal_store::entity::{certificate, facility, partner};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
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
}

/// Every issued certificate in scope, by number. Facility scope needs the facility's read
/// rights; partner scope is the partner's (as for issuing).
pub async fn export(
    app: &App,
    actor: &Actor,
    scope: &ExportScope,
) -> Result<Vec<ExportedCertificate>, AppError> {
    let conn = app.store.conn();
    let query = match scope {
        ExportScope::Facility(code) => {
            let f = facility::Entity::find()
                .filter(facility::Column::Code.eq(code.trim().to_ascii_uppercase()))
                .one(conn)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("facility {code}")))?;
            actor.authorise(Permission::ReadInmates, Some(f.id))?;
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
    query
        .order_by_asc(certificate::Column::Number)
        .all(conn)
        .await?
        .into_iter()
        .map(|c| {
            Ok(ExportedCertificate {
                qr: encode_qr_payload(&c.credential)
                    .map_err(|e| AppError::Internal(format!("qr {}: {e}", c.number)))?,
                id: c.id,
                number: c.number,
                holder_name: c.holder_name,
                status: c.status,
                credential: c.credential,
            })
        })
        .collect()
}
