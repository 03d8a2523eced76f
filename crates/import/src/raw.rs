//! Raw rows as read from a file, before any validation: a row number as the user sees it and
//! the cells, kept as text except where the spreadsheet said "number" or "date".

use std::borrow::Cow;

use chrono::NaiveDate;

/// One cell as it came out of the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing in the cell.
    Empty,
    /// Text (all CSV cells are text).
    Text(String),
    /// A numeric spreadsheet cell not formatted as a date.
    Number(f64),
    /// A spreadsheet cell formatted as a date (already converted from its serial number).
    Date(NaiveDate),
    /// A boolean spreadsheet cell.
    Bool(bool),
}

impl Cell {
    /// The cell rendered as text, as an officer would read it (dates as dd/mm/yyyy,
    /// whole numbers without decimals).
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) => Cow::Borrowed(s.as_str()),
            Cell::Number(n) => Cow::Owned(format_number(*n)),
            Cell::Date(d) => Cow::Owned(d.format("%d/%m/%Y").to_string()),
            Cell::Bool(b) => Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
        }
    }

    /// True when the cell is empty or only whitespace.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// Whole numbers print without a decimal point; others with Rust's shortest round-trip form.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A row of cells with its row number as shown by a spreadsheet program
/// (first row of the file = 1).
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// Row number as the user sees it.
    pub row: u64,
    /// Cells, left to right.
    pub cells: Vec<Cell>,
    /// The file ended inside a quoted field on this row (CSV only).
    pub truncated: bool,
}

impl RawRow {
    /// True when every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }

    /// The cell at `index`, or `Cell::Empty` when the row is shorter.
    pub fn cell(&self, index: usize) -> &Cell {
        self.cells.get(index).unwrap_or(&Cell::Empty)
    }
}
