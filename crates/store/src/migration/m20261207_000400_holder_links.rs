//! The holder's download links (issue 7): a code handed to a trainee on a printed slip, with
//! which they download their certificate PDF and credential file again, without an account.
//! Only the SHA-256 of the code is kept, so a database dump or backup gives no usable link;
//! `request_hash` is the SHA-256 of the key of the form that asked for it, so a form sent
//! twice (a reload of the slip) does not silently replace the code already printed.

use super::dsl::TableSpec;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        TableSpec::new("holder_links")
            .facility()
            .refs("certificate_id", "certificates")
            .text("code_hash")
            .instant("created_at")
            .instant("expires_at")
            .instant_null("withdrawn_at")
            .text_null("request_hash")
            .unique(&["code_hash"])
            .create(m)
            .await
    }
}
