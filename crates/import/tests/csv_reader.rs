//! Property test of the raw CSV reader: whatever the fields hold (separators, quotes, newlines,
//! non-ASCII), with blank lines between records and either line ending, the reader gives back
//! the same cells with the row numbers a spreadsheet would show.

use bekal_import::Cell;
use bekal_import::csv_source::CsvRows;
use proptest::prelude::*;

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[A-Za-z0-9 ]{0,8}",
        1 => "[A-Za-z,;\t\"\r\n é]{0,8}",
    ]
}

fn quote(f: &str, delim: char) -> String {
    if f.contains([delim, '"', '\n', '\r']) || f.starts_with(' ') {
        format!("\"{}\"", f.replace('"', "\"\""))
    } else {
        f.to_owned()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn cells_and_row_numbers_survive(
        records in prop::collection::vec(
            // Real exports give every row the header's width.
            (prop::collection::vec(field(), 5), 0usize..3),
            1..25,
        ),
        delim in prop::sample::select(vec![',', ';', '\t']),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let d = delim.to_string();
        let mut text = String::new();
        if bom {
            text.push('\u{feff}');
        }
        // Header: five columns so the sniffer sees the separator four times.
        text.push_str(&["a", "b", "c", "d", "e"].join(&d));
        text.push_str(nl);
        let mut expected: Vec<(u64, Vec<String>)> = Vec::new();
        let mut row = 2u64;
        for (fields, blanks_before) in &records {
            for _ in 0..*blanks_before {
                text.push_str(nl);
                row += 1;
            }
            let line: Vec<String> = fields.iter().map(|f| quote(f, delim)).collect();
            text.push_str(&line.join(&d));
            text.push_str(nl);
            if fields.iter().any(|f| !f.trim().is_empty()) {
                expected.push((row, fields.clone()));
            }
            row += 1;
        }
        let got: Vec<(u64, Vec<String>)> = CsvRows::new(text.as_bytes())
            .skip(1)
            .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
            .map(|r| {
                prop_assert!(!r.truncated);
                Ok((r.row, r.cells.iter().map(|c| match c {
                    Cell::Text(s) => s.clone(),
                    _ => String::new(),
                }).collect()))
            })
            .collect::<Result<_, TestCaseError>>()?;
        prop_assert_eq!(got, expected);
    }
}
