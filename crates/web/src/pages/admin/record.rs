//! One form page for one catalogue record (a partner, a package, a unit, a trainer, a room):
//! a list of fields, each with its label, what is in it now (or what was typed when the form
//! came back refused), its error beside it, and an optional table of the records it belongs
//! to. The catalogue screens build their fields here and share `admin/record.html`.

use crate::i18n::Tr;
use crate::page::Chrome;
use askama::Template;
use askama_web::WebTemplate;
use bekal_app::catalogue_edit::Unavailability;

/// One field of the form.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    /// The message key of the label.
    pub label: &'static str,
    pub value: String,
    /// `text`, `number`, `date`, `select`, `check` (a checkbox: `on` when ticked) or `area`.
    pub kind: &'static str,
    /// For `select`: (value, label already in the reader's language).
    pub options: Vec<(String, String)>,
    /// The message key of a hint under the field.
    pub help: Option<&'static str>,
    pub required: bool,
}

impl Field {
    pub fn text(name: &'static str, label: &'static str, value: impl Into<String>) -> Self {
        Field {
            name,
            label,
            value: value.into(),
            kind: "text",
            options: Vec::new(),
            help: None,
            required: false,
        }
    }

    pub fn number(name: &'static str, label: &'static str, value: impl ToString) -> Self {
        Field {
            kind: "number",
            ..Field::text(name, label, value.to_string())
        }
    }

    pub fn check(name: &'static str, label: &'static str, on: bool) -> Self {
        Field {
            kind: "check",
            ..Field::text(name, label, if on { "on" } else { "" })
        }
    }

    pub fn select(
        name: &'static str,
        label: &'static str,
        value: impl Into<String>,
        options: Vec<(String, String)>,
    ) -> Self {
        Field {
            kind: "select",
            options,
            ..Field::text(name, label, value)
        }
    }

    pub fn area(name: &'static str, label: &'static str, value: impl Into<String>) -> Self {
        Field {
            kind: "area",
            ..Field::text(name, label, value)
        }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn help(mut self, key: &'static str) -> Self {
        self.help = Some(key);
        self
    }

    /// Read-only once the record exists (its key).
    pub fn fixed(self, fixed: bool) -> Self {
        if fixed {
            Field {
                kind: "fixed",
                ..self
            }
        } else {
            self
        }
    }
}

/// A table above the form: the records the form adds to, each with a link to its own form.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// Message keys of the column headers.
    pub headers: Vec<&'static str>,
    /// Cells, the link of the row's first cell, and whether the record is switched off.
    pub rows: Vec<(Vec<String>, String, bool)>,
}

/// A trainer's unavailable periods under their form.
#[derive(Debug, Clone)]
pub struct TrainerGaps {
    pub trainer_id: i64,
    pub gaps: Vec<Unavailability>,
    /// What was typed in the add form when it came back refused.
    pub typed: (String, String, String),
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/record.html")]
pub struct RecordPage {
    pub chrome: Chrome,
    pub tr: Tr,
    /// Message key of the heading.
    pub title: &'static str,
    /// The record's key shown beside the heading (empty for a new record).
    pub subject: String,
    pub intro: Option<&'static str>,
    pub listing: Option<Listing>,
    pub action: String,
    pub hidden: Vec<(&'static str, String)>,
    pub fields: Vec<Field>,
    /// (field, message) of a refused save.
    pub error: Option<(String, String)>,
    pub back: String,
    pub gaps: Option<TrainerGaps>,
}

impl RecordPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        super::error_for(&self.error, field)
    }

    fn other_error(&self) -> Option<&str> {
        let mut names: Vec<&str> = self.fields.iter().map(|f| f.name).collect();
        if self.gaps.is_some() {
            names.extend(["date_from", "date_to"]);
        }
        super::other_error(&self.error, &names)
    }

    fn is_chosen(&self, field: &Field, value: &str) -> bool {
        field.value == value
    }
}
