//! Retention (issue 9): when a person's record passes the retention period after release,
//! its personal fields are erased and `inmates.erased_at` says when; the row stays (with a
//! neutral register number) so enrolments, results and report figures keep adding up.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("inmates"))
                .add_column(
                    ColumnDef::new(Alias::new("erased_at"))
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await
    }
}
