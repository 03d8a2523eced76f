//! Bekal's web adapter: HTML pages and the JSON API over the same service calls. Handlers are
//! thin: they parse the request, call `bekal_app`, and render a view model. The server keeps
//! nothing in memory that a second server would need: any number of them can share one
//! PostgreSQL database behind a load balancer.

mod api;
pub mod auth;
mod error;
mod holder_copy;
pub mod i18n;
pub mod labels;
pub mod page;
mod pages;
pub mod rate_limit;
mod verify;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use bekal_app::App;
use std::time::Duration;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use auth::WebSettings;
pub use error::WebError;

/// Largest request body accepted (uploads have their own, larger limit when they land).
pub const BODY_LIMIT_BYTES: usize = 2 * 1024 * 1024;

/// Requests per minute and client IP on the public verification routes.
pub const PUBLIC_REQUESTS_PER_MINUTE: u32 = 60;

/// The OpenAPI document of the JSON API (what `/api/openapi.json` serves).
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    api::document(api::routes().split_for_parts().1)
}

/// The whole HTTP surface of Bekal, with default web settings.
pub fn router(app: App) -> Router {
    router_with_settings(app, WebSettings::default())
}

/// The whole HTTP surface of Bekal.
pub fn router_with_settings(app: App, settings: WebSettings) -> Router {
    let (api_routes, document) = api::routes().split_for_parts();
    let document = std::sync::Arc::new(api::document(document));
    Router::new()
        .route("/", get(pages::dashboard::home))
        .route("/healthz", get(pages::healthz))
        .route("/assets/bekal.css", get(pages::stylesheet))
        .route("/assets/bekal.js", get(pages::script))
        .route("/imports", get(pages::imports::upload))
        .route(
            "/imports/preview",
            axum::routing::post(pages::imports::preview).layer(
                axum::extract::DefaultBodyLimit::max(pages::imports::UPLOAD_LIMIT_BYTES),
            ),
        )
        .route(
            "/imports/confirm",
            axum::routing::post(pages::imports::confirm).layer(
                axum::extract::DefaultBodyLimit::max(pages::imports::UPLOAD_LIMIT_BYTES * 2),
            ),
        )
        .route(
            "/imports/errors.csv",
            axum::routing::post(pages::imports::errors_csv).layer(
                axum::extract::DefaultBodyLimit::max(pages::imports::UPLOAD_LIMIT_BYTES * 2),
            ),
        )
        .route("/follow-ups", get(pages::followups::due))
        .route(
            "/follow-ups/record",
            get(pages::followups::record_form).post(pages::followups::record),
        )
        .route("/reports", get(pages::reports::summary))
        .route("/reports/chart.svg", get(pages::reports::chart_svg))
        .route("/reports/{file}", get(pages::reports::export_file))
        .route("/inmates", get(pages::inmates::list))
        .route("/inmates/{id}", get(pages::inmates::profile))
        .route(
            "/inmates/{id}/data.json",
            get(pages::inmates::export_data),
        )
        .route(
            "/inmates/{id}/custody",
            axum::routing::post(pages::inmates::record_custody),
        )
        .route("/plans", get(pages::plans::list))
        .route("/plans/{id}", get(pages::plans::detail))
        .route(
            "/plans/{id}/approve",
            get(pages::plans::approve_form).post(pages::plans::approve),
        )
        .route("/selection", get(pages::selection::overview))
        .route("/selection/open", axum::routing::post(pages::selection::open))
        .route(
            "/selection/rules",
            get(pages::selection::rules::show).post(pages::selection::rules::save),
        )
        .route(
            "/selection/rounds/{id}/scoring",
            axum::routing::post(pages::selection::rules::save_scoring),
        )
        .route(
            "/selection/rounds/{id}/pin",
            axum::routing::post(pages::selection::pin),
        )
        .route(
            "/selection/rounds/{id}/approve",
            get(pages::selection::approve_form).post(pages::selection::approve),
        )
        .route(
            "/selection/rounds/{id}/revise",
            axum::routing::post(pages::selection::revise),
        )
        .route(
            "/selection/assessments",
            get(pages::selection::sheet).post(pages::selection::save_sheet),
        )
        .route(
            "/selection/assessments/import",
            axum::routing::post(pages::selection::import).layer(
                axum::extract::DefaultBodyLimit::max(
                    bekal_app::selection::import_assessments::MAX_BYTES + 64 * 1024,
                ),
            ),
        )
        .route("/selection/waiting", get(pages::selection::waiting))
        .route(
            "/selection/waiting/refresh",
            axum::routing::post(pages::selection::waiting_refresh),
        )
        .route(
            "/selection/waiting/offer",
            axum::routing::post(pages::selection::waiting_offer),
        )
        .route(
            "/selection/waiting/{id}/status",
            axum::routing::post(pages::selection::waiting_status),
        )
        .route(
            "/selection/waiting/{id}/accept",
            axum::routing::post(pages::selection::waiting_accept),
        )
        .route(
            "/selection/waiting/{id}/decline",
            axum::routing::post(pages::selection::waiting_decline),
        )
        .route(
            "/selection/non-associations",
            get(pages::selection::pairs).post(pages::selection::pair_add),
        )
        .route(
            "/selection/non-associations/{id}/end",
            axum::routing::post(pages::selection::pair_end),
        )
        .route("/classes", get(pages::classes::list))
        .route("/classes/{id}", get(pages::classes::detail))
        .route("/classes/{id}/roster", get(pages::classes::roster))
        .route("/classes/{id}/register", get(pages::classes::register))
        .route(
            "/classes/{id}/certificates",
            get(pages::certificates::class_list).post(pages::certificates::issue),
        )
        .route(
            "/classes/{id}/certificates.pdf",
            get(pages::certificates::class_pdf),
        )
        .route(
            "/certificates/holder-link",
            get(pages::certificates::holder_link_again).post(pages::certificates::holder_link),
        )
        .route(
            "/certificates/holder-link/withdraw",
            axum::routing::post(pages::certificates::withdraw_holder_link),
        )
        .route(
            "/certificates/revoke",
            get(pages::certificates::revoke_form).post(pages::certificates::revoke),
        )
        .route(
            "/classes/{id}/results",
            get(pages::results::sheet).post(pages::results::submit),
        )
        .route(
            "/enrolments/{id}/state",
            get(pages::classes::state_form).post(pages::classes::state_submit),
        )
        .route("/sessions/{id}/change", get(pages::sessions::form))
        .route(
            "/sessions/{id}/move",
            axum::routing::post(pages::sessions::move_to),
        )
        .route(
            "/sessions/{id}/cancel",
            axum::routing::post(pages::sessions::cancel),
        )
        .route(
            "/sessions/{id}/attendance",
            get(pages::attendance::sheet).post(pages::attendance::submit),
        )
        .route("/admin", get(pages::admin::hub))
        .route("/admin/accounts", get(pages::admin::accounts::list))
        .route(
            "/admin/accounts/new",
            get(pages::admin::accounts::new_form).post(pages::admin::accounts::create),
        )
        .route(
            "/admin/accounts/{username}",
            get(pages::admin::accounts::detail),
        )
        .route(
            "/admin/accounts/{username}/state",
            axum::routing::post(pages::admin::accounts::set_state),
        )
        .route(
            "/admin/accounts/{username}/password",
            axum::routing::post(pages::admin::accounts::reset_password),
        )
        .route(
            "/admin/facilities",
            get(pages::admin::facilities::list).post(pages::admin::facilities::add),
        )
        .route("/admin/catalogue", get(pages::admin::catalogue::overview))
        .route(
            "/admin/catalogue/partner",
            get(pages::admin::catalogue_edit::partner_form)
                .post(pages::admin::catalogue_edit::partner_save),
        )
        .route(
            "/admin/catalogue/package",
            get(pages::admin::catalogue_edit::package_form)
                .post(pages::admin::catalogue_edit::package_save),
        )
        .route(
            "/admin/catalogue/unit",
            get(pages::admin::catalogue_edit::unit_form)
                .post(pages::admin::catalogue_edit::unit_save),
        )
        .route(
            "/admin/catalogue/trainer",
            get(pages::admin::catalogue_edit::trainer_form)
                .post(pages::admin::catalogue_edit::trainer_save),
        )
        .route(
            "/admin/catalogue/trainer/unavailable",
            axum::routing::post(pages::admin::catalogue_edit::gap_add),
        )
        .route(
            "/admin/catalogue/trainer/unavailable/{id}/delete",
            axum::routing::post(pages::admin::catalogue_edit::gap_remove),
        )
        .route(
            "/admin/rooms",
            get(pages::admin::rooms::list).post(pages::admin::rooms::save),
        )
        .route(
            "/admin/holidays",
            get(pages::admin::holidays::calendar).post(pages::admin::holidays::add),
        )
        .route(
            "/admin/holidays/{id}/delete",
            axum::routing::post(pages::admin::holidays::remove),
        )
        .merge(api_routes)
        .route(
            "/api/openapi.json",
            get(move || {
                let document = document.clone();
                async move { axum::Json(document.as_ref().clone()) }
            }),
        )
        .merge(verify::routes(rate_limit::RateLimiter::new(
            settings
                .public_requests_per_minute
                .unwrap_or(PUBLIC_REQUESTS_PER_MINUTE),
            Duration::from_secs(60),
        )))
        .merge(auth::routes())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(error::html_errors))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            page::language,
        ))
        .with_state(app)
        .layer(axum::Extension(settings))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // `same-origin`, not `no-referrer`: under `no-referrer` browsers send `Origin: null` on
        // our own form posts, which the cross-site check must refuse. Other sites still get
        // no referrer (found by the browser walkthrough).
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(TraceLayer::new_for_http())
}
