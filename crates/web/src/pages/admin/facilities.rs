//! Facilities, for national administrators: the list and registering a new one
//! (`GET|POST /admin/facilities`). A refused rule (a code in use, an empty name) is shown
//! beside its field with what was typed kept.

use super::{error_for, other_error};
use crate::WebError;
use crate::i18n::Tr;
use crate::page::{Chrome, Page, PageError, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::facilities::{self, FacilityView, NewFacility};
use bekal_app::{App, AppError, Permission};
use bekal_domain::status::FacilityKind;
use serde::Deserialize;

/// The kinds of facility, in the order of the form.
pub const KINDS: [&str; 3] = ["lapas", "rutan", "lpka"];

#[derive(Debug, Deserialize, Default)]
pub struct FacilityForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    city: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/facilities.html")]
pub struct FacilitiesPage {
    chrome: Chrome,
    tr: Tr,
    facilities: Vec<FacilityView>,
    form: FacilityForm,
    error: Option<(String, String)>,
}

impl FacilitiesPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.error, field)
    }

    fn other_error(&self) -> Option<&str> {
        other_error(&self.error, &["code", "name", "kind"])
    }
}

async fn facilities_page(
    app: &App,
    page: &Page,
    form: FacilityForm,
    error: Option<(String, String)>,
) -> Result<FacilitiesPage, WebError> {
    page.actor().authorise(Permission::ManageCatalogue, None)?;
    Ok(FacilitiesPage {
        chrome: page.chrome(Section::Admin),
        tr: page.tr,
        facilities: facilities::list(app, page.actor()).await?,
        form,
        error,
    })
}

/// `GET /admin/facilities`
pub async fn list(State(app): State<App>, page: Page) -> Result<FacilitiesPage, WebError> {
    let form = FacilityForm {
        kind: "lapas".into(),
        ..Default::default()
    };
    facilities_page(&app, &page, form, None).await
}

/// `POST /admin/facilities`
pub async fn add(
    State(app): State<App>,
    page: Page,
    Form(form): Form<FacilityForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let outcome = match form.kind.trim().parse::<FacilityKind>() {
        Ok(kind) => {
            let optional = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
            facilities::add(
                &app,
                page.actor(),
                NewFacility {
                    code: form.code.clone(),
                    name: form.name.clone(),
                    kind,
                    region: optional(&form.region),
                    city: optional(&form.city),
                },
            )
            .await
        }
        Err(_) => Err(AppError::invalid("kind", "choose one")),
    };
    let (status, error) = match outcome {
        Ok(_) => return Ok(Redirect::to("/admin/facilities?notice=facility-added").into_response()),
        Err(AppError::Invalid { field, message }) => {
            // The domain names the code's field "facility code"; the form calls it "code".
            let field = if field == "facility code" {
                "code".to_owned()
            } else {
                field
            };
            (StatusCode::UNPROCESSABLE_ENTITY, (field, message))
        }
        Err(AppError::Conflict(message)) => (StatusCode::CONFLICT, ("code".to_owned(), message)),
        Err(other) => return Err(WebError::from(other).into()),
    };
    let shown = facilities_page(&app, &page, form, Some(error)).await?;
    Ok((status, shown).into_response())
}
