//! Property tests on random small facilities: the solver's plan always passes our checker,
//! its value never exceeds the brute-force optimum, its bound never falls below it, and an
//! OPTIMAL status means value and makespan equal the brute-force lexicographic optimum.

use std::time::Duration;

use bekal_planner::model::{
    CalendarSpec, Candidate, Facility, Instance, Package, Room, Rules, Trainer,
};
use bekal_planner::prep::Prep;
use bekal_planner::search::Rng;
use bekal_planner::{SolveOptions, Status, check_solution, solve};
use proptest::prelude::*;

fn date(offset: u64) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default()
        + chrono::Duration::days(offset as i64);
    d.format("%Y-%m-%d").to_string()
}

/// A random facility; with `k` > 1 (candidates may take `k` packages) it has two stages, two
/// mostly one-stage packages, minimum sizes of at most 1, no class limits, rooms for every package, trainers with both
/// skills and later
/// releases (so that second packages matter), and at most three candidates (so that the brute
/// force stays small).
fn random_instance(seed: u64, k: i64) -> Instance {
    let mut r = Rng::new(seed);
    let stages = if k > 1 { 2 } else { 1 + r.below(2) as i64 };
    let n_p = if k > 1 { 2 } else { 1 + r.below(2) };
    let skills = ["X", "Y"];
    let mut packages: Vec<Package> = (0..n_p)
        .map(|k| {
            let cap = 1 + r.below(3) as i64;
            Package {
                id: format!("P{k}"),
                name: String::new(),
                duration_days: 2 + r.below(if k > 1 { 4 } else { 7 }) as i64,
                capacity: cap,
                min_size: r.below(cap as usize + 1) as i64,
                max_classes: if r.below(3) == 0 {
                    Some(r.below(3) as i64)
                } else {
                    None
                },
                min_score: r.below(40) as i64,
                required_flags: if r.below(3) == 0 {
                    vec!["a".into()]
                } else {
                    vec![]
                },
                skill: skills[r.below(2)].into(),
                class_cost: r.below(25) as i64,
            }
        })
        .collect();
    let mut rooms: Vec<Room> = (0..1 + r.below(2))
        .map(|k| Room {
            id: format!("R{k}"),
            packages: if r.below(2) == 0 {
                None
            } else {
                Some(vec![format!("P{}", r.below(n_p))])
            },
        })
        .collect();
    let mut trainers: Vec<Trainer> = (0..1 + r.below(2))
        .map(|k| Trainer {
            id: format!("T{k}"),
            skills: if r.below(3) == 0 {
                vec!["X".into(), "Y".into()]
            } else {
                vec![skills[r.below(2)].into()]
            },
            unavailable: if r.below(4) == 0 {
                let a = r.below(8) as u64;
                vec![(date(a), date(a + r.below(3) as u64))]
            } else {
                vec![]
            },
            max_classes: if r.below(4) == 0 { Some(1) } else { None },
        })
        .collect();
    let n_c = 2 + r.below(if k > 1 { 2 } else { 3 });
    let candidates: Vec<Candidate> = (0..n_c)
        .map(|k| {
            let mut scores = std::collections::BTreeMap::new();
            for p in 0..n_p {
                if r.below(4) != 0 {
                    scores.insert(format!("P{p}"), r.below(101) as i64);
                }
            }
            Candidate {
                id: format!("C{k}"),
                release_date: date(if k > 1 { 5 } else { 3 } + r.below(14) as u64),
                priority: 1 + r.below(5) as i64,
                flags: if r.below(5) == 0 {
                    vec![]
                } else {
                    vec!["a".into()]
                },
                scores,
                prefs: if r.below(2) == 0 {
                    vec![format!("P{}", r.below(n_p))]
                } else {
                    vec![]
                },
            }
        })
        .collect();
    let mut conflicts = Vec::new();
    if n_c >= 2 && r.below(2) == 0 {
        conflicts.push(("C0".to_string(), "C1".to_string()));
    }
    if k > 1 {
        // room for second packages: small minimum sizes, versatile trainers
        for p in &mut packages {
            p.min_size = p.min_size.min(1);
            p.max_classes = None;
        }
        for t in &mut trainers {
            t.skills = vec!["X".into(), "Y".into()];
            t.max_classes = None;
        }
        for room in &mut rooms {
            room.packages = None;
        }
    }
    Instance {
        format: bekal_planner::model::INSTANCE_FORMAT.into(),
        name: format!("rand-{seed}"),
        seed: None,
        facilities: vec![Facility {
            id: "F".into(),
            calendar: CalendarSpec {
                horizon_start: date(0),
                stage_days: 4,
                num_stages: stages,
                working_weekdays: vec![1, 2, 3, 4, 5, 6, 7],
                holidays: vec![],
            },
            rules: Rules {
                max_packages_per_candidate: k,
                max_selected: if r.below(2) == 0 {
                    Some(r.below(4) as i64)
                } else {
                    None
                },
                preference_bonus: vec![10, 5],
                required_flags: vec![],
            },
            packages,
            rooms,
            trainers,
            candidates,
            conflicts,
        }],
    }
}

/// Lexicographic optimum (value, makespan) by brute force over slot subsets and assignments.
fn brute(prep: &Prep) -> (i64, usize) {
    let mut slots = Vec::new();
    for (p, pk) in prep.pkgs.iter().enumerate() {
        for s in 0..prep.stages {
            if !pk.start_ok[s] {
                continue;
            }
            for &r in &pk.rooms {
                for &t in &pk.trainers[s] {
                    slots.push((p, s, r, t));
                }
            }
        }
    }
    let mut best = (0i64, 0usize);
    let n = slots.len();
    for mask in 0u32..(1u32 << n) {
        let chosen: Vec<(usize, usize, usize, usize)> = (0..n)
            .filter(|k| mask >> k & 1 == 1)
            .map(|k| slots[k])
            .collect();
        if chosen.len() > 4 {
            continue;
        }
        // rooms, trainers, counts
        let mut ok = true;
        for a in 0..chosen.len() {
            for b in a + 1..chosen.len() {
                let (x, y) = (chosen[a], chosen[b]);
                let ov = x.1 < y.1 + prep.pkgs[y.0].span && y.1 < x.1 + prep.pkgs[x.0].span;
                if ov && (x.2 == y.2 || x.3 == y.3) {
                    ok = false;
                }
            }
        }
        for (p, pk) in prep.pkgs.iter().enumerate() {
            if pk
                .max_classes
                .is_some_and(|m| chosen.iter().filter(|c| c.0 == p).count() > m)
            {
                ok = false;
            }
        }
        for (t, m) in prep.trainer_max.iter().enumerate() {
            if m.is_some_and(|m| chosen.iter().filter(|c| c.3 == t).count() > m) {
                ok = false;
            }
        }
        if !ok {
            continue;
        }
        let n_c = prep.opts.len();
        // each candidate's choices: sets of up to K chosen classes of different packages with
        // disjoint stages, each one usable by the candidate (the empty set first)
        let choices: Vec<Vec<(Vec<usize>, i64)>> = (0..n_c)
            .map(|i| {
                let mut out = vec![(Vec::new(), 0i64)];
                for sub in 1u32..(1u32 << chosen.len()) {
                    let set: Vec<usize> = (0..chosen.len()).filter(|k| sub >> k & 1 == 1).collect();
                    if set.len() > prep.k {
                        continue;
                    }
                    let mut gain = 0;
                    let mut ok = true;
                    for (a, &x) in set.iter().enumerate() {
                        let cl = chosen[x];
                        match prep.opts[i].iter().find(|o| o.p == cl.0 && o.last >= cl.1) {
                            Some(o) => gain += o.gain,
                            None => ok = false,
                        }
                        for &y in &set[a + 1..] {
                            let d = chosen[y];
                            let ov = cl.1 < d.1 + prep.pkgs[d.0].span
                                && d.1 < cl.1 + prep.pkgs[cl.0].span;
                            if cl.0 == d.0 || ov {
                                ok = false;
                            }
                        }
                    }
                    if ok {
                        out.push((set, gain));
                    }
                }
                out
            })
            .collect();
        let total: usize = choices.iter().map(|c| c.len()).product();
        for code in 0..total {
            let mut x = code;
            let mut of: Vec<&[usize]> = Vec::with_capacity(n_c);
            let mut valid = true;
            let mut value = 0i64;
            for ch in &choices {
                let (set, gain) = &ch[x % ch.len()];
                x /= ch.len();
                value += gain;
                of.push(set);
            }
            let selected = of.iter().filter(|set| !set.is_empty()).count();
            if prep.max_selected.is_some_and(|m| selected > m) {
                continue;
            }
            for (ci, cl) in chosen.iter().enumerate() {
                let size = of.iter().filter(|set| set.contains(&ci)).count();
                let pk = &prep.pkgs[cl.0];
                if size < pk.lo || size > pk.cap {
                    valid = false;
                }
                value -= pk.cost;
            }
            for &(a, b) in &prep.conflicts {
                if of[a].iter().any(|c| of[b].contains(c)) {
                    valid = false;
                }
            }
            if !valid {
                continue;
            }
            let mk = chosen
                .iter()
                .map(|c| c.1 + prep.pkgs[c.0].span)
                .max()
                .unwrap_or(0);
            if value > best.0 || (value == best.0 && mk < best.1) {
                best = (value, mk);
            }
        }
    }
    best
}

fn solve_and_compare(seed: u64, k: i64) -> Result<(), TestCaseError> {
    let inst = random_instance(seed, k);
    let Some(prep) = Prep::new(&inst.facilities[0]) else {
        return Err(TestCaseError::fail("prep"));
    };
    let sol = solve(
        &inst,
        &SolveOptions {
            time_limit: Duration::from_secs(5),
            threads: 1,
            seed,
        },
    );
    let rep = check_solution(&inst, &sol, false);
    prop_assert!(rep.valid, "{:?}", rep.violations);
    let (opt, mk) = brute(&prep);
    let f = &sol.facilities[0];
    prop_assert!(f.value <= opt, "value {} > brute {}", f.value, opt);
    prop_assert!(
        f.value_bound.is_none_or(|b| b >= opt),
        "bound {:?} < brute {}",
        f.value_bound,
        opt
    );
    if f.status == Status::Optimal {
        prop_assert_eq!((f.value, f.makespan_stages as usize), (opt, mk));
    }
    if k > 1 {
        // facilities this small are always enumerated completely: the exact K > 1 path
        prop_assert_eq!(f.status, Status::Optimal, "K = {} not proven", k);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn solver_is_valid_and_bounded(seed in any::<u64>()) {
        solve_and_compare(seed, 1)?;
    }

    /// K = 2: a candidate may take two packages in disjoint stages (the exact K > 1 path).
    #[test]
    fn solver_is_valid_and_bounded_k2(seed in any::<u64>()) {
        solve_and_compare(seed, 2)?;
    }
}
