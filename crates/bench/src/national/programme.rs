//! Three years of programmes at one facility of the benchmark data set, drawn from the seed:
//! each year about 15 % of the population is trained (40,000 a year nationally) after an
//! intake assessment of about 1.8 times as many; classes of at most 10 in the year's packages,
//! several side by side; a session every working day; attendance for everyone enrolled on each
//! held session; unit results and a signed certificate for those who complete; releases (of
//! trainees and, as the comparison group, of others) and their follow-ups at 3, 6 and 12
//! months. Rows are built here and written by [`super::load`].

use super::catalogue::{Catalogue, PACKAGES, SESSION_HOURS, trainer_id};
use super::outcomes;
use crate::synthetic::{SyntheticFacility, SyntheticInmate};
use bekal_domain::rng::DeterministicRng;
use bekal_domain::status::Sex;
use bekal_store::entity::{
    assessment, attendance, certificate, class_trainer, custody_event, enrolment, enrolment_event,
    follow_up, inmate, plan, room, selection, selection_entry, training_class, training_session,
    unit_result,
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};

/// Trainees a year per inmate held: 40,000 of 270,000.
const TRAINED_PER_YEAR: (usize, usize) = (40_000, 270_000);
/// Assessed candidates per place, in tenths.
const ASSESSED_PER_PLACE_TENTHS: usize = 18;
/// Enrolments that end early, in percent.
const LEAVING_PERCENT: u64 = 8;
/// Releases within the period among those never trained, in percent.
pub(super) const UNTRAINED_RELEASED_PERCENT: u64 = 12;
const LEAVING: [(&str, &str); 5] = [
    ("withdrawn", "Mengundurkan diri"),
    ("transferred", "Dipindahkan ke lapas lain"),
    ("released", "Bebas bersyarat"),
    ("dismissed", "Pelanggaran tata tertib"),
    ("medical", "Sakit berkepanjangan"),
];

/// Running id counters, one per table, shared by every facility (ids are global).
#[derive(Debug, Default)]
pub struct Ids {
    pub inmate: i64,
    pub custody: i64,
    pub assessment: i64,
    pub selection: i64,
    pub entry: i64,
    pub plan: i64,
    pub room: i64,
    pub class: i64,
    pub class_trainer: i64,
    pub enrolment: i64,
    pub event: i64,
    pub session: i64,
    pub attendance: i64,
    pub result: i64,
    pub certificate: i64,
    pub follow_up: i64,
    /// Certificates issued so far per partner (its sequence and status list index).
    pub per_partner: Vec<i32>,
}

pub(super) fn next(counter: &mut i64) -> i64 {
    *counter += 1;
    *counter
}

/// One facility's rows, in the order they are written.
#[derive(Debug, Default)]
pub struct FacilityRows {
    pub inmates: Vec<inmate::Model>,
    pub custody: Vec<custody_event::Model>,
    pub rooms: Vec<room::Model>,
    pub assessments: Vec<assessment::Model>,
    pub selections: Vec<selection::Model>,
    pub entries: Vec<selection_entry::Model>,
    pub plans: Vec<plan::Model>,
    pub classes: Vec<training_class::Model>,
    pub class_trainers: Vec<class_trainer::Model>,
    pub enrolments: Vec<enrolment::Model>,
    pub events: Vec<enrolment_event::Model>,
    pub sessions: Vec<training_session::Model>,
    pub attendance: Vec<attendance::Model>,
    pub results: Vec<unit_result::Model>,
    pub certificates: Vec<certificate::Model>,
    pub follow_ups: Vec<follow_up::Model>,
}

/// Who and when, for one facility.
#[derive(Debug)]
pub struct Context<'a> {
    pub facility: &'a SyntheticFacility,
    pub facility_id: i64,
    /// The partner's index in the catalogue (the region's BLK).
    pub partner: usize,
    pub catalogue: &'a Catalogue,
    /// The last day of the data set: nothing after it has happened.
    pub as_of: NaiveDate,
    pub years: std::ops::RangeInclusive<i32>,
}

pub(super) fn instant(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(
        &day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN)),
    )
}

pub(super) fn day(year: i32, month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, d).unwrap_or(NaiveDate::MIN)
}

fn is_working(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The first working day on or after `d`.
fn working_from(mut d: NaiveDate) -> NaiveDate {
    while !is_working(d) {
        d += Duration::days(1);
    }
    d
}

/// `count` working days starting at `start` (a working day).
fn working_days(start: NaiveDate, count: usize) -> Vec<NaiveDate> {
    let mut out = Vec::with_capacity(count);
    let mut d = start;
    while out.len() < count {
        if is_working(d) {
            out.push(d);
        }
        d += Duration::days(1);
    }
    out
}

fn shuffle<T>(rng: &mut DeterministicRng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = usize::try_from(rng.below(u64::try_from(i + 1).unwrap_or(1))).unwrap_or(0);
        items.swap(i, j);
    }
}

fn to_i32(v: usize) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

/// The inmates of the registry, as rows.
fn inmate_rows(cx: &Context, inmates: &[SyntheticInmate], ids: &mut Ids) -> Vec<inmate::Model> {
    let at = instant(cx.as_of, 1);
    inmates
        .iter()
        .map(|p| inmate::Model {
            id: next(&mut ids.inmate),
            facility_id: cx.facility_id,
            register_number: p.register_number.clone(),
            register_class: Some(p.register_class.to_owned()),
            name: p.name.clone(),
            aliases: None,
            sex: Some(if p.sex == Sex::Male { "male" } else { "female" }.to_owned()),
            birth_date: Some(p.birth_date),
            religion: Some(p.religion.to_owned()),
            education: Some(p.education.to_owned()),
            origin_city: None,
            case_article: Some(p.case_article.to_owned()),
            sentence_days: (p.sentence_months > 0)
                .then(|| i32::try_from(p.sentence_months * 30).unwrap_or(i32::MAX)),
            sentence_start: Some(p.sentence_start),
            expected_release: p.expected_release,
            remission_days: i32::try_from(p.remission_days).unwrap_or(0),
            block: Some(format!("Blok {}", p.block)),
            cell: Some(format!("{}-{}", p.block, p.cell)),
            sppn_score: None,
            risk_level: None,
            health_cleared: true,
            disciplinary_flag: false,
            prior_skills: None,
            interests: None,
            custody_status: "in_custody".into(),
            erased_at: None,
            created_at: at,
            updated_at: at,
        })
        .collect()
}

/// What happened to one trainee's place.
pub(super) struct Place {
    pub(super) inmate: usize,
    pub(super) class_end: NaiveDate,
    pub(super) completed: bool,
}

/// Builds every row of one facility. `inmates` is its registry (current population).
pub fn facility_rows(
    cx: &Context,
    inmates: &[SyntheticInmate],
    rng: &mut DeterministicRng,
    ids: &mut Ids,
) -> Result<FacilityRows, bekal_credentials::Error> {
    let mut rows = FacilityRows {
        inmates: inmate_rows(cx, inmates, ids),
        ..FacilityRows::default()
    };
    let at = instant(cx.as_of, 1);
    let trainees_per_year = (inmates.len() * TRAINED_PER_YEAR.0).div_ceil(TRAINED_PER_YEAR.1);
    // Each inmate is assessed at most once in the three years: candidates come off a shuffled
    // queue of the registry.
    let mut queue: Vec<usize> = (0..inmates.len()).collect();
    shuffle(rng, &mut queue);
    let mut queue = queue.into_iter();
    let mut trained = vec![false; inmates.len()];
    let mut places: Vec<Place> = Vec::new();
    let side_by_side = (trainees_per_year.div_ceil(10)).div_ceil(4).max(2);
    for r in 0..side_by_side {
        rows.rooms.push(room::Model {
            id: next(&mut ids.room),
            facility_id: cx.facility_id,
            code: format!("R{}", r + 1),
            name: format!("Ruang Pelatihan {}", r + 1),
            capacity: 10,
            package_codes: None,
            active: true,
            created_at: at,
            updated_at: at,
        });
    }
    let first_room = ids.room - i64::try_from(side_by_side).unwrap_or(0) + 1;
    for year in cx.years.clone() {
        let assessed_on = day(year, 1, 10) + Duration::days(rng.range(0, 14));
        // Two to four packages this year, different each year.
        let mut packages: Vec<usize> = (0..PACKAGES.len()).collect();
        shuffle(rng, &mut packages);
        packages.truncate(usize::try_from(rng.range(2, 4)).unwrap_or(2));
        let wanted = trainees_per_year * ASSESSED_PER_PLACE_TENTHS / 10;
        let candidates: Vec<usize> = queue.by_ref().take(wanted).collect();
        let selection_id = next(&mut ids.selection);
        let approved = instant(day(year, 2, 1), 3);
        rows.selections.push(selection::Model {
            id: selection_id,
            facility_id: cx.facility_id,
            name: format!("Seleksi {year}"),
            status: "approved".into(),
            scoring: serde_json::json!({"preference_bonus": 5, "release_priority": 10}),
            created_by: None,
            approved_by: None,
            approved_at: Some(approved),
            created_at: approved,
            updated_at: approved,
            based_on_selection_id: None,
            revision_reason: None,
        });
        // Assess, score, and select the best per package up to the year's places.
        let mut scored: Vec<(usize, usize, i32)> = Vec::with_capacity(candidates.len());
        for (n, &person) in candidates.iter().enumerate() {
            let package = packages.get(n % packages.len()).copied().unwrap_or(0);
            let score = i32::try_from(rng.range(35, 100)).unwrap_or(0);
            rows.assessments.push(assessment::Model {
                id: next(&mut ids.assessment),
                facility_id: cx.facility_id,
                inmate_id: rows.inmates.get(person).map_or(0, |i| i.id),
                package_id: i64::try_from(package + 1).unwrap_or(0),
                skill_score: Some(score),
                preference_rank: Some(i32::try_from(rng.range(1, 3)).unwrap_or(1)),
                prior_experience: None,
                health_cleared: true,
                security_cleared: true,
                literate: !rng.chance(8),
                sppn_score: None,
                notes: None,
                assessed_by: None,
                assessed_on,
                created_at: instant(assessed_on, 2),
                updated_at: instant(assessed_on, 2),
            });
            scored.push((person, package, score));
        }
        scored.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        let mut selected: Vec<(usize, usize)> = Vec::new();
        for (rank, &(person, package, score)) in scored.iter().enumerate() {
            let decision = if score < 60 {
                "ineligible"
            } else if selected.len() < trainees_per_year {
                selected.push((person, package));
                "selected"
            } else {
                "not_selected"
            };
            rows.entries.push(selection_entry::Model {
                id: next(&mut ids.entry),
                facility_id: cx.facility_id,
                selection_id,
                inmate_id: rows.inmates.get(person).map_or(0, |i| i.id),
                package_id: Some(i64::try_from(package + 1).unwrap_or(0)),
                decision: decision.into(),
                rank: Some(to_i32(rank + 1)),
                score: Some(i64::from(score) * 100),
                pin: None,
                pin_reason: None,
                reasons: serde_json::json!([]),
            });
        }
        let plan_id = next(&mut ids.plan);
        rows.plans.push(plan::Model {
            id: plan_id,
            facility_id: cx.facility_id,
            selection_id: Some(selection_id),
            based_on_plan_id: None,
            name: format!("Rencana {year}"),
            status: "approved".into(),
            horizon_start: day(year, 2, 15),
            stage_days: 60,
            num_stages: 4,
            value: None,
            value_bound: None,
            makespan_stages: None,
            solver: None,
            created_by: None,
            approved_by: None,
            approved_at: Some(approved),
            created_at: approved,
            updated_at: approved,
        });
        // Classes of at most 10 per package; `side_by_side` at a time, stage after stage.
        let mut class_index = 0_usize;
        for &package in &packages {
            let members: Vec<usize> = selected
                .iter()
                .filter(|(_, p)| *p == package)
                .map(|(person, _)| *person)
                .collect();
            for group in members.chunks(10) {
                let stage = class_index / side_by_side;
                let start = working_from(day(year, 2, 15) + Duration::weeks(11 * stage as i64));
                class_places(
                    cx,
                    rng,
                    ids,
                    &mut rows,
                    ClassSpec {
                        year,
                        plan_id,
                        package,
                        stage,
                        start,
                        room_id: first_room
                            + i64::try_from(class_index % side_by_side).unwrap_or(0),
                        members: group,
                    },
                    &mut places,
                )?;
                for &person in group {
                    if let Some(t) = trained.get_mut(person) {
                        *t = true;
                    }
                }
                class_index += 1;
            }
        }
    }
    outcomes::releases(cx, rng, ids, &mut rows, &places, &trained);
    Ok(rows)
}

struct ClassSpec<'a> {
    year: i32,
    plan_id: i64,
    package: usize,
    stage: usize,
    start: NaiveDate,
    room_id: i64,
    members: &'a [usize],
}

/// One class: its sessions, enrolments, attendance, results and certificates.
fn class_places(
    cx: &Context,
    rng: &mut DeterministicRng,
    ids: &mut Ids,
    rows: &mut FacilityRows,
    spec: ClassSpec,
    places: &mut Vec<Place>,
) -> Result<(), bekal_credentials::Error> {
    let (package_code, package_name, _, hours) =
        PACKAGES.get(spec.package).copied().unwrap_or(PACKAGES[0]);
    let planned_days = usize::try_from(hours / SESSION_HOURS).unwrap_or(1);
    // About 2 % of sessions are cancelled; the class runs one working day longer for each.
    let cancelled: Vec<bool> = (0..planned_days).map(|_| rng.chance(2)).collect();
    let extra = cancelled.iter().filter(|c| **c).count();
    let dates = working_days(spec.start, planned_days + extra);
    let end = dates.last().copied().unwrap_or(spec.start);
    let class_id = next(&mut ids.class);
    let at = instant(spec.start - Duration::days(7), 2);
    let status = if end < cx.as_of {
        "finished"
    } else if spec.start <= cx.as_of {
        "running"
    } else {
        "planned"
    };
    let partner_id = i64::try_from(cx.partner + 1).unwrap_or(0);
    rows.classes.push(training_class::Model {
        id: class_id,
        facility_id: cx.facility_id,
        plan_id: spec.plan_id,
        package_id: i64::try_from(spec.package + 1).unwrap_or(0),
        partner_id,
        room_id: Some(spec.room_id),
        code: format!("{}-{}-{class_id}", cx.facility.code, spec.year),
        stage: to_i32(spec.stage + 1),
        start_date: spec.start,
        end_date: end,
        status: status.into(),
        explanation: None,
        created_at: at,
        updated_at: at,
    });
    let trainer = trainer_id(cx.partner, spec.package, usize::from(rng.chance(50)));
    rows.class_trainers.push(class_trainer::Model {
        id: next(&mut ids.class_trainer),
        facility_id: cx.facility_id,
        class_id,
        trainer_id: trainer,
        role: "lead".into(),
        date_from: spec.start,
        date_to: None,
    });
    let mut sessions: Vec<(i64, NaiveDate, bool)> = Vec::with_capacity(dates.len());
    for (n, &date) in dates.iter().enumerate() {
        let is_cancelled = cancelled.get(n).copied().unwrap_or(false);
        let held = !is_cancelled && date <= cx.as_of;
        let id = next(&mut ids.session);
        rows.sessions.push(training_session::Model {
            id,
            facility_id: cx.facility_id,
            class_id,
            date,
            hours_jp: SESSION_HOURS,
            trainer_id: Some(trainer),
            room_id: Some(spec.room_id),
            status: if is_cancelled {
                "cancelled"
            } else if held {
                "held"
            } else {
                "scheduled"
            }
            .into(),
            moved_from: None,
            reason: is_cancelled.then(|| "Instruktur berhalangan".to_owned()),
            sheet_version: i32::from(held),
            attended_hours: 0,
            marked_trainees: 0,
            created_at: at,
            updated_at: instant(date, 9),
        });
        sessions.push((id, date, held));
    }
    let finished = status == "finished";
    for (number, &person) in spec.members.iter().enumerate() {
        let inmate_id = rows.inmates.get(person).map_or(0, |i| i.id);
        let enrolment_id = next(&mut ids.enrolment);
        // Leaving early: on a session after the first, never after the class ended.
        let leaves = rng
            .chance(LEAVING_PERCENT)
            .then(|| {
                let n = usize::try_from(rng.range(1, i64::try_from(dates.len()).unwrap_or(1) - 1))
                    .unwrap_or(1);
                let (state, reason) = *rng.pick(&LEAVING).unwrap_or(&LEAVING[0]);
                (dates.get(n).copied().unwrap_or(end), state, reason)
            })
            .filter(|(on, _, _)| *on <= cx.as_of);
        let mut attended = 0_i32;
        let mut possible = 0_i32;
        for &(session_id, date, held) in &sessions {
            if !held || leaves.is_some_and(|(on, _, _)| date >= on) {
                continue;
            }
            let (status, excuse, hours) = match rng.below(100) {
                0..=85 => ("present", None, SESSION_HOURS),
                86..=89 => ("late", None, SESSION_HOURS - 2),
                90..=95 => ("excused", rng.pick(&["sick", "court", "visit"]).copied(), 0),
                _ => ("absent", None, 0),
            };
            attended += hours;
            possible += SESSION_HOURS;
            if let Some(sheet) = rows.sessions.iter_mut().rev().find(|s| s.id == session_id) {
                sheet.attended_hours += hours;
                sheet.marked_trainees += 1;
            }
            rows.attendance.push(attendance::Model {
                id: next(&mut ids.attendance),
                facility_id: cx.facility_id,
                session_id,
                enrolment_id,
                status: status.into(),
                excuse_kind: excuse.map(str::to_owned),
                excuse_text: None,
                hours_attended: hours,
                recorded_by: None,
                recorded_at: instant(date, 8),
                revision: 1,
            });
        }
        let (state, changed, reason) = match leaves {
            Some((on, state, reason)) => (state, Some(on), Some(reason)),
            None if finished && attended * 100 >= possible * 80 && !rng.chance(4) => {
                ("completed", Some(end), None)
            }
            None if finished => (
                "not_completed",
                Some(end),
                Some("Kehadiran atau unit belum memenuhi"),
            ),
            None => ("enrolled", None, None),
        };
        rows.enrolments.push(enrolment::Model {
            id: enrolment_id,
            facility_id: cx.facility_id,
            class_id,
            inmate_id,
            state: state.into(),
            enrolled_on: spec.start,
            state_changed_on: changed,
            state_reason: reason.map(str::to_owned),
            number_in_class: Some(to_i32(number + 1)),
            created_at: at,
            updated_at: changed.map_or(at, |d| instant(d, 10)),
        });
        if let (Some(on), true) = (changed, state != "enrolled") {
            rows.events.push(enrolment_event::Model {
                id: next(&mut ids.event),
                facility_id: cx.facility_id,
                enrolment_id,
                from_state: Some("enrolled".into()),
                to_state: state.into(),
                effective_on: on,
                reason: reason.map(str::to_owned),
                recorded_by: None,
                recorded_at: instant(on, 10),
            });
        }
        let completed = state == "completed";
        if completed || state == "not_completed" {
            outcomes::unit_results(
                cx,
                rng,
                ids,
                rows,
                enrolment_id,
                spec.package,
                end,
                completed,
            );
        }
        let issued_on = end + Duration::days(7);
        if completed && issued_on <= cx.as_of {
            let holder = rows
                .inmates
                .get(person)
                .map_or("", |i| i.name.as_str())
                .to_owned();
            outcomes::issue(
                cx,
                ids,
                rows,
                enrolment_id,
                &holder,
                (package_code, package_name, hours),
                issued_on,
            )?;
        }
        places.push(Place {
            inmate: person,
            class_end: end,
            completed,
        });
    }
    Ok(())
}
