//! Orchestration: per facility, bound -> construction -> annealing -> exact assignment
//! (small facilities: exhaustive enumeration of class counts, which also proves optimality);
//! facilities are solved in parallel by a work queue over `std::thread::scope`.
//! Results depend only on the input and the seed (not on the thread count), unless the time
//! limit cuts a search short.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::assign::{Assigned, Slot, assign, assign_cut};
use crate::bound::flow_bound;
use crate::calendar::fmt_date;
use crate::model::{Facility, Instance};
use crate::prep::Prep;
use crate::search::{Greedy, Rng, anneal, construct};
use crate::solution::{ClassOut, FacilitySolution, Objective, SOLUTION_FORMAT, Solution, Status};

/// Options of [`solve`].
#[derive(Debug, Clone)]
pub struct SolveOptions {
    /// Wall-clock budget for the whole instance.
    pub time_limit: Duration,
    /// Worker threads (facilities are solved in parallel).
    pub threads: usize,
    /// Seed of the deterministic PRNG.
    pub seed: u64,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: Duration::from_secs(12),
            threads: 1,
            seed: 0,
        }
    }
}

/// Solves every facility of the instance.
pub fn solve(instance: &Instance, options: &SolveOptions) -> Solution {
    let t0 = Instant::now();
    let n = instance.facilities.len();
    let threads = options.threads.clamp(1, n.max(1));
    let deadline = t0 + options.time_limit;
    // each facility gets a share of the budget, as if the queue were perfectly balanced
    let share = options
        .time_limit
        .mul_f64((threads as f64 / n.max(1) as f64).min(1.0) * 0.95);
    let inner = if n < options.threads {
        options.threads.max(1)
    } else {
        1
    };
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<FacilitySolution>>> = Mutex::new(vec![None; n]);
    std::thread::scope(|sc| {
        for _ in 0..threads {
            sc.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::SeqCst);
                    if k >= n {
                        break;
                    }
                    let f = &instance.facilities[k];
                    let left = deadline.saturating_duration_since(Instant::now());
                    let seed = options.seed ^ (k as u64).wrapping_mul(0xA24B_AED4_963E_E407);
                    // a bug in one facility must not take the others down: fall back to
                    // the empty plan (always valid) for that facility
                    let run = || solve_facility(f, seed, share.min(left), inner);
                    let fs = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))
                        .unwrap_or_else(|_| empty_solution(f));
                    if let Ok(mut r) = results.lock() {
                        r[k] = Some(fs);
                    }
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_default();
    let facilities: Vec<FacilitySolution> = results
        .into_iter()
        .zip(&instance.facilities)
        .map(|(r, f)| r.unwrap_or_else(|| empty_solution(f)))
        .collect();
    let value = facilities.iter().map(|f| f.value).sum();
    let makespan = facilities.iter().map(|f| f.makespan_stages).sum();
    let bound = facilities
        .iter()
        .try_fold(0i64, |acc, f| f.value_bound.map(|b| acc.saturating_add(b)));
    let all_opt = facilities.iter().all(|f| f.status == Status::Optimal);
    let mut ids = std::collections::HashSet::new();
    let mut facilities = facilities;
    for f in &mut facilities {
        for c in &mut f.classes {
            while !ids.insert(c.id.clone()) {
                c.id.push('+');
            }
        }
    }
    Solution {
        format: SOLUTION_FORMAT.to_string(),
        instance: instance.name.clone(),
        partial: false,
        solver: serde_json::json!({"name": "bekal-planner", "threads": threads, "seed": options.seed,
            "time_limit_s": options.time_limit.as_secs_f64()}),
        status: if all_opt {
            Status::Optimal
        } else {
            Status::Feasible
        },
        wall_time_s: round3(t0.elapsed().as_secs_f64()),
        objective: Objective {
            value,
            makespan_stages: makespan,
            value_bound: bound,
        },
        facilities,
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn empty_solution(f: &Facility) -> FacilitySolution {
    FacilitySolution {
        id: f.id.clone(),
        status: Status::Feasible,
        value: 0,
        makespan_stages: 0,
        value_bound: None,
        wall_time_s: 0.0,
        classes: Vec::new(),
    }
}

/// Internal result of one facility (dense), before conversion to the output format.
#[derive(Debug, Clone)]
pub struct FacilityResult {
    pub assigned: Assigned,
    pub bound: i64,
    pub optimal: bool,
}

/// Elite plans evaluated exactly even when the search phase used up its time: the greedy
/// score ranks close plans only roughly (on national-1 the best exact plan was 4th).
const MIN_ELITES: usize = 4;

/// Solves one facility in dense form.
pub fn solve_prep(
    prep: &Prep,
    seed: u64,
    budget: Duration,
    inner_threads: usize,
) -> FacilityResult {
    let t0 = Instant::now();
    let deadline = t0 + budget;
    let mut best: Option<Assigned> = None;
    let mut bound = i64::MAX;
    let mut exact = false;
    // K > 1: plan enumeration with an exact assignment per plan when the facility is small
    let multi = if prep.k > 1 {
        crate::kplan::solve_multi(prep, deadline.min(t0 + budget.mul_f64(0.6)))
    } else {
        None
    };
    let en = multi.or_else(|| {
        crate::enumerate::enumerate(prep, deadline.min(t0 + budget.mul_f64(0.3)), inner_threads)
    });
    if let Some(en) = en {
        bound = en.bound;
        best = Some(en.best);
        exact = en.proven;
    }
    if !exact {
        bound = bound.min(flow_bound(prep, prep.stages));
        let mut g = Greedy::new(prep);
        let plan0 = construct(prep, &mut g, Vec::new());
        let lb0 = g.value(prep, &plan0).unwrap_or(0);
        let target = (prep.stages as i128 + 1) * i128::from(bound);
        let work = g_work(prep) as f64;
        // deterministic iteration budget derived from the time budget (about 1e9 option
        // scans per second), so results do not depend on machine load unless cut by time
        let iters = (budget.as_secs_f64() * 0.35e9 / work).clamp(2_000.0, 3_000_000.0) as usize;
        let search_deadline = t0 + budget.mul_f64(0.75);
        let lag_deadline = t0 + budget.mul_f64(0.88);
        let search = |g: &mut Greedy| {
            let mut rng = Rng::new(seed);
            anneal(
                prep,
                g,
                plan0.clone(),
                iters,
                &mut rng,
                search_deadline,
                target,
            )
        };
        // the elite plans are evaluated exactly, the first MIN_ELITES until the facility's
        // deadline, the others until `until`; on one thread this happens before the
        // Lagrangian (whose step rule uses the best value), which then gets the rest
        let evaluate = |plans: Vec<Vec<Slot>>, best: &mut Option<Assigned>, until: Instant| {
            for (k, plan) in plans.into_iter().enumerate() {
                let now = Instant::now();
                if k > 0 && (now >= deadline || (k >= MIN_ELITES && now >= until)) {
                    break;
                }
                let a = assign_cut(prep, &plan, i128::MIN, Some(deadline));
                if best
                    .as_ref()
                    .is_none_or(|b| scalar_of(prep, &a) > scalar_of(prep, b))
                {
                    *best = Some(a);
                }
            }
        };
        let lag = if inner_threads >= 2 {
            let (mut plans, lag) = std::thread::scope(|sc| {
                let h = sc.spawn(|| lagrangian(prep, lb0, lag_deadline));
                let p1 = search(&mut g);
                (p1, h.join().unwrap_or(i64::MAX))
            });
            plans.push(plan0);
            evaluate(plans, &mut best, deadline);
            lag
        } else {
            let mut plans = search(&mut g);
            plans.push(plan0);
            evaluate(plans, &mut best, t0 + budget.mul_f64(0.85));
            let lb = best.as_ref().map_or(lb0, |b| b.value.max(lb0));
            lagrangian(prep, lb, t0 + budget.mul_f64(0.97))
        };
        bound = bound.min(lag);
    }
    let assigned = best.unwrap_or(Assigned {
        classes: Vec::new(),
        value: 0,
        makespan: 0,
        relaxed_value: 0,
    });
    let bound = bound.max(assigned.value);
    let optimal = exact
        || (assigned.value == bound
            && (assigned.makespan == 0
                || flow_bound(prep, assigned.makespan - 1) < assigned.value));
    FacilityResult {
        assigned,
        bound,
        optimal,
    }
}

/// The Lagrangian bound with stage multipliers. (The (room, stage) / (trainer, stage) variant
/// `bound::lagrangian_bound_rooms`, even warm-started from the stage multipliers, converged
/// too slowly within our budgets; see docs/planner.md.)
fn lagrangian(prep: &Prep, lower: i64, deadline: Instant) -> i64 {
    crate::bound::lagrangian_bound(prep, lower, 80, deadline)
}

fn g_work(prep: &Prep) -> usize {
    prep.opts.iter().map(|o| o.len()).sum::<usize>().max(1)
}

/// (S+1)*value - makespan of an assignment.
pub fn scalar_of(prep: &Prep, a: &Assigned) -> i128 {
    (prep.stages as i128 + 1) * i128::from(a.value) - a.makespan as i128
}

fn solve_facility(f: &Facility, seed: u64, budget: Duration, inner: usize) -> FacilitySolution {
    let t0 = Instant::now();
    let Some(prep) = Prep::new(f) else {
        return empty_solution(f);
    };
    let r = solve_prep(&prep, seed, budget, inner);
    let classes = r
        .assigned
        .classes
        .iter()
        .map(|c| {
            let pk = &f.packages[c.p];
            let span = prep
                .cal
                .class_span(c.s, prep.pkgs[c.p].duration_days)
                .map(|(a, b)| (fmt_date(a), fmt_date(b)))
                .unwrap_or_default();
            ClassOut {
                id: format!("{}-{}-s{}-{}", f.id, pk.id, c.s, f.rooms[c.r].id),
                package: pk.id.clone(),
                stage: c.s as i64,
                room: f.rooms[c.r].id.clone(),
                trainer: f.trainers[c.t].id.clone(),
                start_date: span.0,
                end_date: span.1,
                members: c
                    .members
                    .iter()
                    .map(|&i| f.candidates[i].id.clone())
                    .collect(),
            }
        })
        .collect();
    FacilitySolution {
        id: f.id.clone(),
        status: if r.optimal {
            Status::Optimal
        } else {
            Status::Feasible
        },
        value: r.assigned.value,
        makespan_stages: r.assigned.makespan as i64,
        value_bound: Some(r.bound),
        wall_time_s: round3(t0.elapsed().as_secs_f64()),
        classes,
    }
}

/// Convenience for callers holding dense slots (tests, tools).
pub fn assign_plan(prep: &Prep, plan: &[Slot]) -> Assigned {
    assign(prep, plan)
}
