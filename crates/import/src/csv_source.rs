//! CSV reading: encoding detection (UTF-8 with or without BOM, UTF-16 with BOM, otherwise
//! Windows-1252), separator sniffing (`;`, `,` or tab, from the first line), and a streaming
//! iterator of raw rows numbered as a spreadsheet program would number them.

use std::borrow::Cow;
use std::io::Cursor;

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::error::FileError;
use crate::raw::{Cell, RawRow};
use crate::values::unescape_formula;

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

/// Lines looked at when sniffing the separator.
const SNIFF_LINES: usize = 10;

/// Pick the separator among `,` `;` tab from the first few non-blank lines (quotes respected):
/// the candidate whose per-line count is most consistent wins (most lines sharing the same
/// non-zero count, then the larger count). A title line above the header, or commas inside
/// unquoted addresses, do not repeat consistently, the real separator does. Ties and no
/// separator at all give `,`.
pub fn sniff_delimiter(data: &[u8]) -> u8 {
    let candidates = [b',', b';', b'\t'];
    let mut per_line: Vec<[usize; 3]> = Vec::new();
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let mut line_has_content = false;
    for &b in data {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => {
                if line_has_content {
                    per_line.push(counts);
                    counts = [0; 3];
                    line_has_content = false;
                    if per_line.len() >= SNIFF_LINES {
                        break;
                    }
                }
                continue;
            }
            _ if !in_quotes => {
                if let Some(i) = candidates.iter().position(|c| *c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
        line_has_content = true;
    }
    if line_has_content && per_line.len() < SNIFF_LINES {
        per_line.push(counts);
    }
    let mut best: (usize, usize, u8) = (0, 0, b',');
    for (i, c) in candidates.iter().enumerate() {
        // (lines sharing the most common non-zero count, that count)
        let mut modal = (0usize, 0usize);
        for line in &per_line {
            let n = line[i];
            if n == 0 {
                continue;
            }
            let freq = per_line.iter().filter(|l| l[i] == n).count();
            if (freq, n) > modal {
                modal = (freq, n);
            }
        }
        if (modal.0, modal.1) > (best.0, best.1) {
            best = (modal.0, modal.1, *c);
        }
    }
    best.2
}

/// Excel's `sep=;` first line: the separator it names and the bytes to skip.
fn sep_hint(data: &[u8]) -> Option<(u8, usize)> {
    let rest = data.strip_prefix(b"sep=")?;
    let delimiter = *rest.first()?;
    let mut skip = 5;
    for &b in rest.get(1..)? {
        match b {
            b'\r' | b'\n' => skip += 1,
            _ => break,
        }
    }
    Some((delimiter, skip))
}

/// Counts spreadsheet rows: line breaks (`\r\n`, `\n` or a lone `\r`) outside quoted fields,
/// following the CSV parser's quoting rules (a quote opens a quoted field only at the start of
/// a field; `""` inside is a literal quote). Scans each byte once over the whole file.
#[derive(Debug, Default)]
struct RowCounter {
    pos: usize,
    breaks: u64,
    in_quotes: bool,
    mid_field: bool,
    prev_cr: bool,
    /// A quote just closed or was escaped; the next quote decides which.
    quote_pending: bool,
}

impl RowCounter {
    /// Scan `data` up to `target` (exclusive).
    fn advance(&mut self, data: &[u8], target: usize, delimiter: u8) {
        let end = target.min(data.len());
        while self.pos < end {
            let b = data[self.pos];
            self.pos += 1;
            if self.in_quotes {
                if self.quote_pending {
                    self.quote_pending = false;
                    if b == b'"' {
                        continue; // escaped quote
                    }
                    self.in_quotes = false; // the previous quote closed the field
                } else {
                    if b == b'"' {
                        self.quote_pending = true;
                    }
                    continue;
                }
            }
            match b {
                b'\n' => {
                    if !self.prev_cr {
                        self.breaks += 1;
                    }
                    self.prev_cr = false;
                    self.mid_field = false;
                }
                b'\r' => {
                    self.breaks += 1;
                    self.prev_cr = true;
                    self.mid_field = false;
                }
                _ => {
                    self.prev_cr = false;
                    if b == delimiter {
                        self.mid_field = false;
                    } else if b == b'"' && !self.mid_field {
                        self.in_quotes = true;
                    } else {
                        self.mid_field = true;
                    }
                }
            }
        }
    }

    /// True when the scan stopped inside a quoted field that was never closed.
    fn open_quote(&self) -> bool {
        self.in_quotes && !self.quote_pending
    }
}

/// Streaming CSV row source. Blank rows (empty lines or only separators) are skipped but
/// still counted in row numbers.
pub struct CsvRows<'a> {
    reader: csv::Reader<Cursor<Cow<'a, [u8]>>>,
    record: csv::ByteRecord,
    delimiter: u8,
    rows: RowCounter,
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

    /// Start reading `bytes` as CSV with a known separator (no sniffing, no `sep=` handling).
    pub fn with_delimiter(bytes: &'a [u8], delimiter: u8) -> Self {
        Self::build(decode(bytes), delimiter)
    }

    /// [`Self::with_delimiter`] for owned bytes.
    pub fn from_vec_with_delimiter(bytes: Vec<u8>, delimiter: u8) -> CsvRows<'static> {
        CsvRows::build(Cow::Owned(decode_owned(bytes)), delimiter)
    }

    fn from_data(data: Cow<'a, [u8]>) -> Self {
        // Excel hides a `sep=;` line and numbers the next line row 1: drop it the same way.
        let (delimiter, data) = match sep_hint(&data) {
            Some((d, skip)) => (
                d,
                match data {
                    Cow::Borrowed(b) => Cow::Borrowed(b.get(skip..).unwrap_or_default()),
                    Cow::Owned(mut v) => {
                        v.drain(..skip.min(v.len()));
                        Cow::Owned(v)
                    }
                },
            ),
            None => (sniff_delimiter(&data), data),
        };
        Self::build(data, delimiter)
    }

    fn build(data: Cow<'a, [u8]>, delimiter: u8) -> Self {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(Cursor::new(data));
        Self {
            reader,
            record: csv::ByteRecord::new(),
            delimiter,
            rows: RowCounter::default(),
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
            let start = self.record.position().map_or(0, |p| p.byte());
            let end = self.reader.position().byte();
            let data = self.reader.get_ref().get_ref();
            let start = usize::try_from(start).unwrap_or(data.len());
            // The parser's start position is before any blank lines it skipped: the record's
            // content begins after them.
            let content = start
                + data.get(start..).map_or(0, |rest| {
                    rest.iter()
                        .take_while(|b| **b == b'\n' || **b == b'\r')
                        .count()
                });
            self.rows.advance(data, content, self.delimiter);
            let row = self.rows.breaks + 1;
            let end = usize::try_from(end).unwrap_or(data.len());
            let truncated = end >= data.len() && {
                self.rows.advance(data, data.len(), self.delimiter);
                self.rows.open_quote()
            };
            let cells: Vec<Cell> = self
                .record
                .iter()
                .map(|f| {
                    let s = String::from_utf8_lossy(f);
                    if s.is_empty() {
                        Cell::Empty
                    } else if s.starts_with('\'') {
                        Cell::Text(unescape_formula(&s).to_owned())
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
