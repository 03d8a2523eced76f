//! Row validation: one raw row plus the header map → an [`InmateRecord`] or the list of
//! everything wrong with the row. Duplicate register numbers are checked by the stream, which
//! sees the whole file.

use chrono::NaiveDate;

use crate::error::{ErrorCode, RowError};
use crate::headers::{Field, HeaderMap};
use crate::raw::{Cell, RawRow};
use crate::record::{InmateRecord, RegisterClass, SentenceLength};
use crate::values::date::parse_date_cell;
use crate::values::enums::register_class_label;
use crate::values::enums::{
    parse_education, parse_register_class, parse_religion, parse_risk_level, parse_sex,
};
use crate::values::names::{looks_scientific, split_alias};
use crate::values::number::{parse_decimal_cell, parse_int_cell};
use crate::values::sentence::{format_sentence, parse_duration_days, parse_sentence};
use crate::values::{clean_text, split_list};

/// Longest accepted cell, in characters.
pub const MAX_CELL_CHARS: usize = 2000;
/// Largest accepted remission, in days (remissions are months at most per year of sentence).
const MAX_REMISSION_DAYS: i64 = 36_500;

/// Collects errors while reading one row's fields.
struct RowReader<'a> {
    row: &'a RawRow,
    map: &'a HeaderMap,
    errors: Vec<RowError>,
}

impl<'a> RowReader<'a> {
    /// The cell of `field`, `None` when the column is absent or the cell blank.
    fn cell(&self, field: Field) -> Option<&'a Cell> {
        let idx = self.map.column_of(field)?;
        let cell = self.row.cell(idx);
        if cell.is_blank() { None } else { Some(cell) }
    }

    fn fail(&mut self, field: Field, cell: &Cell, code: ErrorCode) {
        self.errors.push(RowError::new(
            self.row.row,
            self.map.header_of(field),
            &cell.text(),
            code,
        ));
    }

    /// A text field; date/number cells are rendered as text except a date cell, which is
    /// `wrong_type`.
    fn text(&mut self, field: Field) -> Option<String> {
        let cell = self.cell(field)?;
        match cell {
            Cell::Date(_) | Cell::Bool(_) => {
                self.fail(field, cell, ErrorCode::WrongType);
                None
            }
            _ => {
                let t = cell.text();
                if t.chars().count() > MAX_CELL_CHARS {
                    self.fail(field, cell, ErrorCode::ValueTooLong);
                    return None;
                }
                Some(clean_text(&t))
            }
        }
    }

    fn list(&mut self, field: Field) -> Vec<String> {
        self.text(field).map(|t| split_list(&t)).unwrap_or_default()
    }

    fn date(&mut self, field: Field) -> Option<NaiveDate> {
        let cell = self.cell(field)?;
        match parse_date_cell(cell) {
            Ok(d) => Some(d),
            Err(code) => {
                self.fail(field, cell, code);
                None
            }
        }
    }

    /// A text field parsed by `parse`; failure → `value_not_recognised`.
    fn choice<T>(&mut self, field: Field, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
        let cell = self.cell(field)?;
        let text = self.text(field)?;
        let v = parse(&text);
        if v.is_none() {
            let allowed = allowed_values(field);
            self.errors.push(
                RowError::new(
                    self.row.row,
                    self.map.header_of(field),
                    &cell.text(),
                    ErrorCode::ValueNotRecognised,
                )
                .with_detail(&format!("gunakan {allowed}"), &format!("use {allowed}")),
            );
        }
        v
    }
}

/// The values an officer may type, for the message of `value_not_recognised`.
fn allowed_values(field: Field) -> &'static str {
    match field {
        Field::Sex => "L / P",
        Field::Education => "Tidak sekolah, Tidak tamat SD, SD, SMP, SMA, SMK, D1-D4, S1-S3",
        Field::RegisterClass => "A.I, A.II, A.III, A.IV, A.V, B.I, B.IIa, B.IIb, B.III",
        Field::RiskLevel => "Rendah, Sedang, Tinggi, Sangat tinggi",
        _ => "-",
    }
}

/// Validate one row. `today` is the import date (no clock is read here).
pub fn validate_row(
    row: &RawRow,
    map: &HeaderMap,
    today: NaiveDate,
) -> Result<InmateRecord, Vec<RowError>> {
    let mut r = RowReader {
        row,
        map,
        errors: Vec::new(),
    };
    if row.truncated {
        r.errors
            .push(RowError::new(row.row, "", "", ErrorCode::TruncatedRow));
    }

    let mut register_number = r.text(Field::RegisterNumber).unwrap_or_default();
    if looks_scientific(&register_number)
        && let Some(cell) = r.cell(Field::RegisterNumber)
    {
        r.errors.push(
            RowError::new(
                row.row,
                map.header_of(Field::RegisterNumber),
                &cell.text(),
                ErrorCode::WrongType,
            )
            .with_detail(
                "nomor register rusak oleh Excel (notasi ilmiah); format kolom sebagai Teks",
                "register number mangled by Excel (scientific notation); format the column as Text",
            ),
        );
        register_number.clear();
    }
    if register_number.is_empty() && r.cell(Field::RegisterNumber).is_none() {
        r.errors.push(RowError::new(
            row.row,
            map.header_of(Field::RegisterNumber),
            "",
            ErrorCode::RegisterNumberMissing,
        ));
    }
    let (name, mut aliases) = split_alias(&r.text(Field::Name).unwrap_or_default());
    if name.is_empty() && r.cell(Field::Name).is_none() {
        r.errors.push(RowError::new(
            row.row,
            map.header_of(Field::Name),
            "",
            ErrorCode::NameMissing,
        ));
    }

    for alias in r.list(Field::Aliases) {
        if !aliases.contains(&alias) {
            aliases.push(alias);
        }
    }
    let sex = r.choice(Field::Sex, parse_sex);
    let birth_date = r.date(Field::BirthDate);
    let religion = r.text(Field::Religion).map(|t| parse_religion(&t));
    let education = r.choice(Field::Education, parse_education);
    let origin_city = r.text(Field::OriginCity);
    let case_article = r.text(Field::CaseArticle);
    let sentence = match r.cell(Field::Sentence) {
        Some(cell @ (Cell::Date(_) | Cell::Bool(_) | Cell::Number(_))) => {
            r.fail(Field::Sentence, cell, ErrorCode::SentenceInvalid);
            None
        }
        Some(cell) => {
            let parsed = parse_sentence(&cell.text());
            if parsed.is_none() {
                r.fail(Field::Sentence, cell, ErrorCode::SentenceInvalid);
            }
            parsed
        }
        None => None,
    };
    let sentence_start = r.date(Field::SentenceStart);
    let expected_release = r.date(Field::ExpectedRelease);
    let remission_days = match r.cell(Field::RemissionDays) {
        Some(cell) => match parse_int_cell(cell).or_else(|code| remission_text(cell).ok_or(code)) {
            Ok(n) if (0..=MAX_REMISSION_DAYS).contains(&n) => u32::try_from(n).ok(),
            Ok(_) => {
                r.fail(Field::RemissionDays, cell, ErrorCode::NumberOutOfRange);
                None
            }
            Err(code) => {
                r.fail(Field::RemissionDays, cell, code);
                None
            }
        },
        None => None,
    };
    let block = r.text(Field::Block);
    let cell_room = r.text(Field::Cell);
    let register_class = r.choice(Field::RegisterClass, parse_register_class);
    let sppn_score = match r.cell(Field::SppnScore) {
        Some(cell) => match parse_decimal_cell(cell) {
            Ok(v) if (0.0..=1000.0).contains(&v) => Some(v),
            Ok(_) => {
                r.fail(Field::SppnScore, cell, ErrorCode::NumberOutOfRange);
                None
            }
            Err(code) => {
                r.fail(Field::SppnScore, cell, code);
                None
            }
        },
        None => None,
    };
    let risk_level = r.choice(Field::RiskLevel, parse_risk_level);
    let skills = r.list(Field::Skills);
    let interests = r.list(Field::Interests);

    cross_checks(&mut r, birth_date, sentence_start, expected_release, today);

    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    Ok(InmateRecord {
        register_number,
        name,
        aliases,
        sex,
        birth_date,
        religion,
        education,
        origin_city,
        case_article,
        sentence,
        sentence_start,
        expected_release,
        remission_days,
        block,
        cell: cell_room,
        register_class,
        sppn_score,
        risk_level,
        skills,
        interests,
    })
}

/// A remission written as a duration (`3 bulan 15 hari`), in days.
fn remission_text(cell: &Cell) -> Option<i64> {
    match cell {
        Cell::Text(t) => parse_duration_days(t).map(i64::from),
        _ => None,
    }
}

/// Checks that involve more than one field or the import date.
fn cross_checks(
    r: &mut RowReader<'_>,
    birth: Option<NaiveDate>,
    start: Option<NaiveDate>,
    release: Option<NaiveDate>,
    today: NaiveDate,
) {
    let fmt = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    if let Some(b) = birth
        && b > today
    {
        let header = r.map.header_of(Field::BirthDate).to_owned();
        r.errors.push(
            RowError::new(r.row.row, &header, &fmt(b), ErrorCode::BirthDateInFuture).with_detail(
                &format!("hari ini {}", fmt(today)),
                &format!("today is {}", fmt(today)),
            ),
        );
    }
    if let (Some(b), Some(s)) = (birth, start)
        && b > s
    {
        let header = r.map.header_of(Field::BirthDate).to_owned();
        r.errors.push(
            RowError::new(r.row.row, &header, &fmt(b), ErrorCode::BirthAfterStart)
                .with_detail(&format!("mulai {}", fmt(s)), &format!("start {}", fmt(s))),
        );
    }
    if let (Some(s), Some(e)) = (start, release)
        && e < s
    {
        let header = r.map.header_of(Field::ExpectedRelease).to_owned();
        r.errors.push(
            RowError::new(r.row.row, &header, &fmt(e), ErrorCode::ReleaseBeforeStart)
                .with_detail(&format!("mulai {}", fmt(s)), &format!("start {}", fmt(s))),
        );
    }
}

/// Approximate length of a fixed term in days (year 365, month 30), `None` for life/death.
fn approx_days(s: &SentenceLength) -> Option<u32> {
    match *s {
        SentenceLength::Term {
            years,
            months,
            days,
        } => Some(u32::from(years) * 365 + u32::from(months) * 30 + u32::from(days)),
        SentenceLength::Life | SentenceLength::Death => None,
    }
}

/// Does the register class fit the sentence? Detainee classes (A.*) and B.III (kurungan /
/// in lieu of a fine) are not checked.
fn class_fits(class: RegisterClass, sentence: &SentenceLength) -> bool {
    let days = approx_days(sentence);
    match class {
        RegisterClass::BI => days.is_none_or(|d| d > 365),
        RegisterClass::BIIa => days.is_some_and(|d| d > 90 && d <= 365),
        RegisterClass::BIIb => days.is_some_and(|d| d <= 90),
        _ => true,
    }
}

/// Warnings for an accepted record.
pub fn row_warnings(row: &RawRow, map: &HeaderMap, record: &InmateRecord) -> Vec<RowError> {
    let mut out = Vec::new();
    if let (Some(class), Some(sentence)) = (record.register_class, record.sentence.as_ref())
        && !class_fits(class, sentence)
    {
        let label = register_class_label(class);
        let length = format_sentence(sentence);
        out.push(
            RowError::new(
                row.row,
                map.header_of(Field::RegisterClass),
                label,
                ErrorCode::RegisterClassMismatch,
            )
            .with_detail(
                &format!("{label} dengan pidana {length}"),
                &format!("{label} with a sentence of {length}"),
            ),
        );
    }
    out
}
