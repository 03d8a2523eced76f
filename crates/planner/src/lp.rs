//! A small dense primal simplex for `max c·x, A x <= b, x >= 0` with `b >= 0` (the slack
//! basis is feasible, so no phase 1). It is used only to find good prices (duals) for the
//! Lagrangian bounds of [`crate::kbb`]; those bounds are then evaluated exactly in integers,
//! so rounding errors here can weaken a bound but never make it wrong.

/// Optimal (or best reached) dual values of the rows, and the primal objective.
#[derive(Debug, Clone)]
pub struct LpResult {
    pub duals: Vec<f64>,
    pub objective: f64,
}

const EPS: f64 = 1e-9;

/// Solves the LP; rows are given as sparse lists of column indices with coefficient 1
/// (`cols[j]` = rows where column j has a 1). `max_pivots` caps the work.
pub fn solve_01(c: &[f64], cols: &[Vec<usize>], b: &[f64], max_pivots: usize) -> LpResult {
    let (m, n) = (b.len(), c.len());
    let w = n + m + 1; // structural, slacks, rhs
    let mut t = vec![0.0f64; m * w];
    for (j, rows) in cols.iter().enumerate() {
        for &i in rows {
            t[i * w + j] = 1.0;
        }
    }
    for i in 0..m {
        t[i * w + n + i] = 1.0;
        t[i * w + w - 1] = b[i];
    }
    // reduced costs r_j = c_j - c_B B^-1 A_j (slack basis: c_B = 0)
    let mut r = vec![0.0f64; w];
    r[..n].copy_from_slice(c);
    let mut obj = 0.0f64;
    let mut basis: Vec<usize> = (n..n + m).collect();
    let mut degenerate = 0usize;
    for _ in 0..max_pivots {
        // Dantzig's rule; Bland's rule after many degenerate pivots (no cycling)
        let bland = degenerate > 50;
        let mut enter = None;
        let mut best = EPS;
        for j in 0..w - 1 {
            if r[j] > best {
                enter = Some(j);
                if bland {
                    break;
                }
                best = r[j];
            }
        }
        let Some(e) = enter else { break };
        let mut leave = None;
        let mut ratio = f64::INFINITY;
        for i in 0..m {
            let a = t[i * w + e];
            if a > EPS {
                let q = t[i * w + w - 1] / a;
                if q < ratio - EPS
                    || (q < ratio + EPS && leave.is_some_and(|l: usize| basis[i] < basis[l]))
                {
                    ratio = q;
                    leave = Some(i);
                }
            }
        }
        let Some(l) = leave else { break }; // unbounded: cannot happen with these rows
        degenerate = if ratio < EPS { degenerate + 1 } else { 0 };
        let piv = t[l * w + e];
        for x in &mut t[l * w..(l + 1) * w] {
            *x /= piv;
        }
        let prow: Vec<f64> = t[l * w..(l + 1) * w].to_vec();
        for i in 0..m {
            if i == l {
                continue;
            }
            let f = t[i * w + e];
            if f.abs() > EPS {
                for (x, &p) in t[i * w..(i + 1) * w].iter_mut().zip(&prow) {
                    *x -= f * p;
                }
            }
        }
        let f = r[e];
        for (x, &p) in r.iter_mut().zip(&prow) {
            *x -= f * p;
        }
        obj += f * prow[w - 1];
        basis[l] = e;
    }
    LpResult {
        duals: (0..m).map(|i| (-r[n + i]).max(0.0)).collect(),
        objective: obj,
    }
}
