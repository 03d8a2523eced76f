//! Selection pages (issue 4 on screen): the facility's current round with the ranked
//! candidates of each package (`GET /selection`), opening a round, pins and exclusions with a
//! reason, approval by the facility head with a confirmation step, a new version after
//! approval; the group assessment sheet and the CSV import of assessments; the waiting list
//! of a package with its history and the offer / accept / decline / status forms; and the
//! non-associations (never shown to trainers or partners: the services refuse them).
//! Handlers are thin: every rule and permission lives in `bekal_app::selection`. The rules
//! and ranking page is in [`rules`].

pub mod rules;

use crate::WebError;
use crate::i18n::{Lang, Tr};
use crate::page::{Chrome, Page, PageError, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::assessments::{self, AssessmentInput, Sheet};
use bekal_app::classes::{self, ClassFilter, ClassSummary};
use bekal_app::facilities::{self, FacilityView};
use bekal_app::selection::candidates::{self, CandidateView, PackageCandidates};
use bekal_app::selection::explain::Reason;
use bekal_app::selection::import_assessments::{self, AssessmentImport};
use bekal_app::selection::non_associations::{self, NonAssociationView};
use bekal_app::selection::rounds::{self, PinChange, RoundView};
use bekal_app::selection::waiting_list::{self, WaitingView};
use bekal_app::{App, AppError, Permission};
use bekal_domain::status::WaitingListStatus;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::HashMap;

/// Statuses an officer may set by hand (`allocated` comes only from accepting an offer).
pub const SETTABLE: [&str; 4] = ["approved", "declined", "removed", "withdrawn"];

/// An error shown at a form: which form, which field, the message.
#[derive(Debug, Clone, Default)]
pub struct FormError {
    pub form: String,
    pub field: String,
    pub message: String,
}

impl FormError {
    fn new(form: &str, err: &AppError, tr: Tr) -> Option<FormError> {
        let (field, message) = match err {
            AppError::Invalid { field, message } => (field.clone(), message.clone()),
            AppError::Conflict(message) if message.contains("locked") => {
                ("round".to_owned(), tr.t("selection-locked"))
            }
            AppError::Conflict(message) if message.contains("make a new plan") => {
                ("form".to_owned(), tr.t("selection-replan-first"))
            }
            AppError::Conflict(message) => ("form".to_owned(), message.clone()),
            AppError::NotFound(message) => ("form".to_owned(), message.clone()),
            _ => return None,
        };
        Some(FormError {
            form: form.to_owned(),
            field,
            message,
        })
    }
}

/// The status of a refused form.
fn status_of(err: &AppError) -> StatusCode {
    match err {
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

fn reason_text(tr: Tr, reason: &Reason) -> &str {
    match tr.lang {
        Lang::Id => &reason.id,
        Lang::En => &reason.en,
    }
}

/// The facility the page is about: the user's own, or the one a national user chose.
/// Returns (choices for national users, the chosen facility's code if any).
async fn facility_of(
    app: &App,
    page: &Page,
    chosen: Option<&str>,
) -> Result<(Vec<FacilityView>, Option<String>), WebError> {
    let (choices, id, _) = super::choose_facility(app, page, chosen).await?;
    let Some(id) = id else {
        return Ok((choices, None));
    };
    let all = if choices.is_empty() {
        facilities::list(app, page.actor()).await?
    } else {
        choices.clone()
    };
    let code = all.into_iter().find(|f| f.id == id).map(|f| f.code);
    Ok((choices, code))
}

/// The facility of a form post: the user's own, or the one named in the form. Refuses at
/// once a user whose role lacks `permission` (the service checks the facility again).
async fn posted_facility(
    app: &App,
    page: &Page,
    named: &str,
    permission: Permission,
) -> Result<String, WebError> {
    page.actor().authorise(permission, page.own_facility())?;
    match facility_of(app, page, Some(named)).await?.1 {
        Some(code) => Ok(code),
        None => Err(AppError::invalid("facility", "choose a facility").into()),
    }
}

fn may(page: &Page, permission: Permission) -> bool {
    page.actor()
        .authorise(permission, page.own_facility())
        .is_ok()
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// The round

#[derive(Debug, Deserialize, Default)]
pub struct OverviewQuery {
    #[serde(default)]
    facility: Option<String>,
}

/// What was typed in a refused form of the overview, shown again.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Typed {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub package: String,
    #[serde(default)]
    pub register_number: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "selection/overview.html")]
pub struct OverviewPage {
    chrome: Chrome,
    tr: Tr,
    facilities: Vec<FacilityView>,
    facility: String,
    round: Option<RoundView>,
    packages: Vec<PackageCandidates>,
    may_plan: bool,
    may_approve: bool,
    may_assess: bool,
    may_see_pairs: bool,
    confirming: bool,
    error: Option<FormError>,
    typed: Typed,
}

impl OverviewPage {
    fn reason_text<'a>(&self, reason: &'a Reason) -> &'a str {
        reason_text(self.tr, reason)
    }

    fn is_draft(&self) -> bool {
        self.round.as_ref().is_some_and(|r| r.status == "draft")
    }

    fn is_approved(&self) -> bool {
        self.round.as_ref().is_some_and(|r| r.status == "approved")
    }

    fn round_id(&self) -> i64 {
        self.round.as_ref().map_or(0, |r| r.id)
    }

    fn error_for(&self, form: &str, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| e.form == form && e.field == field)
            .map(|e| e.message.as_str())
    }

    /// The refusal of a change to a locked round, whichever form it came from.
    fn round_error(&self) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| e.field == "round")
            .map(|e| e.message.as_str())
    }

    /// A refused form's message that belongs to no field shown.
    fn error_of(&self, form: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| {
                e.form == form
                    && !["name", "reason", "register_number", "round"].contains(&e.field.as_str())
            })
            .map(|e| e.message.as_str())
    }

    /// What was typed into `field` of the pin form of `package` (kept after a refusal).
    fn typed_pin(&self, package: &str, field: &str) -> &str {
        if self.typed.package != package {
            return "";
        }
        match field {
            "register_number" => &self.typed.register_number,
            "reason" => &self.typed.reason,
            "kind" => &self.typed.kind,
            _ => "",
        }
    }

    fn pin_label(&self, c: &CandidateView) -> String {
        match c.pin.as_deref() {
            Some("pin") => self.tr.t("selection-pinned"),
            Some("exclude") => self.tr.t("selection-excluded"),
            _ => String::new(),
        }
    }

    fn package_qs(&self, package: &str) -> String {
        let mut out = format!("package={}", encode(package));
        if !self.facilities.is_empty() {
            out.push_str(&format!("&facility={}", encode(&self.facility)));
        }
        out
    }

    fn facility_qs(&self) -> String {
        if self.facilities.is_empty() {
            String::new()
        } else {
            format!("?facility={}", encode(&self.facility))
        }
    }
}

async fn overview_page(
    app: &App,
    page: &Page,
    chosen: Option<&str>,
    confirming: bool,
    error: Option<FormError>,
    typed: Typed,
) -> Result<OverviewPage, WebError> {
    page.actor()
        .authorise(Permission::ReadInmates, page.own_facility())?;
    let (facilities, code) = facility_of(app, page, chosen).await?;
    let (round, packages) = match &code {
        Some(code) => (
            rounds::current_round(app, page.actor(), code).await?,
            candidates::candidates(app, page.actor(), code, None).await?,
        ),
        None => (None, Vec::new()),
    };
    Ok(OverviewPage {
        chrome: page.chrome(Section::Selection),
        tr: page.tr,
        facilities,
        facility: code.unwrap_or_default(),
        confirming: confirming && round.as_ref().is_some_and(|r| r.status == "draft"),
        round,
        packages,
        may_plan: may(page, Permission::PlanTraining),
        may_approve: may(page, Permission::ApprovePlans),
        may_assess: may(page, Permission::WriteInmates),
        may_see_pairs: may(page, Permission::PlanTraining) || may(page, Permission::ApprovePlans),
        error,
        typed,
    })
}

/// `GET /selection`
pub async fn overview(
    State(app): State<App>,
    page: Page,
    Query(query): Query<OverviewQuery>,
) -> Result<OverviewPage, WebError> {
    overview_page(
        &app,
        &page,
        query.facility.as_deref(),
        false,
        None,
        Typed::default(),
    )
    .await
}

/// Answers a refused overview form with the page, the error at its field and what was typed.
async fn refused(
    app: &App,
    page: &Page,
    facility: &str,
    form: &str,
    err: AppError,
    typed: Typed,
) -> Result<Response, PageError> {
    let status = status_of(&err);
    let Some(error) = FormError::new(form, &err, page.tr) else {
        return Err(WebError::from(err).into());
    };
    let view = overview_page(app, page, Some(facility), false, Some(error), typed).await?;
    Ok((status, view).into_response())
}

fn back_to_overview(facility: &str, page: &Page, notice: &str) -> Response {
    let own = page.own_facility().is_some();
    let target = if own {
        format!("/selection?notice={notice}")
    } else {
        format!("/selection?facility={}&notice={notice}", encode(facility))
    };
    Redirect::to(&target).into_response()
}

#[derive(Debug, Deserialize)]
pub struct OpenForm {
    csrf_token: String,
    #[serde(default)]
    facility: String,
    #[serde(default)]
    name: String,
}

/// `POST /selection/open`
pub async fn open(
    State(app): State<App>,
    page: Page,
    Form(form): Form<OpenForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let code = posted_facility(&app, &page, &form.facility, Permission::PlanTraining).await?;
    match rounds::open_round(&app, page.actor(), &code, &form.name, None).await {
        Ok(_) => Ok(back_to_overview(&code, &page, "selection-opened")),
        Err(err) => {
            let typed = Typed {
                name: form.name,
                ..Typed::default()
            };
            refused(&app, &page, &code, "open", err, typed).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct PinForm {
    csrf_token: String,
    #[serde(default)]
    facility: String,
    #[serde(default)]
    package: String,
    #[serde(default)]
    register_number: String,
    /// `pin`, `exclude` (this package), `exclude_all`, `unpin`.
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reason: String,
}

/// `POST /selection/rounds/{id}/pin`: pin, exclude or unpin one inmate.
pub async fn pin(
    State(app): State<App>,
    page: Page,
    Path(round_id): Path<i64>,
    Form(form): Form<PinForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let code = posted_facility(&app, &page, &form.facility, Permission::PlanTraining).await?;
    let package = Some(form.package.trim().to_owned()).filter(|p| !p.is_empty());
    let (kind, package) = match form.kind.as_str() {
        "pin" => (Some(rounds::PIN), package),
        "exclude" => (Some(rounds::EXCLUDE), package),
        "exclude_all" => (Some(rounds::EXCLUDE), None),
        "unpin" => (None, None),
        _ => {
            let err = AppError::invalid("kind", "pin, exclude or unpin");
            let typed = typed_of(&form);
            return refused(&app, &page, &code, "pin", err, typed).await;
        }
    };
    let change = PinChange {
        register_number: form.register_number.clone(),
        package,
        reason: form.reason.clone(),
    };
    match rounds::set_pin(&app, page.actor(), round_id, kind, &change).await {
        Ok(_) => Ok(back_to_overview(&code, &page, "selection-pin-saved")),
        Err(err) => {
            let typed = typed_of(&form);
            refused(&app, &page, &code, "pin", err, typed).await
        }
    }
}

fn typed_of(form: &PinForm) -> Typed {
    Typed {
        name: String::new(),
        package: form.package.clone(),
        register_number: form.register_number.clone(),
        kind: form.kind.clone(),
        reason: form.reason.clone(),
    }
}

/// `GET /selection/rounds/{id}/approve`: the confirmation step.
pub async fn approve_form(
    State(app): State<App>,
    page: Page,
    Path(round_id): Path<i64>,
    Query(query): Query<OverviewQuery>,
) -> Result<OverviewPage, WebError> {
    page.actor()
        .authorise(Permission::ApprovePlans, page.own_facility())?;
    let view = overview_page(
        &app,
        &page,
        query.facility.as_deref(),
        true,
        None,
        Typed::default(),
    )
    .await?;
    if view.round_id() != round_id {
        return Err(AppError::NotFound(format!("selection {round_id}")).into());
    }
    Ok(view)
}

#[derive(Debug, Deserialize)]
pub struct ApproveForm {
    csrf_token: String,
    #[serde(default)]
    facility: String,
}

/// `POST /selection/rounds/{id}/approve`
pub async fn approve(
    State(app): State<App>,
    page: Page,
    Path(round_id): Path<i64>,
    Form(form): Form<ApproveForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let code = posted_facility(&app, &page, &form.facility, Permission::ApprovePlans).await?;
    match rounds::approve_round(&app, page.actor(), round_id).await {
        Ok(_) => Ok(back_to_overview(&code, &page, "selection-approved")),
        Err(err) => refused(&app, &page, &code, "approve", err, Typed::default()).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct ReviseForm {
    csrf_token: String,
    #[serde(default)]
    facility: String,
    #[serde(default)]
    reason: String,
}

/// `POST /selection/rounds/{id}/revise`: a new version of an approved round.
pub async fn revise(
    State(app): State<App>,
    page: Page,
    Path(round_id): Path<i64>,
    Form(form): Form<ReviseForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let code = posted_facility(&app, &page, &form.facility, Permission::PlanTraining).await?;
    match rounds::new_version(&app, page.actor(), round_id, &form.reason).await {
        Ok(_) => Ok(back_to_overview(&code, &page, "selection-revised")),
        Err(err) => {
            let typed = Typed {
                reason: form.reason,
                ..Typed::default()
            };
            refused(&app, &page, &code, "revise", err, typed).await
        }
    }
}

// ---------------------------------------------------------------------------------------
// The assessment sheet and the CSV import

#[derive(Debug, Deserialize, Default)]
pub struct SheetQuery {
    #[serde(default)]
    facility: Option<String>,
    #[serde(default)]
    package: String,
    #[serde(default)]
    page: Option<u64>,
}

/// One row of the sheet as typed (all text, so nothing typed is lost).
#[derive(Debug, Clone, Default)]
pub struct SheetLine {
    pub inmate_id: i64,
    pub register_number: String,
    pub name: String,
    pub skill_score: String,
    pub preference_rank: String,
    pub prior_experience: String,
    pub health_cleared: bool,
    pub security_cleared: bool,
    pub literate: bool,
    pub sppn_score: String,
    pub assessed_on: String,
    pub notes: String,
    /// (field, message) of each refused cell.
    pub errors: Vec<(String, String)>,
}

impl SheetLine {
    /// Whether two lines hold the same values (what was typed against what is stored).
    fn same_values(&self, other: &SheetLine) -> bool {
        self.skill_score == other.skill_score
            && self.preference_rank == other.preference_rank
            && self.prior_experience == other.prior_experience
            && self.health_cleared == other.health_cleared
            && self.security_cleared == other.security_cleared
            && self.literate == other.literate
            && self.sppn_score == other.sppn_score
            && self.assessed_on == other.assessed_on
            && self.notes == other.notes
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    fn has_error(&self, field: &str) -> bool {
        self.error(field).is_some()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "selection/sheet.html")]
pub struct SheetPage {
    chrome: Chrome,
    tr: Tr,
    facilities: Vec<FacilityView>,
    facility: String,
    package: String,
    packages: Vec<(String, String)>,
    page: u64,
    pages: u64,
    lines: Vec<SheetLine>,
    /// How many rows were refused (the whole sheet is then not saved).
    refused_rows: usize,
    import: Option<AssessmentImport>,
    import_error: Option<String>,
    saved: Option<usize>,
}

impl SheetPage {
    fn hidden_facility(&self) -> bool {
        !self.facilities.is_empty()
    }

    fn page_link(&self, page: u64) -> String {
        let mut out = format!(
            "/selection/assessments?package={}&page={page}",
            encode(&self.package)
        );
        if self.hidden_facility() {
            out.push_str(&format!("&facility={}", encode(&self.facility)));
        }
        out
    }

    /// The register numbers of the refused rows.
    fn refused_numbers(&self) -> String {
        self.lines
            .iter()
            .filter(|l| !l.errors.is_empty())
            .map(|l| l.register_number.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn prev_page(&self) -> u64 {
        self.page.saturating_sub(1)
    }

    fn next_page(&self) -> u64 {
        self.page + 1
    }
}

async fn package_choices(app: &App) -> Result<Vec<(String, String)>, WebError> {
    Ok(candidates::packages(app).await?)
}

async fn package_id(app: &App, code: &str) -> Result<i64, AppError> {
    candidates::package_id(app, code).await
}

async fn facility_id(app: &App, page: &Page, code: &str) -> Result<i64, WebError> {
    Ok(facilities::get_by_code(app, page.actor(), code).await?.id)
}

fn line_of(row: &assessments::SheetRow) -> SheetLine {
    let num = |v: Option<i32>| v.map(|n| n.to_string()).unwrap_or_default();
    SheetLine {
        inmate_id: row.inmate_id,
        register_number: row.register_number.clone(),
        name: row.name.clone(),
        skill_score: num(row.skill_score),
        preference_rank: num(row.preference_rank),
        prior_experience: row.prior_experience.clone().unwrap_or_default(),
        health_cleared: row.health_cleared,
        security_cleared: row.security_cleared,
        literate: row.literate,
        sppn_score: num(row.sppn_score),
        assessed_on: row.assessed_on.map(|d| d.to_string()).unwrap_or_default(),
        notes: row.notes.clone().unwrap_or_default(),
        errors: Vec::new(),
    }
}

#[allow(clippy::too_many_arguments)]
async fn sheet_page(
    app: &App,
    page: &Page,
    chosen: Option<&str>,
    package: &str,
    page_number: u64,
    typed: Option<Vec<SheetLine>>,
    import: Option<AssessmentImport>,
    import_error: Option<String>,
    saved: Option<usize>,
) -> Result<SheetPage, WebError> {
    page.actor()
        .authorise(Permission::WriteInmates, page.own_facility())?;
    let (facilities, code) = facility_of(app, page, chosen).await?;
    let packages = package_choices(app).await?;
    let package = if package.trim().is_empty() {
        packages.first().map(|(c, _)| c.clone()).unwrap_or_default()
    } else {
        package.trim().to_owned()
    };
    let (lines, page_number, pages) = match (&code, typed) {
        (Some(_), Some(lines)) => (lines, page_number, page_number),
        (Some(code), None) if !package.is_empty() => {
            let fid = facility_id(app, page, code).await?;
            let pid = package_id(app, &package).await?;
            let Sheet {
                page: p,
                pages,
                rows,
                ..
            } = assessments::sheet(app, page.actor(), fid, pid, page_number).await?;
            (rows.iter().map(line_of).collect(), p, pages)
        }
        _ => (Vec::new(), 1, 1),
    };
    let refused_rows = lines.iter().filter(|l| !l.errors.is_empty()).count();
    Ok(SheetPage {
        chrome: page.chrome(Section::Selection),
        tr: page.tr,
        facilities,
        facility: code.unwrap_or_default(),
        package,
        packages,
        page: page_number,
        pages: pages.max(page_number),
        lines,
        refused_rows,
        import,
        import_error,
        saved,
    })
}

/// `GET /selection/assessments?package=P[&page=N]`
pub async fn sheet(
    State(app): State<App>,
    page: Page,
    Query(query): Query<SheetQuery>,
) -> Result<SheetPage, WebError> {
    sheet_page(
        &app,
        &page,
        query.facility.as_deref(),
        &query.package,
        query.page.unwrap_or(1),
        None,
        None,
        None,
        None,
    )
    .await
}

/// Reads the posted sheet: fields `inmate_N`, `skill_score_N`, ... for N = 0.. `rows`.
fn read_lines(fields: &HashMap<String, String>) -> Vec<SheetLine> {
    let get = |name: &str, n: usize| {
        fields
            .get(&format!("{name}_{n}"))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let count: usize = fields
        .get("rows")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
        .min(assessments::SHEET_PAGE_SIZE as usize);
    (0..count)
        .filter_map(|n| {
            let inmate_id = get("inmate", n).parse().ok()?;
            Some(SheetLine {
                inmate_id,
                register_number: get("register_number", n),
                name: get("name", n),
                skill_score: get("skill_score", n),
                preference_rank: get("preference_rank", n),
                prior_experience: get("prior_experience", n),
                health_cleared: !get("health_cleared", n).is_empty(),
                security_cleared: !get("security_cleared", n).is_empty(),
                literate: !get("literate", n).is_empty(),
                sppn_score: get("sppn_score", n),
                assessed_on: get("assessed_on", n),
                notes: get("notes", n),
                errors: Vec::new(),
            })
        })
        .collect()
}

/// A typed line as an assessment, or `None` when nothing was typed in it; errors go on the
/// line at their field.
fn input_of(
    line: &mut SheetLine,
    package_id: i64,
    today: NaiveDate,
    tr: Tr,
) -> Option<AssessmentInput> {
    let blank = line.skill_score.is_empty()
        && line.preference_rank.is_empty()
        && line.sppn_score.is_empty()
        && line.assessed_on.is_empty()
        && line.prior_experience.is_empty()
        && line.notes.is_empty()
        && !line.health_cleared
        && !line.security_cleared
        && !line.literate;
    if blank {
        return None;
    }
    let mut errors = Vec::new();
    let mut int = |field: &str, text: &str| -> Option<i32> {
        if text.is_empty() {
            return None;
        }
        match text.parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push((field.to_owned(), tr.t("sheet-error-number")));
                None
            }
        }
    };
    let skill_score = int("skill_score", &line.skill_score);
    let preference_rank = int("preference_rank", &line.preference_rank);
    let sppn_score = int("sppn_score", &line.sppn_score);
    let assessed_on = if line.assessed_on.is_empty() {
        Some(today)
    } else {
        match NaiveDate::parse_from_str(&line.assessed_on, "%Y-%m-%d") {
            Ok(d) if d <= today => Some(d),
            Ok(_) => {
                errors.push(("assessed_on".to_owned(), tr.t("sheet-error-future")));
                None
            }
            Err(_) => {
                errors.push(("assessed_on".to_owned(), tr.t("sheet-error-date")));
                None
            }
        }
    };
    let text = |t: &str| Some(t.to_owned()).filter(|t| !t.is_empty());
    let input = AssessmentInput {
        inmate_id: line.inmate_id,
        package_id,
        skill_score,
        preference_rank,
        prior_experience: text(&line.prior_experience),
        health_cleared: line.health_cleared,
        security_cleared: line.security_cleared,
        literate: line.literate,
        sppn_score,
        assessed_on: assessed_on.unwrap_or(today),
        notes: text(&line.notes),
    };
    if errors.is_empty()
        && let Err(AppError::Invalid { field, message }) = assessments::check(&input)
    {
        // The service's rule, in the reader's language where the field is known.
        let message = match field.as_str() {
            "skill_score" => tr.t("sheet-error-score"),
            "preference_rank" => tr.t("sheet-error-preference"),
            _ => message,
        };
        errors.push((field, message));
    }
    line.errors = errors;
    Some(input)
}

/// `POST /selection/assessments`: the whole sheet in one transaction, or nothing when a row
/// is refused (the refused rows are named at their fields, everything typed is kept).
pub async fn save_sheet(
    State(app): State<App>,
    page: Page,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let field = |name: &str| fields.get(name).map(String::as_str).unwrap_or_default();
    page.check_csrf(field("csrf_token"))?;
    let code = posted_facility(&app, &page, field("facility"), Permission::WriteInmates).await?;
    let package = field("package").trim().to_owned();
    let page_number: u64 = field("page").parse().unwrap_or(1);
    let fid = facility_id(&app, &page, &code).await?;
    let pid = package_id(&app, &package).await.map_err(WebError::from)?;
    let today = app.clock.today();
    let mut lines = read_lines(&fields);
    // Only what changed is recorded (an unchanged row keeps its assessor and date).
    let stored: HashMap<i64, SheetLine> =
        assessments::sheet(&app, page.actor(), fid, pid, page_number)
            .await
            .map_err(WebError::from)?
            .rows
            .iter()
            .map(|r| (r.inmate_id, line_of(r)))
            .collect();
    let inputs: Vec<AssessmentInput> = lines
        .iter_mut()
        .filter(|l| stored.get(&l.inmate_id).is_none_or(|s| !s.same_values(l)))
        .filter_map(|l| input_of(l, pid, today, page.tr))
        .collect();
    let refused = lines.iter().any(|l| !l.errors.is_empty());
    if !refused {
        match assessments::record_batch(&app, page.actor(), fid, &inputs).await {
            Ok(saved) => {
                let view = sheet_page(
                    &app,
                    &page,
                    Some(&code),
                    &package,
                    page_number,
                    None,
                    None,
                    None,
                    Some(saved),
                )
                .await?;
                return Ok(view.into_response());
            }
            Err(AppError::Invalid { field, message }) => {
                for l in &mut lines {
                    l.errors.push((field.clone(), message.clone()));
                }
            }
            Err(other) => return Err(WebError::from(other).into()),
        }
    }
    let view = sheet_page(
        &app,
        &page,
        Some(&code),
        &package,
        page_number,
        Some(lines),
        None,
        None,
        None,
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response())
}

/// `POST /selection/assessments/import` (multipart: `facility`, `file`, optional `dry_run`).
pub async fn import(
    State(app): State<App>,
    page: Page,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        WebError::from(AppError::invalid("file", e.body_text()))
    };
    let (mut csrf, mut facility, mut package, mut bytes, mut dry_run) = (
        String::new(),
        String::new(),
        String::new(),
        Vec::new(),
        false,
    );
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "csrf_token" => csrf = field.text().await.map_err(bad)?,
            "facility" => facility = field.text().await.map_err(bad)?,
            "package" => package = field.text().await.map_err(bad)?,
            "dry_run" => dry_run = !field.text().await.map_err(bad)?.is_empty(),
            "file" => bytes = field.bytes().await.map_err(bad)?.to_vec(),
            _ => {}
        }
    }
    page.check_csrf(&csrf)?;
    let code = posted_facility(&app, &page, &facility, Permission::WriteInmates).await?;
    let (report, error, status) = if bytes.is_empty() {
        (
            None,
            Some(page.tr.t("import-no-file")),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    } else {
        match import_assessments::import_file(&app, page.actor(), &code, &bytes, dry_run).await {
            Ok(report) => {
                let status = if report.errors.is_empty() {
                    StatusCode::OK
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                };
                (Some(report), None, status)
            }
            Err(AppError::Invalid { message, .. }) => {
                (None, Some(message), StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(other) => return Err(WebError::from(other).into()),
        }
    };
    let view = sheet_page(
        &app,
        &page,
        Some(&code),
        &package,
        1,
        None,
        report,
        error,
        None,
    )
    .await?;
    Ok((status, view).into_response())
}

// ---------------------------------------------------------------------------------------
// The waiting list

#[derive(Template, WebTemplate)]
#[template(path = "selection/waiting.html")]
pub struct WaitingPage {
    chrome: Chrome,
    tr: Tr,
    facilities: Vec<FacilityView>,
    facility: String,
    package: String,
    packages: Vec<(String, String)>,
    entries: Vec<WaitingView>,
    classes: Vec<ClassSummary>,
    may_plan: bool,
    may_enrol: bool,
    /// The person proposed for a free place, after an offer.
    offered: Option<Offer>,
    /// An offer found nobody waiting.
    nobody_waiting: bool,
    error: Option<FormError>,
    typed_reason: String,
    /// The entry whose form was refused.
    typed_entry: i64,
}

impl WaitingPage {
    fn is_open(&self, entry: &WaitingView) -> bool {
        entry.status == "pending" || entry.status == "approved"
    }

    fn error_at(&self, entry: impl std::borrow::Borrow<i64>) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|_| self.typed_entry == *entry.borrow())
            .map(|e| e.message.as_str())
    }

    fn reason_for(&self, entry: impl std::borrow::Borrow<i64>) -> &str {
        if self.typed_entry == *entry.borrow() {
            &self.typed_reason
        } else {
            ""
        }
    }

    fn hidden_facility(&self) -> bool {
        !self.facilities.is_empty()
    }

    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        format!(
            "{} {}",
            self.tr.short_date(&at.date_naive()),
            at.format("%H:%M")
        )
    }
}

/// The person an offer names.
#[derive(Debug, Clone)]
pub struct Offer {
    pub entry: i64,
    pub name: String,
    pub class_id: i64,
    /// Only an approved entry may accept; a pending one is approved first.
    pub approved: bool,
}

#[derive(Debug, Deserialize, Default)]
pub struct WaitingQuery {
    #[serde(default)]
    facility: Option<String>,
    #[serde(default)]
    package: String,
}

#[allow(clippy::too_many_arguments)]
async fn waiting_page(
    app: &App,
    page: &Page,
    chosen: Option<&str>,
    package: &str,
    offered: Option<Offer>,
    error: Option<FormError>,
    typed_reason: String,
    typed_entry: i64,
) -> Result<WaitingPage, WebError> {
    page.actor()
        .authorise(Permission::ReadInmates, page.own_facility())?;
    let (facilities, code) = facility_of(app, page, chosen).await?;
    let packages = package_choices(app).await?;
    let package = if package.trim().is_empty() {
        packages.first().map(|(c, _)| c.clone()).unwrap_or_default()
    } else {
        package.trim().to_owned()
    };
    let (entries, classes) = match &code {
        Some(code) if !package.is_empty() => {
            let entries = waiting_list::show(app, page.actor(), code, &package).await?;
            let fid = facility_id(app, page, code).await?;
            let classes = classes::list(
                app,
                page.actor(),
                &ClassFilter {
                    facility_id: Some(fid),
                    ..ClassFilter::default()
                },
            )
            .await?
            .into_iter()
            .filter(|c| {
                c.package_code == package && (c.status == "planned" || c.status == "running")
            })
            .collect();
            (entries, classes)
        }
        _ => (Vec::new(), Vec::new()),
    };
    Ok(WaitingPage {
        chrome: page.chrome(Section::Selection),
        tr: page.tr,
        facilities,
        facility: code.unwrap_or_default(),
        package,
        packages,
        entries,
        classes,
        may_plan: may(page, Permission::PlanTraining),
        may_enrol: may(page, Permission::ChangeEnrolments),
        offered,
        nobody_waiting: false,
        error,
        typed_reason,
        typed_entry,
    })
}

/// `GET /selection/waiting?package=P`
pub async fn waiting(
    State(app): State<App>,
    page: Page,
    Query(query): Query<WaitingQuery>,
) -> Result<WaitingPage, WebError> {
    waiting_page(
        &app,
        &page,
        query.facility.as_deref(),
        &query.package,
        None,
        None,
        String::new(),
        0,
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct WaitingForm {
    csrf_token: String,
    #[serde(default)]
    facility: String,
    #[serde(default)]
    package: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    class_id: Option<i64>,
}

fn back_to_waiting(page: &Page, facility: &str, package: &str, notice: &str) -> Response {
    let mut target = format!(
        "/selection/waiting?package={}&notice={notice}",
        encode(package)
    );
    if page.own_facility().is_none() {
        target.push_str(&format!("&facility={}", encode(facility)));
    }
    Redirect::to(&target).into_response()
}

async fn waiting_refused(
    app: &App,
    page: &Page,
    form: &WaitingForm,
    entry: i64,
    err: AppError,
) -> Result<Response, PageError> {
    let status = status_of(&err);
    let Some(error) = FormError::new("waiting", &err, page.tr) else {
        return Err(WebError::from(err).into());
    };
    let view = waiting_page(
        app,
        page,
        Some(&form.facility),
        &form.package,
        None,
        Some(error),
        form.reason.clone(),
        entry,
    )
    .await?;
    Ok((status, view).into_response())
}

/// `POST /selection/waiting/refresh`: builds or re-ranks the package's list.
pub async fn waiting_refresh(
    State(app): State<App>,
    page: Page,
    Form(form): Form<WaitingForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let code = posted_facility(&app, &page, &form.facility, Permission::PlanTraining).await?;
    waiting_list::refresh(&app, page.actor(), &code, &form.package)
        .await
        .map_err(WebError::from)?;
    Ok(back_to_waiting(
        &page,
        &code,
        &form.package,
        "waiting-refreshed",
    ))
}

/// `POST /selection/waiting/{entry}/status`
pub async fn waiting_status(
    State(app): State<App>,
    page: Page,
    Path(entry): Path<i64>,
    Form(form): Form<WaitingForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let code = posted_facility(&app, &page, &form.facility, Permission::PlanTraining).await?;
    let result = match form.status.parse::<WaitingListStatus>() {
        Ok(to) => waiting_list::set_status(&app, page.actor(), entry, to, &form.reason).await,
        Err(_) => Err(AppError::invalid("status", "choose one")),
    };
    match result {
        Ok(()) => Ok(back_to_waiting(
            &page,
            &code,
            &form.package,
            "waiting-saved",
        )),
        Err(err) => waiting_refused(&app, &page, &form, entry, err).await,
    }
}

/// `POST /selection/waiting/{entry}/decline`
pub async fn waiting_decline(
    State(app): State<App>,
    page: Page,
    Path(entry): Path<i64>,
    Form(form): Form<WaitingForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let code = posted_facility(&app, &page, &form.facility, Permission::PlanTraining).await?;
    match waiting_list::decline(&app, page.actor(), entry, &form.reason).await {
        Ok(()) => Ok(back_to_waiting(
            &page,
            &code,
            &form.package,
            "waiting-saved",
        )),
        Err(err) => waiting_refused(&app, &page, &form, entry, err).await,
    }
}

/// `POST /selection/waiting/{entry}/accept`: the person takes the place in `class_id`.
pub async fn waiting_accept(
    State(app): State<App>,
    page: Page,
    Path(entry): Path<i64>,
    Form(form): Form<WaitingForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let code = posted_facility(&app, &page, &form.facility, Permission::ChangeEnrolments).await?;
    let result = match form.class_id {
        Some(class) => waiting_list::accept(&app, page.actor(), entry, class).await,
        None => Err(AppError::invalid("class_id", "choose a class")),
    };
    match result {
        Ok(_) => Ok(back_to_waiting(
            &page,
            &code,
            &form.package,
            "waiting-accepted",
        )),
        Err(err) => waiting_refused(&app, &page, &form, entry, err).await,
    }
}

/// `POST /selection/waiting/offer`: proposes the next person for a free place in a class.
pub async fn waiting_offer(
    State(app): State<App>,
    page: Page,
    Form(form): Form<WaitingForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let code = posted_facility(&app, &page, &form.facility, Permission::ChangeEnrolments).await?;
    let Some(class) = form.class_id else {
        let err = AppError::invalid("class_id", "choose a class");
        return waiting_refused(&app, &page, &form, -1, err).await;
    };
    let proposal = match waiting_list::offer(&app, page.actor(), class).await {
        Ok(p) => p,
        Err(err) => return waiting_refused(&app, &page, &form, -1, err).await,
    };
    let offered = proposal.map(|p| Offer {
        entry: p.waiting_list_entry_id,
        approved: p.status == "approved",
        name: p.name,
        class_id: class,
    });
    let nobody = offered.is_none();
    let mut view = waiting_page(
        &app,
        &page,
        Some(&code),
        &form.package,
        offered,
        None,
        String::new(),
        0,
    )
    .await?;
    view.nobody_waiting = nobody;
    Ok(view.into_response())
}

// ---------------------------------------------------------------------------------------
// Non-associations

#[derive(Template, WebTemplate)]
#[template(path = "selection/pairs.html")]
pub struct PairsPage {
    chrome: Chrome,
    tr: Tr,
    facilities: Vec<FacilityView>,
    facility: String,
    pairs: Vec<NonAssociationView>,
    may_change: bool,
    error: Option<FormError>,
    typed: PairForm,
}

impl PairsPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    fn other_error(&self) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| !["register_a", "register_b", "reason"].contains(&e.field.as_str()))
            .map(|e| e.message.as_str())
    }
}

async fn pairs_page(
    app: &App,
    page: &Page,
    chosen: Option<&str>,
    error: Option<FormError>,
    typed: PairForm,
) -> Result<PairsPage, WebError> {
    let may_change = may(page, Permission::PlanTraining);
    if !may_change {
        page.actor()
            .authorise(Permission::ApprovePlans, page.own_facility())?;
    }
    let (facilities, code) = facility_of(app, page, chosen).await?;
    let pairs = match &code {
        Some(code) => non_associations::list(app, page.actor(), code).await?,
        None => Vec::new(),
    };
    Ok(PairsPage {
        chrome: page.chrome(Section::Selection),
        tr: page.tr,
        facilities,
        facility: code.unwrap_or_default(),
        pairs,
        may_change,
        error,
        typed,
    })
}

/// `GET /selection/non-associations`
pub async fn pairs(
    State(app): State<App>,
    page: Page,
    Query(query): Query<OverviewQuery>,
) -> Result<PairsPage, WebError> {
    pairs_page(
        &app,
        &page,
        query.facility.as_deref(),
        None,
        PairForm::default(),
    )
    .await
}

#[derive(Debug, Deserialize, Default, Clone)]
pub struct PairForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    facility: String,
    #[serde(default)]
    register_a: String,
    #[serde(default)]
    register_b: String,
    #[serde(default)]
    reason: String,
}

fn back_to_pairs(page: &Page, facility: &str, notice: &str) -> Response {
    let mut target = format!("/selection/non-associations?notice={notice}");
    if page.own_facility().is_none() {
        target.push_str(&format!("&facility={}", encode(facility)));
    }
    Redirect::to(&target).into_response()
}

/// `POST /selection/non-associations`
pub async fn pair_add(
    State(app): State<App>,
    page: Page,
    Form(form): Form<PairForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let code = posted_facility(&app, &page, &form.facility, Permission::PlanTraining).await?;
    match non_associations::add(
        &app,
        page.actor(),
        &code,
        &form.register_a,
        &form.register_b,
        &form.reason,
    )
    .await
    {
        Ok(_) => Ok(back_to_pairs(&page, &code, "pair-added")),
        Err(err) => {
            let status = status_of(&err);
            let Some(error) = FormError::new("pair", &err, page.tr) else {
                return Err(WebError::from(err).into());
            };
            let view = pairs_page(&app, &page, Some(&code), Some(error), form).await?;
            Ok((status, view).into_response())
        }
    }
}

/// `POST /selection/non-associations/{id}/end`
pub async fn pair_end(
    State(app): State<App>,
    page: Page,
    Path(id): Path<i64>,
    Form(form): Form<ApproveForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let code = posted_facility(&app, &page, &form.facility, Permission::PlanTraining).await?;
    non_associations::end(&app, page.actor(), id)
        .await
        .map_err(WebError::from)?;
    Ok(back_to_pairs(&page, &code, "pair-ended"))
}
