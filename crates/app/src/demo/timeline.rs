//! The demo programme's dates: three stages of 18 working days, placed so that on `today` the
//! first stage is over, the second is about half done and the third is still ahead.

use bekal_domain::calendar::TrainingCalendar;
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// Working days per stage in the Pekalongan model case.
pub const STAGE_DAYS: usize = 18;
/// Stages of the demo programme.
pub const STAGES: usize = 3;

/// The start and the stages of the demo programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgrammeTimeline {
    pub horizon_start: NaiveDate,
    /// First and last working day of each stage.
    pub stages: Vec<(NaiveDate, NaiveDate)>,
}

impl ProgrammeTimeline {
    /// Places the programme so that `today` is the 10th working day of the second stage (or,
    /// if `today` is not a working day, lies between its 9th and 10th).
    pub fn around(calendar: &TrainingCalendar, today: NaiveDate) -> Self {
        let wanted_before = STAGE_DAYS + 9;
        let mut start = today;
        let mut counted = 0;
        let mut day = today - Duration::days(1);
        // Walk back over working days until `wanted_before` of them lie before today.
        for _ in 0..3660 {
            if counted == wanted_before {
                break;
            }
            if calendar.is_working_day(day) {
                counted += 1;
                start = day;
            }
            day -= Duration::days(1);
        }
        let stages = (0..STAGES)
            .filter_map(|stage| calendar.class_span(start, STAGE_DAYS, stage, STAGE_DAYS))
            .collect();
        ProgrammeTimeline {
            horizon_start: start,
            stages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_stage_over_second_running_third_ahead() {
        let calendar = TrainingCalendar::default();
        for offset in 0..14 {
            let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap() + Duration::days(offset);
            let timeline = ProgrammeTimeline::around(&calendar, today);
            assert_eq!(timeline.stages.len(), 3);
            assert!(timeline.stages[0].1 < today, "{today}: stage 1 over");
            assert!(
                timeline.stages[1].0 <= today && today <= timeline.stages[1].1,
                "{today}: stage 2 running"
            );
            assert!(timeline.stages[2].0 > today, "{today}: stage 3 ahead");
        }
    }
}
