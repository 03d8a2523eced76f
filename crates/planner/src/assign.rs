//! Exact assignment of candidates to a fixed class plan (K = 1 relaxation of conflicts),
//! by a maximum-gain flow: candidate -> (package, last usable stage) -> chain of earlier
//! stages -> (package, stage) seats -> sink. Min sizes are enforced lexicographically (a large
//! bonus on the first Lo seats of each class); conflicts are repaired afterwards by banning the
//! weaker candidate of a clashing pair and re-solving.
//!
//! Stage assignment follows cpsat.py's lemma: fill stages from the last one; anyone still
//! unplaced can use every earlier stage, so the choice inside a stage is free (used to keep
//! conflict pairs apart).

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use crate::flow::Flow;
use crate::prep::Prep;
use crate::solution::Class;

/// A class slot of a plan: package, start stage, room, trainer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slot {
    pub p: usize,
    pub s: usize,
    pub r: usize,
    pub t: usize,
}

/// Outcome of the exact assignment for a plan.
#[derive(Debug, Clone)]
pub struct Assigned {
    /// Classes with members (classes that cannot reach min size are dropped).
    pub classes: Vec<Class>,
    pub value: i64,
    pub makespan: usize,
    /// Flow value before conflict repair (an upper bound for this plan's class counts).
    pub relaxed_value: i64,
}

/// Value of a plan with given per-(p,s) members; used by tests and explanations.
pub fn plan_value(prep: &Prep, classes: &[Class]) -> i64 {
    let mut v = 0;
    for c in classes {
        v -= prep.pkgs[c.p].cost;
        for &i in &c.members {
            v += prep.opts[i]
                .iter()
                .find(|o| o.p == c.p)
                .map_or(0, |o| o.gain);
        }
    }
    v
}

/// Result of one flow solve: chosen (candidate, package) pairs and per (p, s) seat counts.
struct FlowOut {
    chosen: Vec<(usize, usize, usize)>, // (cand, p, last)
    seats: HashMap<(usize, usize), usize>,
    gain: i64,
    lower_missing: Vec<(usize, usize)>,
}

fn solve_flow(
    prep: &Prep,
    counts: &HashMap<(usize, usize), usize>,
    banned: &HashSet<(usize, usize)>,
) -> FlowOut {
    let s_n = prep.stages;
    let n_p = prep.pkgs.len();
    let used_p: Vec<bool> = (0..n_p)
        .map(|p| counts.iter().any(|(k, &n)| k.0 == p && n > 0))
        .collect();
    let first_stage: Vec<Option<usize>> = (0..n_p)
        .map(|p| (0..s_n).find(|&s| counts.get(&(p, s)).copied().unwrap_or(0) > 0))
        .collect();
    // nodes: 0 src, 1 src2, 2 sink, chain nodes, candidates
    let chain = |p: usize, s: usize| 3 + p * s_n + s;
    let cand_base = 3 + n_p * s_n;
    let n_c = prep.opts.len();
    let mut f = Flow::new(cand_base + n_c);
    let total_gain: i128 = prep
        .opts
        .iter()
        .map(|o| {
            o.iter()
                .map(|x| i128::from(x.gain.max(0)))
                .max()
                .unwrap_or(0)
        })
        .sum();
    let big = total_gain + 1;
    let m_cap = prep.max_selected.map_or(n_c as i128, |m| m as i128);
    // at most `limit` candidates can be selected: options with that many dominators are
    // never needed (exchange argument, see Prep::dominators); K = 1 only. Found by the
    // selection test: after a conflict repair bans a dominator, the next candidate must
    // come back, or the freed place stays empty.
    let seats: usize = counts.iter().map(|(k, n)| prep.pkgs[k.0].cap * n).sum();
    let limit = if prep.k == 1 {
        seats.min(prep.max_selected.unwrap_or(usize::MAX))
    } else {
        usize::MAX
    };
    // a banned option no longer dominates: each ban in p may lift one option over the limit
    let mut banned_in = vec![0usize; n_p];
    for &(_, p) in banned {
        if let Some(n) = banned_in.get_mut(p) {
            *n += 1;
        }
    }
    f.add_edge(0, 1, m_cap, 0);
    let mut cand_edges = Vec::new();
    for (i, opts) in prep.opts.iter().enumerate() {
        let mut any = false;
        for (k, o) in opts.iter().enumerate() {
            if !used_p[o.p]
                || banned.contains(&(i, o.p))
                || prep.dominators[i][k] >= limit.saturating_add(banned_in[o.p])
            {
                continue;
            }
            let Some(fs) = first_stage[o.p] else { continue };
            if o.last < fs {
                continue;
            }
            any = true;
            let e = f.add_edge(cand_base + i, chain(o.p, o.last), 1, i128::from(o.gain));
            cand_edges.push((e, i, o.p, o.last));
        }
        if any {
            f.add_edge(1, cand_base + i, 1, 0);
        }
    }
    let mut seat_edges = Vec::new();
    for (p, &used) in used_p.iter().enumerate() {
        if !used {
            continue;
        }
        for s in 1..s_n {
            f.add_edge(chain(p, s), chain(p, s - 1), i128::MAX / 8, 0);
        }
        let pk = &prep.pkgs[p];
        for s in 0..s_n {
            let n = counts.get(&(p, s)).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let lo = f.add_edge(chain(p, s), 2, (pk.lo * n) as i128, big);
            let hi = f.add_edge(chain(p, s), 2, ((pk.cap - pk.lo) * n) as i128, 0);
            seat_edges.push((p, s, lo, hi, pk.lo * n));
        }
    }
    f.max_gain(0, 2);
    let mut chosen = Vec::new();
    let mut gain = 0i64;
    for (e, i, p, last) in cand_edges {
        if f.flow(e) > 0 {
            chosen.push((i, p, last));
            gain += prep.opts[i].iter().find(|o| o.p == p).map_or(0, |o| o.gain);
        }
    }
    let mut seats = HashMap::new();
    let mut lower_missing = Vec::new();
    for (p, s, lo, hi, need) in seat_edges {
        let a = f.flow(lo) + f.flow(hi);
        if (f.flow(lo) as usize) < need {
            lower_missing.push((p, s));
        }
        seats.insert((p, s), a as usize);
    }
    FlowOut {
        chosen,
        seats,
        gain,
        lower_missing,
    }
}

/// Exact assignment for a plan (list of slots). Classes that cannot be filled to min size are
/// dropped (the plan shrinks); conflicts are repaired.
pub fn assign(prep: &Prep, plan: &[Slot]) -> Assigned {
    assign_cut(prep, plan, i128::MIN, None)
}

/// Value marking an assignment that was cut off (see [`assign_cut`]).
pub const CUT_VALUE: i64 = i64::MIN / 8;

/// Flows spent on alternative conflict repairs per plan, beyond the first (greedy) repair.
/// A count, not a time, so that results do not depend on machine load.
const REPAIR_FLOWS: usize = 24;

/// Like [`assign`], but stops after the first flow when the relaxed scalar
/// (S+1)*value - makespan cannot exceed `cutoff`: then `classes` is empty, `value` is
/// [`CUT_VALUE`] and only `relaxed_value` is meaningful.
///
/// Conflict repair is a small branch and bound over bans: an unavoidable clash of i and j in
/// package p is resolved either by banning i from p or by banning j from p. The weaker one
/// first, which is the greedy repair; the other branch is explored while flows are left
/// (`REPAIR_FLOWS`, and only before `deadline`). Bans only shrink the flow, so a node whose flow cannot beat the best
/// repaired plan is pruned. With K > 1 the flow is no bound of the final value: greedy only.
pub fn assign_cut(prep: &Prep, plan: &[Slot], cutoff: i128, deadline: Option<Instant>) -> Assigned {
    let mut bb = Repair {
        prep,
        best: None,
        relaxed: None,
        flows_left: if prep.k == 1 { REPAIR_FLOWS } else { 0 },
        cutoff,
        deadline,
    };
    bb.node(plan.to_vec(), HashSet::new(), 0);
    if let Some((_, a)) = bb.best {
        return a;
    }
    let (rv, mk) = bb.relaxed.unwrap_or((0, 0));
    if cutoff > i128::MIN {
        // every repair (or the relaxation itself) stayed at or below the cutoff
        return Assigned {
            classes: Vec::new(),
            value: CUT_VALUE,
            makespan: mk,
            relaxed_value: rv,
        };
    }
    Assigned {
        classes: Vec::new(),
        value: 0,
        makespan: 0,
        relaxed_value: rv,
    }
}

/// State of the conflict-repair search of one plan.
struct Repair<'a> {
    prep: &'a Prep,
    best: Option<(i128, Assigned)>,
    /// (value, makespan) of the first flow: the plan's conflict-free relaxation.
    relaxed: Option<(i64, usize)>,
    flows_left: usize,
    cutoff: i128,
    deadline: Option<Instant>,
}

impl Repair<'_> {
    fn node(&mut self, mut plan: Vec<Slot>, banned: HashSet<(usize, usize)>, depth: usize) {
        let prep = self.prep;
        let s1 = prep.stages as i128 + 1;
        let out = loop {
            let mut counts: HashMap<(usize, usize), usize> = HashMap::new();
            for sl in &plan {
                *counts.entry((sl.p, sl.s)).or_default() += 1;
            }
            let out = solve_flow(prep, &counts, &banned);
            // drop one class of a (p, s) that cannot reach its min size and retry
            if let Some((p, s)) = out.lower_missing.first().copied()
                && let Some(pos) = plan.iter().position(|x| x.p == p && x.s == s)
            {
                plan.remove(pos);
                continue;
            }
            break out;
        };
        let cost: i64 = plan.iter().map(|sl| prep.pkgs[sl.p].cost).sum();
        let rv = out.gain - cost;
        let mk = plan
            .iter()
            .map(|sl| sl.s + prep.pkgs[sl.p].span)
            .max()
            .unwrap_or(0);
        let ub = s1 * i128::from(rv) - mk as i128;
        if self.relaxed.is_none() {
            self.relaxed = Some((rv, mk));
        }
        let floor = self
            .best
            .as_ref()
            .map_or(self.cutoff, |b| b.0.max(self.cutoff));
        if ub <= floor {
            return;
        }
        match build_classes(prep, &plan, &out) {
            Ok(mut classes) => {
                if prep.k > 1 {
                    crate::multi::add_second_packages(prep, &mut classes);
                }
                let value = plan_value(prep, &classes);
                let makespan = classes
                    .iter()
                    .map(|c| c.s + prep.pkgs[c.p].span)
                    .max()
                    .unwrap_or(0);
                let sc = s1 * i128::from(value) - makespan as i128;
                if self.best.as_ref().is_none_or(|b| sc > b.0) {
                    let relaxed_value = self.relaxed.map_or(value, |r| r.0);
                    let a = Assigned {
                        classes,
                        value,
                        makespan,
                        relaxed_value,
                    };
                    self.best = Some((sc, a));
                }
            }
            Err((weaker, stronger, p)) => {
                if depth >= 200 {
                    return;
                }
                let mut b1 = banned.clone();
                b1.insert((weaker, p));
                self.node(plan.clone(), b1, depth + 1);
                let late = self.deadline.is_some_and(|d| Instant::now() >= d);
                if self.flows_left == 0 || weaker == stronger || late {
                    return;
                }
                self.flows_left -= 1;
                let mut b2 = banned;
                b2.insert((stronger, p));
                self.node(plan, b2, depth + 1);
            }
        }
    }
}

/// Places the chosen candidates into stages and classes. Err((weaker, stronger, package))
/// names the clashing pair when a conflict cannot be avoided.
fn build_classes(
    prep: &Prep,
    plan: &[Slot],
    out: &FlowOut,
) -> Result<Vec<Class>, (usize, usize, usize)> {
    let mut classes = Vec::new();
    let n_p = prep.pkgs.len();
    for p in 0..n_p {
        let mut pool: Vec<(usize, usize)> = out
            .chosen
            .iter()
            .filter(|x| x.1 == p)
            .map(|x| (x.0, x.2))
            .collect();
        pool.sort_by_key(|x| (x.1, x.0));
        for s in (0..prep.stages).rev() {
            let slots: Vec<&Slot> = plan.iter().filter(|x| x.p == p && x.s == s).collect();
            if slots.is_empty() {
                continue;
            }
            let need = out.seats.get(&(p, s)).copied().unwrap_or(0);
            // choose `need` candidates with last >= s, preferring ones without conflicts among
            // the already chosen (when a single class) and with the smallest last stage
            let mut stage_members: Vec<usize> = Vec::new();
            let mut taken = vec![false; pool.len()];
            let single = slots.len() == 1;
            for pass in 0..2 {
                for (k, &(i, last)) in pool.iter().enumerate() {
                    if stage_members.len() >= need {
                        break;
                    }
                    if taken[k] || last < s {
                        continue;
                    }
                    if pass == 0
                        && single
                        && prep.conflict_adj[i]
                            .iter()
                            .any(|j| stage_members.contains(j))
                    {
                        continue;
                    }
                    taken[k] = true;
                    stage_members.push(i);
                }
            }
            pool = pool
                .iter()
                .enumerate()
                .filter(|(k, _)| !taken[*k])
                .map(|(_, x)| *x)
                .collect();
            // split into classes: each gets its share, avoiding conflicts
            let n = slots.len();
            let base = stage_members.len() / n;
            let extra = stage_members.len() % n;
            let target: Vec<usize> = (0..n).map(|k| base + usize::from(k < extra)).collect();
            let mut groups: Vec<Vec<usize>> = vec![Vec::new(); n];
            // conflicted members first
            stage_members.sort_by_key(|&i| std::cmp::Reverse(prep.conflict_adj[i].len()));
            for &i in &stage_members {
                let pick = (0..n)
                    .filter(|&k| groups[k].len() < target[k])
                    .find(|&k| !prep.conflict_adj[i].iter().any(|j| groups[k].contains(j)));
                match pick {
                    Some(k) => groups[k].push(i),
                    None => {
                        // unavoidable: ban the weaker of i and a clashing member
                        let k = (0..n).find(|&k| groups[k].len() < target[k]).unwrap_or(0);
                        let j = groups[k]
                            .iter()
                            .copied()
                            .find(|j| prep.conflict_adj[i].contains(j))
                            .unwrap_or(i);
                        let g =
                            |c: usize| prep.opts[c].iter().find(|o| o.p == p).map_or(0, |o| o.gain);
                        let (weaker, stronger) = if g(j) < g(i) { (j, i) } else { (i, j) };
                        return Err((weaker, stronger, p));
                    }
                }
            }
            for (k, sl) in slots.iter().enumerate() {
                let mut m = std::mem::take(&mut groups[k]);
                if m.is_empty() {
                    continue; // an empty class only costs (min size 0)
                }
                m.sort_unstable();
                classes.push(Class {
                    p,
                    s,
                    r: sl.r,
                    t: sl.t,
                    members: m,
                });
            }
        }
    }
    classes.sort_by_key(|c| (c.s, c.r, c.p));
    Ok(classes)
}
