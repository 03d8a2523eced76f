//! The report figures of each facility in a scope, each computed by one `GROUP BY
//! facility_id` query (eleven in all, whatever the number of facilities; joins to the class
//! only when a package or partner filter needs it). The totals of a region
//! or the nation are the sum of these rows, so they add up by construction; a test checks them
//! against each facility's own summary.

use super::sql::{Sql, count, id, text};
use super::{Figures, ReleaseGroup, UnitCount};
use crate::AppError;
use bekal_store::Backend;
use bekal_store::sea_orm::ConnectionTrait;
use chrono::NaiveDate;
use futures_util::future::try_join_all;
use std::collections::BTreeMap;

/// Enrolment states that end a place before the class ends (the reasons for leaving).
pub const LEAVING_STATES: [&str; 6] = [
    "withdrawn",
    "transferred",
    "released",
    "dismissed",
    "medical",
    "not_completed",
];

/// What the queries filter on.
#[derive(Debug, Clone)]
pub(crate) struct Filter {
    /// The facilities of the scope; `None` = every facility (the nation).
    pub facilities: Option<Vec<i64>>,
    pub package_id: Option<i64>,
    pub partner_id: Option<i64>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Classes count as completed only once they have ended: `min(to, today)`.
    pub ended_by: NaiveDate,
}

impl Filter {
    fn facility(&self, sql: &mut Sql, alias: &str) {
        if let Some(ids) = &self.facilities {
            sql.push(&format!(" AND {alias}.facility_id IN "));
            sql.bind_list(ids);
        }
    }

    fn class(&self, sql: &mut Sql) {
        if let Some(p) = self.package_id {
            sql.push(" AND c.package_id = ").bind(p);
        }
        if let Some(p) = self.partner_id {
            sql.push(" AND c.partner_id = ").bind(p);
        }
    }

    fn has_class_filter(&self) -> bool {
        self.package_id.is_some() || self.partner_id.is_some()
    }

    /// `FROM {from}`, joined to the enrolment (on `enrolment_column`) and its class only when
    /// a package or partner filter needs the class, then `WHERE {condition}`: at national
    /// scale the joins cost more than everything else.
    fn push_from_joined(&self, sql: &mut Sql, from: &str, enrolment_column: &str, condition: &str) {
        sql.push(" FROM ").push(from);
        if self.has_class_filter() {
            sql.push(&format!(
                " JOIN enrolments n ON n.id = {enrolment_column} JOIN classes c ON c.id = n.class_id"
            ));
        }
        sql.push(" WHERE ").push(condition);
    }

    fn period(&self, sql: &mut Sql, column: &str) {
        sql.push(&format!(" AND {column} >= "))
            .bind(self.from)
            .push(&format!(" AND {column} <= "))
            .bind(self.to);
    }
}

/// Which figure a query's rows fill.
#[derive(Debug, Clone, Copy)]
enum Figure {
    Assessed,
    Selected,
    Enrolled,
    Completed,
    Certified,
    Hours,
    Units,
    Leaving,
    FollowUps,
    Released { trained: bool },
}

/// Figures per facility id, for every facility that has any figure in the period.
pub(crate) async fn by_facility(
    conn: &impl ConnectionTrait,
    backend: Backend,
    filter: &Filter,
) -> Result<BTreeMap<i64, Figures>, AppError> {
    let mut out: BTreeMap<i64, Figures> = BTreeMap::new();
    let candidates = filter.partner_id.is_none();
    let mut queries: Vec<(Figure, Sql)> = Vec::new();

    if candidates {
        let mut q = Sql::new(
            backend,
            "SELECT a.facility_id, COUNT(DISTINCT a.inmate_id) FROM assessments a WHERE 1 = 1",
        );
        filter.period(&mut q, "a.assessed_on");
        filter.facility(&mut q, "a");
        if let Some(p) = filter.package_id {
            q.push(" AND a.package_id = ").bind(p);
        }
        q.push(" GROUP BY a.facility_id");
        queries.push((Figure::Assessed, q));

        let mut q = Sql::new(
            backend,
            "SELECT e.facility_id, COUNT(DISTINCT e.inmate_id) FROM selection_entries e \
             JOIN selections s ON s.id = e.selection_id \
             WHERE e.decision = 'selected' AND s.status = 'approved' AND s.approved_at >= ",
        );
        q.bind(filter.from.and_time(chrono::NaiveTime::MIN).and_utc());
        q.push(" AND s.approved_at < ");
        let after = filter.to.succ_opt().unwrap_or(filter.to);
        q.bind(after.and_time(chrono::NaiveTime::MIN).and_utc());
        filter.facility(&mut q, "e");
        if let Some(p) = filter.package_id {
            q.push(" AND e.package_id = ").bind(p);
        }
        q.push(" GROUP BY e.facility_id");
        queries.push((Figure::Selected, q));
    }

    let mut q = Sql::new(backend, "SELECT n.facility_id, COUNT(*) FROM enrolments n");
    if filter.has_class_filter() {
        q.push(" JOIN classes c ON c.id = n.class_id");
    }
    q.push(" WHERE 1 = 1");
    filter.period(&mut q, "n.enrolled_on");
    filter.facility(&mut q, "n");
    filter.class(&mut q);
    q.push(" GROUP BY n.facility_id");
    queries.push((Figure::Enrolled, q));

    let mut q = Sql::new(
        backend,
        "SELECT n.facility_id, COUNT(*) FROM enrolments n JOIN classes c ON c.id = n.class_id \
         WHERE n.state IN ('enrolled', 'completed') AND c.status <> 'cancelled' \
         AND c.end_date >= ",
    );
    q.bind(filter.from)
        .push(" AND c.end_date <= ")
        .bind(filter.ended_by);
    filter.facility(&mut q, "n");
    filter.class(&mut q);
    q.push(" GROUP BY n.facility_id");
    queries.push((Figure::Completed, q));

    let mut q = Sql::new(backend, "SELECT k.facility_id, COUNT(*)");
    filter.push_from_joined(
        &mut q,
        "certificates k",
        "k.enrolment_id",
        "k.status = 'valid'",
    );
    filter.period(&mut q, "k.issued_on");
    filter.facility(&mut q, "k");
    filter.class(&mut q);
    q.push(" GROUP BY k.facility_id");
    queries.push((Figure::Certified, q));

    // Each session carries its sheet's totals (kept with the sheet), so this sums sessions,
    // not attendance rows.
    let mut q = Sql::new(
        backend,
        "SELECT s.facility_id, SUM(s.attended_hours), SUM(s.hours_jp * s.marked_trainees) \
         FROM training_sessions s",
    );
    if filter.has_class_filter() {
        q.push(" JOIN classes c ON c.id = s.class_id");
    }
    q.push(" WHERE s.status = 'held'");
    filter.period(&mut q, "s.date");
    filter.facility(&mut q, "s");
    filter.class(&mut q);
    q.push(" GROUP BY s.facility_id");
    queries.push((Figure::Hours, q));

    let unit_codes: BTreeMap<i64, String> =
        Sql::new(backend, "SELECT id, code FROM competency_units")
            .rows(conn)
            .await?
            .iter()
            .map(|row| Ok((id(row, 0)?, text(row, 1)?)))
            .collect::<Result<_, AppError>>()?;
    let mut q = Sql::new(
        backend,
        "SELECT r.facility_id, r.unit_id, r.decision, COUNT(*)",
    );
    filter.push_from_joined(&mut q, "unit_results r", "r.enrolment_id", "r.current = ");
    q.bind(true);
    filter.period(&mut q, "r.assessed_on");
    filter.facility(&mut q, "r");
    filter.class(&mut q);
    q.push(" GROUP BY r.facility_id, r.unit_id, r.decision");
    queries.push((Figure::Units, q));

    let mut q = Sql::new(backend, "SELECT v.facility_id, v.to_state, COUNT(*)");
    filter.push_from_joined(
        &mut q,
        "enrolment_events v",
        "v.enrolment_id",
        "v.to_state IN (",
    );
    for (i, state) in LEAVING_STATES.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(*state);
    }
    q.push(")");
    filter.period(&mut q, "v.effective_on");
    filter.facility(&mut q, "v");
    filter.class(&mut q);
    q.push(" GROUP BY v.facility_id, v.to_state");
    queries.push((Figure::Leaving, q));

    let mut q = Sql::new(
        backend,
        "SELECT f.facility_id, f.outcome, \
         CASE WHEN f.in_trained_trade THEN 'trade' ELSE '' END, COUNT(*) FROM follow_ups f \
         WHERE f.outcome IS NOT NULL",
    );
    filter.period(&mut q, "f.contacted_on");
    filter.facility(&mut q, "f");
    if filter.has_class_filter() {
        q.push(
            " AND f.inmate_id IN (SELECT n.inmate_id FROM enrolments n \
             JOIN classes c ON c.id = n.class_id WHERE 1 = 1",
        );
        filter.class(&mut q);
        q.push(")");
    }
    q.push(
        " GROUP BY f.facility_id, f.outcome, CASE WHEN f.in_trained_trade THEN 'trade' ELSE '' END",
    );
    queries.push((Figure::FollowUps, q));

    for trained in [true, false] {
        let mut q = Sql::new(
            backend,
            "SELECT r.facility_id, COUNT(DISTINCT r.inmate_id), \
             COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM follow_ups f \
               WHERE f.inmate_id = r.inmate_id AND f.outcome IS NOT NULL) \
               THEN r.inmate_id END), \
             COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM follow_ups f \
               WHERE f.inmate_id = r.inmate_id AND f.outcome IN ('employed', 'self_employed')) \
               THEN r.inmate_id END), \
             COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM follow_ups f \
               WHERE f.inmate_id = r.inmate_id AND f.outcome = 'reoffended') \
               THEN r.inmate_id END) \
             FROM custody_events r WHERE r.kind = 'released'",
        );
        filter.period(&mut q, "r.effective_on");
        filter.facility(&mut q, "r");
        if trained {
            q.push(
                " AND EXISTS (SELECT 1 FROM enrolments n JOIN classes c ON c.id = n.class_id \
                 WHERE n.inmate_id = r.inmate_id AND n.state IN ('enrolled', 'completed') \
                 AND c.status <> 'cancelled' AND c.end_date <= r.effective_on",
            );
            filter.class(&mut q);
            q.push(")");
        } else {
            q.push(" AND NOT EXISTS (SELECT 1 FROM enrolments n WHERE n.inmate_id = r.inmate_id)");
        }
        q.push(" GROUP BY r.facility_id");
        queries.push((Figure::Released { trained }, q));
    }

    // The queries are independent: run them at once, on as many pooled connections as they
    // get (inside a transaction they simply take turns), then fold their rows in.
    let results = try_join_all(
        queries
            .into_iter()
            .map(|(figure, q)| async move { q.rows(conn).await.map(|rows| (figure, rows)) }),
    )
    .await?;
    for (figure, rows) in results {
        for row in rows {
            let f = out.entry(id(&row, 0)?).or_default();
            match figure {
                Figure::Assessed => f.assessed = count(&row, 1)?,
                Figure::Selected => f.selected = count(&row, 1)?,
                Figure::Enrolled => f.enrolled = count(&row, 1)?,
                Figure::Completed => f.completed = count(&row, 1)?,
                Figure::Certified => f.certified = count(&row, 1)?,
                Figure::Hours => {
                    f.hours_attended = count(&row, 1)?;
                    f.hours_possible = count(&row, 2)?;
                }
                Figure::Units => {
                    let code = unit_codes.get(&id(&row, 1)?).cloned().unwrap_or_default();
                    let unit = f.units.entry(code).or_default();
                    let n = count(&row, 3)?;
                    if text(&row, 2)? == "K" {
                        unit.competent += n;
                    } else {
                        unit.not_yet_competent += n;
                    }
                }
                Figure::Leaving => {
                    *f.leaving.entry(text(&row, 1)?).or_default() += count(&row, 2)?;
                }
                Figure::FollowUps => {
                    let n = count(&row, 3)?;
                    *f.follow_ups.entry(text(&row, 1)?).or_default() += n;
                    if text(&row, 2)? == "trade" {
                        f.follow_ups_in_trade += n;
                    }
                }
                Figure::Released { trained } => {
                    let group = ReleaseGroup {
                        released: count(&row, 1)?,
                        followed_up: count(&row, 2)?,
                        employed: count(&row, 3)?,
                        reoffended: count(&row, 4)?,
                    };
                    if trained {
                        f.trained = group;
                    } else {
                        f.untrained = group;
                    }
                }
            }
        }
    }

    for f in out.values_mut() {
        f.candidates_counted = candidates;
        f.finish();
    }
    Ok(out)
}

impl UnitCount {
    fn add(&mut self, other: &UnitCount) {
        self.competent += other.competent;
        self.not_yet_competent += other.not_yet_competent;
    }
}

impl ReleaseGroup {
    fn add(&mut self, other: &ReleaseGroup) {
        self.released += other.released;
        self.followed_up += other.followed_up;
        self.employed += other.employed;
        self.reoffended += other.reoffended;
    }
}

impl Figures {
    /// Adds another facility's figures (every count is a sum; shares are recomputed).
    pub(crate) fn add(&mut self, other: &Figures) {
        self.assessed += other.assessed;
        self.selected += other.selected;
        self.enrolled += other.enrolled;
        self.completed += other.completed;
        self.certified += other.certified;
        self.hours_attended += other.hours_attended;
        self.hours_possible += other.hours_possible;
        for (code, unit) in &other.units {
            self.units.entry(code.clone()).or_default().add(unit);
        }
        for (key, n) in &other.leaving {
            *self.leaving.entry(key.clone()).or_default() += n;
        }
        for (key, n) in &other.follow_ups {
            *self.follow_ups.entry(key.clone()).or_default() += n;
        }
        self.follow_ups_in_trade += other.follow_ups_in_trade;
        self.trained.add(&other.trained);
        self.untrained.add(&other.untrained);
        self.finish();
    }

    /// Recomputes the shares from the counts.
    pub(crate) fn finish(&mut self) {
        self.attendance_share = (self.hours_possible > 0)
            .then(|| self.hours_attended as f64 / self.hours_possible as f64);
    }
}
