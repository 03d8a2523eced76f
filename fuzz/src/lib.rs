//! The bodies of the fuzz targets, one function each: any input must give an answer (rows,
//! rejected rows, a file error, a verdict), never a panic, an abort or unbounded memory.

use bekal_import::{FileKind, ImportOptions, read_all, read_inmates};
use chrono::{DateTime, NaiveDate, Utc};
use std::io::Write as _;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default()
}

fn options() -> ImportOptions {
    let mut options = ImportOptions::new(today());
    // Small limits, so that a run spends its time on parsing, not on giant inflations.
    options.max_rows = 10_000;
    options.max_inflated_bytes = 8 * 1024 * 1024;
    options.max_zip_entries = 64;
    options
}

/// CSV: the bytes as an uploaded file, with the sniffed separator and with each fixed one.
pub fn csv_import(data: &[u8]) {
    let _ = read_all(data, FileKind::Csv, &options());
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let mut options = options();
    options.csv_delimiter = Some([b',', b';', b'\t', b'|'][usize::from(choice % 4)]);
    if let Ok(stream) = read_inmates(rest, FileKind::Csv, &options) {
        let _ = stream.count();
    }
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>No Reg</t></is></c><c r="B1" t="inlineStr"><is><t>Nama</t></is></c><c r="C1" t="inlineStr"><is><t>Tgl Lahir</t></is></c></row>"#;
const SHEET_END: &str = "</sheetData></worksheet>";

/// A workbook whose sheet rows (after a valid header row) and shared strings are `rows` and
/// `strings`: random bytes reach the XML reader and the cell conversions, not only the zip
/// reader.
pub fn workbook(rows: &[u8], strings: &[u8]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default();
    let mut sheet = SHEET_START.as_bytes().to_vec();
    sheet.extend_from_slice(rows);
    sheet.extend_from_slice(SHEET_END.as_bytes());
    let mut shared = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#.to_vec();
    shared.extend_from_slice(strings);
    shared.extend_from_slice(b"</sst>");
    for (name, part) in [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", &sheet),
        ("xl/sharedStrings.xml", &shared),
    ] {
        if zip.start_file(name, options).is_err() || zip.write_all(part).is_err() {
            return Vec::new();
        }
    }
    if zip.finish().is_err() {
        return Vec::new();
    }
    out.into_inner()
}

/// XLSX: input starting with `PK` is the file itself (the zip reader and its limits); any
/// other input becomes the rows and shared strings of a valid workbook.
pub fn xlsx_import(data: &[u8]) {
    if data.starts_with(b"PK") {
        let _ = read_all(data, FileKind::Xlsx, &options());
        return;
    }
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (rows, strings) = data.split_at(split);
    let file = workbook(rows, strings.get(1..).unwrap_or_default());
    let _ = read_all(&file, FileKind::Xlsx, &options());
}

fn instant() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_272_000, 0).unwrap_or_default()
}

/// The credential verifier: the input as a credential JSON text; and, read as
/// `URL\nENCODED`, as a status list, so the status decoder sees hostile input too. A verdict
/// for anything; `Valid` never for a text without a proof.
pub fn verify_credential(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let report = bekal_credentials::verify_credential(
        &text,
        &bekal_credentials::DidKeyResolver,
        None,
        instant(),
    );
    if !text.contains("proof") {
        assert!(
            !matches!(report.outcome, bekal_credentials::Outcome::Valid),
            "a credential without a proof verified"
        );
    }
    // "URL\nENCODED": a status list from hostile text, then asked about every index.
    if let Some((url, encoded)) = text.split_once('\n')
        && let Ok(list) = bekal_credentials::StatusList::decode(url, encoded)
    {
        for index in [0, 1, list.len_bits() as u64, u64::MAX] {
            let _ = list.get(index);
        }
        let _ = bekal_credentials::verify_credential(
            &text,
            &bekal_credentials::DidKeyResolver,
            Some(&list),
            instant(),
        );
    }
}

/// The QR payload decoder: the input as the text a scanner read, and as a `BKL1:` payload.
/// Whatever decodes must be JSON within the inflation limit.
pub fn qr_payload(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for candidate in [
        text.to_string(),
        format!("{}{text}", bekal_credentials::QR_PREFIX),
    ] {
        if let Ok(json) = bekal_credentials::decode_qr_payload(&candidate) {
            assert!(json.len() <= bekal_credentials::MAX_INFLATED_BYTES);
            assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
        }
    }
}

/// The audit verifier over a real chain. A SQLite database holds a national chain of
/// [`AUDIT_ENTRIES`] entries; each input tampers with it inside a transaction (a field of
/// one entry replaced, an entry deleted, the head rewritten), `verify_chain` runs on the
/// tampered rows and the transaction is rolled back. Any change must be reported as a break;
/// no change must verify.
pub mod audit {
    use bekal_store::entity::{audit_head, audit_log};
    use bekal_store::sea_orm::{
        ConnectionTrait, DbBackend, EntityTrait, Statement, TransactionTrait, Value,
    };
    use bekal_store::testing::TestDatabase;
    use bekal_store::{AuditActor, AuditScope, Changes, audit::verify_chain};
    use std::sync::OnceLock;

    pub const AUDIT_ENTRIES: i64 = 5;

    struct Fixture {
        runtime: tokio::runtime::Runtime,
        db: TestDatabase,
    }

    fn fixture() -> &'static Fixture {
        static FIXTURE: OnceLock<Fixture> = OnceLock::new();
        FIXTURE.get_or_init(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap_or_else(|e| panic!("runtime: {e}"));
            let db = runtime.block_on(async {
                let db = TestDatabase::sqlite()
                    .await
                    .unwrap_or_else(|e| panic!("database: {e}"));
                for i in 0..AUDIT_ENTRIES {
                    let at = chrono::DateTime::from_timestamp(1_780_272_000 + i * 60, 0)
                        .unwrap_or_default();
                    let mut tx = db
                        .store
                        .begin_write(AuditScope::National, AuditActor::system("fuzz"), at)
                        .await
                        .unwrap_or_else(|e| panic!("begin: {e}"));
                    tx.audit(
                        "fuzz.entry",
                        "thing",
                        i,
                        Changes::note(serde_json::json!({"i": i})),
                    );
                    tx.commit().await.unwrap_or_else(|e| panic!("commit: {e}"));
                }
                db
            });
            Fixture { runtime, db }
        })
    }

    async fn snapshot(conn: &impl ConnectionTrait) -> String {
        let rows = audit_log::Entity::find().all(conn).await;
        let head = audit_head::Entity::find().all(conn).await;
        format!("{rows:?}{head:?}")
    }

    pub fn tamper_and_verify(data: &[u8]) {
        let [op, row, rest @ ..] = data else {
            return;
        };
        let seq = i64::from(*row) % AUDIT_ENTRIES + 1;
        let text = String::from_utf8_lossy(rest).into_owned();
        let number = rest
            .iter()
            .take(8)
            .fold(0_i64, |n, &b| n.wrapping_shl(8) | i64::from(b));
        let (sql, value): (&str, Value) = match op % 10 {
            0 => ("UPDATE audit_log SET actor = ? WHERE seq = ?", text.into()),
            1 => ("UPDATE audit_log SET action = ? WHERE seq = ?", text.into()),
            2 => (
                "UPDATE audit_log SET changes = ? WHERE seq = ?",
                text.into(),
            ),
            3 => (
                "UPDATE audit_log SET entity_id = ? WHERE seq = ?",
                text.into(),
            ),
            4 => ("UPDATE audit_log SET seq = ? WHERE seq = ?", number.into()),
            5 => (
                "UPDATE audit_log SET prev_hash = ? WHERE seq = ?",
                text.into(),
            ),
            6 => ("UPDATE audit_log SET hash = ? WHERE seq = ?", text.into()),
            7 => (
                "UPDATE audit_log SET facility_id = ? WHERE seq = ?",
                number.into(),
            ),
            8 => ("UPDATE audit_head SET hash = ? WHERE seq <> ?", text.into()),
            _ => (
                "DELETE FROM audit_log WHERE seq = ? OR seq = ?",
                (-1_i64).into(),
            ),
        };
        let fixture = fixture();
        fixture.runtime.block_on(async {
            let tx = fixture
                .db
                .store
                .conn()
                .begin()
                .await
                .unwrap_or_else(|e| panic!("begin: {e}"));
            let before = snapshot(&tx).await;
            // A refused change (a duplicate seq, a NOT NULL) changes nothing: fine.
            let _ = tx
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Sqlite,
                    sql,
                    [value, seq.into()],
                ))
                .await;
            let after = snapshot(&tx).await;
            let report = verify_chain(&tx, "national")
                .await
                .unwrap_or_else(|e| panic!("verify_chain failed: {e}"));
            if before == after {
                assert!(
                    report.first_break.is_none(),
                    "untouched chain broke: {report:?}"
                );
            } else {
                assert!(
                    report.first_break.is_some(),
                    "tampering went unnoticed: {sql} on entry {seq}"
                );
            }
            let _ = tx.rollback().await;
        });
    }
}
