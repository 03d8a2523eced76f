//! Accounts, second step (issue 9): a confirmed second factor and TOTP replay protection.
//! `users.totp_enabled_at` marks a confirmed TOTP enrolment (a secret alone may be an
//! unfinished one); `users.totp_last_step` is the last 30-second step accepted, so a code is
//! never accepted twice. Nullable columns only, so SQLite can `ALTER TABLE ADD COLUMN`.

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
                .table(Alias::new("users"))
                .add_column(
                    ColumnDef::new(Alias::new("totp_enabled_at"))
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("users"))
                .add_column(
                    ColumnDef::new(Alias::new("totp_last_step"))
                        .big_integer()
                        .null(),
                )
                .to_owned(),
        )
        .await
    }
}
