//! The synthetic national data set: about 530 facilities in 33 regions and 270,000 inmates
//! with realistic distributions (register classes, sentence lengths, ages, education), written
//! as the CSV files an officer would import. Names are generated; nobody real is in it. The
//! same seed gives the same files on every machine.

use bekal_domain::names::synthetic_name;
use bekal_domain::rng::DeterministicRng;
use bekal_domain::status::Sex;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// About 530 facilities, 270,000 inmates.
    National,
    /// One facility of 253 inmates (the Pekalongan size).
    Facility,
    /// A few facilities and about 2,000 inmates, for CI smoke runs.
    Smoke,
}

impl std::str::FromStr for Scale {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "national" => Ok(Scale::National),
            "facility" => Ok(Scale::Facility),
            "smoke" => Ok(Scale::Smoke),
            other => Err(format!(
                "unknown scale {other:?}: national, facility or smoke"
            )),
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Generated {
    pub facilities: usize,
    pub regions: usize,
    pub inmates: usize,
    /// Files written: `facilities.csv`, `inmates-all.csv` and one per facility.
    pub files: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// The 33 regions (provinces) facilities are spread over.
pub const REGIONS: &[&str] = &[
    "Aceh",
    "Sumatera Utara",
    "Sumatera Barat",
    "Riau",
    "Jambi",
    "Sumatera Selatan",
    "Bengkulu",
    "Lampung",
    "Kepulauan Bangka Belitung",
    "Kepulauan Riau",
    "DKI Jakarta",
    "Jawa Barat",
    "Jawa Tengah",
    "DI Yogyakarta",
    "Jawa Timur",
    "Banten",
    "Bali",
    "Nusa Tenggara Barat",
    "Nusa Tenggara Timur",
    "Kalimantan Barat",
    "Kalimantan Tengah",
    "Kalimantan Selatan",
    "Kalimantan Timur",
    "Sulawesi Utara",
    "Sulawesi Tengah",
    "Sulawesi Selatan",
    "Sulawesi Tenggara",
    "Gorontalo",
    "Sulawesi Barat",
    "Maluku",
    "Maluku Utara",
    "Papua",
    "Papua Barat",
];

const CASES: &[&str] = &[
    "Pasal 362 KUHP",
    "Pasal 363 KUHP",
    "Pasal 114 UU 35/2009",
    "Pasal 112 UU 35/2009",
    "Pasal 378 KUHP",
    "Pasal 372 KUHP",
    "Pasal 351 KUHP",
    "Pasal 2 UU 31/1999",
];
const EDUCATION: &[(&str, u64)] = &[
    ("SD", 27),
    ("SMP", 29),
    ("SMA", 30),
    ("SMK", 7),
    ("D3", 2),
    ("S1", 5),
];
const RELIGION: &[(&str, u64)] = &[
    ("Islam", 86),
    ("Kristen", 7),
    ("Katolik", 3),
    ("Hindu", 2),
    ("Buddha", 2),
];

fn weighted<'a>(rng: &mut DeterministicRng, items: &[(&'a str, u64)]) -> &'a str {
    let weights: Vec<u64> = items.iter().map(|(_, w)| *w).collect();
    rng.weighted(&weights)
        .and_then(|i| items.get(i))
        .map_or("", |(v, _)| *v)
}

/// The header of every inmate file (Indonesian, as SDP exports name the columns).
pub const INMATE_HEADER: &str = "No. Register;Nama;Tgl Lahir;Jenis Kelamin;Pendidikan;Agama;Perkara;Pidana;Tgl Mulai;Tgl Ekspirasi;Remisi;Blok;Kamar;Golongan";

/// One synthetic inmate, as the CSV files and the database load both describe them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticInmate {
    pub register_number: String,
    pub register_class: &'static str,
    pub name: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub education: &'static str,
    pub religion: &'static str,
    pub case_article: &'static str,
    /// Sentence in months of 30 days (0 for a detainee).
    pub sentence_months: i64,
    pub sentence_start: NaiveDate,
    pub expected_release: Option<NaiveDate>,
    pub remission_days: i64,
    pub block: char,
    pub cell: i64,
}

/// Draws inmate number `n` of `facility`.
pub fn synthetic_inmate(
    rng: &mut DeterministicRng,
    facility: &str,
    n: usize,
    today: NaiveDate,
) -> SyntheticInmate {
    let (class, months) = match rng.below(100) {
        0..=71 => ("B.I", rng.range(13, 240)),
        72..=84 => ("B.IIa", rng.range(4, 12)),
        85..=88 => ("B.IIb", rng.range(1, 3)),
        89..=90 => ("B.III", rng.range(1, 6)),
        _ => ("A.II", 0),
    };
    let sex = if rng.chance(6) {
        Sex::Female
    } else {
        Sex::Male
    };
    let name = synthetic_name(rng, sex);
    let age_days = rng.range(18 * 365, 70 * 365);
    let birth_date = today - Duration::days(age_days);
    // Served so far: never more than the sentence, and never from before the 16th birthday.
    let served = rng
        .range(10, (months * 30).max(40))
        .min(age_days - 16 * 365);
    let sentence_start = today - Duration::days(served);
    let expected_release = (months > 0).then(|| sentence_start + Duration::days(months * 30));
    let block = (b'A' + u8::try_from(rng.below(6)).unwrap_or(0)) as char;
    let education = weighted(rng, EDUCATION);
    let religion = weighted(rng, RELIGION);
    let case_article = rng.pick(CASES).copied().unwrap_or("");
    let remission_days = if class == "B.I" { rng.range(0, 180) } else { 0 };
    let cell = rng.range(1, 20);
    SyntheticInmate {
        register_number: format!("{class}-{n:06}/{facility}"),
        register_class: class,
        name,
        birth_date,
        sex,
        education,
        religion,
        case_article,
        sentence_months: months,
        sentence_start,
        expected_release,
        remission_days,
        block,
        cell,
    }
}

/// Appends one inmate as a CSV line of the import format.
fn inmate_line(inmate: &SyntheticInmate, line: &mut String) {
    let years = inmate.sentence_months / 12;
    let sentence = match (years, inmate.sentence_months % 12) {
        (0, 0) => String::new(),
        (0, m) => format!("{m} bulan"),
        (y, 0) => format!("{y} tahun"),
        (y, m) => format!("{y} tahun {m} bulan"),
    };
    let block = inmate.block;
    let _ = writeln!(
        line,
        "{};{};{};{};{};{};{};{sentence};{};{};{};Blok {block};{block}-{};{}",
        inmate.register_number,
        inmate.name,
        inmate.birth_date.format("%d/%m/%Y"),
        if inmate.sex == Sex::Male { "L" } else { "P" },
        inmate.education,
        inmate.religion,
        inmate.case_article,
        inmate.sentence_start.format("%d/%m/%Y"),
        inmate
            .expected_release
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default(),
        inmate.remission_days,
        inmate.cell,
        inmate.register_class,
    );
}

fn create(path: &Path) -> Result<std::io::BufWriter<std::fs::File>, GenerateError> {
    std::fs::File::create(path)
        .map(std::io::BufWriter::new)
        .map_err(|source| GenerateError::Io {
            path: path.display().to_string(),
            source,
        })
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> GenerateError + '_ {
    move |source| GenerateError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// One synthetic facility and how many inmates it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticFacility {
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub region: &'static str,
    pub size: usize,
}

/// The facilities of `scale`, drawn from `rng`: skewed sizes (a few large prisons, many small
/// ones) summing to the scale's inmate total, regions in turn, mostly Lapas.
pub fn synthetic_facilities(scale: Scale, rng: &mut DeterministicRng) -> Vec<SyntheticFacility> {
    let (facilities, inmates_total): (usize, usize) = match scale {
        Scale::National => (530, 270_000),
        Scale::Facility => (1, 253),
        Scale::Smoke => (8, 2_000),
    };
    let weights: Vec<u64> = (0..facilities)
        .map(|_| 1 + rng.below(4) * rng.below(4) + rng.below(3))
        .collect();
    let weight_sum: u64 = weights.iter().sum::<u64>().max(1);
    let mut sizes: Vec<usize> = weights
        .iter()
        .map(|w| {
            usize::try_from(u64::try_from(inmates_total).unwrap_or(0) * w / weight_sum).unwrap_or(0)
        })
        .collect();
    let assigned: usize = sizes.iter().sum();
    if let Some(first) = sizes.first_mut() {
        *first += inmates_total.saturating_sub(assigned);
    }
    sizes
        .into_iter()
        .enumerate()
        .map(|(index, size)| {
            let code = if scale == Scale::Facility {
                "PKL".to_owned()
            } else {
                format!("F{:03}", index + 1)
            };
            let kind = match index % 10 {
                0..=5 => "lapas",
                6..=8 => "rutan",
                _ => "lpka",
            };
            SyntheticFacility {
                name: format!("{} {code}", kind.to_uppercase()),
                code,
                kind,
                region: REGIONS[index % REGIONS.len()],
                size,
            }
        })
        .collect()
}

/// Writes `facilities.csv`, `inmates/<CODE>.csv` per facility and `inmates-all.csv` (every
/// inmate in one file, register numbers unique nationally) into `out`.
pub fn generate(
    scale: Scale,
    seed: u64,
    today: NaiveDate,
    out: &Path,
) -> Result<Generated, GenerateError> {
    let inmate_dir = out.join("inmates");
    std::fs::create_dir_all(&inmate_dir).map_err(io(&inmate_dir))?;
    let mut rng = DeterministicRng::new(seed);
    let facilities = synthetic_facilities(scale, &mut rng);
    let facilities_path = out.join("facilities.csv");
    let mut facility_file = create(&facilities_path)?;
    writeln!(facility_file, "code;name;kind;region").map_err(io(&facilities_path))?;
    let all_path = out.join("inmates-all.csv");
    let mut all = create(&all_path)?;
    writeln!(all, "{INMATE_HEADER}").map_err(io(&all_path))?;
    let mut files = vec!["facilities.csv".to_owned(), "inmates-all.csv".to_owned()];
    let mut line = String::with_capacity(256);
    for facility in &facilities {
        let code = &facility.code;
        writeln!(
            facility_file,
            "{code};{};{};{}",
            facility.name, facility.kind, facility.region
        )
        .map_err(io(&facilities_path))?;
        let path = inmate_dir.join(format!("{code}.csv"));
        let mut file = create(&path)?;
        writeln!(file, "{INMATE_HEADER}").map_err(io(&path))?;
        for n in 0..facility.size {
            line.clear();
            inmate_line(&synthetic_inmate(&mut rng, code, n, today), &mut line);
            file.write_all(line.as_bytes()).map_err(io(&path))?;
            all.write_all(line.as_bytes()).map_err(io(&all_path))?;
        }
        file.flush().map_err(io(&path))?;
        files.push(format!("inmates/{code}.csv"));
    }
    facility_file.flush().map_err(io(&facilities_path))?;
    all.flush().map_err(io(&all_path))?;
    Ok(Generated {
        facilities: facilities.len(),
        regions: REGIONS.len().min(facilities.len()),
        inmates: facilities.iter().map(|f| f.size).sum(),
        files: files.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoke_scale_is_deterministic_and_complete() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let ga = generate(Scale::Smoke, 7, today, a.path()).unwrap();
        generate(Scale::Smoke, 7, today, b.path()).unwrap();
        let all_a = std::fs::read_to_string(a.path().join("inmates-all.csv")).unwrap();
        let all_b = std::fs::read_to_string(b.path().join("inmates-all.csv")).unwrap();
        assert_eq!(all_a, all_b, "same seed, same data");
        assert_eq!(all_a.lines().count(), ga.inmates + 1);
        let numbers: std::collections::HashSet<&str> = all_a
            .lines()
            .skip(1)
            .filter_map(|l| l.split(';').next())
            .collect();
        assert_eq!(
            numbers.len(),
            ga.inmates,
            "register numbers unique nationally"
        );
        assert_eq!(ga.files, 2 + ga.facilities);
        assert!(a.path().join("inmates/F008.csv").exists());
    }
}
