//! K > 1: exact assignment of candidates to a fixed class plan, by branch and bound.
//!
//! With K > 1 a candidate takes a *pattern*: up to K classes of different packages with
//! disjoint stage intervals. For a fixed plan the classes of one (package, stage) form a
//! *cell* whose seats are shared. The bound is Lagrangian: the cells' seat limits (upper and
//! lower) are priced, and each candidate then takes their best pattern alone; the M cap keeps
//! the M best. Any prices give a valid bound. All arithmetic is integer: prices are in units
//! of 1/[`SCALE`], so bounds are exact.
//!
//! The tree fixes one candidate's pattern per level (best reduced value first). Conflicts are
//! exact: a cell with one class refuses a conflicting pair. In a cell with several classes
//! the members are split into classes at the leaf ([`crate::kbb`]).

use crate::assign::Slot;
use crate::prep::Prep;

/// Prices are in units of 1/SCALE of a gain point.
pub const SCALE: i64 = 64;

/// A (package, stage) cell of a plan.
#[derive(Debug, Clone)]
pub struct Cell {
    pub p: usize,
    pub s: usize,
    /// The plan's slots of this cell (its classes).
    pub slots: Vec<Slot>,
    pub cap: usize,
    pub lo: usize,
}

/// One pattern of a candidate: a set of cells (bit mask and list) and its gain.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub mask: u64,
    pub cells: Vec<usize>,
    pub gain: i64,
}

/// The assignment problem of one plan.
#[derive(Debug)]
pub struct Problem<'a> {
    pub prep: &'a Prep,
    pub cells: Vec<Cell>,
    pub cost: i64,
    /// Patterns of each candidate (empty pattern excluded).
    pub pats: Vec<Vec<Pattern>>,
    pub m: usize,
}

/// Patterns per candidate above this make the plan "too large" for the exact method.
const PATTERN_LIMIT: usize = 4_096;
/// Entries of the LP tableau above this make the plan "too large" (about 16 MB, a few ms per
/// pivot).
const TABLEAU_LIMIT: usize = 2_000_000;

impl<'a> Problem<'a> {
    /// Builds the problem; None when the plan has more than 64 cells, too many patterns or
    /// too large an LP.
    pub fn new(prep: &'a Prep, plan: &[Slot]) -> Option<Problem<'a>> {
        let mut cells: Vec<Cell> = Vec::new();
        let mut sorted = plan.to_vec();
        sorted.sort_unstable();
        for sl in sorted {
            let pk = &prep.pkgs[sl.p];
            match cells.iter_mut().find(|c| c.p == sl.p && c.s == sl.s) {
                Some(c) => {
                    c.slots.push(sl);
                    c.cap += pk.cap;
                    c.lo += pk.lo;
                }
                None => cells.push(Cell {
                    p: sl.p,
                    s: sl.s,
                    slots: vec![sl],
                    cap: pk.cap,
                    lo: pk.lo,
                }),
            }
        }
        if cells.len() > 64 {
            return None;
        }
        let cost = plan.iter().map(|sl| prep.pkgs[sl.p].cost).sum();
        let mut pats = Vec::with_capacity(prep.opts.len());
        for opts in &prep.opts {
            // (cell, gain) the candidate may join
            let usable: Vec<(usize, i64)> = cells
                .iter()
                .enumerate()
                .filter_map(|(k, c)| {
                    opts.iter()
                        .find(|o| o.p == c.p && o.last >= c.s)
                        .map(|o| (k, o.gain))
                })
                .collect();
            let mut out = Vec::new();
            let mut stack = Vec::new();
            grow(prep, &cells, &usable, 0, &mut stack, &mut out);
            if out.len() > PATTERN_LIMIT {
                return None;
            }
            pats.push(out);
        }
        // the LP of the plan is a dense tableau: keep it small
        let rows = cells.len() + 1 + pats.iter().filter(|v| !v.is_empty()).count();
        let cols: usize = pats.iter().map(|v| v.len()).sum::<usize>() + rows;
        if rows.saturating_mul(cols) > TABLEAU_LIMIT {
            return None;
        }
        Some(Problem {
            prep,
            cells,
            cost,
            pats,
            m: prep.max_selected.unwrap_or(usize::MAX),
        })
    }

    /// Reduced value (scaled) of pattern `pt` under prices `pi`.
    pub fn reduced(&self, pt: &Pattern, pi: &[i64]) -> i64 {
        pt.gain * SCALE - pt.cells.iter().map(|&c| pi[c]).sum::<i64>()
    }
}

fn compatible(prep: &Prep, cells: &[Cell], a: usize, b: usize) -> bool {
    let (x, y) = (&cells[a], &cells[b]);
    let (ex, ey) = (x.s + prep.pkgs[x.p].span, y.s + prep.pkgs[y.p].span);
    x.p != y.p && (ex <= y.s || ey <= x.s)
}

/// Depth-first generation of the patterns over `usable[from..]`.
fn grow(
    prep: &Prep,
    cells: &[Cell],
    usable: &[(usize, i64)],
    from: usize,
    stack: &mut Vec<(usize, i64)>,
    out: &mut Vec<Pattern>,
) {
    if out.len() > PATTERN_LIMIT {
        return;
    }
    for k in from..usable.len() {
        let (c, g) = usable[k];
        if stack.iter().any(|&(d, _)| !compatible(prep, cells, c, d)) {
            continue;
        }
        stack.push((c, g));
        out.push(Pattern {
            mask: stack.iter().fold(0, |m, &(d, _)| m | 1u64 << d),
            cells: stack.iter().map(|&(d, _)| d).collect(),
            gain: stack.iter().map(|&(_, g)| g).sum(),
        });
        if stack.len() < prep.k {
            grow(prep, cells, usable, k + 1, stack, out);
        }
        stack.pop();
    }
}

/// The state of a node: who is fixed to what, the seats used.
#[derive(Debug, Clone)]
pub struct State {
    /// Chosen pattern per candidate (None = free or fixed to nothing, see `fixed`).
    pub choice: Vec<Option<usize>>,
    pub fixed: Vec<bool>,
    pub used: Vec<usize>,
    pub members: Vec<Vec<usize>>,
    pub selected: usize,
    pub gain: i64,
}

impl State {
    pub fn new(pb: &Problem) -> State {
        State {
            choice: vec![None; pb.pats.len()],
            fixed: vec![false; pb.pats.len()],
            used: vec![0; pb.cells.len()],
            members: vec![Vec::new(); pb.cells.len()],
            selected: 0,
            gain: 0,
        }
    }

    /// Fixes candidate i to pattern `pt` (None = not selected).
    pub fn fix(&mut self, pb: &Problem, i: usize, pt: Option<usize>) {
        self.fixed[i] = true;
        self.choice[i] = pt;
        if let Some(k) = pt {
            let p = &pb.pats[i][k];
            for &c in &p.cells {
                self.used[c] += 1;
                self.members[c].push(i);
            }
            self.selected += 1;
            self.gain += p.gain;
        }
    }

    /// Undoes [`State::fix`].
    pub fn unfix(&mut self, pb: &Problem, i: usize) {
        if let Some(k) = self.choice[i] {
            let p = &pb.pats[i][k];
            for &c in &p.cells {
                self.used[c] -= 1;
                self.members[c].pop();
            }
            self.selected -= 1;
            self.gain -= p.gain;
        }
        self.fixed[i] = false;
        self.choice[i] = None;
    }

    /// Whether free candidate i may still take pattern `pt` (seats; conflicts in one-class
    /// cells).
    pub fn allowed(&self, pb: &Problem, i: usize, pt: &Pattern) -> bool {
        pt.cells.iter().all(|&c| {
            self.used[c] < pb.cells[c].cap
                && (pb.cells[c].slots.len() > 1
                    || !pb.prep.conflict_adj[i]
                        .iter()
                        .any(|j| self.members[c].contains(j)))
        })
    }
}

/// Lagrangian bound of a node (scaled by SCALE) under prices `pi`; `eff` and `best` are
/// scratch space. None when some cell can no longer reach its minimum size.
pub fn lag_bound(
    pb: &Problem,
    st: &State,
    pi: &[i64],
    eff: &mut Vec<i64>,
    best: &mut Vec<(i64, usize, usize)>,
) -> Option<i64> {
    let n_cells = pb.cells.len();
    eff.clear();
    let mut konst = 0i64;
    for c in 0..n_cells {
        let cell = &pb.cells[c];
        let res_u = (cell.cap - st.used[c]) as i64;
        let res_l = cell.lo as i64 - st.used[c] as i64;
        // a price below zero prices the lower limit; once that is met, use zero instead
        let e = if res_l <= 0 { pi[c].max(0) } else { pi[c] };
        konst += if e > 0 { e * res_u } else { e * res_l };
        eff.push(e);
    }
    best.clear();
    let mut reach = vec![0usize; n_cells];
    let mut reach_mask;
    for (i, pats) in pb.pats.iter().enumerate() {
        if st.fixed[i] || pats.is_empty() {
            continue;
        }
        reach_mask = 0u64;
        let mut top = (0i64, usize::MAX);
        for (k, pt) in pats.iter().enumerate() {
            if !st.allowed(pb, i, pt) {
                continue;
            }
            reach_mask |= pt.mask;
            let v = pb.reduced(pt, eff);
            if v > top.0 {
                top = (v, k);
            }
        }
        for c in 0..n_cells {
            if reach_mask >> c & 1 == 1 {
                reach[c] += 1;
            }
        }
        if top.1 != usize::MAX {
            best.push((top.0, i, top.1));
        }
    }
    for c in 0..n_cells {
        if st.used[c] + reach[c] < pb.cells[c].lo {
            return None;
        }
    }
    let m_left = pb.m.saturating_sub(st.selected);
    if best.len() > m_left {
        best.sort_unstable_by(|a, b| b.cmp(a));
        best.truncate(m_left);
    }
    let free: i64 = best.iter().map(|x| x.0).sum();
    Some((st.gain - pb.cost) * SCALE + konst + free)
}
