//! Editing the programme catalogue, for national administrators: a partner
//! (`GET|POST /admin/catalogue/partner[?code=]`), a package with its unit list
//! (`/admin/catalogue/package[?code=]`), a new unit version (`/admin/catalogue/unit`), a
//! trainer with skills and unavailable periods (`/admin/catalogue/trainer[?id=]`, `POST
//! /admin/catalogue/trainer/unavailable`, `POST .../unavailable/{id}/delete`). Without a key
//! the form makes a new record. A refused save comes back at its field with what was typed;
//! the services (`bekal_app::catalogue_edit`) check the rights again and audit every change.

use super::record::{Field, RecordPage, TrainerGaps};
use crate::WebError;
use crate::page::{Page, PageError, Section};
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::catalogue_edit::{
    self, NewUnit, PackageChange, PartnerChange, TrainerChange, Unavailability,
};
use bekal_app::catalogue_view;
use bekal_app::{App, AppError, Permission};
use bekal_domain::status::PartnerKind;
use chrono::NaiveDate;
use serde::Deserialize;

const SAVED: &str = "/admin/catalogue?notice=catalogue-saved";

/// `""` -> `None`, else the trimmed text.
fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

fn whole(field: &str, text: &str) -> Result<i32, AppError> {
    text.trim()
        .parse::<i32>()
        .map_err(|_| AppError::invalid(field, format!("{:?} is not a whole number", text.trim())))
}

fn whole_or_none(field: &str, text: &str) -> Result<Option<i32>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => whole(field, t).map(Some),
    }
}

/// `a, b; c` -> `[a, b, c]`.
fn list(text: &str) -> Vec<String> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

fn page_of(page: &Page, title: &'static str, action: &str) -> RecordPage {
    RecordPage {
        chrome: page.chrome(Section::Admin),
        tr: page.tr,
        title,
        subject: String::new(),
        intro: None,
        listing: None,
        action: action.to_owned(),
        hidden: Vec::new(),
        fields: Vec::new(),
        error: None,
        back: "/admin/catalogue".to_owned(),
        gaps: None,
    }
}

/// The refused save shown again (422 for a broken rule, 409 for a conflict).
fn refused(mut view: RecordPage, err: AppError) -> Result<Response, PageError> {
    let (status, error) = match err {
        AppError::Invalid { field, message } => {
            (StatusCode::UNPROCESSABLE_ENTITY, (field, message))
        }
        AppError::Conflict(message) => (StatusCode::CONFLICT, ("*".to_owned(), message)),
        other => return Err(WebError::from(other).into()),
    };
    view.error = Some(error);
    Ok((status, view).into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct CodeQuery {
    #[serde(default)]
    code: Option<String>,
}

// ----- partners -----------------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
pub struct PartnerForm {
    #[serde(default)]
    csrf_token: String,
    /// `yes` when the partner exists (its code is then fixed).
    #[serde(default)]
    existing: String,
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
    #[serde(default)]
    head_name: String,
    #[serde(default)]
    head_title: String,
    #[serde(default)]
    certificate_number_format: String,
    #[serde(default)]
    issuer_did_method: String,
    #[serde(default)]
    active: Option<String>,
}

fn partner_kind_key(kind: PartnerKind) -> &'static str {
    match kind {
        PartnerKind::TrainingCentre => "catalogue-kind-training-centre",
        PartnerKind::Lpk => "catalogue-kind-lpk",
        PartnerKind::Lsp => "catalogue-kind-lsp",
        PartnerKind::Company => "catalogue-kind-company",
        PartnerKind::Other => "catalogue-kind-other",
    }
}

fn partner_page(page: &Page, form: &PartnerForm) -> RecordPage {
    let existing = form.existing == "yes";
    let mut view = page_of(
        page,
        if existing {
            "catalogue-partner-edit"
        } else {
            "catalogue-partner-new"
        },
        "/admin/catalogue/partner",
    );
    if existing {
        view.subject = form.code.clone();
        view.hidden.push(("existing", "yes".to_owned()));
    }
    let kinds = PartnerKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), page.tr.t(partner_kind_key(*k))))
        .collect();
    view.fields = vec![
        Field::text("code", "catalogue-code", &form.code)
            .required()
            .help("catalogue-partner-code-help")
            .fixed(existing),
        Field::text("name", "catalogue-name", &form.name).required(),
        Field::select("kind", "catalogue-partner-kind", &form.kind, kinds),
        Field::text("region", "facility-region", &form.region),
        Field::text("city", "admin-facility-city", &form.city),
        Field::text("head_name", "catalogue-head-name", &form.head_name)
            .help("catalogue-head-help"),
        Field::text("head_title", "catalogue-head-title", &form.head_title),
        Field::text(
            "certificate_number_format",
            "admin-catalogue-number-format",
            &form.certificate_number_format,
        )
        .required()
        .help("catalogue-number-format-help"),
        Field::select(
            "issuer_did_method",
            "catalogue-issuer-did",
            &form.issuer_did_method,
            vec![
                ("key".to_owned(), page.tr.t("catalogue-issuer-did-key")),
                ("web".to_owned(), page.tr.t("catalogue-issuer-did-web")),
            ],
        )
        .help("catalogue-issuer-did-help"),
        Field::check("active", "catalogue-active", form.active.is_some()),
    ];
    view
}

/// `GET /admin/catalogue/partner[?code=]`
pub async fn partner_form(
    State(app): State<App>,
    page: Page,
    Query(query): Query<CodeQuery>,
) -> Result<RecordPage, WebError> {
    page.actor().authorise(Permission::ManageCatalogue, None)?;
    let form = match query
        .code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(code) => {
            let p = catalogue_edit::partner_of(&app, page.actor(), code)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("partner {code}")))?;
            PartnerForm {
                existing: "yes".into(),
                code: p.code,
                name: p.name,
                kind: p.kind.as_str().to_owned(),
                region: p.region.unwrap_or_default(),
                city: p.city.unwrap_or_default(),
                head_name: p.head_name.unwrap_or_default(),
                head_title: p.head_title.unwrap_or_default(),
                certificate_number_format: p.certificate_number_format,
                issuer_did_method: p.issuer_did_method,
                active: p.active.then(|| "on".to_owned()),
                ..Default::default()
            }
        }
        None => PartnerForm {
            kind: PartnerKind::TrainingCentre.as_str().to_owned(),
            certificate_number_format: "{partner}/{year}/{seq:05}".into(),
            issuer_did_method: "key".into(),
            active: Some("on".into()),
            ..Default::default()
        },
    };
    Ok(partner_page(&page, &form))
}

/// `POST /admin/catalogue/partner`
pub async fn partner_save(
    State(app): State<App>,
    page: Page,
    Form(form): Form<PartnerForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    page.actor()
        .authorise(Permission::ManageCatalogue, None)
        .map_err(WebError::from)?;
    let result = match form.kind.trim().parse::<PartnerKind>() {
        Ok(kind) => {
            let change = PartnerChange {
                new: form.existing != "yes",
                code: form.code.clone(),
                name: form.name.clone(),
                kind,
                region: optional(&form.region),
                city: optional(&form.city),
                head_name: optional(&form.head_name),
                head_title: optional(&form.head_title),
                certificate_number_format: form.certificate_number_format.clone(),
                issuer_did_method: form.issuer_did_method.clone(),
                active: form.active.is_some(),
            };
            catalogue_edit::save_partner(&app, page.actor(), &change)
                .await
                .map(|_| ())
        }
        Err(_) => Err(AppError::invalid("kind", "choose a kind")),
    };
    match result {
        Ok(()) => Ok(Redirect::to(SAVED).into_response()),
        Err(err) => refused(partner_page(&page, &form), err),
    }
}

// ----- packages -----------------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
pub struct PackageForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    existing: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    hours_jp: String,
    #[serde(default)]
    duration_days: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    min_size: String,
    #[serde(default)]
    max_classes: String,
    #[serde(default)]
    trainer_skill: String,
    #[serde(default)]
    min_attendance_percent: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    units: String,
    #[serde(default)]
    active: Option<String>,
}

fn package_page(page: &Page, form: &PackageForm) -> RecordPage {
    let existing = form.existing == "yes";
    let mut view = page_of(
        page,
        if existing {
            "catalogue-package-edit"
        } else {
            "catalogue-package-new"
        },
        "/admin/catalogue/package",
    );
    if existing {
        view.subject = form.code.clone();
        view.hidden.push(("existing", "yes".to_owned()));
    }
    view.fields = vec![
        Field::text("code", "catalogue-code", &form.code)
            .required()
            .help("catalogue-package-code-help")
            .fixed(existing),
        Field::text("name", "catalogue-name", &form.name).required(),
        Field::text("name_en", "catalogue-name-en", &form.name_en),
        Field::number("hours_jp", "catalogue-hours", &form.hours_jp).required(),
        Field::number("duration_days", "catalogue-duration", &form.duration_days).required(),
        Field::number("capacity", "admin-catalogue-capacity", &form.capacity).required(),
        Field::number("min_size", "catalogue-min-size", &form.min_size).required(),
        Field::number("max_classes", "catalogue-max-classes", &form.max_classes)
            .help("catalogue-optional-number-help"),
        Field::text(
            "trainer_skill",
            "catalogue-trainer-skill",
            &form.trainer_skill,
        )
        .required()
        .help("catalogue-trainer-skill-help"),
        Field::number(
            "min_attendance_percent",
            "catalogue-min-attendance",
            &form.min_attendance_percent,
        )
        .required(),
        Field::area("description", "catalogue-description", &form.description),
        Field::text("units", "catalogue-units", &form.units).help("catalogue-units-help"),
        Field::check("active", "catalogue-active", form.active.is_some()),
    ];
    view
}

/// `GET /admin/catalogue/package[?code=]`
pub async fn package_form(
    State(app): State<App>,
    page: Page,
    Query(query): Query<CodeQuery>,
) -> Result<RecordPage, WebError> {
    page.actor().authorise(Permission::ManageCatalogue, None)?;
    let form = match query
        .code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(code) => {
            let p = catalogue_edit::package_of(&app, page.actor(), code)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("package {code}")))?;
            PackageForm {
                existing: "yes".into(),
                code: p.code,
                name: p.name,
                name_en: p.name_en.unwrap_or_default(),
                hours_jp: p.hours_jp.to_string(),
                duration_days: p.duration_days.to_string(),
                capacity: p.capacity.to_string(),
                min_size: p.min_size.to_string(),
                max_classes: p.max_classes.map(|m| m.to_string()).unwrap_or_default(),
                trainer_skill: p.trainer_skill,
                min_attendance_percent: p.min_attendance_percent.to_string(),
                description: p.description.unwrap_or_default(),
                units: p.units.join(", "),
                active: p.active.then(|| "on".to_owned()),
                ..Default::default()
            }
        }
        None => PackageForm {
            hours_jp: "144".into(),
            duration_days: "18".into(),
            capacity: "10".into(),
            min_size: "1".into(),
            min_attendance_percent: "80".into(),
            active: Some("on".into()),
            ..Default::default()
        },
    };
    Ok(package_page(&page, &form))
}

fn package_change(form: &PackageForm) -> Result<PackageChange, AppError> {
    Ok(PackageChange {
        new: form.existing != "yes",
        code: form.code.clone(),
        name: form.name.clone(),
        name_en: optional(&form.name_en),
        hours_jp: whole("hours_jp", &form.hours_jp)?,
        duration_days: whole("duration_days", &form.duration_days)?,
        capacity: whole("capacity", &form.capacity)?,
        min_size: whole("min_size", &form.min_size)?,
        max_classes: whole_or_none("max_classes", &form.max_classes)?,
        trainer_skill: form.trainer_skill.clone(),
        min_attendance_percent: whole("min_attendance_percent", &form.min_attendance_percent)?,
        description: optional(&form.description),
        active: form.active.is_some(),
        units: list(&form.units),
    })
}

/// `POST /admin/catalogue/package`
pub async fn package_save(
    State(app): State<App>,
    page: Page,
    Form(form): Form<PackageForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    page.actor()
        .authorise(Permission::ManageCatalogue, None)
        .map_err(WebError::from)?;
    let result = match package_change(&form) {
        Ok(change) => catalogue_edit::save_package(&app, page.actor(), &change)
            .await
            .map(|_| ()),
        Err(err) => Err(err),
    };
    match result {
        Ok(()) => Ok(Redirect::to(SAVED).into_response()),
        Err(err) => refused(package_page(&page, &form), err),
    }
}

// ----- units ----------------------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
pub struct UnitForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    hours_jp: String,
    #[serde(default)]
    standard: String,
}

fn unit_page(page: &Page, form: &UnitForm) -> RecordPage {
    let mut view = page_of(page, "catalogue-unit-new", "/admin/catalogue/unit");
    view.intro = Some("catalogue-unit-intro");
    view.fields = vec![
        Field::text("code", "catalogue-code", &form.code).required(),
        Field::text("version", "catalogue-version", &form.version).required(),
        Field::text("title", "verify-unit-title", &form.title).required(),
        Field::text("title_en", "catalogue-title-en", &form.title_en),
        Field::number("hours_jp", "catalogue-hours", &form.hours_jp).required(),
        Field::text("standard", "catalogue-standard", &form.standard)
            .required()
            .help("catalogue-standard-help"),
    ];
    view
}

/// `GET /admin/catalogue/unit`
pub async fn unit_form(page: Page) -> Result<RecordPage, WebError> {
    page.actor().authorise(Permission::ManageCatalogue, None)?;
    Ok(unit_page(
        &page,
        &UnitForm {
            version: "1".into(),
            ..Default::default()
        },
    ))
}

/// `POST /admin/catalogue/unit`
pub async fn unit_save(
    State(app): State<App>,
    page: Page,
    Form(form): Form<UnitForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    page.actor()
        .authorise(Permission::ManageCatalogue, None)
        .map_err(WebError::from)?;
    let result = match whole("hours_jp", &form.hours_jp) {
        Ok(hours_jp) => {
            let unit = NewUnit {
                code: form.code.clone(),
                title: form.title.clone(),
                title_en: optional(&form.title_en),
                hours_jp,
                standard: form.standard.clone(),
                version: form.version.clone(),
            };
            catalogue_edit::add_unit(&app, page.actor(), &unit)
                .await
                .map(|_| ())
        }
        Err(err) => Err(err),
    };
    match result {
        Ok(()) => Ok(Redirect::to(SAVED).into_response()),
        Err(err) => refused(unit_page(&page, &form), err),
    }
}

// ----- trainers -------------------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
pub struct TrainerQuery {
    #[serde(default)]
    id: Option<i64>,
}

#[derive(Debug, Deserialize, Default)]
pub struct TrainerForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    partner: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    max_classes: String,
    #[serde(default)]
    skills: String,
    #[serde(default)]
    active: Option<String>,
}

async fn trainer_page(
    app: &App,
    page: &Page,
    form: &TrainerForm,
    gaps: Option<(Vec<Unavailability>, (String, String, String))>,
) -> Result<RecordPage, WebError> {
    let id = form.id.trim().parse::<i64>().ok();
    let mut view = page_of(
        page,
        if id.is_some() {
            "catalogue-trainer-edit"
        } else {
            "catalogue-trainer-new"
        },
        "/admin/catalogue/trainer",
    );
    let partners = catalogue_view::overview(app, page.actor())
        .await?
        .partners
        .into_iter()
        .map(|p| (p.code.clone(), format!("{} · {}", p.code, p.name)))
        .collect();
    if let Some(id) = id {
        view.subject = form.name.clone();
        view.hidden.push(("id", id.to_string()));
        if let Some((list, typed)) = gaps {
            view.gaps = Some(TrainerGaps {
                trainer_id: id,
                gaps: list,
                typed,
            });
        }
    }
    view.fields = vec![
        Field::select("partner", "admin-account-partner", &form.partner, partners).required(),
        Field::text("name", "catalogue-name", &form.name).required(),
        Field::text("phone", "catalogue-phone", &form.phone).help("catalogue-phone-help"),
        Field::number(
            "max_classes",
            "catalogue-trainer-max-classes",
            &form.max_classes,
        )
        .help("catalogue-optional-number-help"),
        Field::text("skills", "admin-catalogue-skills", &form.skills)
            .required()
            .help("catalogue-skills-help"),
        Field::check("active", "catalogue-active", form.active.is_some()),
    ];
    Ok(view)
}

async fn trainer_with_gaps(
    app: &App,
    page: &Page,
    id: i64,
) -> Result<(TrainerForm, Vec<Unavailability>), WebError> {
    let (t, gaps) = catalogue_edit::trainer_of(app, page.actor(), id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("trainer {id}")))?;
    Ok((
        TrainerForm {
            id: id.to_string(),
            partner: t.partner,
            name: t.name,
            phone: t.phone.unwrap_or_default(),
            max_classes: t.max_classes.map(|m| m.to_string()).unwrap_or_default(),
            skills: t.skills.join(", "),
            active: t.active.then(|| "on".to_owned()),
            ..Default::default()
        },
        gaps,
    ))
}

/// `GET /admin/catalogue/trainer[?id=]`
pub async fn trainer_form(
    State(app): State<App>,
    page: Page,
    Query(query): Query<TrainerQuery>,
) -> Result<RecordPage, WebError> {
    page.actor().authorise(Permission::ManageCatalogue, None)?;
    match query.id {
        Some(id) => {
            let (form, gaps) = trainer_with_gaps(&app, &page, id).await?;
            trainer_page(&app, &page, &form, Some((gaps, Default::default()))).await
        }
        None => {
            let form = TrainerForm {
                active: Some("on".into()),
                ..Default::default()
            };
            trainer_page(&app, &page, &form, None).await
        }
    }
}

/// `POST /admin/catalogue/trainer`
pub async fn trainer_save(
    State(app): State<App>,
    page: Page,
    Form(form): Form<TrainerForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    page.actor()
        .authorise(Permission::ManageCatalogue, None)
        .map_err(WebError::from)?;
    let id = match form.id.trim() {
        "" => None,
        text => Some(
            text.parse::<i64>()
                .map_err(|_| WebError::from(AppError::NotFound(format!("trainer {text}"))))?,
        ),
    };
    let result = match whole_or_none("max_classes", &form.max_classes) {
        Ok(max_classes) => {
            let change = TrainerChange {
                id,
                partner: form.partner.clone(),
                name: form.name.clone(),
                phone: optional(&form.phone),
                max_classes,
                skills: list(&form.skills),
                active: form.active.is_some(),
            };
            catalogue_edit::save_trainer(&app, page.actor(), &change)
                .await
                .map(|_| ())
        }
        Err(err) => Err(err),
    };
    match result {
        Ok(()) => Ok(Redirect::to(SAVED).into_response()),
        Err(err) => {
            let gaps = match id {
                Some(id) => Some((
                    trainer_with_gaps(&app, &page, id).await?.1,
                    Default::default(),
                )),
                None => None,
            };
            refused(trainer_page(&app, &page, &form, gaps).await?, err)
        }
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct GapForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    trainer_id: i64,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
}

fn day(field: &str, text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, format!("{:?} is not a date", text.trim())))
}

/// `POST /admin/catalogue/trainer/unavailable`: days the trainer cannot teach.
pub async fn gap_add(
    State(app): State<App>,
    page: Page,
    Form(form): Form<GapForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let back = format!("/admin/catalogue/trainer?id={}", form.trainer_id);
    let result = match (day("date_from", &form.from), day("date_to", &form.to)) {
        (Ok(from), Ok(to)) => catalogue_edit::add_unavailability(
            &app,
            page.actor(),
            form.trainer_id,
            from,
            to,
            optional(&form.reason),
        )
        .await
        .map(|_| ()),
        (Err(err), _) | (_, Err(err)) => Err(err),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("{back}&notice=catalogue-saved")).into_response()),
        Err(err) => {
            let (trainer, gaps) = trainer_with_gaps(&app, &page, form.trainer_id).await?;
            let typed = (form.from.clone(), form.to.clone(), form.reason.clone());
            let view = trainer_page(&app, &page, &trainer, Some((gaps, typed))).await?;
            // A bad start date is shown at the end date's message, which sits under the form.
            let err = match err {
                AppError::Invalid { field, message } if field == "date_from" => {
                    AppError::invalid("date_to", message)
                }
                other => other,
            };
            refused(view, err)
        }
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf_token: String,
}

/// `POST /admin/catalogue/trainer/unavailable/{id}/delete`
pub async fn gap_remove(
    State(app): State<App>,
    page: Page,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let trainer_id = catalogue_edit::remove_unavailability(&app, page.actor(), id)
        .await
        .map_err(WebError::from)?;
    Ok(Redirect::to(&format!(
        "/admin/catalogue/trainer?id={trainer_id}&notice=catalogue-saved"
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_numbers_read_as_typed() {
        assert_eq!(list(" a, b;c\n\n ,"), vec!["a", "b", "c"]);
        assert_eq!(whole_or_none("x", " ").ok(), Some(None));
        assert_eq!(whole_or_none("x", "12").ok(), Some(Some(12)));
        assert!(matches!(
            whole("hours_jp", "12a"),
            Err(AppError::Invalid { field, .. }) if field == "hours_jp"
        ));
        assert!(day("date_to", "2026-02-30").is_err());
    }
}
