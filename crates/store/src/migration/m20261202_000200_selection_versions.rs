//! Selection versions (issue 4): an approved selection is locked; changing it means a new
//! version that names the one it revises and says why. Nullable columns only, so SQLite can
//! `ALTER TABLE ADD COLUMN`.

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
                .table(Alias::new("selections"))
                .add_column(
                    ColumnDef::new(Alias::new("based_on_selection_id"))
                        .big_integer()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("selections"))
                .add_column(ColumnDef::new(Alias::new("revision_reason")).text().null())
                .to_owned(),
        )
        .await
    }
}
