//! A small vocabulary for writing migrations compactly and identically for SQLite and
//! PostgreSQL. Each helper maps to one sea-query column type that both backends support
//! natively (PostgreSQL: bigint, text, date, timestamptz, boolean, jsonb; SQLite: the affinities
//! sea-query chooses). Migrations are frozen once released: change the schema with a new
//! migration, never by editing an old one or this vocabulary's meaning.

use sea_orm_migration::prelude::*;

/// Builds one `CREATE TABLE` plus its indexes.
pub struct TableSpec {
    name: &'static str,
    table: TableCreateStatement,
    indexes: Vec<IndexCreateStatement>,
}

fn col(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
}

impl TableSpec {
    /// A table with a 64-bit auto-increment primary key `id`.
    pub fn new(name: &'static str) -> Self {
        let mut table = Table::create();
        table.table(Alias::new(name)).col(
            col("id")
                .big_integer()
                .not_null()
                .auto_increment()
                .primary_key(),
        );
        TableSpec {
            name,
            table,
            indexes: Vec::new(),
        }
    }

    /// A table whose primary key is a text column (natural keys: sessions, settings).
    pub fn with_text_key(name: &'static str, key: &str) -> Self {
        let mut table = Table::create();
        table
            .table(Alias::new(name))
            .col(col(key).string().not_null().primary_key());
        TableSpec {
            name,
            table,
            indexes: Vec::new(),
        }
    }

    fn add(mut self, def: &mut ColumnDef) -> Self {
        self.table.col(def);
        self
    }

    pub fn text(self, name: &str) -> Self {
        self.add(col(name).text().not_null())
    }
    pub fn text_null(self, name: &str) -> Self {
        self.add(col(name).text().null())
    }
    pub fn text_default(self, name: &str, default: &str) -> Self {
        self.add(col(name).text().not_null().default(default))
    }
    pub fn int(self, name: &str) -> Self {
        self.add(col(name).integer().not_null())
    }
    pub fn int_default(self, name: &str, default: i32) -> Self {
        self.add(col(name).integer().not_null().default(default))
    }
    pub fn int_null(self, name: &str) -> Self {
        self.add(col(name).integer().null())
    }
    pub fn big(self, name: &str) -> Self {
        self.add(col(name).big_integer().not_null())
    }
    pub fn big_null(self, name: &str) -> Self {
        self.add(col(name).big_integer().null())
    }
    pub fn boolean(self, name: &str, default: bool) -> Self {
        self.add(col(name).boolean().not_null().default(default))
    }
    pub fn date(self, name: &str) -> Self {
        self.add(col(name).date().not_null())
    }
    pub fn date_null(self, name: &str) -> Self {
        self.add(col(name).date().null())
    }
    pub fn instant(self, name: &str) -> Self {
        self.add(col(name).timestamp_with_time_zone().not_null())
    }
    pub fn instant_null(self, name: &str) -> Self {
        self.add(col(name).timestamp_with_time_zone().null())
    }
    pub fn json(self, name: &str) -> Self {
        self.add(col(name).json_binary().not_null())
    }
    pub fn json_null(self, name: &str) -> Self {
        self.add(col(name).json_binary().null())
    }

    /// `created_at` and `updated_at` instants, set by the store on every write.
    pub fn timestamps(self) -> Self {
        self.instant("created_at").instant("updated_at")
    }

    /// A foreign key column referencing `target(id)`. Deleting a referenced row is refused
    /// (records are kept, not cascaded away), except where `cascade` says the child is part of
    /// its parent (e.g. a package's unit list).
    fn reference(mut self, name: &str, target: &str, nullable: bool, cascade: bool) -> Self {
        let mut def = col(name);
        def.big_integer();
        if nullable {
            def.null();
        } else {
            def.not_null();
        }
        self.table.col(&mut def);
        let mut fk = ForeignKey::create();
        fk.name(format!("fk_{}_{}", self.name, name))
            .from(Alias::new(self.name), Alias::new(name))
            .to(Alias::new(target), Alias::new("id"))
            .on_delete(if cascade {
                ForeignKeyAction::Cascade
            } else {
                ForeignKeyAction::Restrict
            });
        self.table.foreign_key(&mut fk);
        self.index(&[name])
    }

    pub fn refs(self, name: &str, target: &str) -> Self {
        self.reference(name, target, false, false)
    }
    pub fn refs_null(self, name: &str, target: &str) -> Self {
        self.reference(name, target, true, false)
    }
    pub fn part_of(self, name: &str, target: &str) -> Self {
        self.reference(name, target, false, true)
    }

    /// The owning facility: every table of facility-owned data has it, so a national
    /// PostgreSQL deployment can partition or shard by it.
    pub fn facility(self) -> Self {
        self.refs("facility_id", "facilities")
    }

    fn make_index(&mut self, columns: &[&str], unique: bool) {
        let mut index = Index::create();
        index
            .name(format!(
                "{}_{}_{}",
                if unique { "uq" } else { "ix" },
                self.name,
                columns.join("_")
            ))
            .table(Alias::new(self.name));
        for column in columns {
            index.col(Alias::new(*column));
        }
        if unique {
            index.unique();
        }
        self.indexes.push(index);
    }

    pub fn index(mut self, columns: &[&str]) -> Self {
        self.make_index(columns, false);
        self
    }
    pub fn unique(mut self, columns: &[&str]) -> Self {
        self.make_index(columns, true);
        self
    }

    /// Creates the table and its indexes.
    pub async fn create(mut self, manager: &SchemaManager<'_>) -> Result<(), DbErr> {
        manager.create_table(self.table.to_owned()).await?;
        for index in self.indexes.iter_mut() {
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }
}
