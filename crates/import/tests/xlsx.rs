//! XLSX fixtures built in the test with rust_xlsxwriter: real date cells, serial numbers,
//! numeric register numbers, a title row, blank rows and bad rows; also the error report.

use bekal_import::report::{ERROR_COLUMN, ERROR_REASON, error_report_csv, error_report_xlsx};
use bekal_import::{
    Cell, ErrorCode, FileError, FileKind, ImportOptions, ImportResult, RegisterClass, Sex, read_all,
};
use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn opts() -> ImportOptions {
    ImportOptions::new(d(2026, 11, 29))
}

fn build() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let s = book.add_worksheet();
    s.set_name("Data WBP")?;
    s.write_string(0, 0, "DATA WBP LAPAS PEKALONGAN")?;
    let headers = [
        "No. Register",
        "Nama",
        "JK",
        "Tanggal Lahir",
        "Pidana",
        "TMT",
        "Expected release",
        "Register class",
        "SPPN",
        "Remisi",
    ];
    for (i, h) in headers.iter().enumerate() {
        s.write_string(2, i as u16, *h)?;
    }
    // Row 4: real date cells, numeric register number.
    s.write_number(3, 0, 20210601.0)?;
    s.write_string(3, 1, "Budi Santoso")?;
    s.write_string(3, 2, "L")?;
    s.write_datetime_with_format(3, 3, ExcelDateTime::from_ymd(1985, 6, 10)?, &date)?;
    s.write_string(3, 4, "2 tahun 6 bulan")?;
    s.write_datetime_with_format(3, 5, ExcelDateTime::from_ymd(2021, 6, 1)?, &date)?;
    s.write_datetime_with_format(3, 6, ExcelDateTime::from_ymd(2023, 12, 1)?, &date)?;
    s.write_string(3, 7, "B.I")?;
    s.write_number(3, 8, 75.5)?;
    s.write_number(3, 9, 30)?;
    // Row 5 blank. Row 6: dates as plain serial numbers and as text.
    s.write_string(5, 0, "BI.2/2021")?;
    s.write_string(5, 1, "Siti")?;
    s.write_string(5, 2, "P")?;
    s.write_number(5, 3, 31000.0)?;
    s.write_string(5, 4, "8 bulan")?;
    s.write_string(5, 5, "10 Juni 2021")?;
    s.write_number(5, 6, 44602.0)?;
    // Row 7: date cell in the name column, impossible date text, unknown register class.
    s.write_string(6, 0, "BI.3/2021")?;
    s.write_datetime_with_format(6, 1, ExcelDateTime::from_ymd(2020, 1, 1)?, &date)?;
    s.write_string(6, 3, "31/02/2021")?;
    s.write_string(6, 7, "C.IX")?;
    // Row 8: release before start (date cells), remission as text.
    s.write_string(7, 0, "BI.4/2021")?;
    s.write_string(7, 1, "Andi")?;
    s.write_datetime_with_format(7, 5, ExcelDateTime::from_ymd(2021, 6, 1)?, &date)?;
    s.write_datetime_with_format(7, 6, ExcelDateTime::from_ymd(2021, 5, 1)?, &date)?;
    s.write_string(7, 9, "tiga puluh")?;
    // Row 9: duplicate of row 4's number typed as text.
    s.write_string(8, 0, "20210601")?;
    s.write_string(8, 1, "Budi lagi")?;
    book.save_to_buffer()
}

fn import(bytes: &[u8]) -> ImportResult {
    read_all(bytes, FileKind::Xlsx, &opts()).unwrap_or_else(|e| panic!("{e}"))
}

fn fixture() -> Vec<u8> {
    build().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn reads_dates_numbers_and_row_numbers() {
    let bytes = fixture();
    assert_eq!(
        FileKind::detect("x.xlsx", &bytes).ok(),
        Some(FileKind::Xlsx)
    );
    let r = import(&bytes);
    let valid_rows: Vec<u64> = r.valid.iter().map(|v| v.row).collect();
    assert_eq!(valid_rows, vec![4, 6]);
    let budi = &r.valid[0].record;
    assert_eq!(budi.register_number, "20210601");
    assert_eq!(budi.sex, Some(Sex::Male));
    assert_eq!(budi.birth_date, Some(d(1985, 6, 10)));
    assert_eq!(budi.sentence_start, Some(d(2021, 6, 1)));
    assert_eq!(budi.expected_release, Some(d(2023, 12, 1)));
    assert_eq!(budi.register_class, Some(RegisterClass::BI));
    assert_eq!(budi.sppn_score, Some(75.5));
    assert_eq!(budi.remission_days, Some(30));
    let siti = &r.valid[1].record;
    assert_eq!(siti.birth_date, Some(d(1984, 11, 14)));
    assert_eq!(siti.sentence_start, Some(d(2021, 6, 10)));
    assert_eq!(siti.expected_release, Some(d(2022, 2, 10)));
}

#[test]
fn bad_rows_are_reported_with_file_headers() {
    let r = import(&fixture());
    let row7 = r
        .rejected
        .iter()
        .find(|x| x.row == 7)
        .map(|x| x.errors.clone())
        .unwrap_or_default();
    let got: Vec<(String, ErrorCode)> = row7.iter().map(|e| (e.column.clone(), e.code)).collect();
    assert_eq!(
        got,
        vec![
            ("Nama".to_owned(), ErrorCode::WrongType),
            ("Tanggal Lahir".to_owned(), ErrorCode::DateInvalid),
            ("Register class".to_owned(), ErrorCode::ValueNotRecognised),
        ]
    );
    let row8: Vec<ErrorCode> = r
        .rejected
        .iter()
        .find(|x| x.row == 8)
        .map(|x| x.errors.iter().map(|e| e.code).collect())
        .unwrap_or_default();
    assert_eq!(
        row8,
        vec![ErrorCode::WrongType, ErrorCode::ReleaseBeforeStart]
    );
    let row9: Vec<ErrorCode> = r
        .rejected
        .iter()
        .find(|x| x.row == 9)
        .map(|x| x.errors.iter().map(|e| e.code).collect())
        .unwrap_or_default();
    assert_eq!(row9, vec![ErrorCode::DuplicateInFile]);
}

#[test]
fn error_report_round_trip_csv_and_xlsx() {
    let r = import(&fixture());
    let csv = error_report_csv(&r.headers, &r.rejected, b';').unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&csv);
    let first_line = text.lines().next().unwrap_or_default();
    assert!(
        first_line.ends_with(&format!("{ERROR_COLUMN};{ERROR_REASON}")),
        "{first_line}"
    );
    assert!(text.contains("date_invalid"));
    // Re-importing the report gives the same rejections (error columns are ignored silently).
    let again = read_all(&csv, FileKind::Csv, &opts()).unwrap_or_else(|e| panic!("{e}"));
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    assert_eq!(again.rejected.len() + again.valid.len(), r.rejected.len());

    let xlsx = error_report_xlsx(&r.headers, &r.rejected).unwrap_or_else(|e| panic!("{e}"));
    let back = import(&xlsx);
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    // Row 8's dates were date cells and come back as date cells.
    let andi = back
        .rejected
        .iter()
        .find(|x| x.cells.get(1) == Some(&Cell::Text("Andi".into())));
    let andi = andi.unwrap_or_else(|| panic!("Andi missing"));
    assert_eq!(andi.cells.get(5), Some(&Cell::Date(d(2021, 6, 1))));
    assert_eq!(back.rejected.len() + back.valid.len(), r.rejected.len());
}

#[test]
fn row_cap_and_size_cap_apply_to_xlsx() {
    let bytes = fixture();
    let mut o = opts();
    o.max_rows = 2;
    assert!(matches!(
        read_all(&bytes, FileKind::Xlsx, &o),
        Err(FileError::TooManyRows { .. })
    ));
    let mut o = opts();
    o.max_inflated_bytes = 1000;
    assert!(matches!(
        read_all(&bytes, FileKind::Xlsx, &o),
        Err(FileError::TooLarge { .. })
    ));
    let mut o = opts();
    o.sheet = Some("Nope".into());
    assert!(matches!(
        read_all(&bytes, FileKind::Xlsx, &o),
        Err(FileError::SheetNotFound(_))
    ));
}

#[test]
fn garbage_and_truncated_xlsx_are_errors() {
    let bytes = fixture();
    for cut in [10, bytes.len() / 2, bytes.len() - 10] {
        let r = read_all(&bytes[..cut], FileKind::Xlsx, &opts());
        assert!(
            matches!(r, Err(FileError::InvalidXlsx(_))),
            "cut {cut}: {r:?}"
        );
    }
    assert!(read_all(b"PK\x03\x04garbage", FileKind::Xlsx, &opts()).is_err());
}

#[test]
fn large_sheet_streams_and_early_drop_does_not_hang() {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let s = book.add_worksheet();
        s.write_string(0, 0, "No Reg")?;
        s.write_string(0, 1, "Nama")?;
        for r in 1..5001u32 {
            s.write_string(r, 0, format!("R{r}"))?;
            s.write_string(r, 1, format!("Nama {r}"))?;
        }
        book.save_to_buffer()
    };
    let bytes = build().unwrap_or_else(|e| panic!("{e}"));
    let mut s = bekal_import::read_inmates(&bytes, FileKind::Xlsx, &opts())
        .unwrap_or_else(|e| panic!("{e}"));
    let first: Vec<u64> = s
        .by_ref()
        .take(3)
        .filter_map(Result::ok)
        .map(|v| v.row)
        .collect();
    assert_eq!(first, vec![2, 3, 4]);
    drop(s); // the worker must notice and stop; the test would hang otherwise
    let all = import(&bytes);
    assert_eq!(all.valid.len(), 5000);
    assert_eq!(all.valid.last().map(|v| v.row), Some(5001));
}

#[test]
fn cover_sheet_in_front_is_skipped() {
    let build = |with_data: bool| -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let cover = book.add_worksheet();
        cover.set_name("Rekap")?;
        cover.write_string(0, 0, "REKAP WBP")?;
        cover.write_string(1, 0, "Jumlah")?;
        cover.write_number(1, 1, 253)?;
        if with_data {
            let data = book.add_worksheet();
            data.set_name("Data")?;
            data.write_string(0, 0, "No Reg")?;
            data.write_string(0, 1, "Nama")?;
            data.write_string(1, 0, "R1")?;
            data.write_string(1, 1, "Budi")?;
        }
        book.save_to_buffer()
    };
    let bytes = build(true).unwrap_or_else(|e| panic!("{e}"));
    let r = import(&bytes);
    assert_eq!(r.valid.len(), 1);
    assert_eq!(r.valid[0].row, 2);
    assert_eq!(r.valid[0].record.name, "Budi");
    // Naming the cover sheet reads it, and it lacks the columns.
    let mut o = opts();
    o.sheet = Some("Rekap".into());
    assert!(matches!(
        read_all(&bytes, FileKind::Xlsx, &o),
        Err(FileError::MissingColumns(_))
    ));
    // With no sheet holding a header, the first sheet is reported.
    let only_cover = build(false).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        read_all(&only_cover, FileKind::Xlsx, &opts()),
        Err(FileError::MissingColumns(_))
    ));
}
