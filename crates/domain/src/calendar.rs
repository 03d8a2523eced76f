//! Working days and stages. A facility trains on its working weekdays minus public holidays;
//! a stage is a run of `stage_days` working days (18 in Pekalongan). The same arithmetic is
//! used by the planner's instance format, session generation and the demo.

use chrono::{Datelike, NaiveDate};
use std::collections::BTreeSet;

/// A facility's training calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingCalendar {
    /// ISO weekdays (1 = Monday ... 7 = Sunday) on which training happens.
    pub working_weekdays: BTreeSet<u32>,
    /// Dates on which no training happens (national holidays, cuti bersama, local closures).
    pub holidays: BTreeSet<NaiveDate>,
}

impl Default for TrainingCalendar {
    /// Monday to Saturday, no holidays: the pattern prisons commonly train on.
    fn default() -> Self {
        TrainingCalendar {
            working_weekdays: (1..=6).collect(),
            holidays: BTreeSet::new(),
        }
    }
}

impl TrainingCalendar {
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        self.working_weekdays
            .contains(&day.weekday().number_from_monday())
            && !self.holidays.contains(&day)
    }

    /// The first `count` working days on or after `start`. Stops early (fewer days) only if
    /// the calendar has no working weekday at all.
    pub fn working_days_from(&self, start: NaiveDate, count: usize) -> Vec<NaiveDate> {
        if self.working_weekdays.is_empty() {
            return Vec::new();
        }
        start
            .iter_days()
            .filter(|day| self.is_working_day(*day))
            .take(count)
            .collect()
    }

    /// The working days of stage `stage` (0-based) of length `stage_days`, counted from
    /// `horizon_start`.
    pub fn stage_days(
        &self,
        horizon_start: NaiveDate,
        stage_days: usize,
        stage: usize,
    ) -> Vec<NaiveDate> {
        let all = self.working_days_from(horizon_start, stage_days * (stage + 1));
        all.into_iter().skip(stage_days * stage).collect()
    }

    /// First and last day of a class of `duration_days` working days starting in `stage`.
    pub fn class_span(
        &self,
        horizon_start: NaiveDate,
        stage_days: usize,
        stage: usize,
        duration_days: usize,
    ) -> Option<(NaiveDate, NaiveDate)> {
        let first = stage_days * stage;
        let days = self.working_days_from(horizon_start, first + duration_days.max(1));
        Some((*days.get(first)?, *days.last()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn skips_sundays_and_holidays() {
        let mut cal = TrainingCalendar::default();
        cal.holidays.insert(day(2021, 6, 1)); // Hari Lahir Pancasila, a Tuesday
        let days = cal.working_days_from(day(2021, 5, 29), 4); // Saturday
        assert_eq!(
            days,
            vec![
                day(2021, 5, 29),
                day(2021, 5, 31),
                day(2021, 6, 2),
                day(2021, 6, 3)
            ]
        );
    }

    #[test]
    fn stages_follow_each_other() {
        let cal = TrainingCalendar::default();
        let s0 = cal.stage_days(day(2021, 6, 7), 18, 0);
        let s1 = cal.stage_days(day(2021, 6, 7), 18, 1);
        assert_eq!(s0.len(), 18);
        assert_eq!(s1.len(), 18);
        assert!(s0.last() < s1.first());
        assert_eq!(
            cal.class_span(day(2021, 6, 7), 18, 1, 18),
            Some((s1[0], s1[17]))
        );
    }

    #[test]
    fn empty_week_gives_no_days() {
        let cal = TrainingCalendar {
            working_weekdays: BTreeSet::new(),
            holidays: BTreeSet::new(),
        };
        assert!(cal.working_days_from(day(2021, 1, 1), 5).is_empty());
        assert_eq!(cal.class_span(day(2021, 1, 1), 18, 0, 18), None);
    }
}
