//! Robustness: random facilities with extreme shapes (no stages, no rooms, no trainers, K > 1,
//! long packages, holidays, tiny caps) must never panic, and every plan must pass our checker.
//! Random JSON edits of a real instance must parse or fail cleanly.

mod common;

use std::time::Duration;

use bekal_planner::model::{
    CalendarSpec, Candidate, Facility, INSTANCE_FORMAT, Instance, Package, Room, Rules, Trainer,
};
use bekal_planner::search::Rng;
use bekal_planner::{SolveOptions, check_solution, parse_instance, solve};
use proptest::prelude::*;

fn date(offset: u64) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(2024, 2, 26).unwrap_or_default()
        + chrono::Duration::days(offset as i64);
    d.format("%Y-%m-%d").to_string()
}

fn facility(r: &mut Rng, id: usize) -> Facility {
    let stages = r.below(6) as i64;
    let n_p = r.below(5);
    let skills = ["X", "Y", "Z"];
    let packages: Vec<Package> = (0..n_p)
        .map(|k| {
            let cap = 1 + r.below(12) as i64;
            Package {
                id: format!("P{k}"),
                name: String::new(),
                duration_days: 1 + r.below(40) as i64,
                capacity: cap,
                min_size: r.below(cap as usize + 1) as i64,
                max_classes: if r.below(3) == 0 {
                    Some(r.below(4) as i64)
                } else {
                    None
                },
                min_score: r.below(80) as i64,
                required_flags: if r.below(4) == 0 {
                    vec!["a".into()]
                } else {
                    vec![]
                },
                skill: skills[r.below(3)].into(),
                class_cost: r.below(200) as i64,
            }
        })
        .collect();
    let rooms: Vec<Room> = (0..r.below(4))
        .map(|k| Room {
            id: format!("R{k}"),
            packages: if r.below(2) == 0 || n_p == 0 {
                None
            } else {
                Some(vec![format!("P{}", r.below(n_p))])
            },
        })
        .collect();
    let trainers: Vec<Trainer> = (0..r.below(4))
        .map(|k| Trainer {
            id: format!("T{k}"),
            skills: (0..3)
                .filter(|_| r.below(2) == 0)
                .map(|x| skills[x].to_string())
                .collect(),
            unavailable: (0..r.below(3))
                .map(|_| {
                    let a = r.below(60) as u64;
                    (date(a), date(a + r.below(10) as u64))
                })
                .collect(),
            max_classes: if r.below(3) == 0 {
                Some(r.below(3) as i64)
            } else {
                None
            },
        })
        .collect();
    let n_c = r.below(40);
    let candidates: Vec<Candidate> = (0..n_c)
        .map(|k| {
            let mut scores = std::collections::BTreeMap::new();
            for p in 0..n_p {
                if r.below(3) != 0 {
                    scores.insert(format!("P{p}"), r.below(101) as i64);
                }
            }
            Candidate {
                id: format!("F{id}-C{k}"),
                release_date: date(r.below(200) as u64),
                priority: r.below(6) as i64,
                flags: if r.below(4) == 0 {
                    vec![]
                } else {
                    vec!["a".into(), "b".into()]
                },
                scores,
                prefs: if n_p > 0 && r.below(2) == 0 {
                    vec![format!("P{}", r.below(n_p))]
                } else {
                    vec![]
                },
            }
        })
        .collect();
    let mut conflicts = Vec::new();
    for _ in 0..r.below(6) {
        if n_c >= 2 {
            let a = r.below(n_c);
            let b = r.below(n_c);
            if a != b {
                conflicts.push((format!("F{id}-C{a}"), format!("F{id}-C{b}")));
            }
        }
    }
    Facility {
        id: format!("F{id}"),
        calendar: CalendarSpec {
            horizon_start: date(r.below(7) as u64),
            stage_days: 1 + r.below(12) as i64,
            num_stages: stages,
            working_weekdays: if r.below(2) == 0 {
                vec![1, 2, 3, 4, 5]
            } else {
                vec![1, 3, 6, 7]
            },
            holidays: (0..r.below(4)).map(|_| date(r.below(40) as u64)).collect(),
        },
        rules: Rules {
            max_packages_per_candidate: 1 + r.below(3) as i64,
            max_selected: if r.below(2) == 0 {
                Some(r.below(12) as i64)
            } else {
                None
            },
            preference_bonus: vec![15, 10, 5],
            required_flags: if r.below(3) == 0 {
                vec!["b".into()]
            } else {
                vec![]
            },
        },
        packages,
        rooms,
        trainers,
        candidates,
        conflicts,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn random_facilities_never_panic(seed in any::<u64>()) {
        let mut r = Rng::new(seed);
        let n_f = r.below(4);
        let inst = Instance {
            format: INSTANCE_FORMAT.into(),
            name: "robust".into(),
            seed: None,
            facilities: (0..n_f).map(|k| facility(&mut r, k)).collect(),
        };
        let text = serde_json::to_string(&inst).unwrap_or_default();
        let inst = parse_instance(&text);
        prop_assert!(inst.is_ok(), "{:?}", inst.err());
        let Ok(inst) = inst else { return Ok(()) };
        let sol = solve(&inst, &SolveOptions { time_limit: Duration::from_millis(300), threads: 2, seed });
        let rep = check_solution(&inst, &sol, false);
        prop_assert!(rep.valid, "{:?}", rep.violations);
        prop_assert!(sol.objective.value_bound.is_none_or(|b| b >= sol.objective.value));
    }

    #[test]
    fn json_edits_parse_or_fail_cleanly(seed in any::<u64>(), pos in 0usize..8000, byte in 0u8..128) {
        let Some((_, text)) = common::load("tiny-1") else { return Ok(()) };
        let mut bytes = text.into_bytes();
        let k = pos % bytes.len().max(1);
        let mut r = Rng::new(seed);
        match r.below(3) {
            0 => bytes[k] = byte,
            1 => { bytes.remove(k); }
            _ => bytes.insert(k, byte),
        }
        let s = String::from_utf8_lossy(&bytes).to_string();
        if let Ok(inst) = parse_instance(&s) {
            let sol = solve(&inst, &SolveOptions { time_limit: Duration::from_millis(200), threads: 1, seed });
            let rep = check_solution(&inst, &sol, false);
            prop_assert!(rep.valid, "{:?}", rep.violations);
        }
    }
}
