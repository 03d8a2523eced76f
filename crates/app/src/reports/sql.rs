//! A very small SQL text builder for the report aggregates: appends text and bound values,
//! writing each placeholder in the backend's own syntax (`?` on SQLite, `$n` on PostgreSQL).
//! The aggregates are `GROUP BY facility_id` queries run through SeaORM's raw statements, so
//! the database does the counting and nothing loads row by row.

use crate::AppError;
use bekal_store::Backend;
use bekal_store::sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};

/// SQL text under construction, with its values.
#[derive(Debug)]
pub(crate) struct Sql {
    backend: Backend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub(crate) fn new(backend: Backend, text: &str) -> Self {
        Sql {
            backend,
            text: text.to_owned(),
            values: Vec::new(),
        }
    }

    /// Appends text.
    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub(crate) fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        match self.backend {
            Backend::Sqlite => self.text.push('?'),
            Backend::Postgres => self.text.push_str(&format!("${}", self.values.len())),
        }
        self
    }

    /// Appends `(v1, v2, ...)` for an IN list (never empty: `(NULL)` matches nothing).
    pub(crate) fn bind_list(&mut self, values: &[i64]) -> &mut Self {
        self.push("(");
        if values.is_empty() {
            self.push("NULL");
        }
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(*v);
        }
        self.push(")")
    }

    pub(crate) async fn rows(
        self,
        conn: &impl ConnectionTrait,
    ) -> Result<Vec<QueryResult>, AppError> {
        let backend = match self.backend {
            Backend::Sqlite => DbBackend::Sqlite,
            Backend::Postgres => DbBackend::Postgres,
        };
        Ok(conn
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                self.text,
                self.values,
            ))
            .await?)
    }
}

/// Column `index` of a row as a non-negative count (SQL NULL is 0).
pub(crate) fn count(row: &QueryResult, index: usize) -> Result<u64, AppError> {
    let value: Option<i64> = row
        .try_get_by_index(index)
        .map_err(|e| AppError::Internal(format!("report column {index}: {e}")))?;
    Ok(u64::try_from(value.unwrap_or(0)).unwrap_or(0))
}

/// Column `index` of a row as an id.
pub(crate) fn id(row: &QueryResult, index: usize) -> Result<i64, AppError> {
    row.try_get_by_index(index)
        .map_err(|e| AppError::Internal(format!("report column {index}: {e}")))
}

/// Column `index` of a row as text (SQL NULL is empty).
pub(crate) fn text(row: &QueryResult, index: usize) -> Result<String, AppError> {
    let value: Option<String> = row
        .try_get_by_index(index)
        .map_err(|e| AppError::Internal(format!("report column {index}: {e}")))?;
    Ok(value.unwrap_or_default())
}
