//! Printing certificates: what the PDF of one exported certificate shows (the partner's
//! certificate with its QR code and transcript; nothing about the facility), a class's
//! certificates for its page, and the PDF of a batch.

use super::export::collect;
use super::{ExportScope, ExportedCertificate};
use crate::{Actor, App, AppError};
use bekal_documents::{CertificateSheet, TranscriptLine, certificates_pdf};
use bekal_store::entity::{facility, partner, training_class};
use bekal_store::sea_orm::EntityTrait;

/// What the PDF shows for one exported certificate; `base_url` is printed under the QR code.
pub fn sheet(c: &ExportedCertificate, base_url: &str) -> CertificateSheet {
    let p = &c.print;
    let hours = |h: i32| u32::try_from(h).unwrap_or_default();
    CertificateSheet {
        number: c.number.clone(),
        holder_name: c.holder_name.clone(),
        program: p.program.clone(),
        program_en: p.program_en.clone(),
        program_code: p.program_code.clone(),
        hours_jp: hours(p.hours_jp),
        start_date: p.start_date,
        end_date: p.end_date,
        issued_on: p.issued_on,
        issuer_name: p.issuer_name.clone(),
        city: p.city.clone(),
        head_name: p.head_name.clone(),
        head_title: p.head_title.clone(),
        assessor_name: p.assessor_name.clone(),
        units: p
            .units
            .iter()
            .map(|(code, title, h, decision)| TranscriptLine {
                code: code.clone(),
                title: title.clone(),
                hours_jp: hours(*h),
                decision: decision.clone(),
            })
            .collect(),
        qr_payload: c.qr.clone(),
        verify_url: Some(format!(
            "{}/verify?number={}",
            base_url.trim_end_matches('/'),
            c.number.replace('/', "%2F")
        )),
    }
}

/// The certificates of one class, for those who may export the facility's or the partner's
/// certificates (checked as for [`super::export`]).
pub async fn for_class(
    app: &App,
    actor: &Actor,
    class_id: i64,
) -> Result<Vec<ExportedCertificate>, AppError> {
    let conn = app.store.conn();
    let class = training_class::Entity::find_by_id(class_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("class {class_id}")))?;
    let place = facility::Entity::find_by_id(class.facility_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("facility {}", class.facility_id)))?;
    let all = match collect(app, actor, &ExportScope::Facility(place.code)).await {
        Ok((_, all)) => all,
        Err(AppError::Forbidden(_)) => {
            let issuer = partner::Entity::find_by_id(class.partner_id)
                .one(conn)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("partner {}", class.partner_id)))?;
            collect(app, actor, &ExportScope::Partner(issuer.code))
                .await
                .map_err(|_| AppError::NotFound(format!("class {class_id}")))?
                .1
        }
        Err(other) => return Err(other),
    };
    Ok(all
        .into_iter()
        .filter(|c| c.print.class_id == class_id)
        .collect())
}

/// The PDF of every certificate of one class, for printing (the ceremony batch). It carries
/// the holders' names, so it is an audited read (purpose `certificate PDF`); `None` when the
/// class has no certificate yet.
pub async fn class_pdf(
    app: &App,
    actor: &Actor,
    class_id: i64,
    base_url: &str,
) -> Result<Option<Vec<u8>>, AppError> {
    let list = for_class(app, actor, class_id).await?;
    if list.is_empty() {
        return Ok(None);
    }
    let pdf = batch_pdf(&list, base_url)?;
    let facility_id = training_class::Entity::find_by_id(class_id)
        .one(app.store.conn())
        .await?
        .map(|c| c.facility_id);
    crate::auth::audit_read(
        app,
        actor,
        facility_id,
        "class",
        class_id,
        &format!("certificate PDF ({} certificates)", list.len()),
    )
    .await?;
    Ok(Some(pdf))
}

/// One PDF with every given certificate (a page and a transcript each).
pub fn batch_pdf(list: &[ExportedCertificate], base_url: &str) -> Result<Vec<u8>, AppError> {
    let sheets: Vec<CertificateSheet> = list.iter().map(|c| sheet(c, base_url)).collect();
    certificates_pdf(&sheets).map_err(|e| AppError::Internal(format!("pdf: {e}")))
}
