//! Preprocessing of one facility into dense indices: calendar, which (package, stage) starts
//! are possible, which trainers can teach them, every candidate's usable options
//! (package, gain, last usable start stage) and the conflict graph.
//!
//! Everything the solver, the bounds and the explanations need, computed once.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::calendar::{Calendar, parse_date};
use crate::model::Facility;

/// A package in dense form.
#[derive(Debug, Clone)]
pub struct Pkg {
    pub duration_days: usize,
    /// Stages occupied, d_p = ceil(D_p / L).
    pub span: usize,
    pub cap: usize,
    pub lo: usize,
    pub max_classes: Option<usize>,
    pub cost: i64,
    /// Rooms able to host the package.
    pub rooms: Vec<usize>,
    /// `start_ok[s]`: s + d_p <= S, some room and some trainer can hold a class starting at s.
    pub start_ok: Vec<bool>,
    /// `trainers[s]`: trainers with the skill and available on every day of a class at s.
    pub trainers: Vec<Vec<usize>>,
    /// End date of a class starting at s (for s + d_p <= S).
    pub end: Vec<Option<NaiveDate>>,
}

/// One usable option of a candidate: package p with gain and the last usable start stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opt {
    pub p: usize,
    pub gain: i64,
    pub last: usize,
}

/// The whole facility in dense form.
#[derive(Debug, Clone)]
pub struct Prep {
    pub cal: Calendar,
    pub stages: usize,
    pub k: usize,
    pub max_selected: Option<usize>,
    pub pkgs: Vec<Pkg>,
    pub n_rooms: usize,
    pub trainer_max: Vec<Option<usize>>,
    /// Usable options per candidate (eligible, some class can end before release).
    pub opts: Vec<Vec<Opt>>,
    pub conflicts: Vec<(usize, usize)>,
    pub conflict_adj: Vec<Vec<usize>>,
    pub cand_index: HashMap<String, usize>,
    /// `dominators[i][k]`: how many other options of package `opts[i][k].p` have a gain and
    /// a last stage at least as large (ties broken by order). When at most T candidates can
    /// be selected and an option has >= T dominators, some optimal K = 1 flow avoids it.
    pub dominators: Vec<Vec<usize>>,
}

/// Gain g(i,p) = w_i * (score + bonus); `None` if not assessed.
pub fn gain(f: &Facility, cand: usize, pkg: usize) -> Option<i64> {
    let c = f.candidates.get(cand)?;
    let pid = &f.packages.get(pkg)?.id;
    let score = *c.scores.get(pid)?;
    let bonus = c
        .prefs
        .iter()
        .position(|x| x == pid)
        .and_then(|k| f.rules.preference_bonus.get(k))
        .copied()
        .unwrap_or(0);
    Some(c.priority.saturating_mul(score + bonus))
}

/// Why a candidate is not eligible for a package (None = eligible).
pub fn ineligibility(f: &Facility, cand: usize, pkg: usize) -> Option<String> {
    let c = f.candidates.get(cand)?;
    let p = f.packages.get(pkg)?;
    let flags: HashSet<&str> = c.flags.iter().map(|s| s.as_str()).collect();
    for fl in f.rules.required_flags.iter().chain(p.required_flags.iter()) {
        if !flags.contains(fl.as_str()) {
            return Some(format!("missing_flag:{fl}"));
        }
    }
    match c.scores.get(&p.id) {
        None => Some("not_assessed".to_string()),
        Some(s) if *s < p.min_score => Some(format!("below_min_score:{s}<{}", p.min_score)),
        Some(_) => None,
    }
}

fn to_usize(x: i64) -> usize {
    usize::try_from(x).unwrap_or(0)
}

impl Prep {
    /// Builds the dense form; `None` only for an invalid facility (bad dates).
    pub fn new(f: &Facility) -> Option<Prep> {
        let cal = Calendar::new(&f.calendar)?;
        let stages = cal.num_stages;
        let n_rooms = f.rooms.len();
        let mut unavailable: Vec<Vec<(NaiveDate, NaiveDate)>> = Vec::new();
        for t in &f.trainers {
            let mut v = Vec::new();
            for (a, b) in &t.unavailable {
                v.push((parse_date(a)?, parse_date(b)?));
            }
            unavailable.push(v);
        }
        let mut pkgs = Vec::new();
        for p in &f.packages {
            let dd = to_usize(p.duration_days);
            let span = cal.stages_of(dd);
            let rooms: Vec<usize> = (0..n_rooms)
                .filter(|&r| {
                    f.rooms[r]
                        .packages
                        .as_ref()
                        .is_none_or(|l| l.contains(&p.id))
                })
                .collect();
            let mut start_ok = vec![false; stages];
            let mut trainers = vec![Vec::new(); stages];
            let mut end = vec![None; stages];
            for s in 0..stages {
                if s + span > stages {
                    continue;
                }
                let Some(days) = cal.class_days(s, dd) else {
                    continue;
                };
                end[s] = days.last().copied();
                for (t, tr) in f.trainers.iter().enumerate() {
                    if !tr.skills.contains(&p.skill) {
                        continue;
                    }
                    let blocked = unavailable[t]
                        .iter()
                        .any(|(a, b)| days.iter().any(|d| a <= d && d <= b));
                    if !blocked {
                        trainers[s].push(t);
                    }
                }
                start_ok[s] = !trainers[s].is_empty()
                    && !rooms.is_empty()
                    && p.max_classes.is_none_or(|m| m > 0);
            }
            pkgs.push(Pkg {
                duration_days: dd,
                span,
                cap: to_usize(p.capacity),
                lo: to_usize(p.min_size),
                max_classes: p.max_classes.map(to_usize),
                cost: p.class_cost,
                rooms,
                start_ok,
                trainers,
                end,
            });
        }
        let cand_index: HashMap<String, usize> = f
            .candidates
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let mut opts = Vec::with_capacity(f.candidates.len());
        for (i, c) in f.candidates.iter().enumerate() {
            let release = parse_date(&c.release_date)?;
            let mut o = Vec::new();
            for (pi, pk) in pkgs.iter().enumerate() {
                if ineligibility(f, i, pi).is_some() {
                    continue;
                }
                let Some(g) = gain(f, i, pi) else { continue };
                let last = (0..stages)
                    .rev()
                    .find(|&s| pk.start_ok[s] && pk.end[s].is_some_and(|e| e < release));
                if let Some(last) = last {
                    o.push(Opt {
                        p: pi,
                        gain: g,
                        last,
                    });
                }
            }
            opts.push(o);
        }
        let mut conflicts = Vec::new();
        let mut conflict_adj = vec![Vec::new(); f.candidates.len()];
        for (a, b) in &f.conflicts {
            let (Some(&a), Some(&b)) = (cand_index.get(a), cand_index.get(b)) else {
                continue;
            };
            conflicts.push((a, b));
            conflict_adj[a].push(b);
            conflict_adj[b].push(a);
        }
        let mut dominators: Vec<Vec<usize>> = opts.iter().map(|o| vec![0; o.len()]).collect();
        for p in 0..pkgs.len() {
            let mut list: Vec<(i64, usize, usize, usize)> = Vec::new(); // (gain, last, i, k)
            for (i, o) in opts.iter().enumerate() {
                for (k, x) in o.iter().enumerate() {
                    if x.p == p {
                        list.push((x.gain, x.last, i, k));
                    }
                }
            }
            list.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
            let mut by_last = vec![0usize; stages + 1];
            for &(_, last, i, k) in &list {
                dominators[i][k] = by_last[last..].iter().sum();
                by_last[last] += 1;
            }
        }
        Some(Prep {
            dominators,
            cal,
            stages,
            k: to_usize(f.rules.max_packages_per_candidate).max(1),
            max_selected: f.rules.max_selected.map(to_usize),
            pkgs,
            n_rooms,
            trainer_max: f
                .trainers
                .iter()
                .map(|t| t.max_classes.map(to_usize))
                .collect(),
            opts,
            conflicts,
            conflict_adj,
            cand_index,
        })
    }

    /// Options with at least this many dominators can be dropped from every bound: at most
    /// T = min(M, rooms x stages x max capacity) candidates are selected, and a dominating
    /// replacement must also avoid the conflicts of the class (max capacity x max degree).
    /// `usize::MAX` (no pruning) when K > 1.
    pub fn bound_prune_limit(&self) -> usize {
        if self.k != 1 {
            return usize::MAX;
        }
        let max_cap = self.pkgs.iter().map(|p| p.cap).max().unwrap_or(0);
        let slots = self.n_rooms.min(self.n_trainers()) * self.stages;
        let t = slots
            .saturating_mul(max_cap)
            .min(self.max_selected.unwrap_or(usize::MAX));
        let max_deg = self.conflict_adj.iter().map(|a| a.len()).max().unwrap_or(0);
        t.saturating_add(max_cap.saturating_mul(max_deg))
    }

    /// `table[p * S + s]`: the first stage t >= s that is some candidate's last usable stage
    /// for p (S when none). Seats of p at s and at s' with the same entry are reachable by the
    /// same candidates, so (with K = 1) moving a class between them leaves the assignment's
    /// value unchanged.
    pub fn equivalent_stages(&self) -> Vec<usize> {
        let s_n = self.stages;
        let mut is_last = vec![false; self.pkgs.len() * s_n];
        for o in self.opts.iter().flatten() {
            if o.last < s_n {
                is_last[o.p * s_n + o.last] = true;
            }
        }
        let mut table = vec![s_n; self.pkgs.len() * s_n];
        for p in 0..self.pkgs.len() {
            let mut next = s_n;
            for s in (0..s_n).rev() {
                if is_last[p * s_n + s] {
                    next = s;
                }
                table[p * s_n + s] = next;
            }
        }
        table
    }

    /// Number of trainers.
    pub fn n_trainers(&self) -> usize {
        self.trainer_max.len()
    }
}
