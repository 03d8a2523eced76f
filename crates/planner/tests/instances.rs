//! Solves the small shared instances (tiny-1, pekalongan-1..5): solutions must pass our
//! checker, pekalongan must be proven optimal at the anchor's optimum.

mod common;

use std::time::Duration;

use bekal_planner::{SolveOptions, Status, check_solution, solve};

fn opts() -> SolveOptions {
    SolveOptions {
        time_limit: Duration::from_secs(20),
        threads: 2,
        seed: 7,
    }
}

#[test]
fn pekalongan_proven_optimal() {
    let expected = [20622, 25368, 21241, 26387, 24564];
    for (k, want) in expected.iter().enumerate() {
        let Some((inst, _)) = common::load(&format!("pekalongan-{}", k + 1)) else {
            return;
        };
        let sol = solve(&inst, &opts());
        let rep = check_solution(&inst, &sol, false);
        assert!(rep.valid, "pekalongan-{}: {:?}", k + 1, rep.violations);
        assert_eq!(sol.objective.value, *want, "pekalongan-{}", k + 1);
        assert_eq!(sol.objective.value_bound, Some(*want));
        assert_eq!(sol.facilities[0].status, Status::Optimal);
    }
}

#[test]
fn tiny_is_valid_and_bounded() {
    let Some((inst, _)) = common::load("tiny-1") else {
        return;
    };
    let sol = solve(&inst, &opts());
    let rep = check_solution(&inst, &sol, false);
    assert!(rep.valid, "{:?}", rep.violations);
    // the anchor's proven optimum is 12188
    assert!(sol.objective.value <= 12188);
    assert!(sol.objective.value_bound.is_some_and(|b| b >= 12188));
}

#[test]
fn tiny_reaches_and_proves_the_optimum() {
    let Some((inst, _)) = common::load("tiny-1") else {
        return;
    };
    // K = 2: the exact path (plan enumeration, branch and bound per plan) must reach and
    // prove the anchor's optimum, value 12188 with makespan 4, on 1 and 2 threads alike
    for threads in [1, 2] {
        let sol = solve(&inst, &SolveOptions { threads, ..opts() });
        let rep = check_solution(&inst, &sol, false);
        assert!(rep.valid, "{:?}", rep.violations);
        assert_eq!(sol.objective.value, 12188);
        assert_eq!(sol.objective.makespan_stages, 4);
        assert_eq!(sol.objective.value_bound, Some(12188));
        assert_eq!(sol.facilities[0].status, Status::Optimal);
    }
}

#[test]
fn deterministic_across_thread_counts() {
    let Some((inst, _)) = common::load("pekalongan-2") else {
        return;
    };
    let a = solve(
        &inst,
        &SolveOptions {
            threads: 1,
            ..opts()
        },
    );
    let b = solve(
        &inst,
        &SolveOptions {
            threads: 2,
            ..opts()
        },
    );
    let strip = |s: &bekal_planner::Solution| {
        s.facilities
            .iter()
            .map(|f| {
                (
                    f.value,
                    f.makespan_stages,
                    f.classes
                        .iter()
                        .map(|c| (c.id.clone(), c.members.clone()))
                        .collect::<Vec<_>>(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&a), strip(&b));
}

#[test]
fn malformed_instances_are_errors() {
    assert!(bekal_planner::parse_instance("").is_err());
    assert!(bekal_planner::parse_instance("{}").is_err());
    assert!(bekal_planner::parse_instance("[1,2]").is_err());
    assert!(
        bekal_planner::parse_instance(r#"{"format":"lapas-training-instance/1","facilities":[]}"#)
            .is_ok()
    );
    assert!(bekal_planner::parse_instance(r#"{"format":"other","facilities":[]}"#).is_err());
    let Some((_, text)) = common::load("tiny-1") else {
        return;
    };
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    v["facilities"][0]["packages"][0]["capacity"] = serde_json::json!(0);
    let err = bekal_planner::parse_instance(&v.to_string());
    assert!(
        matches!(err, Err(bekal_planner::PlannerError::Invalid { ref code, .. }) if code == "I5")
    );
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    v["facilities"][0]["conflicts"][0][0] = serde_json::json!("NOBODY");
    assert!(bekal_planner::parse_instance(&v.to_string()).is_err());
}

#[test]
fn explanations_cover_everyone() {
    let Some((inst, _)) = common::load("pekalongan-1") else {
        return;
    };
    let sol = solve(&inst, &opts());
    let ex = bekal_planner::explain(&inst, &sol);
    let f = &ex.facilities[0];
    assert_eq!(f.classes.len(), sol.facilities[0].classes.len());
    let selected: usize = sol.facilities[0]
        .classes
        .iter()
        .map(|c| c.members.len())
        .sum();
    assert_eq!(
        f.not_selected.len() + selected,
        inst.facilities[0].candidates.len()
    );
    use bekal_planner::CandidateCause as C;
    let count =
        |pred: &dyn Fn(&C) -> bool| f.not_selected.iter().filter(|n| pred(&n.cause)).count();
    assert!(count(&|c| matches!(c, C::Ineligible { .. })) > 0);
    assert!(count(&|c| matches!(c, C::Outranked { .. })) > 0);
    for n in &f.not_selected {
        if let C::Outranked {
            gain_difference, ..
        } = n.cause
        {
            assert!(gain_difference >= 0);
        }
    }
    assert!(serde_json::to_string(&ex).is_ok());
}
