//! Throughput check: writes a 270,000-row SDP-style CSV to a temp file, then streams it
//! through parsing and validation without keeping the rows, and prints rows/s and the peak
//! resident memory (VmHWM from /proc on Linux). Then does the same for a 50,000-row XLSX
//! built with rust_xlsxwriter (date cells, numbers).
//!
//! Run: `cargo run --release -p bekal-import --example parse_bench`

#![allow(clippy::print_stdout)] // an example's job is to print

use std::io::Write;
use std::time::Instant;

use bekal_import::{FileKind, ImportOptions, read_inmates};
use chrono::NaiveDate;

const ROWS: usize = 270_000;
const XLSX_ROWS: u32 = 50_000;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn write_file(path: &std::path::Path) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        f,
        "No. Register;Nama;Nama Alias;JK;Tgl Lahir;Agama;Pendidikan;Kota Asal;Pasal;Lama Pidana;TMT;Tgl Ekspirasi;Remisi;Blok;Kamar;Golongan;SPPN;Risiko;Keahlian;Minat"
    )?;
    let months = [
        "Januari", "Feb", "Maret", "Apr", "Mei", "Juni", "Juli", "Agt", "Sep", "Okt", "Nop", "Des",
    ];
    for i in 0..ROWS {
        let day = i % 28 + 1;
        let month = i % 12 + 1;
        let birth = if i % 3 == 0 {
            format!("{day:02}/{month:02}/{}", 1960 + i % 40)
        } else if i % 3 == 1 {
            format!("{day} {} {}", months[i % 12], 1960 + i % 40)
        } else {
            format!("{}-{month:02}-{day:02}", 1960 + i % 40)
        };
        writeln!(
            f,
            "B.{i}/{year};\"Nama Orang {i}\";Als {i};{sex};{birth};Islam;SMA;Pekalongan;\"Pasal 363 KUHP; pencurian\";{y} tahun {m} bulan;{day:02}/{month:02}/2021;{day:02}/{month:02}/{ry};{rem};{block};{room};B.I;{sppn},5;Sedang;las, menjahit;servis AC",
            year = 2000 + i % 25,
            sex = if i % 2 == 0 { "L" } else { "P" },
            y = i % 10 + 1,
            m = i % 12,
            ry = 2022 + i % 10,
            rem = i % 200,
            block = ["A", "B", "C", "D"][i % 4],
            room = i % 40,
            sppn = 50 + i % 50,
        )?;
    }
    f.flush()
}

fn build_xlsx() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let s = book.add_worksheet();
    let headers = [
        "No Register",
        "Nama",
        "JK",
        "Tanggal Lahir",
        "Lama Pidana",
        "TMT",
        "Tgl Ekspirasi",
        "Golongan",
        "Remisi",
        "Kamar",
    ];
    for (i, h) in headers.iter().enumerate() {
        s.write_string(0, i as u16, *h)?;
    }
    for r in 1..=XLSX_ROWS {
        let day = (r % 28 + 1) as u8;
        let month = (r % 12 + 1) as u8;
        s.write_string(r, 0, format!("B.{r}/2021"))?;
        s.write_string(r, 1, format!("Nama Orang {r}"))?;
        s.write_string(r, 2, if r % 2 == 0 { "L" } else { "P" })?;
        s.write_datetime_with_format(
            r,
            3,
            ExcelDateTime::from_ymd(1960 + (r % 40) as u16, month, day)?,
            &date,
        )?;
        s.write_string(r, 4, format!("{} tahun {} bulan", r % 10 + 1, r % 12))?;
        s.write_datetime_with_format(r, 5, ExcelDateTime::from_ymd(2021, month, day)?, &date)?;
        s.write_number(r, 6, 45000.0 + f64::from(r % 3000))?;
        s.write_string(r, 7, "B.I")?;
        s.write_number(r, 8, f64::from(r % 200))?;
        s.write_number(r, 9, f64::from(r % 40))?;
    }
    book.save_to_buffer()
}

fn bench_xlsx(today: NaiveDate) -> Result<(), Box<dyn std::error::Error>> {
    let bytes = build_xlsx()?;
    let opts = ImportOptions::new(today);
    let t = Instant::now();
    let mut stream = read_inmates(&bytes, FileKind::Xlsx, &opts)?;
    let (mut valid, mut rejected) = (0u64, 0u64);
    for row in stream.by_ref() {
        match row {
            Ok(_) => valid += 1,
            Err(_) => rejected += 1,
        }
    }
    let secs = t.elapsed().as_secs_f64();
    if let Some(e) = stream.aborted() {
        return Err(format!("aborted: {e}").into());
    }
    println!(
        "XLSX: {} KB file, parsed+validated {} rows ({valid} valid, {rejected} rejected) in {secs:.2} s = {:.0} rows/s",
        bytes.len() / 1000,
        valid + rejected,
        (valid + rejected) as f64 / secs
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("wbp.csv");
    let t = Instant::now();
    write_file(&path)?;
    let bytes = std::fs::read(&path)?;
    println!(
        "generated {ROWS} rows, {} MB, in {:?}",
        bytes.len() / 1_000_000,
        t.elapsed()
    );
    let rss_before = peak_rss_kib();

    let today = NaiveDate::from_ymd_opt(2026, 11, 29).ok_or("date")?;
    let opts = ImportOptions::new(today);
    let t = Instant::now();
    let mut stream = read_inmates(&bytes, FileKind::Csv, &opts)?;
    let (mut valid, mut rejected) = (0u64, 0u64);
    for row in stream.by_ref() {
        match row {
            Ok(_) => valid += 1,
            Err(_) => rejected += 1,
        }
    }
    let secs = t.elapsed().as_secs_f64();
    if let Some(e) = stream.aborted() {
        return Err(format!("aborted: {e}").into());
    }
    println!(
        "parsed+validated {} rows ({valid} valid, {rejected} rejected) in {secs:.2} s = {:.0} rows/s",
        valid + rejected,
        (valid + rejected) as f64 / secs
    );
    println!(
        "peak RSS: {} KiB before parsing (file bytes loaded), {} KiB after",
        rss_before.unwrap_or(0),
        peak_rss_kib().unwrap_or(0)
    );
    drop(stream);
    drop(bytes);
    bench_xlsx(today)?;
    println!("peak RSS at the end: {} KiB", peak_rss_kib().unwrap_or(0));
    Ok(())
}
