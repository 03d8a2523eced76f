//! A facility's rooms (`GET|POST /admin/rooms[?facility=&code=]`): the list (switched-off
//! rooms too) with a link to each room's form, and the form for a new room or the chosen
//! one (name, capacity, the packages it suits, in use or not). Program officers keep their
//! own facility's rooms; national administrators choose a facility.

use super::record::{Field, Listing, RecordPage};
use crate::WebError;
use crate::page::{Page, PageError, Section};
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::catalogue_edit::{self, RoomChange};
use bekal_app::{App, AppError, Permission};
use serde::Deserialize;

#[derive(Debug, Deserialize, Default)]
pub struct RoomQuery {
    #[serde(default)]
    facility: Option<String>,
    #[serde(default)]
    code: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct RoomForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    facility: String,
    #[serde(default)]
    existing: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    packages: String,
    #[serde(default)]
    active: Option<String>,
}

/// The facility the page is about: the user's own, or the one a national administrator
/// named (`None`: a national administrator who named none, sent to the catalogue to choose).
async fn facility_of(
    app: &App,
    page: &Page,
    named: Option<&str>,
) -> Result<Option<String>, WebError> {
    page.actor()
        .authorise(Permission::ManageFacilitySetup, page.own_facility())?;
    let (choices, id, _) = crate::pages::choose_facility(app, page, named).await?;
    let Some(id) = id else {
        return Ok(None);
    };
    let all = if choices.is_empty() {
        bekal_app::facilities::list(app, page.actor()).await?
    } else {
        choices
    };
    Ok(all.into_iter().find(|f| f.id == id).map(|f| f.code))
}

async fn rooms_page(
    app: &App,
    page: &Page,
    facility: &str,
    form: &RoomForm,
) -> Result<RecordPage, WebError> {
    let rooms = catalogue_edit::rooms_of(app, page.actor(), facility).await?;
    let existing = form.existing == "yes";
    let qs = |code: &str| {
        if page.own_facility().is_some() {
            format!("/admin/rooms?code={code}")
        } else {
            format!("/admin/rooms?facility={facility}&code={code}")
        }
    };
    let listing = Listing {
        headers: vec![
            "catalogue-code",
            "catalogue-name",
            "admin-catalogue-capacity",
            "admin-catalogue-packages",
            "class-status",
        ],
        rows: rooms
            .iter()
            .map(|r| {
                (
                    vec![
                        r.code.clone(),
                        r.name.clone(),
                        r.capacity.to_string(),
                        if r.packages.is_empty() {
                            page.tr.t("admin-catalogue-any")
                        } else {
                            r.packages.join(", ")
                        },
                        page.tr.t(if r.active {
                            "catalogue-in-use"
                        } else {
                            "catalogue-off"
                        }),
                    ],
                    qs(&r.code),
                    !r.active,
                )
            })
            .collect(),
    };
    let mut fields = vec![
        Field::text("code", "catalogue-code", &form.code)
            .required()
            .fixed(existing),
        Field::text("name", "catalogue-name", &form.name).required(),
        Field::number("capacity", "admin-catalogue-capacity", &form.capacity).required(),
        Field::text("packages", "admin-catalogue-packages", &form.packages)
            .help("catalogue-room-packages-help"),
        Field::check("active", "catalogue-active", form.active.is_some()),
    ];
    if !existing {
        fields[0].help = Some("catalogue-room-code-help");
    }
    let mut hidden = vec![("facility", facility.to_owned())];
    if existing {
        hidden.push(("existing", "yes".to_owned()));
    }
    Ok(RecordPage {
        chrome: page.chrome(Section::Admin),
        tr: page.tr,
        title: if existing {
            "catalogue-room-edit"
        } else {
            "catalogue-room-new"
        },
        subject: if existing {
            format!("{facility} {}", form.code)
        } else {
            facility.to_owned()
        },
        intro: Some("catalogue-rooms-intro"),
        listing: Some(listing),
        action: "/admin/rooms".to_owned(),
        hidden,
        fields,
        error: None,
        back: "/admin".to_owned(),
        gaps: None,
    })
}

/// `GET /admin/rooms[?facility=&code=]`
pub async fn list(
    State(app): State<App>,
    page: Page,
    Query(query): Query<RoomQuery>,
) -> Result<Response, WebError> {
    let Some(facility) = facility_of(&app, &page, query.facility.as_deref()).await? else {
        return Ok(Redirect::to("/admin/catalogue#rooms").into_response());
    };
    let chosen = query
        .code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let form = match chosen {
        Some(code) => {
            let rooms = catalogue_edit::rooms_of(&app, page.actor(), &facility).await?;
            let room = rooms
                .into_iter()
                .find(|r| r.code.eq_ignore_ascii_case(code))
                .ok_or_else(|| AppError::NotFound(format!("room {code}")))?;
            RoomForm {
                existing: "yes".into(),
                code: room.code,
                name: room.name,
                capacity: room.capacity.to_string(),
                packages: room.packages.join(", "),
                active: room.active.then(|| "on".to_owned()),
                ..Default::default()
            }
        }
        None => RoomForm {
            capacity: "10".into(),
            active: Some("on".into()),
            ..Default::default()
        },
    };
    Ok(rooms_page(&app, &page, &facility, &form)
        .await?
        .into_response())
}

/// `POST /admin/rooms`
pub async fn save(
    State(app): State<App>,
    page: Page,
    Form(form): Form<RoomForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let facility = facility_of(&app, &page, Some(&form.facility))
        .await?
        .ok_or_else(|| WebError::from(AppError::invalid("facility", "choose a facility")))?;
    let result = match form.capacity.trim().parse::<i32>() {
        Ok(capacity) => {
            let change = RoomChange {
                new: form.existing != "yes",
                facility: facility.clone(),
                code: form.code.clone(),
                name: form.name.clone(),
                capacity,
                packages: form
                    .packages
                    .split([',', ';'])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect(),
                active: form.active.is_some(),
            };
            catalogue_edit::save_room(&app, page.actor(), &change)
                .await
                .map(|_| ())
        }
        Err(_) => Err(AppError::invalid("capacity", "a whole number")),
    };
    let target = if page.own_facility().is_some() {
        "/admin/rooms?notice=catalogue-saved".to_owned()
    } else {
        format!("/admin/rooms?facility={facility}&notice=catalogue-saved")
    };
    let (status, error) = match result {
        Ok(()) => return Ok(Redirect::to(&target).into_response()),
        Err(AppError::Invalid { field, message }) => {
            (StatusCode::UNPROCESSABLE_ENTITY, (field, message))
        }
        Err(other) => return Err(WebError::from(other).into()),
    };
    let mut view = rooms_page(&app, &page, &facility, &form).await?;
    view.error = Some(error);
    Ok((status, view).into_response())
}
