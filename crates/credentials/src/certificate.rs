//! The training certificate as an Open Badges 3.0 `OpenBadgeCredential`: input data, the
//! unsigned credential (only terms defined by the VC 2.0 and OB 3.0.3 contexts) and issuance.
//!
//! Mapping: holder name -> `credentialSubject.identifier` (IdentityObject, identityType
//! `name`); package -> `achievement` (name, `humanCode` = package code, description and
//! criteria narrative carry the hours in JP, since OB 3.0 has no hours term); competency units
//! -> `achievement.alignment` (targetFramework `SKKNI`, targetCode, targetName, targetType
//! `ceasn:Competency`); certificate number -> credential `description`; revocation ->
//! `credentialStatus` (BitstringStatusListEntry).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::keys::IssuerKey;
use crate::privacy::revealing_word;
use crate::proof::sign_document;
use crate::{OB_V3_CONTEXT, VC_V2_CONTEXT, format_instant};

/// Language of the human-readable texts on the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Language {
    /// Bahasa Indonesia (default).
    #[default]
    Indonesian,
    /// English.
    English,
}

/// A competency unit (SKKNI) passed by the holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Unit code, e.g. `OTO.SM02.001.01`.
    pub code: String,
    /// Unit title, e.g. `Memelihara Mesin Sepeda Motor`.
    pub title: String,
    /// Official description URL of the unit, if known (`alignment.targetUrl`).
    pub url: Option<String>,
}

/// Everything a certificate says. Deliberately has no field for a facility, a register
/// number or anything else that could reveal where the training took place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateData {
    /// Certificate number printed on the paper certificate.
    pub number: String,
    /// Holder's full name.
    pub holder_name: String,
    /// Training package (program) name.
    pub package_name: String,
    /// Training package code.
    pub package_code: String,
    /// Total hours in JP (jam pelajaran, 45 minutes).
    pub hours_jp: u32,
    /// Competency units passed.
    pub units: Vec<Unit>,
    /// Field of study / trade, e.g. `Otomotif` (optional).
    pub field_of_study: Option<String>,
    /// Start of validity (usually the issue date).
    pub valid_from: DateTime<Utc>,
    /// End of validity, if the certificate expires.
    pub valid_until: Option<DateTime<Utc>>,
    /// Issuer display name: the training partner, e.g. `UPTD BLK Kota Pekalongan`.
    pub issuer_name: String,
    /// Issuer DID; must be the controller of the signing key.
    pub issuer_did: String,
    /// Credential id: `urn:uuid:...` or an `https://` URL (e.g. the public verify page).
    pub credential_id: String,
    /// Achievement id (a URI); defaults to `urn:bekal:achievement:<package code>`.
    pub achievement_id: Option<String>,
    /// Index of this certificate in the revocation status list, if revocable.
    pub status_index: Option<u64>,
    /// URL of the BitstringStatusListCredential (required with `status_index`).
    pub status_list_url: Option<String>,
    /// Language of the generated texts.
    pub language: Language,
}

fn is_uri(value: &str) -> bool {
    (value.starts_with("https://") || value.starts_with("urn:") || value.starts_with("did:"))
        && value.len() > 8
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn urn_safe(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

impl CertificateData {
    /// Checks the data before anything is signed.
    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(Error::Certificate(m));
        for (name, value) in [
            ("number", &self.number),
            ("holder_name", &self.holder_name),
            ("package_name", &self.package_name),
            ("package_code", &self.package_code),
            ("issuer_name", &self.issuer_name),
        ] {
            if value.trim().is_empty() {
                return bad(format!("{name} is empty"));
            }
        }
        if self.hours_jp == 0 {
            return bad("hours_jp must be positive".into());
        }
        if !is_uri(&self.credential_id)
            || !(self.credential_id.starts_with("urn:uuid:")
                || self.credential_id.starts_with("https://"))
        {
            return bad("credential_id must be urn:uuid:... or https://...".into());
        }
        if self.achievement_id.as_deref().is_some_and(|id| !is_uri(id)) {
            return bad("achievement_id must be a URI".into());
        }
        if !self.issuer_did.starts_with("did:key:") && !self.issuer_did.starts_with("did:web:") {
            return bad("issuer_did must be a did:key or did:web".into());
        }
        if self
            .valid_until
            .is_some_and(|until| until <= self.valid_from)
        {
            return bad("valid_until must be after valid_from".into());
        }
        match (self.status_index, &self.status_list_url) {
            (None, None) => {}
            (Some(index), Some(url)) => {
                if !url.starts_with("https://") || !is_uri(url) {
                    return bad("status_list_url must be an https URL".into());
                }
                if index >= 1 << 53 {
                    return bad("status_index too large".into());
                }
            }
            _ => return bad("status_index and status_list_url go together".into()),
        }
        for unit in &self.units {
            if unit.code.trim().is_empty() || unit.title.trim().is_empty() {
                return bad("a unit has an empty code or title".into());
            }
            if unit.url.as_deref().is_some_and(|u| !is_uri(u)) {
                return bad(format!("unit {} url is not a URI", unit.code));
            }
        }
        let texts = [
            &self.holder_name,
            &self.package_name,
            &self.issuer_name,
            &self.number,
        ]
        .into_iter()
        .chain(self.field_of_study.iter())
        .chain(self.units.iter().map(|u| &u.title));
        for text in texts {
            if let Some(word) = revealing_word(text) {
                return bad(format!(
                    "text would reveal a correctional facility (\"{word}\"): {text:.60}"
                ));
            }
        }
        Ok(())
    }
}

struct Texts {
    credential_name: String,
    credential_description: String,
    achievement_description: String,
    narrative: String,
}

fn texts(data: &CertificateData) -> Texts {
    let units: Vec<String> = data
        .units
        .iter()
        .map(|u| format!("{} {}", u.code, u.title))
        .collect();
    let unit_list = units.join("; ");
    let n = data.units.len();
    match data.language {
        Language::Indonesian => Texts {
            credential_name: format!("Sertifikat Pelatihan: {}", data.package_name),
            credential_description: format!(
                "Sertifikat pelatihan nomor {} atas nama {}, diterbitkan oleh {}.",
                data.number, data.holder_name, data.issuer_name
            ),
            achievement_description: format!(
                "Pelatihan berbasis kompetensi {} ({}) selama {} JP (jam pelajaran @45 menit).",
                data.package_name, data.package_code, data.hours_jp
            ),
            narrative: if n == 0 {
                format!(
                    "Menyelesaikan {} JP pelatihan dan lulus penilaian.",
                    data.hours_jp
                )
            } else {
                format!(
                    "Menyelesaikan {} JP pelatihan dan dinyatakan kompeten pada {} unit kompetensi SKKNI: {}.",
                    data.hours_jp, n, unit_list
                )
            },
        },
        Language::English => Texts {
            credential_name: format!("Training Certificate: {}", data.package_name),
            credential_description: format!(
                "Training certificate number {} awarded to {}, issued by {}.",
                data.number, data.holder_name, data.issuer_name
            ),
            achievement_description: format!(
                "Competency-based training {} ({}) of {} JP (lesson hours of 45 minutes).",
                data.package_name, data.package_code, data.hours_jp
            ),
            narrative: if n == 0 {
                format!(
                    "Completed {} JP of training and passed the assessment.",
                    data.hours_jp
                )
            } else {
                format!(
                    "Completed {} JP of training and was assessed competent in {} SKKNI competency units: {}.",
                    data.hours_jp, n, unit_list
                )
            },
        },
    }
}

/// The unsigned `OpenBadgeCredential` for `data` (validated first).
pub fn build_certificate(data: &CertificateData) -> Result<Value> {
    data.validate()?;
    let texts = texts(data);
    let alignment: Vec<Value> = data
        .units
        .iter()
        .map(|unit| {
            let mut a = Map::new();
            a.insert("type".into(), json!(["Alignment"]));
            a.insert("targetName".into(), unit.title.clone().into());
            a.insert("targetCode".into(), unit.code.clone().into());
            a.insert("targetFramework".into(), "SKKNI".into());
            a.insert("targetType".into(), "ceasn:Competency".into());
            if let Some(url) = &unit.url {
                a.insert("targetUrl".into(), url.clone().into());
            }
            Value::Object(a)
        })
        .collect();
    let mut achievement = Map::new();
    achievement.insert(
        "id".into(),
        data.achievement_id
            .clone()
            .unwrap_or_else(|| format!("urn:bekal:achievement:{}", urn_safe(&data.package_code)))
            .into(),
    );
    achievement.insert("type".into(), json!(["Achievement"]));
    achievement.insert("achievementType".into(), "Certificate".into());
    achievement.insert("name".into(), data.package_name.clone().into());
    achievement.insert("humanCode".into(), data.package_code.clone().into());
    achievement.insert("description".into(), texts.achievement_description.into());
    achievement.insert("criteria".into(), json!({ "narrative": texts.narrative }));
    if let Some(field) = &data.field_of_study {
        achievement.insert("fieldOfStudy".into(), field.clone().into());
    }
    if !alignment.is_empty() {
        achievement.insert("alignment".into(), Value::Array(alignment));
    }
    achievement.insert(
        "inLanguage".into(),
        match data.language {
            Language::Indonesian => "id",
            Language::English => "en",
        }
        .into(),
    );

    let mut credential = Map::new();
    credential.insert("@context".into(), json!([VC_V2_CONTEXT, OB_V3_CONTEXT]));
    credential.insert("id".into(), data.credential_id.clone().into());
    credential.insert(
        "type".into(),
        json!(["VerifiableCredential", "OpenBadgeCredential"]),
    );
    credential.insert("name".into(), texts.credential_name.into());
    credential.insert("description".into(), texts.credential_description.into());
    credential.insert(
        "issuer".into(),
        json!({ "id": data.issuer_did, "type": ["Profile"], "name": data.issuer_name }),
    );
    credential.insert("validFrom".into(), format_instant(data.valid_from).into());
    if let Some(until) = data.valid_until {
        credential.insert("validUntil".into(), format_instant(until).into());
    }
    credential.insert(
        "credentialSubject".into(),
        json!({
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityHash": data.holder_name,
                "identityType": "name",
                "hashed": false
            }],
            "achievement": Value::Object(achievement),
        }),
    );
    if let (Some(index), Some(url)) = (data.status_index, &data.status_list_url) {
        credential.insert(
            "credentialStatus".into(),
            json!({
                "id": format!("{url}#{index}"),
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": index.to_string(),
                "statusListCredential": url,
            }),
        );
    }
    Ok(Value::Object(credential))
}

/// Builds and signs the certificate with `key` at instant `created`; returns pretty JSON.
/// `data.issuer_did` must be the key's controller.
pub fn issue_certificate(
    data: &CertificateData,
    key: &IssuerKey,
    created: DateTime<Utc>,
) -> Result<String> {
    if data.issuer_did != key.controller() {
        return Err(Error::Certificate(format!(
            "issuer_did {} is not the signing key's controller {}",
            data.issuer_did,
            key.controller()
        )));
    }
    let unsigned = build_certificate(data)?;
    let signed = sign_document(unsigned, key, created)?;
    Ok(serde_json::to_string_pretty(&signed)?)
}
