//! K > 1 on small facilities: every plan (vector of class counts per (package, stage), from
//! [`crate::enumerate::plans`]) is ranked by its per-package greedy bound (valid for K > 1:
//! each candidate takes each package at most once, and at most M·K seats are filled), then
//! solved exactly by [`crate::kbb`] in decreasing order of that bound until no remaining plan
//! can beat the best. When every plan reached is solved completely, the result is the
//! lexicographic optimum (value, then makespan, through the scalar (S+1)·value − makespan).

use std::time::Instant;

use crate::assign::Assigned;
use crate::enumerate::{Enumerated, gains_per_package, plan_upper, plans};
use crate::kbb::{Prices, solve_plan};
use crate::prep::Prep;

/// Branch-and-bound nodes per plan; a plan that needs more is left with its root bound.
const NODES_PER_PLAN: usize = 200_000;
/// Branch-and-bound nodes over all plans (deterministic work limit).
const NODES_TOTAL: usize = 20_000_000;

/// Solves a small K > 1 facility by plan enumeration and exact assignment; None when the
/// facility has too many plans or a plan too large for [`crate::kassign::Problem`].
pub fn solve_multi(prep: &Prep, deadline: Instant) -> Option<Enumerated> {
    let plans = plans(prep, deadline)?;
    let per_pkg = gains_per_package(prep);
    let s1 = prep.stages as i128 + 1;
    let makespan = |plan: &[crate::assign::Slot]| {
        plan.iter()
            .map(|sl| sl.s + prep.pkgs[sl.p].span)
            .max()
            .unwrap_or(0)
    };
    let mut ranked: Vec<(i128, usize)> = plans
        .iter()
        .enumerate()
        .map(|(k, plan)| {
            let ub = i128::from(plan_upper(prep, plan, &per_pkg));
            (s1 * ub - makespan(plan) as i128, k)
        })
        .collect();
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    let mut best: Option<(i128, Assigned)> = None;
    let mut bound_scalar = i128::MIN;
    let mut complete = true;
    let mut warm = Prices::new();
    let mut nodes = 0usize;
    for &(ub, k) in &ranked {
        let best_sc = best.as_ref().map_or(i128::MIN, |b| b.0);
        if ub <= best_sc {
            break;
        }
        if Instant::now() >= deadline || nodes >= NODES_TOTAL {
            complete = false;
            bound_scalar = bound_scalar.max(ub);
            break;
        }
        let plan = &plans[k];
        let mk = makespan(plan) as i128;
        // the smallest value whose scalar beats the best: s1 * v - mk > best_sc
        let need = if best.is_none() {
            i64::MIN / 4
        } else {
            i64::try_from((best_sc + mk).div_euclid(s1) + 1).unwrap_or(i64::MAX)
        };
        // a plan too large for the exact method: so is the facility (leave it to the search)
        let r = solve_plan(prep, plan, need, &mut warm, NODES_PER_PLAN, deadline)?;
        nodes += r.nodes;
        if !r.exact {
            complete = false;
            bound_scalar = bound_scalar.max((s1 * i128::from(r.bound) - mk).min(ub));
        }
        if let Some((_, classes)) = r.best {
            let value = crate::assign::plan_value(prep, &classes);
            let makespan = classes
                .iter()
                .map(|c| c.s + prep.pkgs[c.p].span)
                .max()
                .unwrap_or(0);
            let sc = s1 * i128::from(value) - makespan as i128;
            if best.as_ref().is_none_or(|b| sc > b.0) {
                let a = Assigned {
                    classes,
                    value,
                    makespan,
                    relaxed_value: value,
                };
                best = Some((sc, a));
            }
        }
    }
    let (best_sc, best) = best?;
    bound_scalar = bound_scalar.max(best_sc);
    let bound = i64::try_from((bound_scalar + s1 - 1).div_euclid(s1)).unwrap_or(i64::MAX);
    Some(Enumerated {
        proven: complete && bound_scalar == best_sc,
        bound: bound.max(best.value),
        best,
    })
}
