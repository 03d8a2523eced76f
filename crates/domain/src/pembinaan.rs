//! The pembinaan (correctional programme) stages that follow from a sentence: tahap awal
//! (admission to 1/3), lanjutan I (1/3 to 1/2), lanjutan II (1/2 to 2/3, assimilation possible)
//! and akhir (2/3 to release). Vocational training is usually given in the lanjutan stages.
//!
//! The fractions are taken of the time to be served: from the start of the sentence to the
//! expected release date (ekspirasi), which already has remissions subtracted.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

crate::text_enum! {
    /// A stage of pembinaan.
    PembinaanStage, "pembinaan stage" {
        /// Tahap awal: admission to 1/3 of the sentence (starts with up to a month of orientation).
        Initial = "initial",
        /// Tahap lanjutan I: 1/3 to 1/2.
        AdvancedOne = "advanced_1",
        /// Tahap lanjutan II: 1/2 to 2/3.
        AdvancedTwo = "advanced_2",
        /// Tahap akhir: 2/3 to release.
        Final = "final",
        /// After the expected release date.
        Released = "released",
    }
}

/// The milestones of one sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PembinaanDates {
    pub start: NaiveDate,
    pub one_third: NaiveDate,
    pub one_half: NaiveDate,
    pub two_thirds: NaiveDate,
    pub release: NaiveDate,
}

impl PembinaanDates {
    /// Milestones from the start of the sentence and the expected release date. `None` when
    /// the release is not after the start (a record to be corrected, not a stage).
    pub fn compute(start: NaiveDate, release: NaiveDate) -> Option<Self> {
        let total = (release - start).num_days();
        if total <= 0 {
            return None;
        }
        let at = |num: i64, den: i64| start + Duration::days(total * num / den);
        Some(PembinaanDates {
            start,
            one_third: at(1, 3),
            one_half: at(1, 2),
            two_thirds: at(2, 3),
            release,
        })
    }

    /// The stage on a given day (before the start counts as the initial stage).
    pub fn stage_on(&self, day: NaiveDate) -> PembinaanStage {
        if day >= self.release {
            PembinaanStage::Released
        } else if day >= self.two_thirds {
            PembinaanStage::Final
        } else if day >= self.one_half {
            PembinaanStage::AdvancedTwo
        } else if day >= self.one_third {
            PembinaanStage::AdvancedOne
        } else {
            PembinaanStage::Initial
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn three_year_sentence() {
        // 1,096 days (2020 is a leap year): thirds at day 365 and 730, half at day 548.
        let dates = PembinaanDates::compute(day(2020, 1, 1), day(2023, 1, 1)).unwrap();
        assert_eq!(dates.one_third, day(2020, 12, 31));
        assert_eq!(dates.one_half, day(2021, 7, 2));
        assert_eq!(dates.two_thirds, day(2021, 12, 31));
        assert_eq!(dates.stage_on(day(2020, 6, 1)), PembinaanStage::Initial);
        assert_eq!(dates.stage_on(day(2021, 1, 1)), PembinaanStage::AdvancedOne);
        assert_eq!(dates.stage_on(day(2021, 8, 1)), PembinaanStage::AdvancedTwo);
        assert_eq!(dates.stage_on(day(2022, 6, 1)), PembinaanStage::Final);
        assert_eq!(dates.stage_on(day(2023, 1, 1)), PembinaanStage::Released);
    }

    #[test]
    fn release_not_after_start_has_no_stages() {
        assert_eq!(
            PembinaanDates::compute(day(2021, 1, 1), day(2021, 1, 1)),
            None
        );
        assert_eq!(
            PembinaanDates::compute(day(2021, 1, 2), day(2021, 1, 1)),
            None
        );
    }
}
