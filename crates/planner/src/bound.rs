//! Proven upper bounds on a facility's value.
//!
//! The bound is the optimum of a flow relaxation of the MIP: classes may be fractional, so a
//! class's cost is charged per seat (c_p / U_p, exact after scaling by lcm of capacities);
//! seats of (package, stage) are limited by rooms, trainers and max_classes; seats of a stage
//! by (max number of parallel classes) x (largest capacity); optionally package totals by
//! max_classes; K > 1 lets a candidate take each package once (stage overlap relaxed);
//! conflicts and min sizes are dropped. Every relaxed constraint only enlarges the feasible
//! set, so the flow optimum is an upper bound; it is computed exactly in integers.

use crate::flow::Flow;
use crate::prep::Prep;

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Max number of classes that can start in stage s within `horizon` (rooms x trainers matching).
fn parallel_classes(prep: &Prep, s: usize, horizon: usize) -> usize {
    let n_r = prep.n_rooms;
    let n_t = prep.n_trainers();
    let mut ok = vec![vec![false; n_t]; n_r];
    for pk in &prep.pkgs {
        if s + pk.span > horizon || !pk.start_ok.get(s).copied().unwrap_or(false) {
            continue;
        }
        for &r in &pk.rooms {
            for &t in &pk.trainers[s] {
                ok[r][t] = true;
            }
        }
    }
    // bipartite matching rooms -> trainers (Kuhn)
    let mut match_t: Vec<Option<usize>> = vec![None; n_t];
    let mut size = 0;
    for r in 0..n_r {
        let mut seen = vec![false; n_t];
        if kuhn(r, &ok, &mut seen, &mut match_t) {
            size += 1;
        }
    }
    size
}

fn kuhn(r: usize, ok: &[Vec<bool>], seen: &mut [bool], match_t: &mut [Option<usize>]) -> bool {
    for t in 0..seen.len() {
        if ok[r][t] && !seen[t] {
            seen[t] = true;
            if match_t[t].is_none_or(|r2| kuhn(r2, ok, seen, match_t)) {
                match_t[t] = Some(r);
                return true;
            }
        }
    }
    false
}

/// Upper bound on the value of any plan whose classes all end by stage `horizon`
/// (horizon = S for the plain bound; smaller to prove makespan minimality).
pub fn flow_bound(prep: &Prep, horizon: usize) -> i64 {
    let mut scale: u128 = 1;
    for pk in &prep.pkgs {
        let c = pk.cap.max(1) as u128;
        scale = scale / gcd(scale, c) * c;
        if scale > 1_000_000 {
            scale = 1;
            break;
        }
    }
    let scale = scale as i128;
    let a = stage_bound(prep, horizon, scale, true);
    let b = if prep.pkgs.iter().any(|p| p.max_classes.is_some()) {
        stage_bound(prep, horizon, scale, false)
    } else {
        a
    };
    let best = a.min(b);
    i64::try_from(best.div_euclid(scale)).unwrap_or(i64::MAX)
}

/// One relaxation: `by_stage` limits seats per stage, otherwise seats per package total.
fn stage_bound(prep: &Prep, horizon: usize, scale: i128, by_stage: bool) -> i128 {
    let s_n = prep.stages;
    let n_p = prep.pkgs.len();
    let n_c = prep.opts.len();
    // nodes: 0 src, 1 src2, 2 sink, chain (p,s), stage/package nodes, candidates
    let chain = |p: usize, s: usize| 3 + p * s_n + s;
    let agg_base = 3 + n_p * s_n;
    let n_agg = if by_stage { s_n } else { n_p };
    let cand_base = agg_base + n_agg;
    let mut f = Flow::new(cand_base + n_c);
    let k = prep.k as i128;
    let m_cap = prep.max_selected.map_or(n_c as i128 * k, |m| m as i128 * k);
    f.add_edge(0, 1, m_cap, 0);
    let limit = prep.bound_prune_limit();
    let usable = |p: usize, s: usize| {
        let pk = &prep.pkgs[p];
        s + pk.span <= horizon && pk.start_ok.get(s).copied().unwrap_or(false)
    };
    for (i, opts) in prep.opts.iter().enumerate() {
        let mut any = false;
        for (kk, o) in opts.iter().enumerate() {
            if !(0..=o.last).any(|s| usable(o.p, s)) || prep.dominators[i][kk] >= limit {
                continue;
            }
            any = true;
            f.add_edge(
                cand_base + i,
                chain(o.p, o.last),
                1,
                i128::from(o.gain) * scale,
            );
        }
        if any {
            f.add_edge(1, cand_base + i, k, 0);
        }
    }
    let mut stage_seats = vec![0i128; s_n];
    if by_stage {
        for (s, seats) in stage_seats.iter_mut().enumerate() {
            let cap = prep
                .pkgs
                .iter()
                .enumerate()
                .filter(|(p, _)| usable(*p, s))
                .map(|(_, pk)| pk.cap)
                .max()
                .unwrap_or(0);
            *seats = (parallel_classes(prep, s, horizon) * cap) as i128;
        }
    }
    for (p, pk) in prep.pkgs.iter().enumerate() {
        for s in 1..s_n {
            f.add_edge(chain(p, s), chain(p, s - 1), i128::MAX / 8, 0);
        }
        let per_seat = i128::from(pk.cost) * scale / pk.cap.max(1) as i128;
        for s in 0..s_n {
            if !usable(p, s) {
                continue;
            }
            let mut k_ps = pk.rooms.len().min(pk.trainers[s].len());
            if let Some(m) = pk.max_classes {
                k_ps = k_ps.min(m);
            }
            let target = if by_stage { agg_base + s } else { agg_base + p };
            f.add_edge(chain(p, s), target, (k_ps * pk.cap) as i128, -per_seat);
        }
        if !by_stage {
            let total = pk
                .max_classes
                .map_or(i128::MAX / 8, |m| (m * pk.cap) as i128);
            f.add_edge(agg_base + p, 2, total, 0);
        }
    }
    if by_stage {
        for (s, seats) in stage_seats.iter().enumerate() {
            f.add_edge(agg_base + s, 2, *seats, 0);
        }
    }
    f.max_gain(0, 2).0
}

/// Max number of classes active in stage t (rooms x trainers matching over classes that
/// could be running at t).
fn active_classes(prep: &Prep, t: usize) -> usize {
    let n_t = prep.n_trainers();
    let mut ok = vec![vec![false; n_t]; prep.n_rooms];
    for pk in &prep.pkgs {
        for s in 0..prep.stages {
            if s > t || t >= s + pk.span || !pk.start_ok[s] {
                continue;
            }
            for &r in &pk.rooms {
                for &tr in &pk.trainers[s] {
                    ok[r][tr] = true;
                }
            }
        }
    }
    let mut match_t: Vec<Option<usize>> = vec![None; n_t];
    let mut size = 0;
    for r in 0..prep.n_rooms {
        let mut seen = vec![false; n_t];
        if kuhn(r, &ok, &mut seen, &mut match_t) {
            size += 1;
        }
    }
    size
}

fn lcm_scale(prep: &Prep) -> i128 {
    let mut scale: u128 = 1;
    for pk in &prep.pkgs {
        let c = pk.cap.max(1) as u128;
        scale = scale / gcd(scale, c) * c;
        if scale > 1_000_000 {
            return 1;
        }
    }
    scale as i128
}

/// One Lagrangian subproblem: returns (bound in scaled units, classes per (p, s) as f64).
fn lagrange_flow(prep: &Prep, lambda: &[i64], r_t: &[usize], scale: i128) -> (i128, Vec<Vec<f64>>) {
    let s_n = prep.stages;
    let n_p = prep.pkgs.len();
    let n_c = prep.opts.len();
    let chain = |p: usize, s: usize| 3 + p * s_n + s;
    let pkg_base = 3 + n_p * s_n;
    let cand_base = pkg_base + n_p;
    let mut f = Flow::new(cand_base + n_c);
    let k = prep.k as i128;
    let m_cap = prep.max_selected.map_or(n_c as i128 * k, |m| m as i128 * k);
    f.add_edge(0, 1, m_cap, 0);
    let limit = prep.bound_prune_limit();
    for (i, opts) in prep.opts.iter().enumerate() {
        let mut any = false;
        for (kk, o) in opts.iter().enumerate() {
            if prep.dominators[i][kk] >= limit {
                continue;
            }
            any = true;
            f.add_edge(
                cand_base + i,
                chain(o.p, o.last),
                1,
                i128::from(o.gain) * scale,
            );
        }
        if any {
            f.add_edge(1, cand_base + i, k, 0);
        }
    }
    let mut seat_edges = Vec::new();
    for (p, pk) in prep.pkgs.iter().enumerate() {
        for s in 1..s_n {
            f.add_edge(chain(p, s), chain(p, s - 1), i128::MAX / 8, 0);
        }
        for s in 0..s_n {
            if s + pk.span > s_n || !pk.start_ok[s] {
                continue;
            }
            let lam: i128 = (s..s + pk.span).map(|t| i128::from(lambda[t])).sum();
            let per_seat = (i128::from(pk.cost) + lam) * scale / pk.cap.max(1) as i128;
            let mut k_ps = pk.rooms.len().min(pk.trainers[s].len());
            if let Some(m) = pk.max_classes {
                k_ps = k_ps.min(m);
            }
            let e = f.add_edge(
                chain(p, s),
                pkg_base + p,
                (k_ps * pk.cap) as i128,
                -per_seat,
            );
            seat_edges.push((p, s, e));
        }
        let total = pk
            .max_classes
            .map_or(i128::MAX / 8, |m| (m * pk.cap) as i128);
        f.add_edge(pkg_base + p, 2, total, 0);
    }
    let (gain, _) = f.max_gain(0, 2);
    let mut frac = vec![vec![0.0; s_n]; n_p];
    for (p, s, e) in seat_edges {
        frac[p][s] = f.flow(e) as f64 / prep.pkgs[p].cap.max(1) as f64;
    }
    let lr: i128 = lambda
        .iter()
        .zip(r_t)
        .map(|(l, r)| i128::from(*l) * *r as i128)
        .sum();
    (gain + lr * scale, frac)
}

/// Lagrangian bound: relaxes "at most R_t classes active in stage t" with multipliers, solves
/// each subproblem exactly by flow (classes fractional, cost per seat), and improves the
/// multipliers by Polyak subgradient steps towards `lower` (a known plan value). Every
/// iterate is a valid bound; the best is returned.
pub fn lagrangian_bound(
    prep: &Prep,
    lower: i64,
    iters: usize,
    deadline: std::time::Instant,
) -> i64 {
    lagrangian_stage(prep, lower, iters, deadline).0
}

/// [`lagrangian_bound`] that also returns the best stage multipliers (value units).
pub fn lagrangian_stage(
    prep: &Prep,
    lower: i64,
    iters: usize,
    deadline: std::time::Instant,
) -> (i64, Vec<f64>) {
    let s_n = prep.stages;
    if s_n == 0 || prep.opts.iter().all(|o| o.is_empty()) {
        return (0, Vec::new());
    }
    let scale = lcm_scale(prep);
    let r_t: Vec<usize> = (0..s_n).map(|t| active_classes(prep, t)).collect();
    let total_r: usize = r_t.iter().sum::<usize>().max(1);
    let init = (lower.max(0) as f64 / total_r as f64 * 0.7).floor();
    let mut lam = vec![init; s_n];
    let mut best = i128::MAX;
    let mut best_lam = lam.clone();
    let mut mu = 1.0f64;
    let mut stall = 0;
    for it in 0..iters {
        if it > 0 && std::time::Instant::now() >= deadline {
            break;
        }
        let lam_i: Vec<i64> = lam.iter().map(|x| x.max(0.0).round() as i64).collect();
        let (b, frac) = lagrange_flow(prep, &lam_i, &r_t, scale);
        if b < best {
            best = b;
            best_lam = lam_i.iter().map(|x| *x as f64).collect();
            stall = 0;
        } else {
            stall += 1;
            if stall >= 3 {
                mu *= 0.5;
                stall = 0;
            }
        }
        let bound_v = b as f64 / scale as f64;
        let g: Vec<f64> = (0..s_n)
            .map(|t| {
                let mut active = 0.0;
                for (p, pk) in prep.pkgs.iter().enumerate() {
                    for s in t.saturating_sub(pk.span - 1)..=t {
                        if s + pk.span > t && s < s_n {
                            active += frac[p][s];
                        }
                    }
                }
                r_t[t] as f64 - active
            })
            .collect();
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm < 1e-9 || mu < 1e-3 {
            break;
        }
        let step = mu * (bound_v - lower as f64).max(1.0) / norm;
        for t in 0..s_n {
            lam[t] = (lam[t] - step * g[t]).max(0.0);
        }
    }
    (
        i64::try_from(best.div_euclid(scale)).unwrap_or(i64::MAX),
        best_lam,
    )
}

/// Lagrangian bound with one multiplier per (room, stage) and per (trainer, stage): the
/// subproblem picks fractional classes (package, start, room, trainer), each at most once,
/// paying the class cost plus the multipliers of the stages it occupies, per seat. This is
/// the Lagrangian dual of the LP relaxation over the room and trainer constraints, so it
/// converges towards the LP bound. Every iterate is a valid bound; the best is returned.
pub fn lagrangian_bound_rooms(
    prep: &Prep,
    lower: i64,
    iters: usize,
    deadline: std::time::Instant,
    stage_lambda: Option<&[f64]>,
) -> i64 {
    let s_n = prep.stages;
    let n_r = prep.n_rooms;
    let n_t = prep.n_trainers();
    if s_n == 0 || prep.opts.iter().all(|o| o.is_empty()) {
        return 0;
    }
    let scale = lcm_scale(prep);
    let v_bar = lower.max(1) as f64 / (n_r.max(1) * s_n) as f64;
    let mut alpha = vec![0.6 * v_bar; n_r * s_n];
    let mut beta = vec![0.05 * v_bar; n_t * s_n];
    if let Some(lam) = stage_lambda.filter(|l| l.len() == s_n) {
        // start where the stage relaxation ended: the binding side of R_t carries lambda_t
        for t in 0..s_n {
            let r_t = active_classes(prep, t);
            let on_rooms = r_t >= n_r || r_t < n_t;
            for r in 0..n_r {
                alpha[r * s_n + t] = if on_rooms { lam[t] } else { 0.0 };
            }
            for tr in 0..n_t {
                beta[tr * s_n + t] = if on_rooms { 0.0 } else { lam[t] };
            }
        }
    }
    let mut best = i128::MAX;
    let mut mu = 1.0f64;
    let mut stall = 0;
    let n_p = prep.pkgs.len();
    let n_c = prep.opts.len();
    let chain = |p: usize, s: usize| 3 + p * s_n + s;
    let pkg_base = 3 + n_p * s_n;
    let q_base = pkg_base + n_p;
    let cand_base = q_base + n_p * s_n;
    for it in 0..iters {
        if it > 0 && std::time::Instant::now() >= deadline {
            break;
        }
        let a_i: Vec<i64> = alpha.iter().map(|x| x.max(0.0).round() as i64).collect();
        let b_i: Vec<i64> = beta.iter().map(|x| x.max(0.0).round() as i64).collect();
        let mut f = Flow::new(cand_base + n_c);
        let k = prep.k as i128;
        let m_cap = prep.max_selected.map_or(n_c as i128 * k, |m| m as i128 * k);
        f.add_edge(0, 1, m_cap, 0);
        let limit = prep.bound_prune_limit();
        for (i, opts) in prep.opts.iter().enumerate() {
            let mut any = false;
            for (kk, o) in opts.iter().enumerate() {
                if prep.dominators[i][kk] >= limit {
                    continue;
                }
                any = true;
                f.add_edge(
                    cand_base + i,
                    chain(o.p, o.last),
                    1,
                    i128::from(o.gain) * scale,
                );
            }
            if any {
                f.add_edge(1, cand_base + i, k, 0);
            }
        }
        let mut combos = Vec::new(); // (p, s, r, t, edge)
        for (p, pk) in prep.pkgs.iter().enumerate() {
            for s in 1..s_n {
                f.add_edge(chain(p, s), chain(p, s - 1), i128::MAX / 8, 0);
            }
            for s in 0..s_n {
                if s + pk.span > s_n || !pk.start_ok[s] {
                    continue;
                }
                let mut k_ps = pk.rooms.len().min(pk.trainers[s].len());
                if let Some(m) = pk.max_classes {
                    k_ps = k_ps.min(m);
                }
                let q = q_base + p * s_n + s;
                f.add_edge(chain(p, s), q, (k_ps * pk.cap) as i128, 0);
                for &r in &pk.rooms {
                    let ra: i128 = (s..s + pk.span).map(|x| i128::from(a_i[r * s_n + x])).sum();
                    for &t in &pk.trainers[s] {
                        let tb: i128 = (s..s + pk.span).map(|x| i128::from(b_i[t * s_n + x])).sum();
                        let per_seat =
                            (i128::from(pk.cost) + ra + tb) * scale / pk.cap.max(1) as i128;
                        let e = f.add_edge(q, pkg_base + p, pk.cap as i128, -per_seat);
                        combos.push((p, s, r, t, e));
                    }
                }
            }
            let total = pk
                .max_classes
                .map_or(i128::MAX / 8, |m| (m * pk.cap) as i128);
            f.add_edge(pkg_base + p, 2, total, 0);
        }
        let (gain, _) = f.max_gain(0, 2);
        let rhs: i128 = a_i.iter().chain(&b_i).map(|x| i128::from(*x)).sum();
        let b = gain + rhs * scale;
        if b < best {
            best = b;
            stall = 0;
        } else {
            stall += 1;
            if stall >= 3 {
                mu *= 0.5;
                stall = 0;
            }
        }
        let mut g_a = vec![1.0f64; n_r * s_n];
        let mut g_b = vec![1.0f64; n_t * s_n];
        for &(p, s, r, t, e) in &combos {
            let fr = f.flow(e) as f64 / prep.pkgs[p].cap.max(1) as f64;
            if fr == 0.0 {
                continue;
            }
            for x in s..s + prep.pkgs[p].span {
                g_a[r * s_n + x] -= fr;
                g_b[t * s_n + x] -= fr;
            }
        }
        // a zero multiplier with slack cannot decrease: project the subgradient
        for (g, a) in g_a.iter_mut().zip(&alpha) {
            if *a <= 0.0 && *g > 0.0 {
                *g = 0.0;
            }
        }
        for (g, a) in g_b.iter_mut().zip(&beta) {
            if *a <= 0.0 && *g > 0.0 {
                *g = 0.0;
            }
        }
        let norm: f64 = g_a.iter().chain(&g_b).map(|x| x * x).sum();
        if norm < 1e-9 || mu < 1e-3 {
            break;
        }
        let bound_v = b as f64 / scale as f64;
        let step = mu * (bound_v - lower as f64).max(1.0) / norm;
        for (a, g) in alpha.iter_mut().zip(&g_a) {
            *a = (*a - step * g).max(0.0);
        }
        for (a, g) in beta.iter_mut().zip(&g_b) {
            *a = (*a - step * g).max(0.0);
        }
    }
    i64::try_from(best.div_euclid(scale)).unwrap_or(i64::MAX)
}
