//! A conflict repair must give the freed place to the next candidate. Found through the
//! selection screens: a pinned inmate (very high priority) and a non-associated one clash in
//! a one-class package of two places; the assignment's dominance pruning had dropped the
//! third-best candidate (two options dominated it), so banning the clashing one left the
//! place empty. The exact assignment and the whole solver must both fill it.

use std::time::Duration;

use bekal_planner::assign::{Slot, assign};
use bekal_planner::prep::Prep;
use bekal_planner::{SolveOptions, check_solution, parse_instance, solve};

fn candidate(id: &str, priority: i64, score: i64, release: &str) -> String {
    format!(
        r#"{{"id": "{id}", "release_date": "{release}", "priority": {priority}, "flags": ["cleared"], "scores": {{"JAHIT": {score}}}, "prefs": ["JAHIT"]}}"#
    )
}

fn instance() -> String {
    let candidates = [
        candidate("ani", 5, 80, "2027-03-01"),
        candidate("budi", 5, 70, "2027-03-01"),
        candidate("dedi", 1000, 50, "2027-03-01"),
        candidate("fajar", 5, 85, "2026-12-20"),
    ]
    .join(",");
    format!(
        r#"{{"format": "lapas-training-instance/1", "name": "conflict", "seed": 1, "facilities": [{{
  "id": "F", "calendar": {{"horizon_start": "2026-12-07", "stage_days": 12, "num_stages": 1,
    "working_weekdays": [1, 2, 3, 4, 5, 6], "holidays": []}},
  "rules": {{"max_packages_per_candidate": 1, "max_selected": null, "preference_bonus": [15, 10, 5], "required_flags": ["cleared"]}},
  "packages": [{{"id": "JAHIT", "name": "Menjahit", "duration_days": 10, "capacity": 2, "min_size": 1,
    "max_classes": null, "min_score": 0, "required_flags": [], "skill": "jahit", "class_cost": 0}}],
  "rooms": [{{"id": "R1", "packages": ["JAHIT"]}}],
  "trainers": [{{"id": "T1", "skills": ["jahit"], "unavailable": [], "max_classes": null}}],
  "candidates": [{candidates}],
  "conflicts": [["dedi", "fajar"]]}}]}}"#
    )
}

#[test]
fn the_place_freed_by_a_conflict_goes_to_the_next_candidate() {
    let inst = parse_instance(&instance()).unwrap();
    let prep = Prep::new(&inst.facilities[0]).unwrap();
    let ani = prep.cand_index["ani"];
    let dedi = prep.cand_index["dedi"];
    // dedi 1000 x (50 + 15) + ani 5 x (80 + 15)
    let expected = 65_000 + 475;
    let assigned = assign(
        &prep,
        &[Slot {
            p: 0,
            s: 0,
            r: 0,
            t: 0,
        }],
    );
    assert_eq!(assigned.value, expected, "{:?}", assigned.classes);
    let mut members = assigned.classes[0].members.clone();
    members.sort_unstable();
    let mut want = vec![ani, dedi];
    want.sort_unstable();
    assert_eq!(members, want);

    let sol = solve(
        &inst,
        &SolveOptions {
            time_limit: Duration::from_millis(500),
            threads: 1,
            seed: 1,
        },
    );
    assert!(check_solution(&inst, &sol, false).valid);
    assert_eq!(sol.objective.value, expected);
}
