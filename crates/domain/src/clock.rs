//! Where time comes from. Rules never call the system clock: they take a [`Clock`] (or a date)
//! so that tests, the demo's `--today` and reproducible benchmarks can pin the day.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

/// Western Indonesia Time (WIB, UTC+7), the default zone of facilities and of the demo.
#[expect(
    clippy::expect_used,
    reason = "a constant offset well inside chrono's range"
)]
pub fn wib() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// A source of the current instant.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant, truncated to microseconds (what both databases store).
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in the given zone.
    fn today_in(&self, zone: FixedOffset) -> NaiveDate {
        self.now().with_timezone(&zone).date_naive()
    }

    /// Today's date in WIB.
    fn today(&self) -> NaiveDate {
        self.today_in(wib())
    }
}

/// The real clock, used only at the binary's edge.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[expect(
        clippy::disallowed_methods,
        reason = "the one place the wall clock is read"
    )]
    fn now(&self) -> DateTime<Utc> {
        truncate_to_micros(Utc::now())
    }
}

/// A clock pinned to one instant: tests, `--today`, reproducible runs.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl FixedClock {
    /// A clock at 08:00 WIB of the given day.
    pub fn at_day(day: NaiveDate) -> Self {
        let local = day.and_hms_opt(8, 0, 0).unwrap_or_default();
        let instant = wib()
            .from_local_datetime(&local)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&local));
        FixedClock(instant)
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        truncate_to_micros(self.0)
    }
}

/// Databases keep microseconds; hashing and comparing a value that went through one must see
/// the same instant, so instants are truncated at the source.
pub fn truncate_to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_day_is_the_day_in_wib() {
        let day = NaiveDate::from_ymd_opt(2021, 6, 10).unwrap_or_default();
        assert_eq!(FixedClock::at_day(day).today(), day);
        assert_eq!(wib().local_minus_utc(), 7 * 3600);
    }
}
