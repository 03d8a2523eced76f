//! Report figures at national scale (issue 10): each session keeps the totals of its
//! attendance sheet (`attended_hours`, `marked_trainees`), written in the same transaction as
//! the sheet, so the attendance share of a region or the nation sums sessions instead of
//! joining millions of attendance rows; and covering indexes for the other report aggregates
//! (facility first, so one facility's report is a range and the nation's an index scan;
//! grouping columns next, so the grouping needs no sort).
//! Existing sheets are summed into the new columns here.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (index name, table, columns).
const INDEXES: [(&str, &str, &[&str]); 8] = [
    (
        "ix_training_sessions_report",
        "training_sessions",
        &[
            "facility_id",
            "status",
            "date",
            "hours_jp",
            "attended_hours",
            "marked_trainees",
        ],
    ),
    (
        "ix_unit_results_report",
        "unit_results",
        &[
            "facility_id",
            "unit_id",
            "decision",
            "current",
            "assessed_on",
        ],
    ),
    (
        "ix_certificates_report",
        "certificates",
        &["facility_id", "status", "issued_on"],
    ),
    (
        "ix_assessments_report",
        "assessments",
        &["facility_id", "assessed_on", "inmate_id"],
    ),
    (
        "ix_enrolments_report",
        "enrolments",
        &["facility_id", "enrolled_on", "state", "class_id"],
    ),
    // The releasee groups look up each person's enrolments and follow-up outcomes.
    (
        "ix_enrolments_person",
        "enrolments",
        &["inmate_id", "state", "class_id"],
    ),
    (
        "ix_follow_ups_outcomes",
        "follow_ups",
        &["inmate_id", "outcome"],
    ),
    (
        "ix_follow_ups_report",
        "follow_ups",
        &["facility_id", "contacted_on", "outcome", "in_trained_trade"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["attended_hours", "marked_trainees"] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("training_sessions"))
                    .add_column(
                        ColumnDef::new(Alias::new(column))
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        }
        m.get_connection()
            .execute_unprepared(
                "UPDATE training_sessions SET \
                 attended_hours = COALESCE((SELECT SUM(a.hours_attended) FROM attendance a \
                   WHERE a.session_id = training_sessions.id), 0), \
                 marked_trainees = (SELECT COUNT(*) FROM attendance a \
                   WHERE a.session_id = training_sessions.id)",
            )
            .await?;
        for (name, table, columns) in INDEXES {
            let mut index = Index::create();
            index.name(name).table(Alias::new(table));
            for column in columns {
                index.col(Alias::new(*column));
            }
            m.create_index(index).await?;
        }
        // Fresh planner statistics for these tables (only these: on PostgreSQL a bare
        // ANALYZE would reach every schema of the database), so the new indexes are used
        // from the first report.
        let tables: std::collections::BTreeSet<&str> = INDEXES.iter().map(|(_, t, _)| *t).collect();
        for table in tables {
            m.get_connection()
                .execute_unprepared(&format!("ANALYZE {table}"))
                .await?;
        }
        Ok(())
    }
}
