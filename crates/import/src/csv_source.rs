//! CSV reading: encoding detection (UTF-8 with or without BOM, UTF-16 with BOM, otherwise
//! Windows-1252), separator sniffing (`;`, `,` or tab, from the first line), and a streaming
//! iterator of raw rows numbered as a spreadsheet program would number them.

use std::borrow::Cow;
use std::io::Cursor;

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::error::FileError;
use crate::raw::{Cell, RawRow};

/// Decode the input to UTF-8 bytes: BOMs are honoured and stripped; input that is not valid
/// UTF-8 is read as Windows-1252 (what Excel on Indonesian Windows writes).
pub fn decode(bytes: &[u8]) -> Cow<'_, [u8]> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode_utf8_or_1252(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let (text, _) = UTF_16LE.decode_without_bom_handling(rest);
        return Cow::Owned(text.into_owned().into_bytes());
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let (text, _) = UTF_16BE.decode_without_bom_handling(rest);
        return Cow::Owned(text.into_owned().into_bytes());
    }
    decode_utf8_or_1252(bytes)
}

/// [`decode`] for owned input: valid UTF-8 is kept in place (only a BOM is removed).
pub fn decode_owned(mut bytes: Vec<u8>) -> Vec<u8> {
    match decode(&bytes) {
        Cow::Owned(v) => v,
        Cow::Borrowed(b) => {
            let skip = bytes.len() - b.len();
            bytes.drain(..skip);
            bytes
        }
    }
}

fn decode_utf8_or_1252(bytes: &[u8]) -> Cow<'_, [u8]> {
    if std::str::from_utf8(bytes).is_ok() {
        Cow::Borrowed(bytes)
    } else {
        let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
        Cow::Owned(text.into_owned().into_bytes())
    }
}

/// Pick the separator that occurs most often, outside quotes, on the first non-blank line.
/// Ties and no separator at all give `,`.
pub fn sniff_delimiter(data: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let candidates = [b',', b';', b'\t'];
    let mut in_quotes = false;
    let mut seen_content = false;
    for &b in data {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes && seen_content => break,
            b'\n' | b'\r' if !in_quotes => {}
            _ if !in_quotes => {
                if let Some(i) = candidates.iter().position(|c| *c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            seen_content = true;
        }
    }
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

/// True when `record` (the bytes from a record's start to the end of the data) ends inside a
/// quoted field, using the same quoting rules as the CSV parser.
fn ends_in_open_quote(record: &[u8], delimiter: u8) -> bool {
    let mut at_field_start = true;
    let mut in_quotes = false;
    let mut i = 0;
    while i < record.len() {
        let b = record[i];
        if in_quotes {
            if b == b'"' {
                if record.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' && at_field_start {
            in_quotes = true;
        } else if b == delimiter || b == b'\n' || b == b'\r' {
            at_field_start = true;
            i += 1;
            continue;
        }
        at_field_start = false;
        i += 1;
    }
    in_quotes
}

/// Streaming CSV row source. Blank rows (empty lines or only separators) are skipped but
/// still counted in row numbers.
pub struct CsvRows<'a> {
    reader: csv::Reader<Cursor<Cow<'a, [u8]>>>,
    record: csv::ByteRecord,
    delimiter: u8,
    /// (spreadsheet row, physical line, newlines inside) of the previous record.
    prev: Option<(u64, u64, u64)>,
    done: bool,
}

impl std::fmt::Debug for CsvRows<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvRows")
            .field("delimiter", &self.delimiter)
            .finish_non_exhaustive()
    }
}

impl<'a> CsvRows<'a> {
    /// Start reading `bytes` as CSV.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self::from_data(decode(bytes))
    }

    fn from_data(data: Cow<'a, [u8]>) -> Self {
        let delimiter = sniff_delimiter(&data);
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(Cursor::new(data));
        Self {
            reader,
            record: csv::ByteRecord::new(),
            delimiter,
            prev: None,
            done: false,
        }
    }

    /// Start reading owned bytes as CSV; the rows do not borrow anything.
    pub fn from_vec(bytes: Vec<u8>) -> CsvRows<'static> {
        CsvRows::from_data(Cow::Owned(decode_owned(bytes)))
    }

    /// The separator in use.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    fn next_row(&mut self) -> Result<Option<RawRow>, FileError> {
        loop {
            let more = self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(|e| FileError::Csv(e.to_string()))?;
            if !more {
                return Ok(None);
            }
            let (line, start_byte) = self
                .record
                .position()
                .map_or((1, 0), |p| (p.line(), p.byte()));
            let newlines = self
                .record
                .as_slice()
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            let row = match self.prev {
                None => line,
                Some((prev_row, prev_line, prev_nl)) => {
                    prev_row
                        + line
                            .saturating_sub(prev_line)
                            .saturating_sub(prev_nl)
                            .max(1)
                }
            };
            self.prev = Some((row, line, newlines));
            let data = self.reader.get_ref().get_ref();
            let end = self.reader.position().byte();
            let truncated = usize::try_from(end).is_ok_and(|e| e >= data.len())
                && usize::try_from(start_byte)
                    .ok()
                    .and_then(|s| data.get(s..))
                    .is_some_and(|rest| ends_in_open_quote(rest, self.delimiter));
            let cells: Vec<Cell> = self
                .record
                .iter()
                .map(|f| {
                    let s = String::from_utf8_lossy(f);
                    if s.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(s.into_owned())
                    }
                })
                .collect();
            let raw = RawRow {
                row,
                cells,
                truncated,
            };
            if raw.is_blank() && !truncated {
                continue;
            }
            return Ok(Some(raw));
        }
    }
}

impl Iterator for CsvRows<'_> {
    type Item = Result<RawRow, FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_row() {
            Ok(Some(r)) => Some(Ok(r)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}
