//! The reports benchmark: the national and one facility's report figures
//! (`bekal_app::reports::summary`, the figures behind the reports page, the dashboard and
//! `/api/reports/summary`) on a loaded data set, beside the same aggregate written by hand as
//! one SQL query and run by `sqlite3` or `psql` on the same database in the same run.
//!
//! Bekal is timed in-process (`Instant` around the service call, after one warm-up call); the
//! anchor by the shell's own timer (`.timer on` in sqlite3, `\timing on` in psql), which
//! measures the query without the process start. Both columns are medians of `repeat` runs.
//! The anchor's totals must equal Bekal's, figure by figure, or the run fails: a fast wrong
//! answer is not a result.

use crate::measure::{Line, median};
use bekal_app::reports::{Figures, Scope, summary};
use bekal_app::{Actor, App};
use bekal_domain::clock::FixedClock;
use bekal_store::{Backend, Store};
use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

/// Why the benchmark failed.
#[derive(Debug, thiserror::Error)]
pub enum ReportBenchError {
    #[error("Bekal: {0}")]
    App(#[from] bekal_app::AppError),
    #[error("the anchor ({0}): {1}")]
    Anchor(String, String),
    #[error("{scope}: the anchor's {figure} is {anchor}, Bekal's is {bekal}")]
    Mismatch {
        scope: String,
        figure: &'static str,
        anchor: u64,
        bekal: u64,
    },
}

/// Where the anchor runs: the SQLite file, or the PostgreSQL URL for psql.
#[derive(Debug, Clone)]
pub enum AnchorTarget {
    Sqlite(std::path::PathBuf),
    Postgres(String),
    /// No command-line client: the anchor column is skipped, with a note.
    None(String),
}

/// The figures both sides compute, in the anchor query's column order.
const FIGURES: [&str; 20] = [
    "assessed",
    "selected",
    "enrolled",
    "completed",
    "certified",
    "hours_attended",
    "hours_possible",
    "units_competent",
    "units_not_yet_competent",
    "leaving",
    "follow_ups",
    "follow_ups_in_trade",
    "trained_released",
    "trained_followed_up",
    "trained_employed",
    "trained_reoffended",
    "untrained_released",
    "untrained_followed_up",
    "untrained_employed",
    "untrained_reoffended",
];

fn figures_of(f: &Figures) -> [u64; 20] {
    [
        f.assessed,
        f.selected,
        f.enrolled,
        f.completed,
        f.certified,
        f.hours_attended,
        f.hours_possible,
        f.units.values().map(|u| u.competent).sum(),
        f.units.values().map(|u| u.not_yet_competent).sum(),
        f.leaving.values().sum(),
        f.follow_ups.values().sum(),
        f.follow_ups_in_trade,
        f.trained.released,
        f.trained.followed_up,
        f.trained.employed,
        f.trained.reoffended,
        f.untrained.released,
        f.untrained.followed_up,
        f.untrained.employed,
        f.untrained.reoffended,
    ]
}

/// The hand-written aggregate: every figure per facility in one statement (CTEs, one pass
/// per table, follow-up flags per person computed once; the attendance share from the sheet
/// totals each session keeps, as a hand-tuned query on this schema would). `facility`
/// limits it to one.
pub fn anchor_sql(
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
    facility: Option<i64>,
) -> String {
    let ended_by = to.min(as_of);
    let after = to + Duration::days(1);
    let only = |alias: &str| match facility {
        Some(id) => format!(" AND {alias}.facility_id = {id}"),
        None => String::new(),
    };
    let leaving = leaving_list();
    format!(
        "WITH \
assessed AS (SELECT a.facility_id, COUNT(DISTINCT a.inmate_id) AS n FROM assessments a \
  WHERE a.assessed_on BETWEEN '{from}' AND '{to}'{fa} GROUP BY a.facility_id), \
selected AS (SELECT e.facility_id, COUNT(DISTINCT e.inmate_id) AS n FROM selections s \
  JOIN selection_entries e ON e.selection_id = s.id WHERE s.status = 'approved' \
  AND s.approved_at >= '{from}' AND s.approved_at < '{after}' AND e.decision = 'selected'{fe} \
  GROUP BY e.facility_id), \
enrolled AS (SELECT n.facility_id, COUNT(*) AS n FROM enrolments n \
  WHERE n.enrolled_on BETWEEN '{from}' AND '{to}'{fn_} GROUP BY n.facility_id), \
completed AS (SELECT n.facility_id, COUNT(*) AS n FROM classes c JOIN enrolments n ON n.class_id = c.id \
  WHERE c.status <> 'cancelled' AND c.end_date BETWEEN '{from}' AND '{ended_by}' \
  AND n.state IN ('enrolled', 'completed'){fn_} GROUP BY n.facility_id), \
certified AS (SELECT k.facility_id, COUNT(*) AS n FROM certificates k \
  WHERE k.status = 'valid' AND k.issued_on BETWEEN '{from}' AND '{to}'{fk} GROUP BY k.facility_id), \
hours AS (SELECT s.facility_id, SUM(s.attended_hours) AS attended, \
  SUM(s.hours_jp * s.marked_trainees) AS possible FROM training_sessions s \
  WHERE s.status = 'held' AND s.date BETWEEN '{from}' AND '{to}'{fs} GROUP BY s.facility_id), \
units AS (SELECT r.facility_id, SUM(CASE WHEN r.decision = 'K' THEN 1 ELSE 0 END) AS k, \
  SUM(CASE WHEN r.decision = 'K' THEN 0 ELSE 1 END) AS bk FROM unit_results r \
  WHERE r.current AND r.assessed_on BETWEEN '{from}' AND '{to}'{fr} GROUP BY r.facility_id), \
leaving AS (SELECT v.facility_id, COUNT(*) AS n FROM enrolment_events v \
  WHERE v.to_state IN ({leaving}) AND v.effective_on BETWEEN '{from}' AND '{to}'{fv} \
  GROUP BY v.facility_id), \
contacts AS (SELECT f.facility_id, COUNT(*) AS n, \
  SUM(CASE WHEN f.in_trained_trade THEN 1 ELSE 0 END) AS trade FROM follow_ups f \
  WHERE f.outcome IS NOT NULL AND f.contacted_on BETWEEN '{from}' AND '{to}'{ff} \
  GROUP BY f.facility_id), \
outcomes AS (SELECT f.inmate_id, MAX(CASE WHEN f.outcome IS NOT NULL THEN 1 ELSE 0 END) AS any_contact, \
  MAX(CASE WHEN f.outcome IN ('employed', 'self_employed') THEN 1 ELSE 0 END) AS employed, \
  MAX(CASE WHEN f.outcome = 'reoffended' THEN 1 ELSE 0 END) AS reoffended \
  FROM follow_ups f WHERE 1 = 1{ff} GROUP BY f.inmate_id), \
releasees AS (SELECT r.facility_id, r.inmate_id, \
  CASE WHEN EXISTS (SELECT 1 FROM enrolments n JOIN classes c ON c.id = n.class_id \
    WHERE n.inmate_id = r.inmate_id AND n.state IN ('enrolled', 'completed') \
    AND c.status <> 'cancelled' AND c.end_date <= r.effective_on) THEN 1 \
  WHEN NOT EXISTS (SELECT 1 FROM enrolments n WHERE n.inmate_id = r.inmate_id) THEN 0 END AS trained \
  FROM custody_events r WHERE r.kind = 'released' \
  AND r.effective_on BETWEEN '{from}' AND '{to}'{fc}), \
released AS (SELECT p.facility_id, \
  COUNT(DISTINCT CASE WHEN p.trained = 1 THEN p.inmate_id END) AS t, \
  COUNT(DISTINCT CASE WHEN p.trained = 1 AND o.any_contact = 1 THEN p.inmate_id END) AS t_fu, \
  COUNT(DISTINCT CASE WHEN p.trained = 1 AND o.employed = 1 THEN p.inmate_id END) AS t_emp, \
  COUNT(DISTINCT CASE WHEN p.trained = 1 AND o.reoffended = 1 THEN p.inmate_id END) AS t_reo, \
  COUNT(DISTINCT CASE WHEN p.trained = 0 THEN p.inmate_id END) AS u, \
  COUNT(DISTINCT CASE WHEN p.trained = 0 AND o.any_contact = 1 THEN p.inmate_id END) AS u_fu, \
  COUNT(DISTINCT CASE WHEN p.trained = 0 AND o.employed = 1 THEN p.inmate_id END) AS u_emp, \
  COUNT(DISTINCT CASE WHEN p.trained = 0 AND o.reoffended = 1 THEN p.inmate_id END) AS u_reo \
  FROM releasees p LEFT JOIN outcomes o ON o.inmate_id = p.inmate_id GROUP BY p.facility_id) \
SELECT x.code, COALESCE(assessed.n, 0), COALESCE(selected.n, 0), COALESCE(enrolled.n, 0), \
  COALESCE(completed.n, 0), COALESCE(certified.n, 0), COALESCE(hours.attended, 0), \
  COALESCE(hours.possible, 0), COALESCE(units.k, 0), COALESCE(units.bk, 0), \
  COALESCE(leaving.n, 0), COALESCE(contacts.n, 0), COALESCE(contacts.trade, 0), \
  COALESCE(released.t, 0), COALESCE(released.t_fu, 0), COALESCE(released.t_emp, 0), \
  COALESCE(released.t_reo, 0), COALESCE(released.u, 0), COALESCE(released.u_fu, 0), \
  COALESCE(released.u_emp, 0), COALESCE(released.u_reo, 0) \
FROM facilities x \
LEFT JOIN assessed ON assessed.facility_id = x.id LEFT JOIN selected ON selected.facility_id = x.id \
LEFT JOIN enrolled ON enrolled.facility_id = x.id LEFT JOIN completed ON completed.facility_id = x.id \
LEFT JOIN certified ON certified.facility_id = x.id LEFT JOIN hours ON hours.facility_id = x.id \
LEFT JOIN units ON units.facility_id = x.id LEFT JOIN leaving ON leaving.facility_id = x.id \
LEFT JOIN contacts ON contacts.facility_id = x.id LEFT JOIN released ON released.facility_id = x.id \
WHERE 1 = 1{fx_id} ORDER BY x.code;",
        fa = only("a"),
        fe = only("e"),
        fn_ = only("n"),
        fk = only("k"),
        fs = only("s"),
        fr = only("r"),
        fv = only("v"),
        ff = only("f"),
        fc = only("r"),
        fx_id = facility
            .map(|id| format!(" AND x.id = {id}"))
            .unwrap_or_default(),
    )
}

fn leaving_list() -> String {
    bekal_app::reports::LEAVING_STATES
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One run of the anchor: (seconds by the shell's timer, the summed figures).
fn anchor_once(target: &AnchorTarget, sql: &str) -> Result<(f64, [u64; 20]), ReportBenchError> {
    let fail = |what: &str, e: String| ReportBenchError::Anchor(what.to_owned(), e);
    let (name, output) = match target {
        AnchorTarget::Sqlite(file) => {
            // The timer applies to statements read from standard input, not to arguments.
            let mut child = Command::new("sqlite3")
                .arg("-batch")
                .arg("-csv")
                .arg(file)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .map_err(|e| fail("sqlite3", e.to_string()))?;
            if let Some(mut input) = child.stdin.take() {
                input
                    .write_all(format!(".timer on\n{sql}\n").as_bytes())
                    .map_err(|e| fail("sqlite3", e.to_string()))?;
            }
            (
                "sqlite3",
                child
                    .wait_with_output()
                    .map_err(|e| fail("sqlite3", e.to_string()))?,
            )
        }
        AnchorTarget::Postgres(url) => (
            "psql",
            Command::new("psql")
                .args(["-X", "-q", "-A", "-t", "-F", ",", "-v", "ON_ERROR_STOP=1"])
                .arg(url)
                // Tuned as one would by hand: JIT compilation costs more than it saves on a
                // query of this size (the planner's row estimates of the joined aggregates
                // trigger it).
                .args(["-c", "SET jit = off"])
                .args(["-c", "\\timing on"])
                .args(["-c", sql])
                .output()
                .map_err(|e| fail("psql", e.to_string()))?,
        ),
        AnchorTarget::None(note) => return Err(fail("none", note.clone())),
    };
    if !output.status.success() {
        return Err(fail(
            name,
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut seconds = None;
    let mut sums = [0_u64; 20];
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Run Time: real ") {
            seconds = rest
                .split_whitespace()
                .next()
                .and_then(|v| v.parse::<f64>().ok());
        } else if let Some(rest) = line.strip_prefix("Time: ") {
            seconds = rest
                .split_whitespace()
                .next()
                .and_then(|v| v.parse::<f64>().ok())
                .map(|ms| ms / 1000.0);
        } else if !line.trim().is_empty() {
            for (sum, cell) in sums.iter_mut().zip(line.split(',').skip(1)) {
                *sum +=
                    cell.trim().trim_matches('"').parse::<u64>().map_err(|e| {
                        fail(name, format!("cannot read {cell:?} in {line:?}: {e}"))
                    })?;
            }
        }
    }
    let seconds = seconds.ok_or_else(|| fail(name, format!("no timer line in {text:?}")))?;
    Ok((seconds, sums))
}

/// What one benchmark line measures.
struct Case {
    label: String,
    scope: Scope,
    facility_id: Option<i64>,
}

/// Runs the national and the facility case on `store`; `backend_label` names the backend in
/// the lines (`SQLite`, `PostgreSQL`). The anchor's SQL is written to `sql_dir` to rerun by
/// hand.
pub async fn run(
    store: Store,
    anchor: &AnchorTarget,
    backend_label: &str,
    facility: (&str, i64),
    (from, to, as_of): (NaiveDate, NaiveDate, NaiveDate),
    repeat: usize,
    sql_dir: Option<&std::path::Path>,
) -> Result<Vec<Line>, ReportBenchError> {
    let now = Utc.from_utc_datetime(
        &as_of.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN)),
    );
    let backend = store.backend();
    let app = App::new(store, Arc::new(FixedClock(now)));
    let actor = Actor::Operator {
        label: "bench".into(),
    };
    let cases = [
        Case {
            label: format!("national report figures, {backend_label}"),
            scope: Scope::National,
            facility_id: None,
        },
        Case {
            label: format!("facility report figures ({}), {backend_label}", facility.0),
            scope: Scope::Facility(facility.0.to_owned()),
            facility_id: Some(facility.1),
        },
    ];
    let mut lines = Vec::new();
    for case in cases {
        // Warm-up, and the figures the anchor must match.
        let first = summary(&app, &actor, &case.scope, from, to).await?;
        let expected = figures_of(&first.totals);
        let mut times = Vec::new();
        for _ in 0..repeat.max(1) {
            let started = Instant::now();
            let again = summary(&app, &actor, &case.scope, from, to).await?;
            times.push(started.elapsed().as_secs_f64());
            std::hint::black_box(again);
        }
        let bekal = median(&times);
        let sql = anchor_sql(from, to, as_of, case.facility_id);
        if let Some(dir) = sql_dir {
            let name = match case.facility_id {
                Some(_) => "anchor-facility.sql",
                None => "anchor-national.sql",
            };
            let _ = std::fs::write(dir.join(name), &sql);
        }
        let (anchor_name, anchor_seconds, note) = match anchor {
            AnchorTarget::None(note) => ("none".to_owned(), None, note.clone()),
            target => {
                let (_, sums) = anchor_once(target, &sql)?;
                for (i, figure) in FIGURES.iter().enumerate() {
                    let (a, b) = (
                        sums.get(i).copied().unwrap_or(0),
                        expected.get(i).copied().unwrap_or(0),
                    );
                    if a != b {
                        return Err(ReportBenchError::Mismatch {
                            scope: case.label.clone(),
                            figure,
                            anchor: a,
                            bekal: b,
                        });
                    }
                }
                let mut anchor_times = Vec::new();
                for _ in 0..repeat.max(1) {
                    anchor_times.push(anchor_once(target, &sql)?.0);
                }
                let name = match backend {
                    Backend::Sqlite => "one hand-written SQL query in sqlite3",
                    Backend::Postgres => "one hand-written SQL query in psql",
                };
                (
                    name.to_owned(),
                    Some(median(&anchor_times)),
                    format!(
                        "{} facilities; {} hours attended, {} enrolled: totals equal the anchor's",
                        first.facilities.len(),
                        first.totals.hours_attended,
                        first.totals.enrolled
                    ),
                )
            }
        };
        lines.push(Line {
            name: case.label,
            bekal_seconds: bekal,
            anchor: anchor_name,
            anchor_seconds,
            ratio: anchor_seconds.filter(|a| *a > 0.0).map(|a| bekal / a),
            // The benchmark process's own peak (`VmHWM`): the report job's memory, with the
            // pool and the runtime.
            bekal_peak_rss_kb: crate::http::peak_rss_kb(std::process::id()),
            runs: repeat.max(1),
            note,
        });
    }
    Ok(lines)
}
