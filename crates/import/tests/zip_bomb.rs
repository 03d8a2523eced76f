//! Zip-bomb refusal: a small XLSX-looking zip whose sheet inflates to 300 MB must be refused
//! quickly, whether its headers declare the real size or lie about it.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use bekal_import::{FileError, FileKind, ImportOptions, read_all};
use chrono::NaiveDate;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

const INFLATED: usize = 300 * 1024 * 1024;

fn bomb() -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let step = |r: zip::result::ZipResult<()>| r.unwrap_or_else(|e| panic!("{e}"));
    step(w.start_file("[Content_Types].xml", o));
    step(
        w.write_all(b"<?xml version=\"1.0\"?><Types/>")
            .map_err(Into::into),
    );
    step(w.start_file("xl/worksheets/sheet1.xml", o));
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..INFLATED / chunk.len() {
        step(w.write_all(&chunk).map_err(Into::into));
    }
    w.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

/// Rewrite every declared uncompressed size (central directory and local headers) to 1000.
fn lie_about_sizes(bytes: &mut [u8]) {
    let eocd = bytes.len() - 22;
    assert_eq!(&bytes[eocd..eocd + 4], b"PK\x05\x06");
    let le16 = |b: &[u8], at: usize| u16::from_le_bytes([b[at], b[at + 1]]) as usize;
    let le32 =
        |b: &[u8], at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize;
    let entries = le16(bytes, eocd + 10);
    let mut at = le32(bytes, eocd + 16);
    for _ in 0..entries {
        assert_eq!(&bytes[at..at + 4], b"PK\x01\x02");
        bytes[at + 24..at + 28].copy_from_slice(&1000u32.to_le_bytes());
        let local = le32(bytes, at + 42);
        bytes[local + 22..local + 26].copy_from_slice(&1000u32.to_le_bytes());
        at += 46 + le16(bytes, at + 28) + le16(bytes, at + 30) + le16(bytes, at + 32);
    }
}

/// Peak resident memory of this test process in MiB (Linux), if known.
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace()
        .nth(1)?
        .parse::<u64>()
        .ok()
        .map(|kib| kib / 1024)
}

fn opts() -> ImportOptions {
    ImportOptions::new(NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default())
}

#[test]
fn honest_bomb_is_refused_from_declared_sizes() {
    let bytes = bomb();
    assert!(
        bytes.len() < 2 * 1024 * 1024,
        "bomb is {} bytes",
        bytes.len()
    );
    assert_eq!(
        FileKind::detect("bom.xlsx", &bytes).ok(),
        Some(FileKind::Xlsx)
    );
    let t = Instant::now();
    let r = read_all(&bytes, FileKind::Xlsx, &opts());
    let took = t.elapsed();
    match r {
        Err(FileError::TooLarge { inflated, cap }) => {
            assert_eq!(cap, 64 * 1024 * 1024);
            assert!(inflated > cap);
        }
        other => panic!("{other:?}"),
    }
    assert!(took < Duration::from_millis(100), "took {took:?}");
    eprintln!(
        "{} byte bomb (300 MiB inflated) refused in {took:?}",
        bytes.len()
    );
}

#[test]
fn lying_bomb_is_refused_while_inflating() {
    let mut bytes = bomb();
    lie_about_sizes(&mut bytes);
    let t = Instant::now();
    let r = read_all(&bytes, FileKind::Xlsx, &opts());
    let took = t.elapsed();
    assert!(
        matches!(
            r,
            Err(FileError::TooLarge { .. } | FileError::InvalidXlsx(_))
        ),
        "{r:?}"
    );
    assert!(took < Duration::from_secs(3), "took {took:?}");
    eprintln!("lying bomb refused in {took:?}: {r:?}");
    // Nothing near the 300 MB was ever held in memory (both tests together stay far below).
    if let Some(peak) = peak_rss_mib() {
        assert!(peak < 150, "peak RSS {peak} MiB");
    }
}
