//! The programme catalogue, read-only (`GET /admin/catalogue`): partners, packages with their
//! units and completion rules, trainers with their skills, rooms by facility. Changes are made
//! with a catalogue document (`bekal catalogue apply`, docs/catalogue.md).

use crate::WebError;
use crate::i18n::Tr;
use crate::page::{Chrome, Page, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use bekal_app::App;
use bekal_app::catalogue_view::{self, CatalogueOverview};

#[derive(Template, WebTemplate)]
#[template(path = "admin/catalogue.html")]
pub struct CataloguePage {
    chrome: Chrome,
    tr: Tr,
    catalogue: CatalogueOverview,
}

/// `GET /admin/catalogue`
pub async fn overview(State(app): State<App>, page: Page) -> Result<CataloguePage, WebError> {
    Ok(CataloguePage {
        catalogue: catalogue_view::overview(&app, page.actor()).await?,
        chrome: page.chrome(Section::Admin),
        tr: page.tr,
    })
}
