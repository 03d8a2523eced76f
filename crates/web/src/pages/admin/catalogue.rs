//! The programme catalogue (`GET /admin/catalogue`): partners, packages with their units and
//! completion rules, trainers with their skills, rooms by facility, each linked to its form
//! (`catalogue_edit`, `rooms`), and buttons for new records. A catalogue document
//! (`bekal catalogue apply`, docs/catalogue.md) still loads many at once.

use crate::WebError;
use crate::i18n::Tr;
use crate::page::{Chrome, Page, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use bekal_app::App;
use bekal_app::catalogue_view::{self, CatalogueOverview};
use bekal_app::facilities::FacilityView;

#[derive(Template, WebTemplate)]
#[template(path = "admin/catalogue.html")]
pub struct CataloguePage {
    chrome: Chrome,
    tr: Tr,
    catalogue: CatalogueOverview,
    facilities: Vec<FacilityView>,
}

/// `GET /admin/catalogue`
pub async fn overview(State(app): State<App>, page: Page) -> Result<CataloguePage, WebError> {
    Ok(CataloguePage {
        catalogue: catalogue_view::overview(&app, page.actor()).await?,
        facilities: bekal_app::facilities::list(&app, page.actor()).await?,
        chrome: page.chrome(Section::Admin),
        tr: page.tr,
    })
}
