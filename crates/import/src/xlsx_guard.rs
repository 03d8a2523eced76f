//! Zip-bomb guard for XLSX: before calamine touches the file, check the entry count and the
//! declared uncompressed sizes, then inflate every entry into a sink with a hard byte budget so
//! lying headers are caught too. Memory stays bounded (a fixed copy buffer).

use std::io::{Cursor, Read};

use crate::error::FileError;

/// Limits for the guard.
#[derive(Debug, Clone, Copy)]
pub struct ZipLimits {
    /// Total inflated bytes allowed over all entries.
    pub max_inflated_bytes: u64,
    /// Entries allowed in the zip.
    pub max_entries: usize,
}

/// Check `bytes` against `limits`. Returns the total inflated size on success.
pub fn check_zip(bytes: &[u8], limits: ZipLimits) -> Result<u64, FileError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| FileError::InvalidXlsx(e.to_string()))?;
    let entries = archive.len();
    if entries > limits.max_entries {
        return Err(FileError::TooManyEntries {
            entries,
            cap: limits.max_entries,
        });
    }
    let cap = limits.max_inflated_bytes;
    // Declared sizes first: cheap, and catches honest bombs without inflating anything.
    let mut declared: u64 = 0;
    for i in 0..entries {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| FileError::InvalidXlsx(e.to_string()))?;
        declared = declared.saturating_add(entry.size());
        if declared > cap {
            return Err(FileError::TooLarge {
                inflated: declared,
                cap,
            });
        }
    }
    // Then the real sizes, with a budget that stops inflating as soon as the cap is passed.
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..entries {
        let entry = archive
            .by_index(i)
            .map_err(|e| FileError::InvalidXlsx(e.to_string()))?;
        let budget = cap - total + 1;
        let mut limited = entry.take(budget);
        loop {
            let n = match limited.read(&mut buf) {
                Ok(n) => n,
                Err(e) => return Err(FileError::InvalidXlsx(e.to_string())),
            };
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > cap {
                return Err(FileError::TooLarge {
                    inflated: total,
                    cap,
                });
            }
        }
    }
    Ok(total)
}
