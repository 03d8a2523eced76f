//! K > 1 (a candidate may take several packages in disjoint stages): after the K = 1 plan is
//! built, free seats are filled greedily with second (third, ...) packages. Heuristic only;
//! the bounds for K > 1 relax the stage-disjointness rule.

use crate::prep::Prep;
use crate::solution::Class;

/// Adds further memberships to classes with free seats, by decreasing gain, respecting
/// K, different packages, disjoint stages, conflicts and max_selected.
pub fn add_second_packages(prep: &Prep, classes: &mut [Class]) {
    let n_c = prep.opts.len();
    let mut member_of: Vec<Vec<usize>> = vec![Vec::new(); n_c];
    for (k, c) in classes.iter().enumerate() {
        for &i in &c.members {
            member_of[i].push(k);
        }
    }
    let mut selected = member_of.iter().filter(|v| !v.is_empty()).count();
    let mut cands: Vec<(i64, usize, usize)> = Vec::new(); // (gain, cand, class)
    for (k, c) in classes.iter().enumerate() {
        for (i, opts) in prep.opts.iter().enumerate() {
            if let Some(o) = opts
                .iter()
                .find(|o| o.p == c.p && o.last >= c.s && o.gain > 0)
            {
                cands.push((o.gain, i, k));
            }
        }
    }
    cands.sort_by_key(|x| (std::cmp::Reverse(x.0), x.1, x.2));
    for (_, i, k) in cands {
        let c = &classes[k];
        if c.members.len() >= prep.pkgs[c.p].cap || member_of[i].len() >= prep.k {
            continue;
        }
        let (s0, s1) = (c.s, c.s + prep.pkgs[c.p].span);
        let clash = member_of[i].iter().any(|&o| {
            let d = &classes[o];
            d.p == c.p || (d.s < s1 && s0 < d.s + prep.pkgs[d.p].span)
        });
        if clash || prep.conflict_adj[i].iter().any(|j| c.members.contains(j)) {
            continue;
        }
        let new = member_of[i].is_empty();
        if new && prep.max_selected.is_some_and(|m| selected >= m) {
            continue;
        }
        if new {
            selected += 1;
        }
        member_of[i].push(k);
        classes[k].members.push(i);
        classes[k].members.sort_unstable();
    }
}
