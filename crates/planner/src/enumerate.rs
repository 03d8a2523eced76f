//! Exhaustive enumeration for small facilities: every feasible vector of class counts per
//! (package, stage) is generated (rooms by a depth-first search over (room, stage) cells,
//! trainers by backtracking), each gets a cheap upper bound (per-package greedy, exact for a
//! single package because nested deadlines form a matroid; the M cap takes the best M gains),
//! and plans are evaluated exactly (flow) in decreasing bound order until no remaining plan
//! can beat the best. With K = 1 this proves optimality of the conflict-relaxed problem;
//! when the repaired plan reaches that value it is optimal (value and makespan).

use std::collections::HashSet;
use std::time::Instant;

use crate::assign::{Assigned, Slot, assign_cut};
use crate::prep::Prep;
use crate::solve::scalar_of;

/// Result of a complete enumeration.
#[derive(Debug, Clone)]
pub struct Enumerated {
    pub best: Assigned,
    /// Proven upper bound on the value.
    pub bound: i64,
    /// Lexicographic optimality (value and makespan) proven.
    pub proven: bool,
}

/// Limit on depth-first search nodes; beyond it the facility is not "small". Larger for
/// K > 1, where the search (K = 1 greedy) is weak and enumeration is the better heuristic.
/// Measured on the national sample: a larger limit for K = 1 wastes time that the annealing
/// needs (100k nodes cost 0.3 % of value at 0.2 s per facility).
const NODE_LIMIT: usize = 30_000;
const NODE_LIMIT_MULTI: usize = 400_000;
/// Limit on distinct plans kept.
const PLAN_LIMIT: usize = 60_000;

struct Dfs<'a> {
    prep: &'a Prep,
    room_busy: Vec<bool>,
    pkg_count: Vec<usize>,
    current: Vec<(usize, usize, usize)>, // (p, s, r)
    seen: HashSet<Vec<(usize, usize)>>,
    plans: Vec<Vec<Slot>>,
    nodes: usize,
    aborted: bool,
    deadline: Instant,
}

impl Dfs<'_> {
    fn cell(&mut self, idx: usize) {
        if self.aborted {
            return;
        }
        self.nodes += 1;
        let limit = if self.prep.k > 1 {
            NODE_LIMIT_MULTI
        } else {
            NODE_LIMIT
        };
        if self.nodes > limit || self.plans.len() > PLAN_LIMIT {
            self.aborted = true;
            return;
        }
        if self.nodes.is_multiple_of(4096) && Instant::now() >= self.deadline {
            self.aborted = true;
            return;
        }
        let prep = self.prep;
        let s_n = prep.stages;
        if idx == prep.n_rooms * s_n {
            self.leaf();
            return;
        }
        let (s, r) = (idx / prep.n_rooms, idx % prep.n_rooms);
        self.cell(idx + 1);
        if self.room_busy[r * s_n + s] {
            return;
        }
        for p in 0..prep.pkgs.len() {
            let pk = &prep.pkgs[p];
            if s + pk.span > s_n || !pk.start_ok[s] || !pk.rooms.contains(&r) {
                continue;
            }
            if pk.max_classes.is_some_and(|m| self.pkg_count[p] >= m) {
                continue;
            }
            if (s..s + pk.span).any(|x| self.room_busy[r * s_n + x]) {
                continue;
            }
            for x in s..s + pk.span {
                self.room_busy[r * s_n + x] = true;
            }
            self.pkg_count[p] += 1;
            self.current.push((p, s, r));
            self.cell(idx + 1);
            self.current.pop();
            self.pkg_count[p] -= 1;
            for x in s..s + pk.span {
                self.room_busy[r * s_n + x] = false;
            }
        }
    }

    fn leaf(&mut self) {
        let mut key: Vec<(usize, usize)> = self.current.iter().map(|&(p, s, _)| (p, s)).collect();
        key.sort_unstable();
        if self.seen.contains(&key) {
            return;
        }
        self.seen.insert(key);
        let prep = self.prep;
        let classes = self.current.clone();
        let mut trainers = vec![usize::MAX; classes.len()];
        let mut busy = vec![false; prep.n_trainers() * prep.stages];
        let mut count = vec![0usize; prep.n_trainers()];
        if assign_trainers(prep, &classes, 0, &mut trainers, &mut busy, &mut count) {
            self.plans.push(
                classes
                    .iter()
                    .zip(&trainers)
                    .map(|(&(p, s, r), &t)| Slot { p, s, r, t })
                    .collect(),
            );
        }
    }
}

fn assign_trainers(
    prep: &Prep,
    classes: &[(usize, usize, usize)],
    k: usize,
    out: &mut [usize],
    busy: &mut [bool],
    count: &mut [usize],
) -> bool {
    let Some(&(p, s, _)) = classes.get(k) else {
        return true;
    };
    let s_n = prep.stages;
    let span = prep.pkgs[p].span;
    for &t in &prep.pkgs[p].trainers[s] {
        if prep.trainer_max[t].is_some_and(|m| count[t] >= m) {
            continue;
        }
        if (s..s + span).any(|x| busy[t * s_n + x]) {
            continue;
        }
        for x in s..s + span {
            busy[t * s_n + x] = true;
        }
        count[t] += 1;
        out[k] = t;
        if assign_trainers(prep, classes, k + 1, out, busy, count) {
            return true;
        }
        count[t] -= 1;
        for x in s..s + span {
            busy[t * s_n + x] = false;
        }
    }
    false
}

/// Per-package greedy upper bound of a plan (see module doc).
pub fn plan_upper(prep: &Prep, plan: &[Slot], per_pkg: &[Vec<(i64, usize)>]) -> i64 {
    let s_n = prep.stages;
    let mut gains: Vec<i64> = Vec::new();
    let mut cost = 0;
    let mut free = vec![0usize; s_n];
    for p in 0..prep.pkgs.len() {
        free.iter_mut().for_each(|x| *x = 0);
        let mut any = false;
        for sl in plan.iter().filter(|sl| sl.p == p) {
            free[sl.s] += prep.pkgs[p].cap;
            cost += prep.pkgs[p].cost;
            any = true;
        }
        if !any {
            continue;
        }
        for &(g, last) in &per_pkg[p] {
            if let Some(s) = (0..=last.min(s_n - 1)).rev().find(|&s| free[s] > 0) {
                free[s] -= 1;
                gains.push(g);
            }
        }
    }
    let cap = prep
        .max_selected
        .map_or(usize::MAX, |m| m.saturating_mul(prep.k));
    if gains.len() > cap {
        gains.sort_unstable_by(|a, b| b.cmp(a));
        gains.truncate(cap);
    }
    gains.iter().sum::<i64>() - cost
}

/// Every feasible class plan (one per vector of class counts per (package, stage), rooms and
/// trainers assigned); None when there are too many or the deadline passes.
pub fn plans(prep: &Prep, deadline: Instant) -> Option<Vec<Vec<Slot>>> {
    if prep.stages == 0 || prep.n_rooms == 0 {
        return None;
    }
    let mut dfs = Dfs {
        prep,
        room_busy: vec![false; prep.n_rooms * prep.stages],
        pkg_count: vec![0; prep.pkgs.len()],
        current: Vec::new(),
        seen: HashSet::new(),
        plans: Vec::new(),
        nodes: 0,
        aborted: false,
        deadline,
    };
    dfs.cell(0);
    (!dfs.aborted).then_some(dfs.plans)
}

/// Positive (gain, last stage) pairs per package, best first: the input of [`plan_upper`].
pub fn gains_per_package(prep: &Prep) -> Vec<Vec<(i64, usize)>> {
    let mut per_pkg: Vec<Vec<(i64, usize)>> = vec![Vec::new(); prep.pkgs.len()];
    for opts in &prep.opts {
        for o in opts {
            if o.gain > 0 {
                per_pkg[o.p].push((o.gain, o.last));
            }
        }
    }
    for v in &mut per_pkg {
        v.sort_unstable_by(|a, b| b.cmp(a));
    }
    per_pkg
}

/// Enumerates all class-count vectors when there are few; None when too many.
pub fn enumerate(prep: &Prep, deadline: Instant, threads: usize) -> Option<Enumerated> {
    let plans = plans(prep, deadline)?;
    let per_pkg = gains_per_package(prep);
    let s1 = prep.stages as i128 + 1;
    let mut ranked: Vec<(i128, usize)> = plans
        .iter()
        .enumerate()
        .map(|(k, plan)| {
            let mk = plan
                .iter()
                .map(|sl| sl.s + prep.pkgs[sl.p].span)
                .max()
                .unwrap_or(0);
            (
                s1 * i128::from(plan_upper(prep, plan, &per_pkg)) - mk as i128,
                k,
            )
        })
        .collect();
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    let mut best: Option<(i128, Assigned)> = None;
    let mut bound_scalar = i128::MIN;
    let mut complete = true;
    let threads = threads.max(1);
    let mut pos = 0;
    'outer: while pos < ranked.len() {
        let chunk: Vec<(i128, usize)> = ranked[pos..(pos + threads).min(ranked.len())].to_vec();
        // with K > 1 the K = 1 flow value is no upper bound of the final value: no cut-off
        let cutoff = if prep.k > 1 {
            i128::MIN
        } else {
            best.as_ref().map_or(i128::MIN, |b| b.0)
        };
        let results: Vec<Assigned> = if chunk.len() > 1 {
            std::thread::scope(|sc| {
                let handles: Vec<_> = chunk
                    .iter()
                    .map(|&(_, k)| {
                        let plan = &plans[k];
                        sc.spawn(move || assign_cut(prep, plan, cutoff, Some(deadline)))
                    })
                    .collect();
                handles.into_iter().filter_map(|h| h.join().ok()).collect()
            })
        } else {
            chunk
                .iter()
                .map(|&(_, k)| assign_cut(prep, &plans[k], cutoff, Some(deadline)))
                .collect()
        };
        if results.len() != chunk.len() {
            complete = false;
            break;
        }
        for (&(ub, _), a) in chunk.iter().zip(results) {
            if best.as_ref().is_some_and(|b| ub <= b.0) {
                break 'outer;
            }
            if Instant::now() >= deadline || pos > 5_000 {
                complete = false;
                bound_scalar = bound_scalar.max(ub);
                break 'outer;
            }
            pos += 1;
            let sc = scalar_of(prep, &a);
            let relaxed = s1 * i128::from(a.relaxed_value.max(a.value)) - a.makespan as i128;
            if a.value == crate::assign::CUT_VALUE {
                bound_scalar = bound_scalar.max(relaxed.min(ub));
                continue;
            }
            bound_scalar = bound_scalar.max(if prep.k > 1 { ub } else { relaxed.min(ub) });
            if best.as_ref().is_none_or(|b| sc > b.0) {
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
