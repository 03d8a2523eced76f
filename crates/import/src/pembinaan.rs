//! Pembinaan stage computation: from the sentence start, the term (a sentence length or an
//! expected release date) and remissions, the 1/3, 1/2 and 2/3 dates and the stage on a day.
//!
//! Rules used (document any change in docs/import.md):
//! - The term end is `start + years + months + days` (calendar arithmetic; a month added to
//!   31 January gives the last day of February), or the given expected release date.
//! - Remission days are subtracted from the term end; the result is the release date.
//! - Fractions are taken of the whole days between start and release, rounded down:
//!   `one_third = start + floor(total / 3)` and so on.
//! - Stages are half-open: tahap awal `[start, 1/3)`, lanjutan I `[1/3, 1/2)`,
//!   lanjutan II `[1/2, 2/3)`, akhir `[2/3, release)`; from the release date on, released.
//! - Life and death sentences have no fractions: [`PembinaanError::NoFixedTerm`].
//!
//! Will move to the domain crate.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::record::SentenceLength;

/// Orientation period at the start of tahap awal (masa pengenalan lingkungan), at most a month.
const ORIENTATION_MONTHS: u32 = 1;

/// How the end of the term is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermEnd {
    /// From the sentence length.
    Sentence(SentenceLength),
    /// From the expected release date before remissions (ekspirasi).
    ExpectedRelease(NaiveDate),
}

/// Why the dates cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PembinaanError {
    /// Life or death sentence.
    #[error("life or death sentence: no fixed term")]
    NoFixedTerm,
    /// The release (after remissions) is not after the start.
    #[error("release is not after the start")]
    EmptyTerm,
    /// Date arithmetic overflowed.
    #[error("date out of range")]
    OutOfRange,
}

/// The key dates of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PembinaanDates {
    /// Sentence start (admission).
    pub start: NaiveDate,
    /// End of orientation (start + 1 month, but never after 1/3).
    pub orientation_end: NaiveDate,
    /// 1/3 of the term.
    pub one_third: NaiveDate,
    /// 1/2 of the term.
    pub half: NaiveDate,
    /// 2/3 of the term.
    pub two_thirds: NaiveDate,
    /// Release date (term end minus remissions).
    pub release: NaiveDate,
}

/// Pembinaan stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// Before the sentence start.
    NotYetAdmitted,
    /// Tahap awal: admission to 1/3.
    Initial,
    /// Tahap lanjutan I: 1/3 to 1/2.
    AdvancedOne,
    /// Tahap lanjutan II: 1/2 to 2/3 (assimilation possible).
    AdvancedTwo,
    /// Tahap akhir: 2/3 to release.
    Final,
    /// On or after the release date.
    Released,
}

impl Stage {
    /// The Indonesian name officers use.
    pub fn label_id(self) -> &'static str {
        match self {
            Stage::NotYetAdmitted => "belum masuk",
            Stage::Initial => "tahap awal",
            Stage::AdvancedOne => "tahap lanjutan I",
            Stage::AdvancedTwo => "tahap lanjutan II",
            Stage::Final => "tahap akhir",
            Stage::Released => "bebas",
        }
    }
}

/// Term end before remissions.
fn term_end(start: NaiveDate, term: TermEnd) -> Result<NaiveDate, PembinaanError> {
    match term {
        TermEnd::ExpectedRelease(d) => Ok(d),
        TermEnd::Sentence(SentenceLength::Life | SentenceLength::Death) => {
            Err(PembinaanError::NoFixedTerm)
        }
        TermEnd::Sentence(SentenceLength::Term {
            years,
            months,
            days,
        }) => {
            let months_total = u32::from(years) * 12 + u32::from(months);
            start
                .checked_add_months(Months::new(months_total))
                .and_then(|d| d.checked_add_days(Days::new(u64::from(days))))
                .ok_or(PembinaanError::OutOfRange)
        }
    }
}

/// Compute the key dates.
pub fn compute_dates(
    start: NaiveDate,
    term: TermEnd,
    remission_days: u32,
) -> Result<PembinaanDates, PembinaanError> {
    let end = term_end(start, term)?;
    let release = end
        .checked_sub_days(Days::new(u64::from(remission_days)))
        .ok_or(PembinaanError::OutOfRange)?;
    let total = (release - start).num_days();
    if total <= 0 {
        return Err(PembinaanError::EmptyTerm);
    }
    let at = |num: i64, den: i64| -> Result<NaiveDate, PembinaanError> {
        let offset = u64::try_from(total * num / den).map_err(|_| PembinaanError::OutOfRange)?;
        start
            .checked_add_days(Days::new(offset))
            .ok_or(PembinaanError::OutOfRange)
    };
    let one_third = at(1, 3)?;
    let orientation_end = start
        .checked_add_months(Months::new(ORIENTATION_MONTHS))
        .map_or(one_third, |d| d.min(one_third));
    Ok(PembinaanDates {
        start,
        orientation_end,
        one_third,
        half: at(1, 2)?,
        two_thirds: at(2, 3)?,
        release,
    })
}

/// The stage on `on`.
pub fn stage_on(dates: &PembinaanDates, on: NaiveDate) -> Stage {
    if on < dates.start {
        Stage::NotYetAdmitted
    } else if on < dates.one_third {
        Stage::Initial
    } else if on < dates.half {
        Stage::AdvancedOne
    } else if on < dates.two_thirds {
        Stage::AdvancedTwo
    } else if on < dates.release {
        Stage::Final
    } else {
        Stage::Released
    }
}
