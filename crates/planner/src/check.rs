//! A re-implementation of check.py's solution rules (S1, S2, H1-H14, C1, C2) over a
//! `serde_json::Value`, so malformed solutions are reported rather than rejected by serde.
//! Codes and the order of checks follow check.py; messages are shorter.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use crate::calendar::{Calendar, fmt_date, parse_date};
use crate::model::{Facility, Instance};
use crate::prep::gain;
use crate::solution::{SOLUTION_FORMAT, Solution};

/// One violation: check.py's code, where it happened, what is wrong.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Violation {
    pub code: String,
    pub location: String,
    pub message: String,
}

/// Result of [`check`].
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub valid: bool,
    pub violations: Vec<Violation>,
    pub facilities_checked: usize,
    pub value: i64,
    pub makespan_stages: i64,
    pub selected: usize,
    pub classes: usize,
}

impl CheckReport {
    /// Whether some violation carries this code.
    pub fn has(&self, code: &str) -> bool {
        self.violations.iter().any(|v| v.code == code)
    }
}

struct Ctx {
    errs: Vec<Violation>,
}

impl Ctx {
    fn err(&mut self, loc: &str, code: &str, msg: String) {
        self.errs.push(Violation {
            code: code.to_string(),
            location: loc.to_string(),
            message: msg,
        });
    }
}

/// Checks a typed solution (serialised first, so the rules are the same).
pub fn check_solution(
    instance: &Instance,
    solution: &Solution,
    allow_partial: bool,
) -> CheckReport {
    match serde_json::to_value(solution) {
        Ok(v) => check(instance, &v, allow_partial),
        Err(e) => CheckReport {
            valid: false,
            violations: vec![Violation {
                code: "S1".into(),
                location: "solution".into(),
                message: e.to_string(),
            }],
            facilities_checked: 0,
            value: 0,
            makespan_stages: 0,
            selected: 0,
            classes: 0,
        },
    }
}

fn as_int(v: Option<&Value>) -> Option<i64> {
    match v {
        Some(Value::Number(n)) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|x| x.fract() == 0.0 && x.abs() < 9e15)
                .map(|x| x as i64)
        }),
        _ => None,
    }
}

/// Checks a solution JSON value against a (validated) instance, like `check.py`.
pub fn check(instance: &Instance, sol: &Value, allow_partial: bool) -> CheckReport {
    let mut cx = Ctx { errs: Vec::new() };
    let (mut tot_v, mut tot_m, mut tot_sel, mut tot_cls, mut n_fac) =
        (0i64, 0i64, 0usize, 0usize, 0);
    let by_id: HashMap<&str, &Facility> = instance
        .facilities
        .iter()
        .map(|f| (f.id.as_str(), f))
        .collect();
    let facs = sol.get("facilities").and_then(|v| v.as_array());
    let fmt_ok = sol.get("format").and_then(|v| v.as_str()) == Some(SOLUTION_FORMAT);
    match facs {
        Some(facs) if fmt_ok => {
            if sol.get("instance").and_then(|v| v.as_str()) != Some(instance.name.as_str()) {
                cx.err(
                    "solution",
                    "S1",
                    format!("solution is not for instance {:?}", instance.name),
                );
            }
            let mut seen = HashSet::new();
            let mut class_ids = HashSet::new();
            for (k, fs) in facs.iter().enumerate() {
                let fid = fs.get("id").and_then(|v| v.as_str());
                let Some(f) = fid.and_then(|id| by_id.get(id)) else {
                    cx.err(
                        &format!("solution.facilities[{k}]"),
                        "S1",
                        format!("unknown facility {fid:?}"),
                    );
                    continue;
                };
                if !seen.insert(f.id.clone()) {
                    cx.err(
                        &format!("solution.facilities[{k}]"),
                        "S1",
                        format!("facility {} listed twice", f.id),
                    );
                    continue;
                }
                if let Some((v, m, sel, ncl)) = check_facility(f, fs, &mut cx, &mut class_ids) {
                    tot_v += v;
                    tot_m += m;
                    tot_sel += sel;
                    tot_cls += ncl;
                    n_fac += 1;
                }
            }
            let missing = instance
                .facilities
                .iter()
                .filter(|f| !seen.contains(&f.id))
                .count();
            let partial = sol.get("partial") == Some(&Value::Bool(true));
            if missing > 0 && !(allow_partial && partial) {
                cx.err("solution", "S1", format!("{missing} facilities missing"));
            }
            if partial && missing == 0 {
                cx.err(
                    "solution",
                    "S1",
                    "partial=true but all facilities present".into(),
                );
            }
            match sol.get("objective") {
                Some(obj) if obj.is_object() => {
                    if as_int(obj.get("value")) != Some(tot_v) {
                        cx.err(
                            "solution",
                            "C1",
                            format!("claimed objective.value != recomputed {tot_v}"),
                        );
                    }
                    if as_int(obj.get("makespan_stages")) != Some(tot_m) {
                        cx.err(
                            "solution",
                            "C1",
                            format!("claimed objective.makespan_stages != recomputed {tot_m}"),
                        );
                    }
                    check_bound(
                        &mut cx,
                        "solution",
                        "objective.value_bound",
                        obj.get("value_bound"),
                        tot_v,
                    );
                }
                _ => cx.err("solution", "C1", "objective missing".into()),
            }
        }
        _ => cx.err(
            "solution",
            "S1",
            format!("format must be {SOLUTION_FORMAT:?} with a facilities list"),
        ),
    }
    CheckReport {
        valid: cx.errs.is_empty(),
        violations: cx.errs,
        facilities_checked: n_fac,
        value: tot_v,
        makespan_stages: tot_m,
        selected: tot_sel,
        classes: tot_cls,
    }
}

fn check_bound(cx: &mut Ctx, w: &str, what: &str, vb: Option<&Value>, value: i64) {
    match vb {
        None | Some(Value::Null) => {}
        Some(Value::Number(n)) => {
            let below = match n.as_i64() {
                Some(b) => b < value,
                None => n.as_f64().is_none_or(|b| b < value as f64),
            };
            if below {
                cx.err(
                    w,
                    "C2",
                    format!("claimed {what} {n} < recomputed value {value}"),
                );
            }
        }
        Some(other) => cx.err(w, "C2", format!("claimed {what} {other} is not a number")),
    }
}

fn opt_str(v: Option<&Value>) -> Option<&str> {
    v.and_then(|x| x.as_str())
}

type FacResult = Option<(i64, i64, usize, usize)>;

fn check_facility(
    f: &Facility,
    fs: &Value,
    cx: &mut Ctx,
    class_ids: &mut HashSet<String>,
) -> FacResult {
    let w = format!("solution:{}", f.id);
    let Some(cal) = Calendar::new(&f.calendar) else {
        cx.err(&w, "S2", "calendar unusable".into());
        return None;
    };
    let Some(classes) = fs.get("classes").and_then(|v| v.as_array()) else {
        cx.err(&w, "S2", "classes must be a list".into());
        return None;
    };
    let pk: HashMap<&str, usize> = f
        .packages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let rooms: HashMap<&str, usize> = f
        .rooms
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let trs: HashMap<&str, usize> = f
        .trainers
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let cands: HashMap<&str, usize> = f
        .candidates
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let s_total = cal.num_stages as i64;
    let (mut value, mut mks) = (0i64, 0i64);
    let mut room_use: HashMap<(usize, i64), String> = HashMap::new();
    let mut tr_use: HashMap<(usize, i64), String> = HashMap::new();
    let mut tr_count: BTreeMap<usize, i64> = BTreeMap::new();
    let mut pk_count: BTreeMap<usize, i64> = BTreeMap::new();
    // candidate -> list of (package, s0, s1, class id)
    let mut cand_cls: BTreeMap<usize, Vec<(usize, i64, i64, String)>> = BTreeMap::new();
    for (k, c) in classes.iter().enumerate() {
        let q0 = format!("{w} class[{k}]");
        if !c.is_object() {
            cx.err(&q0, "S2", "class must be an object".into());
            continue;
        }
        let cid = match opt_str(c.get("id")) {
            Some(s) => {
                if !class_ids.insert(s.to_string()) {
                    cx.err(&q0, "S2", format!("duplicate class id {s}"));
                }
                s.to_string()
            }
            None => {
                cx.err(&q0, "S2", "class id must be a string".into());
                "None".to_string()
            }
        };
        let q = format!("{w} class {cid}");
        let Some(p) = opt_str(c.get("package")).and_then(|p| pk.get(p).copied()) else {
            cx.err(&q, "H1", "unknown package".into());
            continue;
        };
        let pkg = &f.packages[p];
        let dur = usize::try_from(pkg.duration_days).unwrap_or(0);
        let d = cal.stages_of(dur) as i64;
        let stage = match c.get("stage") {
            Some(Value::Number(n)) => n.as_i64(),
            _ => None,
        };
        let Some(s) = stage.filter(|s| *s >= 0 && *s <= s_total - d) else {
            cx.err(
                &q,
                "H1",
                format!("stage invalid: package occupies {d} stage(s), horizon has {s_total}"),
            );
            continue;
        };
        let Some(days) = cal.class_days(s as usize, dur) else {
            cx.err(&q, "H1", "class outside the calendar".into());
            continue;
        };
        let (Some(sd), Some(ed)) = (days.first().copied(), days.last().copied()) else {
            continue;
        };
        if opt_str(c.get("start_date")) != Some(fmt_date(sd).as_str())
            || opt_str(c.get("end_date")) != Some(fmt_date(ed).as_str())
        {
            cx.err(&q, "H2", format!("dates != calendar {sd}..{ed}"));
        }
        match opt_str(c.get("room")).and_then(|r| rooms.get(r).copied()) {
            None => cx.err(&q, "H3", "unknown room".into()),
            Some(r) => {
                if f.rooms[r]
                    .packages
                    .as_ref()
                    .is_some_and(|l| !l.contains(&pkg.id))
                {
                    cx.err(
                        &q,
                        "H3",
                        format!("room {} cannot host package {}", f.rooms[r].id, pkg.id),
                    );
                }
                for x in s..s + d {
                    if let Some(prev) = room_use.get(&(r, x)) {
                        cx.err(
                            &q,
                            "H4",
                            format!("room {} already used in stage {x} by {prev}", f.rooms[r].id),
                        );
                    }
                    room_use.insert((r, x), cid.clone());
                }
            }
        }
        match opt_str(c.get("trainer")).and_then(|t| trs.get(t).copied()) {
            None => cx.err(&q, "H5", "unknown trainer".into()),
            Some(t) => {
                let tr = &f.trainers[t];
                if !tr.skills.contains(&pkg.skill) {
                    cx.err(
                        &q,
                        "H5",
                        format!("trainer {} lacks skill {}", tr.id, pkg.skill),
                    );
                }
                for (a, b) in &tr.unavailable {
                    let (Some(a), Some(b)) = (parse_date(a), parse_date(b)) else {
                        continue;
                    };
                    if days.iter().any(|x| a <= *x && *x <= b) {
                        cx.err(&q, "H6", format!("trainer {} unavailable {a}..{b}", tr.id));
                    }
                }
                for x in s..s + d {
                    if let Some(prev) = tr_use.get(&(t, x)) {
                        cx.err(
                            &q,
                            "H7",
                            format!("trainer {} already teaches {prev} in stage {x}", tr.id),
                        );
                    }
                    tr_use.insert((t, x), cid.clone());
                }
                *tr_count.entry(t).or_default() += 1;
            }
        }
        *pk_count.entry(p).or_default() += 1;
        let Some(mem) = c.get("members").and_then(|m| m.as_array()) else {
            cx.err(&q, "S2", "members must be a list of candidate ids".into());
            continue;
        };
        let mut mem_ids: Vec<&str> = Vec::new();
        let mut all_str = true;
        for m in mem {
            match m.as_str() {
                Some(s) => mem_ids.push(s),
                None => all_str = false,
            }
        }
        if !all_str {
            cx.err(&q, "S2", "members must be a list of candidate ids".into());
            continue;
        }
        let mut uniq: Vec<&str> = Vec::new();
        let mut seen = HashSet::new();
        for m in &mem_ids {
            if seen.insert(*m) {
                uniq.push(m);
            }
        }
        if uniq.len() != mem_ids.len() {
            cx.err(&q, "H8", "a candidate is listed twice in the class".into());
        }
        let n = uniq.len() as i64;
        if n < pkg.min_size || n > pkg.capacity {
            cx.err(
                &q,
                "H8",
                format!("size {n} outside [{}, {}]", pkg.min_size, pkg.capacity),
            );
        }
        for m in uniq {
            let Some(&i) = cands.get(m) else {
                cx.err(&q, "H9", format!("unknown candidate {m}"));
                continue;
            };
            let cand = &f.candidates[i];
            let flags: HashSet<&str> = cand.flags.iter().map(|x| x.as_str()).collect();
            let missing: Vec<&String> = f
                .rules
                .required_flags
                .iter()
                .chain(pkg.required_flags.iter())
                .filter(|x| !flags.contains(x.as_str()))
                .collect();
            if !missing.is_empty() {
                cx.err(&q, "H9", format!("candidate {m} lacks flags {missing:?}"));
            }
            let Some(sc) = cand.scores.get(&pkg.id) else {
                cx.err(
                    &q,
                    "H9",
                    format!("candidate {m} has no assessment score for {}", pkg.id),
                );
                continue;
            };
            if *sc < pkg.min_score {
                cx.err(
                    &q,
                    "H9",
                    format!("candidate {m} score {sc} < min_score {}", pkg.min_score),
                );
            }
            let rel = parse_date(&cand.release_date);
            if rel.is_none_or(|r| ed >= r) {
                cx.err(
                    &q,
                    "H10",
                    format!(
                        "candidate {m} released {}, class ends {ed}",
                        cand.release_date
                    ),
                );
            }
            cand_cls
                .entry(i)
                .or_default()
                .push((p, s, s + d, cid.clone()));
            value += gain(f, i, p).unwrap_or(0);
        }
        value -= pkg.class_cost;
        mks = mks.max(s + d);
    }
    for (t, n) in &tr_count {
        if let Some(mc) = f.trainers[*t].max_classes
            && *n > mc
        {
            cx.err(
                &w,
                "H7",
                format!(
                    "trainer {} teaches {n} classes > max_classes {mc}",
                    f.trainers[*t].id
                ),
            );
        }
    }
    for (p, n) in &pk_count {
        if let Some(mc) = f.packages[*p].max_classes
            && *n > mc
        {
            cx.err(
                &w,
                "H11",
                format!(
                    "package {} runs {n} classes > max_classes {mc}",
                    f.packages[*p].id
                ),
            );
        }
    }
    let kmax = f.rules.max_packages_per_candidate;
    for (m, lst) in &cand_cls {
        let id = &f.candidates[*m].id;
        if lst.len() as i64 > kmax {
            cx.err(
                &w,
                "H12",
                format!("candidate {id} in {} classes > {kmax}", lst.len()),
            );
        }
        let ps: HashSet<usize> = lst.iter().map(|x| x.0).collect();
        if ps.len() != lst.len() {
            cx.err(&w, "H12", format!("candidate {id} takes a package twice"));
        }
        for a in 0..lst.len() {
            for b in a + 1..lst.len() {
                if lst[a].1 < lst[b].2 && lst[b].1 < lst[a].2 {
                    cx.err(
                        &w,
                        "H12",
                        format!(
                            "candidate {id} in overlapping classes {} and {}",
                            lst[a].3, lst[b].3
                        ),
                    );
                }
            }
        }
    }
    if let Some(mx) = f.rules.max_selected
        && cand_cls.len() as i64 > mx
    {
        cx.err(
            &w,
            "H13",
            format!("{} candidates selected > max_selected {mx}", cand_cls.len()),
        );
    }
    for (a, b) in &f.conflicts {
        let (Some(&ia), Some(&ib)) = (cands.get(a.as_str()), cands.get(b.as_str())) else {
            continue;
        };
        let ca: HashSet<&String> = cand_cls
            .get(&ia)
            .map(|l| l.iter().map(|x| &x.3).collect())
            .unwrap_or_default();
        if let Some(lb) = cand_cls.get(&ib) {
            let cb: HashSet<&String> = lb.iter().map(|x| &x.3).collect();
            for x in ca.intersection(&cb) {
                cx.err(&w, "H14", format!("conflict pair {a},{b} share class {x}"));
            }
        }
    }
    if as_int(fs.get("value")) != Some(value) {
        cx.err(&w, "C1", format!("claimed value != recomputed {value}"));
    }
    if as_int(fs.get("makespan_stages")) != Some(mks) {
        cx.err(
            &w,
            "C1",
            format!("claimed makespan_stages != recomputed {mks}"),
        );
    }
    check_bound(cx, &w, "value_bound", fs.get("value_bound"), value);
    Some((value, mks, cand_cls.len(), classes.len()))
}
