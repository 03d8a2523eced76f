//! Eligibility rules of a package, as data: each rule is a kind with parameters (stored as the
//! `eligibility_rules` row's `kind` and `parameters`), and [`evaluate`] says, for one inmate and
//! one course, every rule that fails with its reason in Indonesian and English. Pure: the
//! course start comes in as a date, never from the wall clock.

use crate::pembinaan::{PembinaanDates, PembinaanStage};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A yes/no fact about an inmate that a rule can require or block.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// Health clearance for the trade (e.g. welding).
    HealthCleared,
    /// Security clearance from screening.
    SecurityCleared,
    /// Can read and write.
    Literate,
    /// A recent disciplinary record.
    DisciplinaryRecord,
}

impl Flag {
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Flag::HealthCleared => ("lolos pemeriksaan kesehatan", "health clearance"),
            Flag::SecurityCleared => ("lolos penilaian keamanan", "security clearance"),
            Flag::Literate => ("bisa baca tulis", "literacy"),
            Flag::DisciplinaryRecord => ("catatan pelanggaran disiplin", "a disciplinary record"),
        }
    }
}

crate::text_enum! {
    /// A level of schooling a rule can ask for, lowest first (SMA and SMK are one level).
    EducationLevel, "education level" {
        /// SD / MI / Paket A.
        Primary = "primary",
        /// SMP / MTs / Paket B.
        JuniorSecondary = "junior_secondary",
        /// SMA / SMK / MA / Paket C.
        SeniorSecondary = "senior_secondary",
        /// D1 to D4.
        Diploma = "diploma",
        /// S1 and above.
        Bachelor = "bachelor",
    }
}

impl EducationLevel {
    /// The level as people in Indonesia name it.
    pub fn label(self) -> &'static str {
        match self {
            EducationLevel::Primary => "SD",
            EducationLevel::JuniorSecondary => "SMP",
            EducationLevel::SeniorSecondary => "SMA/SMK",
            EducationLevel::Diploma => "D1-D4",
            EducationLevel::Bachelor => "S1",
        }
    }

    /// The level an inmate record's education text reaches (`SD`, `SMP`, `SMA`, `SMK`,
    /// `D3`, `S1`, ... as the import writes them, or common spellings such as `D-III`, `S-1`,
    /// `SMA/SMK`, `SD Sederajat`, `Tamat SD`); `Some(None)` for no finished schooling, `None`
    /// when the text is not understood (a lone `-` included: it means "not filled in").
    pub fn of_record(text: &str) -> Option<Option<EducationLevel>> {
        let mut t: String = text
            .trim()
            .to_ascii_uppercase()
            .chars()
            .filter(|c| !matches!(c, '.' | ' ' | '-' | '/' | '_'))
            .collect();
        for suffix in ["SEDERAJAT", "ATAUSEDERAJAT"] {
            if let Some(stem) = t.strip_suffix(suffix) {
                t = stem.to_owned();
            }
        }
        let level = match t.as_str() {
            "TIDAKSEKOLAH" | "BELUMSEKOLAH" | "TIDAKTAMATSD" | "BELUMTAMATSD"
            | "TIDAKPERNAHSEKOLAH" => None,
            "SD" | "MI" | "PAKETA" | "SEKOLAHDASAR" | "TAMATSD" => Some(EducationLevel::Primary),
            "SMP" | "MTS" | "SLTP" | "PAKETB" | "TAMATSMP" => Some(EducationLevel::JuniorSecondary),
            "SMA" | "SMK" | "MA" | "SLTA" | "STM" | "PAKETC" | "SMU" | "SMASMK" | "TAMATSMA" => {
                Some(EducationLevel::SeniorSecondary)
            }
            "D1" | "D2" | "D3" | "D4" | "DI" | "DII" | "DIII" | "DIV" | "DIPLOMA" => {
                Some(EducationLevel::Diploma)
            }
            "S1" | "S2" | "S3" | "SARJANA" | "MAGISTER" | "DOKTOR" => {
                Some(EducationLevel::Bachelor)
            }
            _ => return None,
        };
        Some(level)
    }
}

fn stage_words(stage: PembinaanStage) -> (&'static str, &'static str) {
    match stage {
        PembinaanStage::Initial => ("tahap awal", "the initial stage"),
        PembinaanStage::AdvancedOne => ("tahap lanjutan I", "advanced stage I"),
        PembinaanStage::AdvancedTwo => ("tahap lanjutan II", "advanced stage II"),
        PembinaanStage::Final => ("tahap akhir", "the final stage"),
        PembinaanStage::Released => ("sudah bebas", "released"),
    }
}

/// What a rule checks, with its parameters. Serialised with a `kind` tag, so the stored
/// `parameters` object is the rest of the fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RuleKind {
    /// Skill test score for the package at least `min` (0-100).
    MinScore { min: i32 },
    /// The flag must be set.
    RequiredFlag { flag: Flag },
    /// The flag must not be set.
    BlockedFlag { flag: Flag },
    /// At least `years` old on the first day of the course.
    MinAge { years: u32 },
    /// SPPN score at least `min`.
    MinSppn { min: i32 },
    /// The expected release falls at least `margin_days` after the course would end
    /// (start + duration, in calendar days): training must end before release.
    ReleaseAfterCourse { margin_days: i64 },
    /// Schooling finished to at least `level`.
    MinEducation { level: EducationLevel },
    /// On the first day of the course, at least this far into the pembinaan of the sentence
    /// (1/3 for advanced stage I, ...), and not released.
    MinStage { stage: PembinaanStage },
}

impl RuleKind {
    /// The stable code of the kind (`min_score`, ...), the `kind` column.
    pub fn code(&self) -> &'static str {
        match self {
            RuleKind::MinScore { .. } => "min_score",
            RuleKind::RequiredFlag { .. } => "required_flag",
            RuleKind::BlockedFlag { .. } => "blocked_flag",
            RuleKind::MinAge { .. } => "min_age",
            RuleKind::MinSppn { .. } => "min_sppn",
            RuleKind::ReleaseAfterCourse { .. } => "release_after_course",
            RuleKind::MinEducation { .. } => "min_education",
            RuleKind::MinStage { .. } => "min_stage",
        }
    }

    /// Checks the parameters' ranges.
    pub fn validate(&self) -> Result<(), crate::DomainError> {
        let bad = |reason| {
            Err(crate::DomainError::Invalid {
                field: "parameters",
                value: format!("{self:?}"),
                reason,
            })
        };
        match self {
            RuleKind::MinScore { min } if !(0..=100).contains(min) => bad("min must be 0-100"),
            RuleKind::MinAge { years } if *years > 100 => bad("years must be at most 100"),
            RuleKind::ReleaseAfterCourse { margin_days } if !(0..=3650).contains(margin_days) => {
                bad("margin_days must be 0-3650")
            }
            RuleKind::MinStage {
                stage: PembinaanStage::Released,
            } => bad("stage must be one before release"),
            _ => Ok(()),
        }
    }
}

/// A rule as stored: its row id (when stored) and what it checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rule {
    pub id: Option<i64>,
    #[serde(flatten)]
    pub kind: RuleKind,
}

/// What the rules look at, for one inmate and one package.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facts {
    pub skill_score: Option<i32>,
    pub sppn_score: Option<i32>,
    pub birth_date: Option<NaiveDate>,
    pub expected_release: Option<NaiveDate>,
    pub flags: BTreeSet<Flag>,
    /// The education text of the inmate record (`SMP`, ...), as stored.
    pub education: Option<String>,
    /// The milestones of the sentence, when its start and release are known.
    pub pembinaan: Option<PembinaanDates>,
}

/// The course the inmate would join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Course {
    pub start: NaiveDate,
    pub duration_days: u32,
}

/// One failed rule, citing the rule (id and kind) with the reason in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Failure {
    pub rule_id: Option<i64>,
    pub code: String,
    pub id: String,
    pub en: String,
}

/// Whole years from `birth` to `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

fn check(kind: &RuleKind, facts: &Facts, course: &Course) -> Option<(String, String)> {
    match kind {
        RuleKind::MinScore { min } => match facts.skill_score {
            None => Some((
                "belum ada nilai uji keterampilan untuk paket ini".into(),
                "no skill test score for this package".into(),
            )),
            Some(s) if s < *min => Some((
                format!("nilai uji keterampilan {s} di bawah batas minimum {min}"),
                format!("skill test score {s} is below the minimum {min}"),
            )),
            Some(_) => None,
        },
        RuleKind::RequiredFlag { flag } => (!facts.flags.contains(flag)).then(|| {
            let (id, en) = flag.words();
            (
                format!("syarat belum terpenuhi: {id}"),
                format!("required: {en}"),
            )
        }),
        RuleKind::BlockedFlag { flag } => facts.flags.contains(flag).then(|| {
            let (id, en) = flag.words();
            (
                format!("tidak boleh ada: {id}"),
                format!("must not have {en}"),
            )
        }),
        RuleKind::MinAge { years } => {
            let Some(birth) = facts.birth_date else {
                return Some((
                    "tanggal lahir tidak diketahui".into(),
                    "date of birth unknown".into(),
                ));
            };
            let age = age_on(birth, course.start);
            (i64::from(age) < i64::from(*years)).then(|| {
                (
                    format!("usia {age} tahun saat pelatihan dimulai, minimum {years}"),
                    format!("aged {age} when the course starts, minimum {years}"),
                )
            })
        }
        RuleKind::MinSppn { min } => match facts.sppn_score {
            None => Some(("nilai SPPN belum ada".into(), "no SPPN score".into())),
            Some(s) if s < *min => Some((
                format!("nilai SPPN {s} di bawah batas minimum {min}"),
                format!("SPPN score {s} is below the minimum {min}"),
            )),
            Some(_) => None,
        },
        RuleKind::ReleaseAfterCourse { margin_days } => {
            let Some(release) = facts.expected_release else {
                return Some((
                    "belum ada tanggal ekspirasi".into(),
                    "no expected release date".into(),
                ));
            };
            let needed = course
                .start
                .checked_add_signed(chrono::Duration::days(
                    i64::from(course.duration_days) + margin_days,
                ))
                .unwrap_or(NaiveDate::MAX);
            (release < needed).then(|| {
                (
                    format!(
                        "bebas {release}, sebelum {needed} (akhir pelatihan + {margin_days} hari)"
                    ),
                    format!(
                        "released on {release}, before {needed} (course end + {margin_days} days)"
                    ),
                )
            })
        }
        RuleKind::MinEducation { level } => {
            let Some(text) = facts.education.as_deref().filter(|t| !t.trim().is_empty()) else {
                return Some((
                    "pendidikan terakhir tidak diketahui".into(),
                    "education unknown".into(),
                ));
            };
            match EducationLevel::of_record(text) {
                None => Some((
                    format!("pendidikan \"{text}\" tidak dikenali"),
                    format!("education \"{text}\" not understood"),
                )),
                Some(reached) if reached < Some(*level) => Some((
                    format!("pendidikan {text}, minimum {}", level.label()),
                    format!("education {text}, minimum {}", level.label()),
                )),
                Some(_) => None,
            }
        }
        RuleKind::MinStage { stage } => {
            let Some(dates) = facts.pembinaan else {
                return Some((
                    "tahap pembinaan tidak diketahui (awal pidana atau tanggal ekspirasi kosong)"
                        .into(),
                    "pembinaan stage unknown (no sentence start or release date)".into(),
                ));
            };
            let on_start = dates.stage_on(course.start);
            let (want_id, want_en) = stage_words(*stage);
            let (id, en) = stage_words(on_start);
            if on_start == PembinaanStage::Released {
                Some((
                    "sudah bebas saat pelatihan dimulai".into(),
                    "already released when the course starts".into(),
                ))
            } else {
                (on_start < *stage).then(|| {
                    (
                        format!("saat pelatihan dimulai masih {id}, minimum {want_id}"),
                        format!("in {en} when the course starts, minimum {want_en}"),
                    )
                })
            }
        }
    }
}

/// Every rule that fails for these facts and this course, in the rules' order. Empty means
/// eligible.
pub fn evaluate(rules: &[Rule], facts: &Facts, course: &Course) -> Vec<Failure> {
    rules
        .iter()
        .filter_map(|rule| {
            check(&rule.kind, facts, course).map(|(id, en)| Failure {
                rule_id: rule.id,
                code: rule.kind.code().to_owned(),
                id,
                en,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    fn course() -> Course {
        Course {
            start: day(2026, 12, 7),
            duration_days: 18,
        }
    }

    fn rule(kind: RuleKind) -> Rule {
        Rule { id: Some(7), kind }
    }

    fn facts() -> Facts {
        Facts {
            skill_score: Some(70),
            sppn_score: Some(60),
            birth_date: Some(day(1990, 6, 1)),
            expected_release: Some(day(2027, 6, 1)),
            flags: [Flag::HealthCleared, Flag::SecurityCleared].into(),
            education: Some("SMP".into()),
            // A sentence from 2025-12-01 to 2027-06-01 (547 days): 1/3 on 2026-06-01, 1/2 on
            // 2026-08-31, 2/3 on 2026-11-30; the course starts on 2026-12-07 (final stage).
            pembinaan: PembinaanDates::compute(day(2025, 12, 1), day(2027, 6, 1)),
        }
    }

    #[test]
    fn table_of_rules() {
        use RuleKind::*;
        let release = |d: NaiveDate| Facts {
            expected_release: Some(d),
            ..facts()
        };
        let cases: Vec<(RuleKind, Facts, Option<&str>)> = vec![
            (MinScore { min: 70 }, facts(), None),
            (MinScore { min: 71 }, facts(), Some("below the minimum 71")),
            (
                MinScore { min: 0 },
                Facts {
                    skill_score: None,
                    ..facts()
                },
                Some("no skill test score"),
            ),
            (
                RequiredFlag {
                    flag: Flag::HealthCleared,
                },
                facts(),
                None,
            ),
            (
                RequiredFlag {
                    flag: Flag::Literate,
                },
                facts(),
                Some("required: literacy"),
            ),
            (
                BlockedFlag {
                    flag: Flag::DisciplinaryRecord,
                },
                facts(),
                None,
            ),
            (
                BlockedFlag {
                    flag: Flag::DisciplinaryRecord,
                },
                Facts {
                    flags: [Flag::DisciplinaryRecord].into(),
                    ..facts()
                },
                Some("must not have a disciplinary record"),
            ),
            (MinAge { years: 36 }, facts(), None),
            (MinAge { years: 37 }, facts(), Some("aged 36")),
            (
                MinAge { years: 18 },
                Facts {
                    birth_date: Some(day(2008, 12, 8)),
                    ..facts()
                },
                Some("aged 17"),
            ),
            (
                MinAge { years: 18 },
                Facts {
                    birth_date: Some(day(2008, 12, 7)),
                    ..facts()
                },
                None,
            ),
            (MinSppn { min: 60 }, facts(), None),
            (MinSppn { min: 61 }, facts(), Some("SPPN score 60")),
            // the course ends on 2026-12-25 (7 Dec + 18 days)
            (
                ReleaseAfterCourse { margin_days: 0 },
                release(day(2026, 12, 25)),
                None,
            ),
            (
                ReleaseAfterCourse { margin_days: 0 },
                release(day(2026, 12, 24)),
                Some("released on 2026-12-24"),
            ),
            (
                ReleaseAfterCourse { margin_days: 30 },
                release(day(2027, 1, 23)),
                Some("course end + 30 days"),
            ),
            (
                ReleaseAfterCourse { margin_days: 30 },
                release(day(2027, 1, 24)),
                None,
            ),
            (
                ReleaseAfterCourse { margin_days: 0 },
                Facts {
                    expected_release: None,
                    ..facts()
                },
                Some("no expected release date"),
            ),
            (
                MinEducation {
                    level: EducationLevel::JuniorSecondary,
                },
                facts(),
                None,
            ),
            (
                MinEducation {
                    level: EducationLevel::SeniorSecondary,
                },
                facts(),
                Some("education SMP, minimum SMA/SMK"),
            ),
            (
                MinEducation {
                    level: EducationLevel::SeniorSecondary,
                },
                Facts {
                    education: Some("smk".into()),
                    ..facts()
                },
                None,
            ),
            (
                MinEducation {
                    level: EducationLevel::Primary,
                },
                Facts {
                    education: Some("Tidak tamat SD".into()),
                    ..facts()
                },
                Some("minimum SD"),
            ),
            (
                MinEducation {
                    level: EducationLevel::Primary,
                },
                Facts {
                    education: None,
                    ..facts()
                },
                Some("education unknown"),
            ),
            (
                MinEducation {
                    level: EducationLevel::Primary,
                },
                Facts {
                    education: Some("pesantren".into()),
                    ..facts()
                },
                Some("not understood"),
            ),
            (
                MinStage {
                    stage: PembinaanStage::AdvancedOne,
                },
                facts(),
                None,
            ),
            (
                MinStage {
                    stage: PembinaanStage::AdvancedOne,
                },
                Facts {
                    pembinaan: PembinaanDates::compute(day(2026, 6, 1), day(2028, 6, 1)),
                    ..facts()
                },
                Some("in the initial stage when the course starts, minimum advanced stage I"),
            ),
            (
                MinStage {
                    stage: PembinaanStage::Initial,
                },
                Facts {
                    pembinaan: PembinaanDates::compute(day(2025, 1, 1), day(2026, 12, 1)),
                    ..facts()
                },
                Some("already released"),
            ),
            (
                MinStage {
                    stage: PembinaanStage::Initial,
                },
                Facts {
                    pembinaan: None,
                    ..facts()
                },
                Some("pembinaan stage unknown"),
            ),
        ];
        for (kind, facts, expected) in cases {
            let failures = evaluate(&[rule(kind.clone())], &facts, &course());
            match expected {
                None => assert!(failures.is_empty(), "{kind:?}: {failures:?}"),
                Some(text) => {
                    assert_eq!(failures.len(), 1, "{kind:?}");
                    assert_eq!(failures[0].rule_id, Some(7));
                    assert_eq!(failures[0].code, kind.code());
                    assert!(failures[0].en.contains(text), "{kind:?}: {:?}", failures[0]);
                    assert!(!failures[0].id.is_empty());
                }
            }
        }
    }

    #[test]
    fn every_failed_rule_is_reported_in_order() {
        let rules = [
            rule(RuleKind::MinScore { min: 90 }),
            Rule {
                id: Some(8),
                kind: RuleKind::RequiredFlag {
                    flag: Flag::Literate,
                },
            },
            rule(RuleKind::MinSppn { min: 10 }),
        ];
        let failures = evaluate(&rules, &facts(), &course());
        let codes: Vec<_> = failures
            .iter()
            .map(|f| (f.rule_id, f.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![(Some(7), "min_score"), (Some(8), "required_flag")]
        );
    }

    #[test]
    fn stored_form_round_trips_and_is_checked() {
        let kind: RuleKind =
            serde_json::from_str(r#"{"kind":"required_flag","flag":"health_cleared"}"#)
                .unwrap_or(RuleKind::MinScore { min: -1 });
        assert_eq!(
            kind,
            RuleKind::RequiredFlag {
                flag: Flag::HealthCleared
            }
        );
        assert!(serde_json::from_str::<RuleKind>(r#"{"kind":"min_score","min":5,"x":1}"#).is_err());
        assert!(RuleKind::MinScore { min: 101 }.validate().is_err());
        assert!(RuleKind::MinScore { min: 100 }.validate().is_ok());
        let stage: RuleKind = serde_json::from_str(r#"{"kind":"min_stage","stage":"advanced_1"}"#)
            .unwrap_or(RuleKind::MinScore { min: -1 });
        assert_eq!(
            stage,
            RuleKind::MinStage {
                stage: PembinaanStage::AdvancedOne
            }
        );
        let school: RuleKind =
            serde_json::from_str(r#"{"kind":"min_education","level":"junior_secondary"}"#)
                .unwrap_or(RuleKind::MinScore { min: -1 });
        assert_eq!(
            school,
            RuleKind::MinEducation {
                level: EducationLevel::JuniorSecondary
            }
        );
        assert!(
            RuleKind::MinStage {
                stage: PembinaanStage::Released
            }
            .validate()
            .is_err()
        );
    }

    #[test]
    fn education_texts_of_the_import_have_a_level() {
        for (text, level) in [
            ("Tidak sekolah", None),
            ("Tidak tamat SD", None),
            ("SD", Some(EducationLevel::Primary)),
            ("SMP", Some(EducationLevel::JuniorSecondary)),
            ("SMA", Some(EducationLevel::SeniorSecondary)),
            ("SMK", Some(EducationLevel::SeniorSecondary)),
            ("D3", Some(EducationLevel::Diploma)),
            ("S1", Some(EducationLevel::Bachelor)),
            ("S3", Some(EducationLevel::Bachelor)),
        ] {
            assert_eq!(EducationLevel::of_record(text), Some(level), "{text}");
        }
        for (text, level) in [
            ("D-III", EducationLevel::Diploma),
            ("S-1", EducationLevel::Bachelor),
            ("SMA/SMK", EducationLevel::SeniorSecondary),
            ("SD/Sederajat", EducationLevel::Primary),
            ("smp sederajat", EducationLevel::JuniorSecondary),
            ("Tamat SD", EducationLevel::Primary),
        ] {
            assert_eq!(EducationLevel::of_record(text), Some(Some(level)), "{text}");
        }
        assert_eq!(EducationLevel::of_record("Belum tamat SD"), Some(None));
        assert_eq!(EducationLevel::of_record("pesantren"), None);
        assert_eq!(EducationLevel::of_record("-"), None, "not filled in");
    }

    proptest! {
        #[test]
        fn min_score_fails_exactly_below_the_minimum(score in 0i32..=100, min in 0i32..=100) {
            let f = Facts { skill_score: Some(score), ..facts() };
            let failed = !evaluate(&[rule(RuleKind::MinScore { min })], &f, &course()).is_empty();
            prop_assert_eq!(failed, score < min);
        }

        #[test]
        fn release_rule_is_monotone_in_the_release_date(offset in -400i64..400, margin in 0i64..200) {
            let c = course();
            let release = c.start + chrono::Duration::days(offset);
            let later = release + chrono::Duration::days(1);
            let r = [rule(RuleKind::ReleaseAfterCourse { margin_days: margin })];
            let fails = |d| !evaluate(&r, &Facts { expected_release: Some(d), ..facts() }, &c).is_empty();
            prop_assert_eq!(fails(release), offset < i64::from(c.duration_days) + margin);
            prop_assert!(!fails(release) || fails(release) >= fails(later));
        }
    }
}
