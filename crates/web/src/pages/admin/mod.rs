//! Administration: the hub (`GET /admin`) that links to what the signed-in user may keep up
//! to date, and one module per screen: accounts (national administrators), facilities
//! (national administrators), the catalogue and its forms (national administrators), a
//! facility's rooms (its program officers, national administrators) and the holiday calendar
//! (national administrators for the national days, program officers for their facility's
//! own).

pub mod accounts;
pub mod catalogue;
pub mod catalogue_edit;
pub mod facilities;
pub mod holidays;
pub mod record;
pub mod rooms;

use crate::WebError;
use crate::i18n::Tr;
use crate::page::{Chrome, Page, Section};
use askama::Template;
use askama_web::WebTemplate;
use bekal_app::{AppError, Permission};

#[derive(Template, WebTemplate)]
#[template(path = "admin/hub.html")]
pub struct HubPage {
    chrome: Chrome,
    tr: Tr,
    accounts: bool,
    facilities: bool,
    holidays: bool,
    /// A facility's own rooms (program officers; national administrators reach every
    /// facility's rooms from the catalogue).
    rooms: bool,
}

/// `GET /admin`
pub async fn hub(page: Page) -> Result<HubPage, WebError> {
    let actor = page.actor();
    let accounts = actor.authorise(Permission::ManageAccounts, None).is_ok();
    let facilities = actor.authorise(Permission::ManageCatalogue, None).is_ok();
    let holidays = facilities
        || actor
            .authorise(Permission::ManageFacilitySetup, page.own_facility())
            .is_ok();
    if !(accounts || facilities || holidays) {
        return Err(AppError::Forbidden("administration".into()).into());
    }
    Ok(HubPage {
        chrome: page.chrome(Section::Admin),
        tr: page.tr,
        accounts,
        facilities,
        rooms: holidays && !facilities,
        holidays,
    })
}

/// The message of a refused rule for `field`, if that is the field it names.
pub(crate) fn error_for<'a>(error: &'a Option<(String, String)>, field: &str) -> Option<&'a str> {
    error
        .as_ref()
        .filter(|(f, _)| f == field)
        .map(|(_, m)| m.as_str())
}

/// The message of a refused rule that names none of `fields`.
pub(crate) fn other_error<'a>(
    error: &'a Option<(String, String)>,
    fields: &[&str],
) -> Option<&'a str> {
    error
        .as_ref()
        .filter(|(f, _)| !fields.contains(&f.as_str()))
        .map(|(_, m)| m.as_str())
}
