//! Plan search: which classes (package, stage, room, trainer) to open.
//!
//! A plan is scored by a fast greedy assignment (options by decreasing gain, each candidate
//! to the latest stage with a free seat before its deadline, which is exact per package for
//! nested deadlines) minus class costs, as the scalar (S+1)*value - makespan. The search is a
//! greedy construction followed by simulated annealing over add / remove / replace moves, with
//! a deterministic PRNG. The exact flow (assign.rs) evaluates the best plans at the end.

use crate::assign::Slot;
use crate::prep::Prep;
pub use crate::rng::Rng;

/// Fast greedy evaluator of plans.
#[derive(Debug, Clone)]
pub struct Greedy {
    /// (gain, candidate, package, last stage), by decreasing gain.
    order: Vec<(i64, u32, u16, u16)>,
    stamp: Vec<u32>,
    round: u32,
    free: Vec<usize>,
    got: Vec<usize>,
    stages: usize,
}

impl Greedy {
    pub fn new(prep: &Prep) -> Greedy {
        let mut order = Vec::new();
        for (i, opts) in prep.opts.iter().enumerate() {
            for o in opts {
                if o.gain > 0 {
                    order.push((o.gain, i as u32, o.p as u16, o.last as u16));
                }
            }
        }
        order.sort_by_key(|x| (std::cmp::Reverse(x.0), x.1, x.2));
        Greedy {
            order,
            stamp: vec![0; prep.opts.len()],
            round: 0,
            free: vec![0; prep.pkgs.len() * prep.stages],
            got: vec![0; prep.pkgs.len()],
            stages: prep.stages,
        }
    }

    /// Value (gains minus class costs) of a plan; None when a package cannot reach min size.
    pub fn value(&mut self, prep: &Prep, plan: &[Slot]) -> Option<i64> {
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.stamp.iter_mut().for_each(|x| *x = 0);
            self.round = 1;
        }
        let s_n = self.stages;
        self.free.iter_mut().for_each(|x| *x = 0);
        self.got.iter_mut().for_each(|x| *x = 0);
        let mut cost = 0;
        let mut seats_total = 0usize;
        for sl in plan {
            self.free[sl.p * s_n + sl.s] += prep.pkgs[sl.p].cap;
            cost += prep.pkgs[sl.p].cost;
            seats_total += prep.pkgs[sl.p].cap;
        }
        let limit = prep.max_selected.unwrap_or(usize::MAX).min(seats_total);
        let mut selected = 0usize;
        let mut value = 0i64;
        for &(g, i, p, last) in &self.order {
            if selected >= limit {
                break;
            }
            let i = i as usize;
            if self.stamp[i] == self.round {
                continue;
            }
            let base = p as usize * s_n;
            let mut s = last as usize + 1;
            while s > 0 {
                s -= 1;
                if self.free[base + s] > 0 {
                    self.free[base + s] -= 1;
                    self.stamp[i] = self.round;
                    self.got[p as usize] += 1;
                    selected += 1;
                    value += g;
                    break;
                }
            }
        }
        let mut need = vec![0usize; prep.pkgs.len()];
        for sl in plan {
            need[sl.p] += prep.pkgs[sl.p].lo;
        }
        if need.iter().zip(&self.got).any(|(n, g)| g < n) {
            return None;
        }
        Some(value - cost)
    }
}

/// Room / trainer / count occupancy of a plan, for feasibility of moves.
#[derive(Debug, Clone)]
pub struct Occupancy {
    stages: usize,
    room: Vec<bool>,
    trainer: Vec<bool>,
    trainer_count: Vec<usize>,
    pkg_count: Vec<usize>,
}

impl Occupancy {
    pub fn new(prep: &Prep, plan: &[Slot]) -> Occupancy {
        let mut o = Occupancy {
            stages: prep.stages,
            room: vec![false; prep.n_rooms * prep.stages],
            trainer: vec![false; prep.n_trainers() * prep.stages],
            trainer_count: vec![0; prep.n_trainers()],
            pkg_count: vec![0; prep.pkgs.len()],
        };
        for sl in plan {
            o.set(prep, *sl, true);
        }
        o
    }

    pub fn set(&mut self, prep: &Prep, sl: Slot, on: bool) {
        let span = prep.pkgs[sl.p].span;
        for x in sl.s..sl.s + span {
            self.room[sl.r * self.stages + x] = on;
            self.trainer[sl.t * self.stages + x] = on;
        }
        if on {
            self.trainer_count[sl.t] += 1;
            self.pkg_count[sl.p] += 1;
        } else {
            self.trainer_count[sl.t] = self.trainer_count[sl.t].saturating_sub(1);
            self.pkg_count[sl.p] = self.pkg_count[sl.p].saturating_sub(1);
        }
    }

    /// Is (p, s, r, t) placeable now?
    pub fn fits(&self, prep: &Prep, sl: Slot) -> bool {
        let pk = &prep.pkgs[sl.p];
        if sl.s + pk.span > prep.stages || !pk.start_ok[sl.s] {
            return false;
        }
        if pk.max_classes.is_some_and(|m| self.pkg_count[sl.p] >= m) {
            return false;
        }
        if prep.trainer_max[sl.t].is_some_and(|m| self.trainer_count[sl.t] >= m) {
            return false;
        }
        (sl.s..sl.s + pk.span)
            .all(|x| !self.room[sl.r * self.stages + x] && !self.trainer[sl.t * self.stages + x])
    }

    /// Some free (room, trainer) for (p, s), or None.
    pub fn find(&self, prep: &Prep, p: usize, s: usize, rng: Option<&mut Rng>) -> Option<Slot> {
        let pk = &prep.pkgs[p];
        if s + pk.span > prep.stages || !pk.start_ok[s] {
            return None;
        }
        let mut out = Vec::new();
        for &r in &pk.rooms {
            for &t in &pk.trainers[s] {
                let sl = Slot { p, s, r, t };
                if self.fits(prep, sl) {
                    if rng.is_none() {
                        return Some(sl);
                    }
                    out.push(sl);
                }
            }
        }
        match rng {
            Some(rng) if !out.is_empty() => Some(out[rng.below(out.len())]),
            _ => None,
        }
    }
}

/// Scalar objective (S+1)*value - makespan.
pub fn scalar(prep: &Prep, value: i64, plan: &[Slot]) -> i128 {
    let mk = plan
        .iter()
        .map(|sl| sl.s + prep.pkgs[sl.p].span)
        .max()
        .unwrap_or(0);
    (prep.stages as i128 + 1) * i128::from(value) - mk as i128
}

fn eval(g: &mut Greedy, prep: &Prep, plan: &[Slot]) -> Option<i128> {
    g.value(prep, plan).map(|v| scalar(prep, v, plan))
}

/// Greedy construction: repeatedly open the class that improves the scalar most.
pub fn construct(prep: &Prep, g: &mut Greedy, start: Vec<Slot>) -> Vec<Slot> {
    let mut plan = start;
    let mut occ = Occupancy::new(prep, &plan);
    let mut cur = eval(g, prep, &plan).unwrap_or(i128::MIN / 2);
    loop {
        let mut best: Option<(i128, Slot)> = None;
        for p in 0..prep.pkgs.len() {
            for s in 0..prep.stages {
                let Some(sl) = occ.find(prep, p, s, None) else {
                    continue;
                };
                plan.push(sl);
                if let Some(v) = eval(g, prep, &plan)
                    && v > cur
                    && best.is_none_or(|b| v > b.0)
                {
                    best = Some((v, sl));
                }
                plan.pop();
            }
        }
        let Some((v, sl)) = best else { break };
        plan.push(sl);
        occ.set(prep, sl, true);
        cur = v;
    }
    plan
}

/// Simulated annealing over plans. Stops after `iters` moves or at `deadline`, or once the
/// scalar reaches `target` (a proven bound). Returns the best distinct plans found (elite
/// pool, best first), for exact evaluation by the caller.
pub fn anneal(
    prep: &Prep,
    g: &mut Greedy,
    start: Vec<Slot>,
    iters: usize,
    rng: &mut Rng,
    deadline: std::time::Instant,
    target: i128,
) -> Vec<Vec<Slot>> {
    let mut plan = start;
    let mut occ = Occupancy::new(prep, &plan);
    let Some(mut cur) = eval(g, prep, &plan) else {
        return vec![plan];
    };
    let mut best = (cur, plan.clone());
    let elite_size = 12;
    let same = prep.equivalent_stages();
    let mut elite: Vec<Elite> = Vec::new();
    let scale = (prep.stages as f64 + 1.0)
        * (cur.max(1) as f64 / (plan.len() as f64 + 1.0) / (prep.stages as f64 + 1.0)).max(1.0);
    let n_p = prep.pkgs.len();
    let temp0: f64 = 0.1;
    for it in 0..iters {
        if best.0 >= target || (plan.is_empty() && n_p == 0) {
            break;
        }
        if it % 256 == 0 && std::time::Instant::now() >= deadline {
            break;
        }
        let temp = temp0 * scale * (1.0 - it as f64 / iters as f64);
        let kind = rng.below(12);
        let mut removed: Vec<usize> = Vec::new();
        let mut added: Vec<Slot> = Vec::new();
        if (kind < 3 || plan.is_empty()) && n_p > 0 {
            // add
            let p = rng.below(n_p);
            let s = rng.below(prep.stages.max(1));
            if let Some(sl) = occ.find(prep, p, s, Some(rng)) {
                added.push(sl);
            }
        } else if kind < 5 {
            removed.push(rng.below(plan.len()));
        } else if kind < 7 && plan.len() >= 2 {
            // swap the stages of two classes (rooms and trainers re-chosen)
            let a = rng.below(plan.len());
            let b = rng.below(plan.len());
            if a != b {
                let (x, y) = (plan[a], plan[b]);
                occ.set(prep, x, false);
                occ.set(prep, y, false);
                if let Some(nx) = occ.find(prep, x.p, y.s, Some(rng)) {
                    occ.set(prep, nx, true);
                    if let Some(ny) = occ.find(prep, y.p, x.s, Some(rng)) {
                        removed = vec![a, b];
                        added = vec![nx, ny];
                    }
                    occ.set(prep, nx, false);
                }
                occ.set(prep, x, true);
                occ.set(prep, y, true);
            }
        } else if kind < 8 {
            // same class, another trainer or room (frees resources, value unchanged)
            let k = rng.below(plan.len());
            let old = plan[k];
            occ.set(prep, old, false);
            let sl = occ.find(prep, old.p, old.s, Some(rng));
            occ.set(prep, old, true);
            if let Some(sl) = sl
                && sl != old
            {
                removed.push(k);
                added.push(sl);
            }
        } else {
            // replace: remove one, add one (same stage, another stage or same package)
            let k = rng.below(plan.len());
            let old = plan[k];
            occ.set(prep, old, false);
            let (p, s) = match rng.below(3) {
                0 => (rng.below(n_p), old.s),
                1 => (old.p, rng.below(prep.stages.max(1))),
                _ => (rng.below(n_p), rng.below(prep.stages.max(1))),
            };
            let sl = occ.find(prep, p, s, Some(rng));
            occ.set(prep, old, true);
            if let Some(sl) = sl {
                removed.push(k);
                added.push(sl);
            }
        }
        if removed.is_empty() && added.is_empty() {
            continue;
        }
        let mut cand = plan.clone();
        let old: Vec<Slot> = removed.iter().map(|&k| plan[k]).collect();
        removed.sort_unstable_by(|a, b| b.cmp(a));
        for &k in &removed {
            cand.swap_remove(k);
        }
        cand.extend(added.iter().copied());
        let Some(v) = eval(g, prep, &cand) else {
            continue;
        };
        let accept = v >= cur || (temp > 0.0 && rng.unit() < (((v - cur) as f64) / temp).exp());
        if accept {
            for &o in &old {
                occ.set(prep, o, false);
            }
            for &sl in &added {
                occ.set(prep, sl, true);
            }
            plan = cand;
            cur = v;
            if v > best.0 {
                best = (v, plan.clone());
            }
            remember(&mut elite, v, &plan, elite_size, (&same, prep.stages));
        }
    }
    remember(
        &mut elite,
        best.0,
        &best.1,
        elite_size,
        (&same, prep.stages),
    );
    elite.sort_by_key(|e| std::cmp::Reverse(e.0));
    elite.into_iter().map(|x| x.1).collect()
}

/// An elite plan: scalar, slots, sorted (package, stage) key.
type Elite = (i128, Vec<Slot>, Vec<(usize, usize)>);

/// Keeps the `size` best distinct plans: distinct multisets of (package, stage class), where
/// `same` maps a stage to its class of equivalent stages, so that plans which only move a
/// class between equivalent stages (same value) do not fill the pool.
fn remember(
    elite: &mut Vec<Elite>,
    v: i128,
    plan: &[Slot],
    size: usize,
    (same, s_n): (&[usize], usize),
) {
    if elite.len() >= size && elite.iter().all(|e| e.0 >= v) {
        return;
    }
    let mut key: Vec<(usize, usize)> = plan
        .iter()
        .map(|s| (s.p, same.get(s.p * s_n + s.s).copied().unwrap_or(s.s)))
        .collect();
    key.sort_unstable();
    // a plan that only swaps the stages of classes and keeps the score is most often a
    // mirror image with the same exact value too
    let stages_of = |p: &[Slot]| {
        let mut x: Vec<usize> = p.iter().map(|s| s.s).collect();
        x.sort_unstable();
        x
    };
    let mirror =
        |e: &Elite| e.0 == v && e.1.len() == plan.len() && stages_of(&e.1) == stages_of(plan);
    if let Some(e) = elite.iter_mut().find(|e| e.2 == key || mirror(e)) {
        if v > e.0 {
            e.0 = v;
            e.1 = plan.to_vec();
        }
        return;
    }
    elite.push((v, plan.to_vec(), key));
    if elite.len() > size {
        let (k, _) = elite
            .iter()
            .enumerate()
            .min_by_key(|(_, e)| e.0)
            .unwrap_or((0, &elite[0]));
        elite.swap_remove(k);
    }
}
