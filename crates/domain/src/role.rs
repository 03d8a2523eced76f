//! Who a user is to Bekal. A role decides what a user may do; the scope (facility, partner,
//! region) decides on which data. The full permission matrix lives in the app layer.

crate::text_enum! {
    /// The roles of Bekal's users.
    Role, "role" {
        /// Ditjenpas administrators: every facility, the catalogue, accounts.
        NationalAdmin = "national_admin",
        /// Kanwil or Ditjenpas readers: aggregates only, no names.
        OversightViewer = "oversight_viewer",
        /// Kalapas / Karutan: approves selections, plans and certificate lists.
        FacilityHead = "facility_head",
        /// Petugas Bimker / Giatja: registers, assesses, selects, plans, records.
        ProgramOfficer = "program_officer",
        /// Staff of a training partner (BLK, LPK): their partnership's classes; issues certificates.
        PartnerStaff = "partner_staff",
        /// Instruktur: their own classes and attendance.
        Trainer = "trainer",
        /// Asesor kompetensi: unit results of the classes they assess.
        Assessor = "assessor",
        /// PK Bapas: follow-up after release.
        ProbationOfficer = "probation_officer",
    }
}

impl Role {
    /// Whether the role may see inmates' names and records at all.
    pub fn sees_personal_data(self) -> bool {
        !matches!(self, Role::OversightViewer)
    }
}
