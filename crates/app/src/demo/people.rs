//! The demo's 253 synthetic inmates. Distributions follow what a Lapas of this class holds
//! (mostly convicts serving over a year, some short sentences, a few detainees); names are
//! generated and belong to nobody.

use super::timeline::ProgrammeTimeline;
use crate::inmates::InmateRecord;
use bekal_domain::codes::RegisterNumber;
use bekal_domain::names::synthetic_name;
use bekal_domain::rng::DeterministicRng;
use bekal_domain::status::Sex;
use chrono::{Datelike, Duration, NaiveDate};

/// Inmates in the demo facility (the Pekalongan case).
pub const DEMO_INMATES: usize = 253;

const CITIES: &[&str] = &[
    "Kota Pekalongan",
    "Kab. Pekalongan",
    "Batang",
    "Pemalang",
    "Tegal",
    "Brebes",
    "Kendal",
    "Semarang",
];
const CASES: &[&str] = &[
    "Pasal 362 KUHP (pencurian)",
    "Pasal 363 KUHP (pencurian dengan pemberatan)",
    "Pasal 114 UU 35/2009 (narkotika)",
    "Pasal 112 UU 35/2009 (narkotika)",
    "Pasal 378 KUHP (penipuan)",
    "Pasal 372 KUHP (penggelapan)",
    "Pasal 351 KUHP (penganiayaan)",
    "Pasal 303 KUHP (perjudian)",
];
const RELIGIONS: &[(&str, u64)] = &[
    ("Islam", 90),
    ("Kristen", 5),
    ("Katolik", 3),
    ("Buddha", 1),
    ("Hindu", 1),
];
const EDUCATION: &[(&str, u64)] = &[
    ("SD", 25),
    ("SMP", 30),
    ("SMA/SMK", 38),
    ("D3", 3),
    ("S1", 4),
];
const SKILLS: &[&str] = &[
    "menjahit",
    "membatik",
    "pangkas rambut",
    "servis AC",
    "bengkel motor",
    "las",
    "bertani",
    "berdagang",
    "buruh bangunan",
];

fn weighted<'a>(rng: &mut DeterministicRng, items: &[(&'a str, u64)]) -> &'a str {
    let weights: Vec<u64> = items.iter().map(|(_, w)| *w).collect();
    rng.weighted(&weights)
        .and_then(|i| items.get(i))
        .map_or("", |(name, _)| *name)
}

/// The demo's inmates, deterministic for a seed and a day.
pub fn inmates(seed: u64, today: NaiveDate, timeline: &ProgrammeTimeline) -> Vec<InmateRecord> {
    let mut rng = DeterministicRng::new(seed);
    let programme_end = timeline.stages.last().map_or(today, |(_, end)| *end);
    (1..=DEMO_INMATES)
        .map(|n| {
            let (class, sentence_days) = match rng.below(100) {
                0..=79 => ("B.I", rng.range(400, 3650)),
                80..=89 => ("B.IIa", rng.range(95, 365)),
                90..=92 => ("B.IIb", rng.range(30, 90)),
                93..=95 => ("A.II", 0),
                _ => ("A.III", 0),
            };
            let sex = if rng.chance(4) {
                Sex::Female
            } else {
                Sex::Male
            };
            let name = synthetic_name(&mut rng, sex);
            let age_days = rng.range(19 * 365, 58 * 365);
            let birth_date = today - Duration::days(age_days);
            let served = if sentence_days > 0 {
                rng.range(20, sentence_days - 10)
            } else {
                rng.range(10, 120)
            };
            let sentence_start = today - Duration::days(served);
            let remission_days = if class == "B.I" {
                i32::try_from(rng.range(0, 120)).unwrap_or(0)
            } else {
                0
            };
            let expected_release = (sentence_days > 0).then(|| {
                let release =
                    sentence_start + Duration::days(sentence_days - i64::from(remission_days));
                // Keep every sentenced inmate in custody on `today`.
                release.max(today + Duration::days(rng.range(5, 40)))
            });
            let year = sentence_start.year() % 100;
            let register =
                RegisterNumber::parse(&format!("{}.{:03}/{:02}", class.replace('.', ""), n, year));
            let skill = rng.pick(SKILLS).copied().unwrap_or("-");
            let interest = rng.pick(SKILLS).copied().unwrap_or("-");
            let block = ["A", "B", "C", "D"][usize::try_from(rng.below(4)).unwrap_or(0)];
            InmateRecord {
                register_number: register.ok(),
                register_class: Some(class.to_owned()),
                name,
                aliases: rng.chance(5).then(|| "alias tercatat".to_owned()),
                sex: Some(sex),
                birth_date: Some(birth_date),
                religion: Some(weighted(&mut rng, RELIGIONS).to_owned()),
                education: Some(weighted(&mut rng, EDUCATION).to_owned()),
                origin_city: rng.pick(CITIES).map(|c| (*c).to_owned()),
                case_article: rng.pick(CASES).map(|c| (*c).to_owned()),
                sentence_days: i32::try_from(sentence_days).ok().filter(|d| *d > 0),
                sentence_start: Some(sentence_start),
                expected_release,
                remission_days,
                block: Some(format!("Blok {block}")),
                cell: Some(format!("{block}-{}", rng.range(1, 12))),
                sppn_score: Some(i32::try_from(rng.range(45, 95)).unwrap_or(60)),
                risk_level: Some(
                    ["rendah", "rendah", "sedang", "tinggi"]
                        [usize::try_from(rng.below(4)).unwrap_or(0)]
                    .to_owned(),
                ),
                health_cleared: rng.chance(88),
                prior_skills: Some(skill.to_owned()),
                interests: Some(if programme_end > today {
                    interest.to_owned()
                } else {
                    skill.to_owned()
                }),
            }
        })
        .collect()
}

/// Intake assessments for the demo: about three in five inmates were assessed, each for one to
/// three packages, with a skill score, a preference order and clearances.
pub fn assessments(
    seed: u64,
    inmates: &[bekal_store::entity::inmate::Model],
    packages: &[bekal_store::entity::package::Model],
    assessed_on: NaiveDate,
) -> Vec<crate::assessments::AssessmentInput> {
    let mut rng = DeterministicRng::new(seed ^ 0xA55E_55ED);
    let mut inputs = Vec::new();
    for person in inmates {
        if person.expected_release.is_none() || !rng.chance(62) {
            continue;
        }
        let wanted = usize::try_from(rng.range(1, 3)).unwrap_or(1);
        let mut chosen: Vec<&bekal_store::entity::package::Model> = Vec::new();
        while chosen.len() < wanted.min(packages.len()) {
            if let Some(package) = rng.pick(packages)
                && !chosen.iter().any(|c| c.id == package.id)
            {
                chosen.push(package);
            }
        }
        let security_cleared = rng.chance(90);
        let literate = rng.chance(85);
        for (rank, package) in chosen.iter().enumerate() {
            let experienced = person
                .prior_skills
                .as_deref()
                .is_some_and(|s| s.to_lowercase().contains(&package.name.to_lowercase()));
            let base = if experienced { 60 } else { 35 };
            inputs.push(crate::assessments::AssessmentInput {
                inmate_id: person.id,
                package_id: package.id,
                skill_score: i32::try_from(rng.range(base, 95)).ok(),
                preference_rank: i32::try_from(rank + 1).ok(),
                prior_experience: experienced.then(|| "pernah bekerja di bidang ini".to_owned()),
                health_cleared: person.health_cleared,
                security_cleared,
                literate,
                sppn_score: person.sppn_score,
                assessed_on,
                notes: None,
            });
        }
    }
    inputs
}

#[cfg(test)]
mod tests {
    use super::*;
    use bekal_domain::calendar::TrainingCalendar;

    #[test]
    fn demo_people_are_deterministic_and_valid() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let timeline = ProgrammeTimeline::around(&TrainingCalendar::default(), today);
        let a = inmates(1, today, &timeline);
        let b = inmates(1, today, &timeline);
        assert_eq!(a, b);
        assert_eq!(a.len(), DEMO_INMATES);
        let numbers: std::collections::HashSet<_> =
            a.iter().map(|r| r.register_number.clone()).collect();
        assert_eq!(numbers.len(), DEMO_INMATES, "register numbers are unique");
        for record in &a {
            assert!(record.register_number.is_some());
            if let (Some(start), Some(release)) = (record.sentence_start, record.expected_release) {
                assert!(release > start);
                assert!(release > today);
            }
        }
    }
}
