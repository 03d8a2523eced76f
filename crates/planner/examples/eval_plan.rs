//! Diagnostic: evaluates the class plan of a given solution file (e.g. the anchor's) with the
//! planner's fast greedy evaluator and its exact flow assignment.
//!
//! `cargo run --release -p bekal-planner --example eval_plan -- INSTANCE.json SOLUTION.json`
#![allow(clippy::print_stdout)]

use bekal_planner::assign::{Slot, assign};
use bekal_planner::prep::Prep;
use bekal_planner::search::Greedy;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(ip), Some(sp)) = (args.get(1), args.get(2)) else {
        return Err("usage: eval_plan INSTANCE SOLUTION".into());
    };
    let inst =
        bekal_planner::parse_instance(&std::fs::read_to_string(ip).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let sol: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sp).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    for f in &inst.facilities {
        let Some(prep) = Prep::new(f) else { continue };
        let Some(fs) = sol["facilities"]
            .as_array()
            .and_then(|a| a.iter().find(|x| x["id"].as_str() == Some(f.id.as_str())))
        else {
            continue;
        };
        let mut plan = Vec::new();
        for c in fs["classes"].as_array().cloned().unwrap_or_default() {
            let p = f
                .packages
                .iter()
                .position(|x| Some(x.id.as_str()) == c["package"].as_str());
            let r = f
                .rooms
                .iter()
                .position(|x| Some(x.id.as_str()) == c["room"].as_str());
            let t = f
                .trainers
                .iter()
                .position(|x| Some(x.id.as_str()) == c["trainer"].as_str());
            let s = c["stage"].as_u64().map(|s| s as usize);
            if let (Some(p), Some(s), Some(r), Some(t)) = (p, s, r, t) {
                plan.push(Slot { p, s, r, t });
            }
        }
        let mut g = Greedy::new(&prep);
        let gv = g.value(&prep, &plan);
        let a = assign(&prep, &plan);
        println!(
            "{}: claimed {} greedy {:?} exact {} (relaxed {}) classes {}",
            f.id,
            fs["value"],
            gv,
            a.value,
            a.relaxed_value,
            plan.len()
        );
    }
    Ok(())
}
