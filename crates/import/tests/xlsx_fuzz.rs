//! Hostile XLSX content: a valid workbook whose XML parts are mutated (bytes replaced, cut
//! short, giant numbers) and re-zipped with correct checksums must never panic the importer.

use std::io::{Cursor, Read, Write};

use bekal_import::{FileKind, ImportOptions, read_all};
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use zip::write::SimpleFileOptions;

fn workbook() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let s = book.add_worksheet();
    for (i, h) in ["No Reg", "Nama", "Tgl Lahir", "Remisi", "Pidana"]
        .iter()
        .enumerate()
    {
        s.write_string(0, i as u16, *h)?;
    }
    for r in 1..6u32 {
        s.write_string(r, 0, format!("R{r}"))?;
        s.write_string(r, 1, format!("Nama {r}"))?;
        s.write_datetime_with_format(r, 2, ExcelDateTime::from_ymd(1980, 1, r as u8)?, &date)?;
        s.write_number(r, 3, f64::from(r) * 10.0)?;
        s.write_string(r, 4, "2 tahun")?;
    }
    book.save_to_buffer()
}

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(mut z) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    for i in 0..z.len() {
        let Ok(mut f) = z.by_index(i) else { continue };
        let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
        let mut data = Vec::new();
        let _ = f.read_to_end(&mut data);
        out.push((name, data));
    }
    out
}

fn rezip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        let _ = w.start_file(name.as_str(), SimpleFileOptions::default());
        let _ = w.write_all(data);
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

fn opts() -> ImportOptions {
    ImportOptions::new(NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default())
}

#[test]
fn unmutated_rezip_still_reads() {
    let parts = unzip(&workbook().unwrap_or_default());
    assert!(parts.iter().any(|(n, _)| n.ends_with("sheet1.xml")));
    let r = read_all(&rezip(&parts), FileKind::Xlsx, &opts()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.valid.len(), 5);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn mutated_parts_never_panic(
        part in 0usize..20,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let mut parts = unzip(&workbook().unwrap_or_default());
        let n = parts.len();
        if let Some((_, data)) = parts.get_mut(part % n.max(1)) {
            for (at, byte) in &edits {
                if !data.is_empty() {
                    let i = at.index(data.len());
                    data[i] = *byte;
                }
            }
            if let Some(c) = cut && !data.is_empty() {
                data.truncate(c.index(data.len()));
            }
        }
        let _ = read_all(&rezip(&parts), FileKind::Xlsx, &opts());
    }

    #[test]
    fn hostile_sheet_values_never_panic(
        value in prop_oneof![
            "-?[0-9]{1,30}(\\.[0-9]{1,20})?(E[+-]?[0-9]{1,4})?",
            "\\PC{0,30}",
            Just("NaN".to_owned()),
            Just("1e308".to_owned()),
        ],
        cell_ref in prop_oneof![Just("C2".to_owned()), Just("XFD1048576".to_owned()), Just("A0".to_owned()), Just("ZZZZ9999999".to_owned())],
        t_attr in prop_oneof![Just(""), Just(" t=\"s\""), Just(" t=\"b\""), Just(" t=\"e\""), Just(" t=\"d\""), Just(" t=\"str\"")],
        style in prop_oneof![Just(""), Just(" s=\"1\""), Just(" s=\"999\"")],
    ) {
        let mut parts = unzip(&workbook().unwrap_or_default());
        for (name, data) in parts.iter_mut() {
            if name.ends_with("sheet1.xml") {
                let xml = String::from_utf8_lossy(data).into_owned();
                let cell = format!("<c r=\"{cell_ref}\"{t_attr}{style}><v>{}</v></c>", escape(&value));
                let replaced = match xml.find("<c r=\"C2\"") {
                    Some(start) => match xml[start..].find("</c>") {
                        Some(len) => format!("{}{cell}{}", &xml[..start], &xml[start + len + 4..]),
                        None => xml.clone(),
                    },
                    None => xml.clone(),
                };
                *data = replaced.into_bytes();
            }
        }
        let _ = read_all(&rezip(&parts), FileKind::Xlsx, &opts());
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
