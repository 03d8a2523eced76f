//! Reports (`GET /reports`): the figures of a facility, a region or the nation over a period,
//! with the per-facility rows they add up from, an outcomes chart drawn by the server
//! (`GET /reports/chart.svg`) and downloads as CSV, XLSX and the monthly PDF
//! (`GET /reports/export.{csv,xlsx,pdf}`). Counts only, never names; small counts are marked
//! so nobody reads too much into them.

use crate::WebError;
use crate::i18n::Tr;
use crate::page::{Chrome, Page, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bekal_app::facilities::{self, FacilityView};
use bekal_app::reports::{self, Figures, ReleaseGroup, Scope, Summary, chart, export};
use bekal_app::{Actor, App, AppError};
use bekal_domain::role::Role;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// Below this many people a share is shown with a warning.
pub const SMALL_COUNT: u64 = 10;

/// The report's parameters, as in the form and the download links.
#[derive(Debug, Deserialize, Default, Clone, utoipa::IntoParams)]
pub struct ReportQuery {
    /// `facility`, `region` or `national` (default: the caller's own).
    #[serde(default)]
    scope: String,
    /// The facility code or region name.
    #[serde(default)]
    code: String,
    /// First day, YYYY-MM-DD (default: 1 January of `to`'s year).
    #[serde(default)]
    from: String,
    /// Last day, YYYY-MM-DD (default: today).
    #[serde(default)]
    to: String,
}

/// The report's parameters, checked and with defaults filled in.
pub(crate) struct Resolved {
    pub scope: Scope,
    kind: &'static str,
    code: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The caller's natural scope when the form says nothing.
fn default_scope(actor: &Actor, facilities: &[FacilityView]) -> (&'static str, String) {
    match actor {
        Actor::User {
            facility_id: Some(id),
            ..
        } => (
            "facility",
            facilities
                .iter()
                .find(|f| f.id == *id)
                .map(|f| f.code.clone())
                .unwrap_or_default(),
        ),
        Actor::User {
            role: Role::OversightViewer,
            region: Some(region),
            ..
        } => ("region", region.clone()),
        _ => ("national", String::new()),
    }
}

pub(crate) fn resolve(
    query: &ReportQuery,
    actor: &Actor,
    facilities: &[FacilityView],
    today: NaiveDate,
) -> Result<Resolved, AppError> {
    let date = |text: &str, field: &str| -> Result<Option<NaiveDate>, AppError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::invalid(field, "a date as YYYY-MM-DD"))
    };
    let to = date(&query.to, "to")?.unwrap_or(today);
    let from = date(&query.from, "from")?
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
    let (kind, code) = match query.scope.trim() {
        "facility" => ("facility", query.code.trim().to_owned()),
        "region" => ("region", query.code.trim().to_owned()),
        "national" => ("national", String::new()),
        _ => default_scope(actor, facilities),
    };
    let scope = match kind {
        "facility" => Scope::Facility(code.clone()),
        "region" => Scope::Region(code.clone()),
        _ => Scope::National,
    };
    Ok(Resolved {
        scope,
        kind,
        code,
        from,
        to,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/summary.html")]
pub struct ReportPage {
    chrome: Chrome,
    tr: Tr,
    kind: &'static str,
    code: String,
    from: NaiveDate,
    to: NaiveDate,
    facilities: Vec<FacilityView>,
    regions: Vec<String>,
    summary: Summary,
    query_string: String,
}

impl ReportPage {
    fn share(&self, part: &u64, whole: &u64) -> String {
        if *whole == 0 {
            return "-".to_owned();
        }
        self.tr.percent(&(*part as f64 / *whole as f64))
    }

    fn is_small(&self, group: &ReleaseGroup) -> bool {
        group.released < SMALL_COUNT
    }

    /// The comparison rows: (message key, group).
    fn groups(&self) -> [(&'static str, &ReleaseGroup); 2] {
        [
            ("report-trained", &self.summary.totals.trained),
            ("report-untrained", &self.summary.totals.untrained),
        ]
    }

    fn totals(&self) -> &Figures {
        &self.summary.totals
    }
}

fn query_string(r: &Resolved) -> String {
    format!(
        "scope={}&code={}&from={}&to={}",
        r.kind,
        r.code.replace(' ', "+"),
        r.from,
        r.to
    )
}

async fn load(
    app: &App,
    page: &Page,
    query: &ReportQuery,
) -> Result<(Resolved, Summary, Vec<FacilityView>), WebError> {
    let facilities = facilities::list(app, page.actor()).await?;
    let resolved = resolve(query, page.actor(), &facilities, app.clock.today())?;
    let summary = reports::summary(
        app,
        page.actor(),
        &resolved.scope,
        resolved.from,
        resolved.to,
    )
    .await?;
    Ok((resolved, summary, facilities))
}

/// `GET /reports`
pub async fn summary(
    State(app): State<App>,
    page: Page,
    Query(query): Query<ReportQuery>,
) -> Result<ReportPage, WebError> {
    let (resolved, summary, facilities) = load(&app, &page, &query).await?;
    let mut regions: Vec<String> = facilities.iter().filter_map(|f| f.region.clone()).collect();
    regions.sort();
    regions.dedup();
    Ok(ReportPage {
        chrome: page.chrome(Section::Reports),
        tr: page.tr,
        query_string: query_string(&resolved),
        kind: resolved.kind,
        code: resolved.code,
        from: resolved.from,
        to: resolved.to,
        facilities,
        regions,
        summary,
    })
}

fn download(bytes: Vec<u8>, content_type: &'static str, name: String) -> Response {
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `GET /reports/chart.svg`: follow-up outcomes of the report's totals.
pub async fn chart_svg(
    State(app): State<App>,
    page: Page,
    Query(query): Query<ReportQuery>,
) -> Result<Response, WebError> {
    let (_, summary, _) = load(&app, &page, &query).await?;
    let svg = chart::outcomes_svg(&summary.totals, &reports::pdf::chart_title(&summary))?;
    let mut response = (StatusCode::OK, svg).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    Ok(response)
}

/// `GET /reports/export.{csv|xlsx|pdf}`
pub async fn export_file(
    State(app): State<App>,
    page: Page,
    Path(format): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, WebError> {
    let (resolved, summary, _) = load(&app, &page, &query).await?;
    let base = format!(
        "laporan-{}-{}-{}",
        if resolved.code.is_empty() {
            "nasional"
        } else {
            resolved.code.as_str()
        },
        resolved.from,
        resolved.to
    )
    .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "-");
    Ok(match format.as_str() {
        "export.csv" => download(
            export::csv(&summary)?,
            "text/csv; charset=utf-8",
            format!("{base}.csv"),
        ),
        "export.xlsx" => download(
            export::xlsx(&summary)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("{base}.xlsx"),
        ),
        "export.pdf" => download(
            reports::pdf::monthly_pdf(&summary)?,
            "application/pdf",
            format!("{base}.pdf"),
        ),
        _ => return Err(AppError::NotFound(format!("report format {format}")).into()),
    })
}
