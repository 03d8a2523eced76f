//! Cross-checks our checker against check.py: valid solutions (ours and the anchor's) and
//! many mutated, broken ones must get the same verdict and the same set of violation codes.
#![allow(clippy::print_stdout)]

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use bekal_planner::{SolveOptions, check, solve};
use serde_json::{Value, json};

fn mutations(sol: &Value, inst: &Value) -> Vec<(&'static str, Value)> {
    let mut out: Vec<(&'static str, Value)> = Vec::new();
    let fac = &inst["facilities"][0];
    let classes = sol["facilities"][0]["classes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut m = |name: &'static str, f: &dyn Fn(&mut Value)| {
        let mut s = sol.clone();
        f(&mut s);
        out.push((name, s));
    };
    m("identity", &|_| {});
    m("capacity exceeded", &|s| {
        let c = &mut s["facilities"][0]["classes"][0]["members"];
        for k in 0..12 {
            if let Some(a) = c.as_array_mut() {
                a.push(json!(format!("PKL-{:05}", 200 + k)));
            }
        }
    });
    m("below min size", &|s| {
        if let Some(a) = s["facilities"][0]["classes"][0]["members"].as_array_mut() {
            a.truncate(2);
        }
    });
    m("duplicate member", &|s| {
        if let Some(a) = s["facilities"][0]["classes"][0]["members"].as_array_mut()
            && let Some(x) = a.first().cloned()
        {
            a.push(x);
        }
    });
    let conf = fac["conflicts"][0].clone();
    m("conflict pair", &|s| {
        if let Some(a) = s["facilities"][0]["classes"][0]["members"].as_array_mut() {
            a.truncate(4);
            a.push(conf[0].clone());
            a.push(conf[1].clone());
        }
    });
    m("room double-booked", &|s| {
        let c0 = s["facilities"][0]["classes"][0].clone();
        let c1 = &mut s["facilities"][0]["classes"][1];
        c1["room"] = c0["room"].clone();
        c1["stage"] = c0["stage"].clone();
    });
    m("trainer lacks skill / unknown", &|s| {
        s["facilities"][0]["classes"][0]["trainer"] = json!("PKL-T1");
        s["facilities"][0]["classes"][1]["trainer"] = json!("NOPE");
    });
    m("trainer double-booked", &|s| {
        let t = s["facilities"][0]["classes"][0]["trainer"].clone();
        for k in 1..5 {
            s["facilities"][0]["classes"][k]["trainer"] = t.clone();
        }
    });
    m("candidate in two classes", &|s| {
        let x = s["facilities"][0]["classes"][1]["members"][0].clone();
        s["facilities"][0]["classes"][0]["members"][0] = x;
    });
    m("wrong dates", &|s| {
        s["facilities"][0]["classes"][0]["start_date"] = json!("2000-01-01")
    });
    m("stage out of horizon", &|s| {
        s["facilities"][0]["classes"][0]["stage"] = json!(3)
    });
    m("stage negative", &|s| {
        s["facilities"][0]["classes"][0]["stage"] = json!(-1)
    });
    m("stage string", &|s| {
        s["facilities"][0]["classes"][0]["stage"] = json!("1")
    });
    m("stage bool", &|s| {
        s["facilities"][0]["classes"][0]["stage"] = json!(true)
    });
    m("unknown room", &|s| {
        s["facilities"][0]["classes"][0]["room"] = json!("NOPE")
    });
    m("room cannot host", &|s| {
        for k in 0..5 {
            s["facilities"][0]["classes"][k]["room"] = json!("R2");
        }
    });
    m("unknown package", &|s| {
        s["facilities"][0]["classes"][0]["package"] = json!("NOPE")
    });
    m("unknown candidate", &|s| {
        s["facilities"][0]["classes"][0]["members"][0] = json!("NOBODY")
    });
    m("ineligible candidates", &|s| {
        let all: Vec<Value> = (1..=40).map(|k| json!(format!("PKL-{k:05}"))).collect();
        s["facilities"][0]["classes"][0]["members"] = json!(all[..10]);
        s["facilities"][0]["classes"][1]["members"] = json!(all[10..20]);
        s["facilities"][0]["classes"][2]["members"] = json!(all[20..30]);
    });
    m("members not a list", &|s| {
        s["facilities"][0]["classes"][0]["members"] = json!("x")
    });
    m("members not strings", &|s| {
        s["facilities"][0]["classes"][0]["members"] = json!([1, 2])
    });
    m("class not an object", &|s| {
        s["facilities"][0]["classes"][0] = json!(5)
    });
    m("duplicate class id", &|s| {
        let id = s["facilities"][0]["classes"][0]["id"].clone();
        s["facilities"][0]["classes"][1]["id"] = id;
    });
    m("class id not string", &|s| {
        s["facilities"][0]["classes"][1]["id"] = json!(3)
    });
    m("package over max_classes", &|s| {
        let mut c = s["facilities"][0]["classes"][0].clone();
        c["id"] = json!("DUP");
        c["members"] = json!([]);
        if let Some(a) = s["facilities"][0]["classes"].as_array_mut() {
            a.push(c);
        }
    });
    m("value off by one", &|s| {
        let v = s["facilities"][0]["value"].as_i64().unwrap_or(0);
        s["facilities"][0]["value"] = json!(v + 1);
    });
    m("float claims", &|s| {
        let v = s["facilities"][0]["value"].as_i64().unwrap_or(0);
        s["facilities"][0]["value"] = json!(v as f64);
    });
    m("bound below value", &|s| {
        let v = s["facilities"][0]["value"].as_i64().unwrap_or(0);
        s["facilities"][0]["value_bound"] = json!(v - 1);
        s["objective"]["value_bound"] = json!(v - 1);
    });
    m("bound not a number", &|s| {
        s["facilities"][0]["value_bound"] = json!("x")
    });
    m("bound null", &|s| {
        s["facilities"][0]["value_bound"] = Value::Null;
        s["objective"]["value_bound"] = Value::Null;
    });
    m("missing facility", &|s| s["facilities"] = json!([]));
    m("missing facility, partial", &|s| {
        s["facilities"] = json!([]);
        s["partial"] = json!(true);
    });
    m("partial but complete", &|s| s["partial"] = json!(true));
    m("unknown facility", &|s| {
        s["facilities"][0]["id"] = json!("NOPE")
    });
    m("facility twice", &|s| {
        let f = s["facilities"][0].clone();
        if let Some(a) = s["facilities"].as_array_mut() {
            a.push(f);
        }
    });
    m("wrong format", &|s| s["format"] = json!("x"));
    m("wrong instance", &|s| s["instance"] = json!("x"));
    m("objective missing", &|s| {
        if let Some(o) = s.as_object_mut() {
            o.remove("objective");
        }
    });
    m("classes missing", &|s| {
        if let Some(o) = s["facilities"][0].as_object_mut() {
            o.remove("classes");
        }
    });
    let _ = classes;
    out
}

fn compare(inst_name: &str, sol: &Value, allow_partial_tag: &str) {
    let Some((inst, text)) = common::load(inst_name) else {
        return;
    };
    let inst_value: Value = serde_json::from_str(&text).unwrap_or_default();
    let path = common::instance_path(inst_name);
    for (name, s) in mutations(sol, &inst_value) {
        let ours = check(&inst, &s, false);
        let tag = format!(
            "{inst_name}-{allow_partial_tag}-{}",
            name.replace([' ', '/', ','], "_")
        );
        let Some((code, stdout)) = common::python_check(&path, &s, &tag) else {
            return;
        };
        let py_codes = common::python_codes(&stdout);
        let our_codes: BTreeSet<String> = ours.violations.iter().map(|v| v.code.clone()).collect();
        println!("{name}: python exit {code} {py_codes:?}, ours {our_codes:?}");
        assert_eq!(
            code == 0,
            ours.valid,
            "{name}: verdicts differ\n{stdout}\n{:?}",
            ours.violations
        );
        assert_eq!(
            py_codes, our_codes,
            "{name}: codes differ\n{stdout}\n{:?}",
            ours.violations
        );
        if code == 0 {
            assert_eq!(
                ours.value,
                s["objective"]["value"].as_i64().unwrap_or(i64::MIN)
            );
        }
    }
}

#[test]
fn our_solution_agrees_with_check_py() {
    let Some((inst, _)) = common::load("pekalongan-1") else {
        return;
    };
    let sol = solve(
        &inst,
        &SolveOptions {
            time_limit: Duration::from_secs(20),
            threads: 1,
            seed: 1,
        },
    );
    let Ok(v) = serde_json::to_value(&sol) else {
        panic!("solution serialises");
    };
    compare("pekalongan-1", &v, "ours");
}

#[test]
fn anchor_solution_agrees_with_check_py() {
    let path = std::path::Path::new(common::SHARED).join("anchor/pekalongan-1.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("note: anchor missing, skipped");
        return;
    };
    let v: Value = serde_json::from_str(&text).unwrap_or_default();
    compare("pekalongan-1", &v, "anchor");
}
