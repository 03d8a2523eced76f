//! A partner chooses how its certificates name their issuer (issue 7): `key` (`did:key`, the
//! default: the key is inside the DID and verifies with no network) or `web` (`did:web` under
//! the deployment's public address, with the DID document served by Bekal). It takes effect
//! with the partner's next key (first issuance or a rotation).

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
                .table(Alias::new("partners"))
                .add_column(
                    ColumnDef::new(Alias::new("issuer_did_method"))
                        .text()
                        .not_null()
                        .default("key"),
                )
                .to_owned(),
        )
        .await
    }
}
