//! The national catalogue of the benchmark data set: six packages of six units each, one
//! training centre (BLK) per region with two trainers per package, and each partner's signing
//! key and status list. Ids are fixed (1, 2, ...), so the facility rows can refer to them.

use bekal_credentials::{IssuerKey, MIN_STATUS_LIST_BITS, StatusList};
use bekal_store::entity::{
    competency_unit, issuer_key, package, package_unit, partner, status_list, trainer,
    trainer_skill,
};
use chrono::{DateTime, Utc};

/// A package of the data set: (code, name, trade skill, hours JP). Sessions are 8 JP a day,
/// so the packages run 35 to 50 working days (about 43 on average).
pub const PACKAGES: [(&str, &str, &str, i32); 6] = [
    ("BNS-JHT", "Menjahit Pakaian", "sewing", 320),
    ("BNS-BTK", "Membatik Tulis dan Cap", "batik", 360),
    ("BNS-PKS", "Pangkas Rambut", "haircutting", 280),
    ("BNS-AC", "Servis AC Split", "ac_servicing", 400),
    ("BNS-OTO", "Servis Sepeda Motor Injeksi", "motorcycle", 400),
    ("BNS-LAS", "Pengelasan SMAW", "welding", 320),
];
/// Units per package.
pub const UNITS_PER_PACKAGE: usize = 6;
/// Trainers per package per partner.
pub const TRAINERS_PER_PACKAGE: usize = 2;
/// Hours (JP) of one session.
pub const SESSION_HOURS: i32 = 8;
/// Where the data set's status lists say they are served.
pub const PUBLIC_BASE: &str = "https://verifikasi.bekal.example";

/// The catalogue rows, ready to insert.
#[derive(Debug)]
pub struct Catalogue {
    pub partners: Vec<partner::Model>,
    pub packages: Vec<package::Model>,
    pub units: Vec<competency_unit::Model>,
    pub package_units: Vec<package_unit::Model>,
    pub trainers: Vec<trainer::Model>,
    pub trainer_skills: Vec<trainer_skill::Model>,
    pub issuer_keys: Vec<issuer_key::Model>,
    pub status_lists: Vec<status_list::Model>,
    /// The signing key of each partner, by partner index (id - 1).
    pub keys: Vec<IssuerKey>,
}

/// The id of unit `unit` (0-based) of package `package` (0-based).
pub fn unit_id(package: usize, unit: usize) -> i64 {
    i64::try_from(package * UNITS_PER_PACKAGE + unit + 1).unwrap_or(0)
}

/// The id of trainer `n` (0-based) of package `package` at partner `partner` (0-based).
pub fn trainer_id(partner: usize, package: usize, n: usize) -> i64 {
    let per_partner = PACKAGES.len() * TRAINERS_PER_PACKAGE;
    i64::try_from(partner * per_partner + package * TRAINERS_PER_PACKAGE + n + 1).unwrap_or(0)
}

/// The URL of a partner's status list.
pub fn status_list_url(partner_code: &str, list_id: i64) -> String {
    format!("{PUBLIC_BASE}/status/{partner_code}/{list_id}")
}

/// The partner code of region `index` (0-based).
pub fn partner_code(index: usize) -> String {
    format!("BLK-{:02}", index + 1)
}

/// Builds the catalogue for `regions`, keys derived from `seed` (benchmark keys, never real).
pub fn catalogue(
    regions: &[&str],
    seed: u64,
    at: DateTime<Utc>,
) -> Result<Catalogue, bekal_credentials::Error> {
    let mut out = Catalogue {
        partners: Vec::new(),
        packages: Vec::new(),
        units: Vec::new(),
        package_units: Vec::new(),
        trainers: Vec::new(),
        trainer_skills: Vec::new(),
        issuer_keys: Vec::new(),
        status_lists: Vec::new(),
        keys: Vec::new(),
    };
    for (p, (code, name, skill, hours)) in PACKAGES.iter().enumerate() {
        let package_id = i64::try_from(p + 1).unwrap_or(0);
        out.packages.push(package::Model {
            id: package_id,
            code: (*code).to_owned(),
            name: (*name).to_owned(),
            name_en: None,
            hours_jp: *hours,
            duration_days: hours / SESSION_HOURS,
            capacity: 10,
            min_size: 4,
            max_classes: None,
            trainer_skill: (*skill).to_owned(),
            min_score: 60,
            min_attendance_percent: 80,
            required_flags: serde_json::json!([]),
            description: None,
            active: true,
            created_at: at,
            updated_at: at,
        });
        for u in 0..UNITS_PER_PACKAGE {
            let id = unit_id(p, u);
            out.units.push(competency_unit::Model {
                id,
                code: format!("{code}.{:03}.01", u + 1),
                title: format!("{name}: unit {}", u + 1),
                title_en: None,
                hours_jp: hours / i32::try_from(UNITS_PER_PACKAGE).unwrap_or(1),
                standard: "Kurikulum BLK (data sintetis)".into(),
                version: "01".into(),
                active: true,
                created_at: at,
                updated_at: at,
            });
            out.package_units.push(package_unit::Model {
                id,
                package_id,
                unit_id: id,
                position: i32::try_from(u + 1).unwrap_or(0),
            });
        }
    }
    for (r, region) in regions.iter().enumerate() {
        let partner_id = i64::try_from(r + 1).unwrap_or(0);
        let code = partner_code(r);
        out.partners.push(partner::Model {
            id: partner_id,
            code: code.clone(),
            name: format!("UPTD BLK {region}"),
            kind: "training_centre".into(),
            region: Some((*region).to_owned()),
            city: None,
            head_name: Some(format!("Kepala UPTD BLK {region}")),
            head_title: Some("Kepala UPTD".into()),
            certificate_number_format: "{partner}/{year}/{seq:05}".into(),
            certificate_sequence: 0,
            website: None,
            active: true,
            issuer_did_method: "key".into(),
            created_at: at,
            updated_at: at,
        });
        for (p, (_, _, skill, _)) in PACKAGES.iter().enumerate() {
            for n in 0..TRAINERS_PER_PACKAGE {
                let id = trainer_id(r, p, n);
                out.trainers.push(trainer::Model {
                    id,
                    partner_id,
                    user_id: None,
                    name: format!("Instruktur {} {code}-{id}", skill.replace('_', " ")),
                    phone: None,
                    max_classes: None,
                    active: true,
                    created_at: at,
                    updated_at: at,
                });
                out.trainer_skills.push(trainer_skill::Model {
                    id,
                    trainer_id: id,
                    skill: (*skill).to_owned(),
                });
            }
        }
        let mut key_seed = [0_u8; 32];
        for (i, b) in key_seed.iter_mut().enumerate() {
            *b = (seed
                .wrapping_mul(31)
                .wrapping_add(u64::try_from(r * 97 + i).unwrap_or(0))
                % 251) as u8;
        }
        let key = IssuerKey::from_seed_did_key(&key_seed);
        out.issuer_keys.push(issuer_key::Model {
            id: partner_id,
            partner_id,
            did: key.controller().to_owned(),
            verification_method: key.verification_method().to_owned(),
            public_key_multibase: key.public_key_multibase(),
            // The benchmark keeps no secret: this data set can be verified, not issued from.
            secret_ref: "benchmark: secret not kept".into(),
            created_at: at,
            retired_at: None,
        });
        let list = StatusList::new(&status_list_url(&code, partner_id), MIN_STATUS_LIST_BITS)?;
        out.status_lists.push(status_list::Model {
            id: partner_id,
            partner_id,
            purpose: "revocation".into(),
            size_bits: i32::try_from(MIN_STATUS_LIST_BITS).unwrap_or(i32::MAX),
            next_index: 0,
            encoded_list: list.encode()?,
            credential: Some(list.to_credential(&key, at, at)?),
            created_at: at,
            updated_at: at,
        });
        out.keys.push(key);
    }
    Ok(out)
}
