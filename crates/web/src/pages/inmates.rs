//! The inmate registry pages: the searchable list of a facility's inmates (`GET /inmates`)
//! and one inmate's profile with assessments, enrolments and why the plan selected them or
//! not (`GET /inmates/{id}`). Every view is audited by `bekal_app::registry`; national users
//! first pick a facility.

use crate::WebError;
use crate::i18n::{Lang, Tr};
use crate::page::{Chrome, Page, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use bekal_app::facilities::FacilityView;
use bekal_app::registry::{self, InmateList, InmateProfile};
use bekal_app::selection::Reason;
use bekal_app::{App, Permission};
use serde::Deserialize;

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<u64>,
    #[serde(default)]
    facility: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "inmates/list.html")]
pub struct ListPage {
    chrome: Chrome,
    tr: Tr,
    /// Facilities to choose from (national users).
    facilities: Vec<FacilityView>,
    facility: String,
    list: Option<InmateList>,
}

impl ListPage {
    /// The link to another page of the same search.
    fn page_href(&self, page: &u64) -> String {
        let query = self.list.as_ref().map(|l| l.query.as_str()).unwrap_or("");
        let mut href = format!("/inmates?page={page}&q={}", urlencode(query));
        if !self.facility.is_empty() {
            href.push_str(&format!("&facility={}", urlencode(&self.facility)));
        }
        href
    }

    fn previous(&self) -> Option<u64> {
        self.list
            .as_ref()
            .filter(|l| l.page > 1)
            .map(|l| l.page - 1)
    }

    fn next(&self) -> Option<u64> {
        self.list
            .as_ref()
            .filter(|l| l.page < l.pages)
            .map(|l| l.page + 1)
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `GET /inmates`
pub async fn list(
    State(app): State<App>,
    page: Page,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, WebError> {
    // Only those who may read a registry get a page (and the facility picker) at all.
    page.actor()
        .authorise(Permission::ReadInmates, page.own_facility())
        .map_err(WebError::from)?;
    let (facilities, facility_id, facility) =
        super::choose_facility(&app, &page, query.facility.as_deref()).await?;
    let list = match facility_id {
        Some(id) => {
            Some(registry::search(&app, page.actor(), id, &query.q, query.page.unwrap_or(1)).await?)
        }
        None => None,
    };
    Ok(ListPage {
        chrome: page.chrome(Section::Inmates),
        tr: page.tr,
        facilities,
        facility,
        list,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "inmates/profile.html")]
pub struct ProfilePage {
    chrome: Chrome,
    tr: Tr,
    inmate: InmateProfile,
}

impl ProfilePage {
    /// A selection reason in the reader's language.
    fn reason_text<'a>(&self, reason: &'a Reason) -> &'a str {
        match self.tr.lang {
            Lang::En => &reason.en,
            Lang::Id => &reason.id,
        }
    }

    /// The package of the selection round to jump to: the one selected for, else the first
    /// assessed.
    fn selection_package(&self) -> &str {
        self.inmate
            .selection
            .as_ref()
            .and_then(|s| s.package.as_deref())
            .or_else(|| self.inmate.assessments.first().map(|a| a.package.as_str()))
            .unwrap_or_default()
    }
}

/// `GET /inmates/{id}`
pub async fn profile(
    State(app): State<App>,
    page: Page,
    Path(id): Path<i64>,
) -> Result<ProfilePage, WebError> {
    let inmate = registry::profile(&app, page.actor(), id).await?;
    Ok(ProfilePage {
        chrome: page.chrome(Section::Inmates),
        tr: page.tr,
        inmate,
    })
}
