//! Working-day calendar of a facility: stages, class start/end dates.
//!
//! Stage s is the working days WD[sL .. sL+L-1]; a class of package p starting in stage s
//! runs on WD[sL .. sL+D_p-1] (PROBLEM.md, section 1).

use chrono::{Datelike, NaiveDate};

use crate::model::CalendarSpec;

/// Strict `YYYY-MM-DD` parser (10 characters, like check.py's `as_date`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Formats a date as `YYYY-MM-DD`.
pub fn fmt_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The working days of a facility, enough for all its stages.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// Stage length L in working days.
    pub stage_days: usize,
    /// Number of stages S.
    pub num_stages: usize,
    /// WD[0 .. S*L].
    pub days: Vec<NaiveDate>,
}

impl Calendar {
    /// Builds the calendar; `None` if a date is malformed (validated instances never are).
    pub fn new(spec: &CalendarSpec) -> Option<Calendar> {
        let start = parse_date(&spec.horizon_start)?;
        let l = usize::try_from(spec.stage_days).ok()?;
        let s = usize::try_from(spec.num_stages).ok()?;
        let holidays: std::collections::HashSet<NaiveDate> =
            spec.holidays.iter().filter_map(|h| parse_date(h)).collect();
        let need = l.checked_mul(s)?;
        let mut days = Vec::with_capacity(need);
        let mut d = start;
        while days.len() < need {
            let wd = i64::from(d.weekday().number_from_monday());
            if spec.working_weekdays.contains(&wd) && !holidays.contains(&d) {
                days.push(d);
            }
            d = d.succ_opt()?;
        }
        Some(Calendar {
            stage_days: l,
            num_stages: s,
            days,
        })
    }

    /// Number of stages a package of `duration_days` occupies: ceil(D / L).
    pub fn stages_of(&self, duration_days: usize) -> usize {
        duration_days.div_ceil(self.stage_days.max(1))
    }

    /// Working days of a class of duration D starting in stage s (None if outside the horizon).
    pub fn class_days(&self, stage: usize, duration_days: usize) -> Option<&[NaiveDate]> {
        let a = stage.checked_mul(self.stage_days)?;
        let b = a.checked_add(duration_days)?;
        self.days.get(a..b)
    }

    /// (start, end) date of such a class.
    pub fn class_span(&self, stage: usize, duration_days: usize) -> Option<(NaiveDate, NaiveDate)> {
        let days = self.class_days(stage, duration_days)?;
        Some((*days.first()?, *days.last()?))
    }
}
