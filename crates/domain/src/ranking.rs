//! Ranking candidates for a package, configurable as data (stored with a selection round):
//! points = priority(time to release) x (skill score + preference bonus), the planner's own
//! gain, so a waiting list and the plan order people the same way. Ties are broken by the
//! configured tie-breaks in order, then always by register number: the order is total and
//! deterministic whatever the input order.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// One band of the release priority: released within `within_days` of the start gives
/// `priority`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReleaseBand {
    pub within_days: i64,
    pub priority: i64,
}

/// A tie-break, applied in the configured order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    /// Sooner release first.
    EarlierRelease,
    /// Higher skill score first.
    HigherScore,
    /// Higher SPPN score first (unknown last).
    HigherSppn,
    /// Better (lower) preference rank first (none last).
    Preference,
}

/// The scoring of a selection round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RankingConfig {
    /// Points added to the score for the 1st, 2nd, 3rd... choice.
    #[serde(default)]
    pub preference_bonus: Vec<i64>,
    /// Bands by days from the course start to release, checked in order of `within_days`.
    pub release_bands: Vec<ReleaseBand>,
    /// Priority when released after every band.
    pub default_priority: i64,
    #[serde(default)]
    pub tie_breaks: Vec<TieBreak>,
}

impl Default for RankingConfig {
    /// The officers' rule the planner was built with: sooner release is more urgent.
    fn default() -> Self {
        RankingConfig {
            preference_bonus: vec![15, 10, 5],
            release_bands: vec![
                ReleaseBand {
                    within_days: 182,
                    priority: 5,
                },
                ReleaseBand {
                    within_days: 365,
                    priority: 4,
                },
                ReleaseBand {
                    within_days: 730,
                    priority: 3,
                },
                ReleaseBand {
                    within_days: 1461,
                    priority: 2,
                },
            ],
            default_priority: 1,
            tie_breaks: vec![TieBreak::EarlierRelease, TieBreak::HigherScore],
        }
    }
}

impl RankingConfig {
    /// Checks that priorities and bonuses stay in the planner's ranges.
    pub fn validate(&self) -> Result<(), crate::DomainError> {
        let bad = |reason| {
            Err(crate::DomainError::Invalid {
                field: "scoring",
                value: format!("{self:?}"),
                reason,
            })
        };
        let priorities = self
            .release_bands
            .iter()
            .map(|b| b.priority)
            .chain([self.default_priority]);
        if priorities.clone().any(|p| !(0..=1000).contains(&p)) {
            return bad("priorities must be 0-1000");
        }
        if self.preference_bonus.iter().any(|b| !(0..=100).contains(b)) {
            return bad("preference bonuses must be 0-100");
        }
        if self.release_bands.iter().any(|b| b.within_days < 0) {
            return bad("within_days must not be negative");
        }
        Ok(())
    }

    /// The priority of someone released on `release` for a course starting on `start`.
    pub fn priority(&self, start: NaiveDate, release: NaiveDate) -> i64 {
        let days = (release - start).num_days();
        let mut bands = self.release_bands.clone();
        bands.sort_by_key(|b| b.within_days);
        bands
            .iter()
            .find(|b| days <= b.within_days)
            .map_or(self.default_priority, |b| b.priority)
    }

    /// The bonus of a preference rank (1 = first choice).
    pub fn bonus(&self, preference_rank: Option<u32>) -> i64 {
        preference_rank
            .and_then(|r| r.checked_sub(1))
            .and_then(|k| self.preference_bonus.get(k as usize))
            .copied()
            .unwrap_or(0)
    }
}

/// One candidate for a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankInput {
    /// The register number: the final tie-break.
    pub key: String,
    pub score: i32,
    pub preference_rank: Option<u32>,
    pub release: NaiveDate,
    pub sppn: Option<i32>,
}

/// A candidate's place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Ranked {
    pub key: String,
    pub points: i64,
    /// 1 = first.
    pub position: u32,
}

/// Points of one candidate: priority x (score + bonus).
pub fn points(config: &RankingConfig, start: NaiveDate, input: &RankInput) -> i64 {
    config
        .priority(start, input.release)
        .saturating_mul(i64::from(input.score) + config.bonus(input.preference_rank))
}

fn tie(config: &RankingConfig, a: &RankInput, b: &RankInput) -> Ordering {
    for rule in &config.tie_breaks {
        let order = match rule {
            TieBreak::EarlierRelease => a.release.cmp(&b.release),
            TieBreak::HigherScore => b.score.cmp(&a.score),
            TieBreak::HigherSppn => b.sppn.unwrap_or(i32::MIN).cmp(&a.sppn.unwrap_or(i32::MIN)),
            TieBreak::Preference => a
                .preference_rank
                .unwrap_or(u32::MAX)
                .cmp(&b.preference_rank.unwrap_or(u32::MAX)),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    a.key.cmp(&b.key)
}

/// The candidates in rank order, best first.
pub fn rank(config: &RankingConfig, start: NaiveDate, inputs: &[RankInput]) -> Vec<Ranked> {
    let mut scored: Vec<(i64, &RankInput)> = inputs
        .iter()
        .map(|i| (points(config, start, i), i))
        .collect();
    scored.sort_by(|(pa, a), (pb, b)| pb.cmp(pa).then_with(|| tie(config, a, b)));
    scored
        .into_iter()
        .enumerate()
        .map(|(n, (points, input))| Ranked {
            key: input.key.clone(),
            points,
            position: u32::try_from(n + 1).unwrap_or(u32::MAX),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn start() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or(NaiveDate::MIN)
    }

    fn input(key: &str, score: i32, pref: Option<u32>, days: i64) -> RankInput {
        RankInput {
            key: key.into(),
            score,
            preference_rank: pref,
            release: start() + chrono::Duration::days(days),
            sppn: None,
        }
    }

    #[test]
    fn priority_bands_and_bonus() {
        let c = RankingConfig::default();
        let cases = [
            (0, 5),
            (182, 5),
            (183, 4),
            (365, 4),
            (730, 3),
            (1461, 2),
            (1462, 1),
        ];
        for (days, expected) in cases {
            assert_eq!(
                c.priority(start(), start() + chrono::Duration::days(days)),
                expected,
                "{days}"
            );
        }
        assert_eq!(c.bonus(Some(1)), 15);
        assert_eq!(c.bonus(Some(3)), 5);
        assert_eq!(c.bonus(Some(4)), 0);
        assert_eq!(c.bonus(None), 0);
        assert_eq!(c.bonus(Some(0)), 0);
    }

    #[test]
    fn points_then_tie_breaks_then_register_number() {
        let c = RankingConfig::default();
        let list = [
            input("B", 60, None, 100),   // 5 x 60 = 300
            input("A", 60, None, 100),   // 300, same release and score: A before B
            input("C", 45, Some(1), 90), // 5 x 60 = 300, earlier release: first of the three
            input("D", 80, None, 400),   // 3 x 80 = 240
        ];
        let ranked = rank(&c, start(), &list);
        let keys: Vec<_> = ranked.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["C", "A", "B", "D"]);
        assert_eq!(ranked[0].points, 300);
        assert_eq!(ranked[3].position, 4);
        let by_score = RankingConfig {
            tie_breaks: vec![TieBreak::HigherScore],
            ..c
        };
        let keys: Vec<_> = rank(&by_score, start(), &list)
            .into_iter()
            .map(|r| r.key)
            .collect();
        assert_eq!(keys, ["A", "B", "C", "D"]);
    }

    #[test]
    fn bad_configs_are_refused() {
        let mut c = RankingConfig::default();
        assert!(c.validate().is_ok());
        c.default_priority = -1;
        assert!(c.validate().is_err());
        let c = RankingConfig {
            preference_bonus: vec![101],
            ..RankingConfig::default()
        };
        assert!(c.validate().is_err());
    }

    proptest! {
        #[test]
        fn order_does_not_depend_on_input_order(
            people in proptest::collection::vec((0i32..=100, proptest::option::of(1u32..4), 0i64..2000), 1..20),
            rotate in 0usize..20,
        ) {
            let c = RankingConfig::default();
            let list: Vec<RankInput> = people.iter().enumerate()
                .map(|(n, (s, p, d))| input(&format!("R{n:03}"), *s, *p, *d)).collect();
            let mut shuffled = list.clone();
            let by = rotate % shuffled.len();
            shuffled.rotate_left(by);
            shuffled.reverse();
            let a = rank(&c, start(), &list);
            let b = rank(&c, start(), &shuffled);
            prop_assert_eq!(&a, &b);
            prop_assert!(a.windows(2).all(|w| w[0].points >= w[1].points));
        }
    }
}
