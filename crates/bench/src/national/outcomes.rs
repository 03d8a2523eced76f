//! What came of each place in the benchmark data set's programmes: unit results (K/BK, some
//! re-assessed), a signed certificate for each completion, and releases (of trainees after
//! their class and of others as the comparison group) with their follow-ups as they fall due.

use super::catalogue::{self, UNITS_PER_PACKAGE, unit_id};
use super::programme::{
    Context, FacilityRows, Ids, Place, UNTRAINED_RELEASED_PERCENT, day, instant, next,
};
use bekal_credentials::{CertificateData, Language, Unit, issue_certificate};
use bekal_domain::rng::DeterministicRng;
use bekal_store::entity::{certificate, custody_event, follow_up, unit_result};
use chrono::{Datelike, Duration, NaiveDate};

#[expect(clippy::too_many_arguments)]
pub(super) fn unit_results(
    cx: &Context,
    rng: &mut DeterministicRng,
    ids: &mut Ids,
    rows: &mut FacilityRows,
    enrolment_id: i64,
    package: usize,
    assessed_on: NaiveDate,
    completed: bool,
) {
    for u in 0..UNITS_PER_PACKAGE {
        let mut push =
            |decision: &str, attempt: i32, current: bool, on: NaiveDate, ids: &mut Ids| {
                rows.results.push(unit_result::Model {
                    id: next(&mut ids.result),
                    facility_id: cx.facility_id,
                    enrolment_id,
                    unit_id: unit_id(package, u),
                    decision: decision.into(),
                    attempt,
                    current,
                    assessor_id: None,
                    assessor_name: Some("Asesor BLK".into()),
                    assessed_on: on,
                    evidence_note: None,
                    recorded_at: instant(on, 11),
                });
            };
        if completed {
            if rng.chance(5) {
                push("BK", 1, false, assessed_on - Duration::days(3), ids);
                push("K", 2, true, assessed_on, ids);
            } else {
                push("K", 1, true, assessed_on, ids);
            }
        } else {
            let decision = if rng.chance(60) { "K" } else { "BK" };
            push(decision, 1, true, assessed_on, ids);
        }
    }
}

/// Signs the certificate of a completed place (the partner's key, its status list).
pub(super) fn issue(
    cx: &Context,
    ids: &mut Ids,
    rows: &mut FacilityRows,
    enrolment_id: i64,
    holder: &str,
    (package_code, package_name, hours): (&str, &str, i32),
    issued_on: NaiveDate,
) -> Result<(), bekal_credentials::Error> {
    let Some(key) = cx.catalogue.keys.get(cx.partner) else {
        return Ok(());
    };
    if ids.per_partner.len() <= cx.partner {
        ids.per_partner.resize(cx.partner + 1, 0);
    }
    let Some(sequence) = ids.per_partner.get_mut(cx.partner) else {
        return Ok(());
    };
    let status_index = *sequence;
    *sequence += 1;
    let partner_id = i64::try_from(cx.partner + 1).unwrap_or(0);
    let partner_code = catalogue::partner_code(cx.partner);
    let number = format!(
        "{partner_code}/{}/{:05}",
        issued_on.year(),
        status_index + 1
    );
    let id = next(&mut ids.certificate);
    let when = instant(issued_on, 4);
    let data = CertificateData {
        number: number.clone(),
        holder_name: holder.to_owned(),
        package_name: package_name.to_owned(),
        package_code: package_code.to_owned(),
        hours_jp: u32::try_from(hours).unwrap_or(0),
        units: (0..UNITS_PER_PACKAGE)
            .map(|u| Unit {
                code: format!("{package_code}.{:03}.01", u + 1),
                title: format!("{package_name}: unit {}", u + 1),
                url: None,
            })
            .collect(),
        field_of_study: None,
        valid_from: when,
        valid_until: None,
        issuer_name: cx
            .catalogue
            .partners
            .get(cx.partner)
            .map_or(String::new(), |p| p.name.clone()),
        issuer_did: key.controller().to_owned(),
        credential_id: format!("urn:uuid:00000000-0000-4000-8000-{id:012}"),
        achievement_id: None,
        status_index: Some(u64::try_from(status_index).unwrap_or(0)),
        status_list_url: Some(catalogue::status_list_url(&partner_code, partner_id)),
        language: Language::Indonesian,
    };
    let credential = issue_certificate(&data, key, when)?;
    rows.certificates.push(certificate::Model {
        id,
        facility_id: cx.facility_id,
        partner_id,
        enrolment_id,
        batch_id: None,
        issuer_key_id: partner_id,
        status_list_id: partner_id,
        status_index,
        number,
        holder_name: holder.to_owned(),
        credential,
        issued_on,
        valid_until: None,
        status: "valid".into(),
        revoked_at: None,
        revoked_reason: None,
        created_at: when,
    });
    Ok(())
}

/// Releases in the period (trainees after their class, others as the comparison group) and
/// the follow-ups that have fallen due by `as_of`.
pub(super) fn releases(
    cx: &Context,
    rng: &mut DeterministicRng,
    ids: &mut Ids,
    rows: &mut FacilityRows,
    places: &[Place],
    trained: &[bool],
) {
    let first_day = day(*cx.years.start(), 1, 1);
    let mut released: Vec<(usize, NaiveDate, Option<&Place>)> = Vec::new();
    for place in places {
        let share = match cx.as_of.year() - place.class_end.year() {
            0 => 15,
            1 => 45,
            _ => 70,
        };
        if place.class_end < cx.as_of && rng.chance(share) {
            let on = place.class_end + Duration::days(rng.range(14, 365));
            if on < cx.as_of {
                released.push((place.inmate, on, Some(place)));
            }
        }
    }
    let span = (cx.as_of - first_day).num_days().max(1);
    for (person, was_trained) in trained.iter().enumerate() {
        if !was_trained && rng.chance(UNTRAINED_RELEASED_PERCENT) {
            released.push((
                person,
                first_day + Duration::days(rng.range(0, span - 1)),
                None,
            ));
        }
    }
    released.sort_by_key(|(person, on, _)| (*person, *on));
    released.dedup_by_key(|(person, _, _)| *person);
    for (person, on, place) in released {
        let Some(inmate) = rows.inmates.get_mut(person) else {
            continue;
        };
        inmate.custody_status = "released".into();
        inmate.expected_release = Some(on);
        let inmate_id = inmate.id;
        rows.custody.push(custody_event::Model {
            id: next(&mut ids.custody),
            facility_id: cx.facility_id,
            inmate_id,
            kind: "released".into(),
            effective_on: on,
            reason: Some("Bebas".into()),
            recorded_by: None,
            recorded_at: instant(on, 9),
        });
        let completed = place.is_some_and(|p| p.completed);
        for months in [3_u32, 6, 12] {
            let Some(due) = on.checked_add_months(chrono::Months::new(months)) else {
                continue;
            };
            if due > cx.as_of {
                break;
            }
            let contacted = rng
                .chance(80)
                .then(|| (due + Duration::days(rng.range(0, 30))).min(cx.as_of));
            let outcome = contacted.map(|_| {
                let weights: [u64; 6] = if completed {
                    [35, 20, 5, 25, 5, 10]
                } else {
                    [20, 12, 3, 43, 12, 10]
                };
                match rng.weighted(&weights) {
                    Some(0) => "employed",
                    Some(1) => "self_employed",
                    Some(2) => "further_training",
                    Some(3) => "unemployed",
                    Some(4) => "reoffended",
                    _ => "unreachable",
                }
            });
            let in_trade = completed
                && matches!(outcome, Some("employed" | "self_employed"))
                && rng.chance(55);
            rows.follow_ups.push(follow_up::Model {
                id: next(&mut ids.follow_up),
                facility_id: cx.facility_id,
                inmate_id,
                months_after_release: i32::try_from(months).unwrap_or(0),
                due_on: due,
                contacted_on: contacted,
                outcome: outcome.map(str::to_owned),
                in_trained_trade: in_trade,
                employer_type: matches!(outcome, Some("employed"))
                    .then(|| "small_business".to_owned()),
                source: contacted
                    .map(|_| if rng.chance(70) { "bapas" } else { "facility" }.to_owned()),
                notes: None,
                recorded_by: None,
                created_at: instant(due, 9),
                updated_at: instant(contacted.unwrap_or(due), 9),
            });
        }
    }
}
