//! Synthetic Indonesian names for the demo scenario and the benchmark data set. They are
//! assembled from common given names and family or second names, so they look real to users
//! reading a screen, yet belong to nobody: Bekal never ships data about real persons.

use crate::rng::DeterministicRng;
use crate::status::Sex;

const MALE_GIVEN: &[&str] = &[
    "Agus", "Budi", "Joko", "Slamet", "Bambang", "Hendra", "Rudi", "Eko", "Dedi", "Ahmad",
    "Muhammad", "Rizki", "Fajar", "Dimas", "Yusuf", "Arif", "Wahyu", "Andi", "Teguh", "Imam",
    "Hadi", "Sigit", "Bayu", "Irfan", "Ilham", "Rahmat", "Yoga", "Fikri", "Galih", "Taufik",
    "Heru", "Adi", "Ari", "Doni", "Surya", "Anton", "Krisna", "Nanda", "Reza", "Sandi",
];

const FEMALE_GIVEN: &[&str] = &[
    "Siti", "Sri", "Dewi", "Rina", "Wati", "Lestari", "Nur", "Ayu", "Putri", "Fitri", "Indah",
    "Yuni", "Ratna", "Eka", "Maya", "Novi", "Rani", "Sari", "Tri", "Wulan",
];

const SECOND: &[&str] = &[
    "Santoso",
    "Wijaya",
    "Saputra",
    "Hidayat",
    "Setiawan",
    "Pratama",
    "Kurniawan",
    "Nugroho",
    "Susanto",
    "Purnomo",
    "Firmansyah",
    "Ramadhan",
    "Hakim",
    "Syahputra",
    "Maulana",
    "Prasetyo",
    "Gunawan",
    "Suryadi",
    "Wibowo",
    "Permana",
    "Utomo",
    "Hartono",
    "Lubis",
    "Siregar",
    "Nasution",
    "Harahap",
    "Sitompul",
    "Manurung",
    "Sembiring",
    "Tarigan",
    "Wahyudi",
    "Rahman",
];

const FEMALE_SECOND: &[&str] = &[
    "Rahayu",
    "Lestari",
    "Wulandari",
    "Handayani",
    "Susanti",
    "Puspita",
    "Anggraini",
    "Maharani",
    "Safitri",
    "Kusumawati",
    "Rahmawati",
    "Permatasari",
];

/// A synthetic full name for a person of the given sex.
pub fn synthetic_name(rng: &mut DeterministicRng, sex: Sex) -> String {
    let (given, second) = match sex {
        Sex::Male => (MALE_GIVEN, SECOND),
        Sex::Female => (FEMALE_GIVEN, FEMALE_SECOND),
    };
    let first = rng.pick(given).copied().unwrap_or("Anon");
    let last = rng.pick(second).copied().unwrap_or("Anon");
    if rng.chance(15) {
        let middle = rng.pick(given).copied().unwrap_or("Anon");
        format!("{first} {middle} {last}")
    } else {
        format!("{first} {last}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_deterministic_and_plausible() {
        let mut a = DeterministicRng::new(42);
        let mut b = DeterministicRng::new(42);
        for _ in 0..50 {
            let name = synthetic_name(&mut a, Sex::Male);
            assert_eq!(name, synthetic_name(&mut b, Sex::Male));
            assert!(name.split(' ').count() >= 2);
        }
    }
}
