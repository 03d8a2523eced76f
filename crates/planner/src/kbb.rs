//! K > 1: branch and bound for one plan over the bound of [`crate::kassign`].
//!
//! The prices are the duals of the plan's LP relaxation ([`crate::lp`]); the previous plan's
//! prices per (package, stage) are tried first, which often discards a plan at once. The tree fixes one candidate per level, best root value first;
//! a child survives only if its Lagrangian bound under the root prices reaches the value that
//! would beat the incumbent. A leaf splits the members of each cell with several classes into
//! classes (sizes within the package limits, no conflict pair together).

use std::collections::HashMap;
use std::time::Instant;

use crate::assign::Slot;
use crate::kassign::{Problem, SCALE, State, lag_bound};
use crate::prep::Prep;
use crate::solution::Class;

/// Outcome for one plan.
#[derive(Debug, Clone)]
pub struct PlanResult {
    /// Best assignment found with value >= the requested minimum: (value, classes).
    pub best: Option<(i64, Vec<Class>)>,
    /// Proven upper bound on the plan's value.
    pub bound: i64,
    /// The search was complete: no assignment with a larger value than `best` (or, without
    /// `best`, none reaching the minimum) exists.
    pub exact: bool,
    pub nodes: usize,
}

/// Warm-start prices per (package, stage), carried from plan to plan.
pub type Prices = HashMap<(usize, usize), i64>;

/// Simplex pivots per LP (the LP has one row per cell and per candidate).
const LP_PIVOTS: usize = 5_000;

/// Best assignment of `plan` with value >= `need`; None when the plan is too large.
pub fn solve_plan(
    prep: &Prep,
    plan: &[Slot],
    need: i64,
    warm: &mut Prices,
    node_limit: usize,
    deadline: Instant,
) -> Option<PlanResult> {
    let pb = Problem::new(prep, plan)?;
    let st = State::new(&pb);
    let (mut eff, mut top) = (Vec::new(), Vec::new());
    let infeasible = PlanResult {
        best: None,
        bound: i64::MIN / 4,
        exact: true,
        nodes: 0,
    };
    let pruned = |bound: i64| PlanResult {
        best: None,
        bound,
        exact: true,
        nodes: 0,
    };
    // the previous plans' prices first: often enough to discard the plan
    let pi0: Vec<i64> = pb
        .cells
        .iter()
        .map(|c| warm.get(&(c.p, c.s)).copied().unwrap_or(0))
        .collect();
    // None: some cell cannot reach its minimum size, there is no assignment at all
    let Some(b0) = lag_bound(&pb, &st, &pi0, &mut eff, &mut top) else {
        return Some(infeasible);
    };
    if b0.div_euclid(SCALE) < need {
        return Some(pruned(b0.div_euclid(SCALE)));
    }
    let pi = lp_prices(&pb, &st, LP_PIVOTS);
    let Some(b1) = lag_bound(&pb, &st, &pi, &mut eff, &mut top) else {
        return Some(infeasible);
    };
    for (c, &x) in pb.cells.iter().zip(&pi) {
        warm.insert((c.p, c.s), x);
    }
    let bound = b0.min(b1).div_euclid(SCALE);
    if bound < need {
        return Some(pruned(bound));
    }
    let pi = if b1 <= b0 { pi } else { pi0 };
    let mut order: Vec<(i64, usize)> = (0..pb.pats.len())
        .filter(|&i| !pb.pats[i].is_empty())
        .map(|i| {
            let v = pb.pats[i]
                .iter()
                .map(|pt| pb.reduced(pt, &pi))
                .max()
                .unwrap_or(0);
            (v, i)
        })
        .collect();
    order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut bb = Bb {
        pb: &pb,
        st,
        pi,
        order: order.into_iter().map(|x| x.1).collect(),
        need,
        best: None,
        nodes: 0,
        limit: node_limit,
        deadline,
        aborted: false,
        eff: Vec::new(),
        top: Vec::new(),
    };
    // aim at the bound first, then lower the aim step by doubling steps: a complete search
    // that finds nothing proves the plan's optimum lies below its aim
    let (mut bound, mut step) = (bound, 0i64);
    loop {
        let aim = bound.saturating_sub(step).max(need);
        bb.need = aim;
        bb.dfs(0);
        if bb.aborted || bb.best.is_some() || aim <= need {
            break;
        }
        bound = aim - 1;
        step = step * 2 + 1;
    }
    Some(PlanResult {
        best: bb.best,
        bound,
        exact: !bb.aborted,
        nodes: bb.nodes,
    })
}

/// Prices from the LP relaxation of the node (lower size limits left out), in SCALE units.
pub fn lp_prices(pb: &Problem, st: &State, max_pivots: usize) -> Vec<i64> {
    let n_cells = pb.cells.len();
    let mut c = Vec::new();
    let mut cols = Vec::new();
    let mut b: Vec<f64> = pb
        .cells
        .iter()
        .zip(&st.used)
        .map(|(cell, &u)| (cell.cap - u) as f64)
        .collect();
    let m_row = n_cells;
    b.push(pb.m.saturating_sub(st.selected).min(pb.pats.len()) as f64);
    for (i, pats) in pb.pats.iter().enumerate() {
        if st.fixed[i] {
            continue;
        }
        let row = b.len();
        let mut any = false;
        for pt in pats {
            if !st.allowed(pb, i, pt) {
                continue;
            }
            any = true;
            c.push(pt.gain as f64);
            let mut rows = pt.cells.clone();
            rows.push(m_row);
            rows.push(row);
            cols.push(rows);
        }
        if any {
            b.push(1.0);
        }
    }
    let lp = crate::lp::solve_01(&c, &cols, &b, max_pivots);
    lp.duals[..n_cells]
        .iter()
        .map(|&y| (y * SCALE as f64).round() as i64)
        .collect()
}

struct Bb<'p, 'a> {
    pb: &'p Problem<'a>,
    st: State,
    pi: Vec<i64>,
    order: Vec<usize>,
    need: i64,
    best: Option<(i64, Vec<Class>)>,
    nodes: usize,
    limit: usize,
    deadline: Instant,
    aborted: bool,
    eff: Vec<i64>,
    top: Vec<(i64, usize, usize)>,
}

impl Bb<'_, '_> {
    fn dfs(&mut self, depth: usize) {
        if self.aborted {
            return;
        }
        self.nodes += 1;
        if self.nodes > self.limit
            || (self.nodes.is_multiple_of(4096) && Instant::now() >= self.deadline)
        {
            self.aborted = true;
            return;
        }
        let pb = self.pb;
        let Some(&i) = self.order.get(depth) else {
            self.leaf();
            return;
        };
        let mut kids: Vec<(i64, usize)> = Vec::new(); // (reduced value, pattern + 1; 0 = none)
        if self.st.selected < pb.m {
            for (k, pt) in pb.pats[i].iter().enumerate() {
                if self.st.allowed(pb, i, pt) {
                    kids.push((pb.reduced(pt, &self.pi), k + 1));
                }
            }
        }
        kids.push((0, 0));
        kids.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, k) in kids {
            let pt = k.checked_sub(1);
            self.st.fix(pb, i, pt);
            let b = lag_bound(pb, &self.st, &self.pi, &mut self.eff, &mut self.top);
            if b.is_some_and(|b| b >= self.need.saturating_mul(SCALE)) {
                self.dfs(depth + 1);
            }
            self.st.unfix(pb, i);
            if self.aborted {
                return;
            }
        }
    }

    fn leaf(&mut self) {
        let pb = self.pb;
        let value = self.st.gain - pb.cost;
        if value < self.need {
            return;
        }
        let mut classes = Vec::new();
        for (c, cell) in pb.cells.iter().enumerate() {
            let pk = &pb.prep.pkgs[cell.p];
            let Some(groups) = split(
                pb.prep,
                &self.st.members[c],
                cell.slots.len(),
                pk.lo,
                pk.cap,
            ) else {
                return;
            };
            for (sl, mut m) in cell.slots.iter().zip(groups) {
                if m.is_empty() {
                    continue; // only possible with min size 0: the class only costs
                }
                m.sort_unstable();
                classes.push(Class {
                    p: sl.p,
                    s: sl.s,
                    r: sl.r,
                    t: sl.t,
                    members: m,
                });
            }
        }
        classes.sort_by_key(|c| (c.s, c.r, c.p));
        self.best = Some((value, classes));
        self.need = value + 1;
    }
}

/// Splits `members` into `n` classes of sizes in [lo, cap] without a conflict pair in one
/// class (backtracking, most conflicted first); None when impossible.
pub fn split(
    prep: &Prep,
    members: &[usize],
    n: usize,
    lo: usize,
    cap: usize,
) -> Option<Vec<Vec<usize>>> {
    let mut order = members.to_vec();
    order.sort_by_key(|&i| (std::cmp::Reverse(prep.conflict_adj[i].len()), i));
    let mut groups = vec![Vec::new(); n];
    place(prep, &order, 0, &mut groups, lo, cap).then_some(groups)
}

fn place(
    prep: &Prep,
    order: &[usize],
    k: usize,
    groups: &mut [Vec<usize>],
    lo: usize,
    cap: usize,
) -> bool {
    let Some(&i) = order.get(k) else {
        return groups.iter().all(|g| g.len() >= lo);
    };
    // seats still needed to bring every class to `lo` must fit in the remaining members
    let short: usize = groups.iter().map(|g| lo.saturating_sub(g.len())).sum();
    if short > order.len() - k {
        return false;
    }
    for g in 0..groups.len() {
        // classes are interchangeable: never try a second empty one
        if groups[g].is_empty() && groups[..g].iter().any(|x| x.is_empty()) {
            continue;
        }
        if groups[g].len() >= cap || prep.conflict_adj[i].iter().any(|j| groups[g].contains(j)) {
            continue;
        }
        groups[g].push(i);
        if place(prep, order, k + 1, groups, lo, cap) {
            return true;
        }
        groups[g].pop();
    }
    false
}
