//! Throughput check: writes a 270,000-row SDP-style CSV to a temp file, then streams it
//! through parsing and validation without keeping the rows, and prints rows/s and the peak
//! resident memory (VmHWM from /proc on Linux).
//!
//! Run: `cargo run --release -p bekal-import --example parse_bench`

#![allow(clippy::print_stdout)] // an example's job is to print

use std::io::Write;
use std::time::Instant;

use bekal_import::{FileKind, ImportOptions, read_inmates};
use chrono::NaiveDate;

const ROWS: usize = 270_000;

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
    Ok(())
}
