//! The closed vocabularies of the domain (kinds, states, outcomes), each stored as a stable
//! lower-case text code. One macro gives every enum the same `as_str` / `FromStr` / serde
//! behaviour, so the database, the JSON API and the CLI spell them identically.

use crate::DomainError;

/// Declares a text-coded enum: `as_str`, `ALL`, `FromStr`, `Display` and serde as the code.
#[macro_export]
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable text code stored in the database and used in the API.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::DomainError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| $crate::DomainError::invalid($field, s, "unknown value"))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

text_enum! {
    /// The kind of correctional facility (UPT Pemasyarakatan).
    FacilityKind, "facility kind" {
        /// Lembaga Pemasyarakatan: a prison.
        Lapas = "lapas",
        /// Rumah Tahanan Negara: a remand centre.
        Rutan = "rutan",
        /// Lembaga Pembinaan Khusus Anak: a juvenile facility.
        Lpka = "lpka",
    }
}

text_enum! {
    /// The kind of training partner.
    PartnerKind, "partner kind" {
        /// A public vocational training centre (UPTD BLK / BBPVP).
        TrainingCentre = "training_centre",
        /// A private training institution (LPK).
        Lpk = "lpk",
        /// A professional certification body licensed by BNSP (LSP).
        Lsp = "lsp",
        /// A company (employer, equipment supplier, CSR program).
        Company = "company",
        Other = "other",
    }
}

text_enum! {
    /// Sex as recorded in SDP (L / P).
    Sex, "sex" {
        Male = "male",
        Female = "female",
    }
}

text_enum! {
    /// Where an inmate stands in the facility's registry.
    CustodyStatus, "custody status" {
        InCustody = "in_custody",
        Released = "released",
        Transferred = "transferred",
        Deceased = "deceased",
    }
}

text_enum! {
    /// The life of one place on a waiting list.
    WaitingListStatus, "waiting list status" {
        Pending = "pending",
        Approved = "approved",
        Declined = "declined",
        Allocated = "allocated",
        Removed = "removed",
        Withdrawn = "withdrawn",
    }
}

text_enum! {
    /// A selection or plan moves from draft to approved; an approved one is locked.
    ApprovalStatus, "approval status" {
        Draft = "draft",
        Approved = "approved",
        Superseded = "superseded",
    }
}

text_enum! {
    /// What became of a candidate in a selection.
    SelectionDecision, "selection decision" {
        Selected = "selected",
        Waiting = "waiting",
        NotSelected = "not_selected",
        Ineligible = "ineligible",
    }
}

text_enum! {
    /// The state of a training class.
    ClassStatus, "class status" {
        Planned = "planned",
        Running = "running",
        Finished = "finished",
        Cancelled = "cancelled",
    }
}

text_enum! {
    /// The state of one trainee's place in a class; every change is kept as an event.
    EnrolmentState, "enrolment state" {
        Enrolled = "enrolled",
        Completed = "completed",
        NotCompleted = "not_completed",
        Withdrawn = "withdrawn",
        Transferred = "transferred",
        Released = "released",
        Dismissed = "dismissed",
        Medical = "medical",
    }
}

text_enum! {
    /// The state of one scheduled training day.
    SessionStatus, "session status" {
        Scheduled = "scheduled",
        Held = "held",
        Cancelled = "cancelled",
        Moved = "moved",
    }
}

text_enum! {
    /// A trainee's attendance on one session.
    AttendanceStatus, "attendance status" {
        Present = "present",
        Late = "late",
        Excused = "excused",
        Absent = "absent",
    }
}

text_enum! {
    /// Why an absence is excused.
    ExcuseKind, "excuse kind" {
        Sick = "sick",
        Court = "court",
        Visit = "visit",
        Isolation = "isolation",
        Other = "other",
    }
}

text_enum! {
    /// The assessor's decision on one competency unit.
    UnitDecision, "unit decision" {
        /// Kompeten.
        Competent = "K",
        /// Belum kompeten.
        NotYetCompetent = "BK",
    }
}

text_enum! {
    /// The state of an issued certificate.
    CertificateStatus, "certificate status" {
        Valid = "valid",
        Revoked = "revoked",
    }
}

text_enum! {
    /// What a follow-up after release found.
    FollowUpOutcome, "follow-up outcome" {
        Employed = "employed",
        SelfEmployed = "self_employed",
        FurtherTraining = "further_training",
        Unemployed = "unemployed",
        Reoffended = "reoffended",
        Unreachable = "unreachable",
    }
}

text_enum! {
    /// Who employs a releasee (recorded with an `employed` follow-up).
    EmployerType, "employer type" {
        /// A formal private company.
        Company = "company",
        /// A small or informal business (UMKM, workshop, stall).
        SmallBusiness = "small_business",
        /// A government body or state-owned enterprise.
        Government = "government",
        /// Family business or household work.
        Family = "family",
        Other = "other",
    }
}

text_enum! {
    /// Who recorded a follow-up after release.
    FollowUpSource, "follow-up source" {
        /// The facility that released the person.
        Facility = "facility",
        /// The probation office (Bapas, a PK officer).
        Bapas = "bapas",
    }
}

text_enum! {
    /// The scope of an audit chain: one per facility, one for national data.
    AuditScopeKind, "audit scope" {
        Facility = "facility",
        National = "national",
    }
}

/// Parse helper for optional codes coming from forms and files.
pub fn parse_optional<T: std::str::FromStr<Err = DomainError>>(
    value: Option<&str>,
) -> Result<Option<T>, DomainError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_is_an_error() {
        for kind in FacilityKind::ALL {
            assert_eq!(kind.as_str().parse::<FacilityKind>(), Ok(*kind));
        }
        assert_eq!("LAPAS".parse::<FacilityKind>(), Ok(FacilityKind::Lapas));
        assert!("prison".parse::<FacilityKind>().is_err());
        assert_eq!("K".parse::<UnitDecision>(), Ok(UnitDecision::Competent));
        assert_eq!(
            serde_json::to_string(&UnitDecision::NotYetCompetent).ok(),
            Some("\"BK\"".to_owned())
        );
    }
}
