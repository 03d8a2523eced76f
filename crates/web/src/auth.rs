//! Sign-in over HTTP: the login form, the second-factor pages, sign-out, the session cookie,
//! CSRF checks and the extractors that turn a request into an actor. The cookie holds only the
//! session token; everything else lives in the database (servers stay stateless).

use crate::WebError;
use crate::i18n::{Lang, Tr};
use crate::page::{Chrome, public_chrome, remember_language};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, Form, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use bekal_app::auth::tokens::{self, TokenCaller};
use bekal_app::auth::{self, SessionInfo, totp};
use bekal_app::{Actor, App, AppError, Permission};
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "bekal_session";

/// Web settings that are not the app's business.
#[derive(Debug, Clone, Default)]
pub struct WebSettings {
    /// Mark the session cookie `Secure` (behind HTTPS). Off by default so that the demo works
    /// on http://127.0.0.1.
    pub cookie_secure: bool,
    /// Where issuer keys live and the public base URL; without it the certificate pages can
    /// list and print but not issue or revoke.
    pub certificates: Option<bekal_app::certificates::CertificateConfig>,
    /// Requests per minute each client address may make to the public verification routes
    /// (`None`: [`crate::PUBLIC_REQUESTS_PER_MINUTE`]). Raised for load benchmarks on
    /// loopback, where every client is one address.
    pub public_requests_per_minute: Option<u32>,
}

/// The sign-in routes.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/login", get(login_page).post(login_submit))
        .route(
            "/login/second-factor",
            get(second_factor_page).post(second_factor_submit),
        )
        .route("/logout", post(logout))
        .route("/logout/everywhere", post(logout_everywhere))
        .route("/account", get(crate::pages::account::page))
        .route(
            "/account/password",
            post(crate::pages::account::change_password),
        )
}

fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
}

/// The client's address, for throttling (the socket's peer; proxies are not trusted yet).
fn client_address(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |info| info.0.ip().to_string())
}

fn session_cookie(token: &str, settings: WebSettings) -> HeaderValue {
    let secure = if settings.cookie_secure {
        "; Secure"
    } else {
        ""
    };
    let max_age = auth::session::ABSOLUTE_TIMEOUT.num_seconds();
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("bekal_session=; Max-Age=0; Path=/"))
}

fn clearing_cookie() -> HeaderValue {
    HeaderValue::from_static("bekal_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0")
}

/// The session of the request's cookie, whatever its second-factor state; `None` without one.
#[derive(Debug, Clone)]
pub struct MaybeSession(pub Option<SessionInfo>);

impl FromRequestParts<App> for MaybeSession {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie_value(&parts.headers) else {
            return Ok(MaybeSession(None));
        };
        match auth::resolve_session(app, &token).await {
            Ok(session) => Ok(MaybeSession(Some(session))),
            Err(AppError::Unauthenticated(_)) => Ok(MaybeSession(None)),
            Err(other) => Err(other.into()),
        }
    }
}

/// Who is calling: a fully signed-in session, or an API token with its scopes.
#[derive(Debug, Clone)]
pub enum Caller {
    Session(SessionInfo),
    Token(TokenCaller),
}

impl Caller {
    /// The actor for a use case needing `permission`: a token must carry that scope; the use
    /// case then checks the owner's own rights and facility.
    pub fn actor_for(&self, permission: Permission) -> Result<&Actor, WebError> {
        match self {
            Caller::Session(session) => Ok(&session.actor),
            Caller::Token(token) => Ok(token.actor_for(permission)?),
        }
    }
}

/// Requires a caller. HTML requests without one are sent to `/login` (or to the second
/// factor); API requests (`/api/...`) get a 401 JSON answer.
#[derive(Debug, Clone)]
pub struct SignedIn(pub Caller);

/// Why a request is not signed in.
#[derive(Debug)]
pub enum NotSignedIn {
    Api,
    Html {
        second_factor: bool,
        /// The page asked for, to return to after signing in.
        next: String,
    },
    Failed(WebError),
}

/// A local path to return to after sign-in; anything else (another host, `//`, a scheme) is
/// dropped, so the parameter cannot send anyone elsewhere.
pub fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.contains(['\r', '\n'])
        && next.len() < 512;
    ok.then_some(next)
}

fn percent_encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        match self {
            NotSignedIn::Api => (
                StatusCode::UNAUTHORIZED,
                Json(json!({"error": "unauthenticated", "message": "sign in first"})),
            )
                .into_response(),
            NotSignedIn::Html {
                second_factor: true,
                ..
            } => Redirect::to("/login/second-factor").into_response(),
            NotSignedIn::Html { next, .. } => match safe_next(&next) {
                Some(next) if next != "/" => {
                    Redirect::to(&format!("/login?next={}", percent_encode_component(next)))
                        .into_response()
                }
                _ => Redirect::to("/login").into_response(),
            },
            NotSignedIn::Failed(err) => err.into_response(),
        }
    }
}

impl FromRequestParts<App> for SignedIn {
    type Rejection = NotSignedIn;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let api = parts.uri.path().starts_with("/api/");
        let next = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned());
        if let Some(secret) = bearer(&parts.headers) {
            return match tokens::resolve(app, &secret).await {
                Ok(caller) => Ok(SignedIn(Caller::Token(caller))),
                Err(AppError::Unauthenticated(_)) => Err(NotSignedIn::Api),
                Err(other) => Err(NotSignedIn::Failed(other.into())),
            };
        }
        let MaybeSession(session) = MaybeSession::from_request_parts(parts, app)
            .await
            .map_err(NotSignedIn::Failed)?;
        match session {
            Some(session) if session.second_factor_done => Ok(SignedIn(Caller::Session(session))),
            _ if api => Err(NotSignedIn::Api),
            Some(_) => Err(NotSignedIn::Html {
                second_factor: true,
                next,
            }),
            None => Err(NotSignedIn::Html {
                second_factor: false,
                next,
            }),
        }
    }
}

/// The client's address as an extractor.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_address(parts)))
    }
}

/// A state-changing form without the session's CSRF token: 403.
#[derive(Debug)]
pub struct CsrfRefused;

impl IntoResponse for CsrfRefused {
    fn into_response(self) -> Response {
        (StatusCode::FORBIDDEN, "CSRF token missing or wrong").into_response()
    }
}

/// Refuses a state-changing form whose `csrf_token` is not the session's.
pub fn check_csrf(session: &SessionInfo, submitted: &str) -> Result<(), CsrfRefused> {
    if !submitted.is_empty() && auth::constant_time_eq(&session.csrf_token, submitted) {
        Ok(())
    } else {
        tracing::warn!(
            user_id = session.user_id,
            "form refused: CSRF token missing or wrong"
        );
        Err(CsrfRefused)
    }
}

/// Refuses a cross-site form post (an `Origin` naming another host than `Host`).
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host)
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    tr: Tr,
    /// A message key.
    error: Option<&'static str>,
    username: String,
    next: String,
}

impl LoginPage {
    fn new(lang: Lang, error: Option<&'static str>, username: String, next: String) -> Self {
        let tr = lang.tr();
        let here = match safe_next(&next) {
            Some(n) if n != "/" => format!("/login?next={}", percent_encode_component(n)),
            _ => "/login".to_owned(),
        };
        LoginPage {
            chrome: public_chrome(tr, &here),
            tr,
            error,
            username,
            next,
        }
    }
}

#[derive(Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

async fn login_page(
    MaybeSession(session): MaybeSession,
    lang: Lang,
    axum::extract::Query(query): axum::extract::Query<NextQuery>,
) -> Response {
    match session {
        Some(s) if s.second_factor_done => Redirect::to("/").into_response(),
        _ => LoginPage::new(lang, None, String::new(), query.next).into_response(),
    }
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

impl std::fmt::Debug for LoginForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginForm")
            .field("username", &self.username)
            .field("password", &"[secret]")
            .finish()
    }
}

async fn login_submit(
    State(app): State<App>,
    Extension(settings): Extension<WebSettings>,
    ClientAddress(address): ClientAddress,
    lang: Lang,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    if !same_origin(&headers) {
        return (StatusCode::FORBIDDEN, "cross-site sign-in refused").into_response();
    }
    let page = |status: StatusCode, error: &'static str| {
        (
            status,
            LoginPage::new(lang, Some(error), form.username.clone(), form.next.clone()),
        )
            .into_response()
    };
    match auth::login(&app, &form.username, &form.password, &address).await {
        Ok(session) => {
            let target = if session.second_factor_pending {
                "/login/second-factor"
            } else {
                safe_next(&form.next).unwrap_or("/")
            };
            let mut response = Redirect::to(target).into_response();
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&session.token, settings));
            if let Some(own) = session.locale.as_deref().and_then(Lang::parse) {
                remember_language(&mut response, own);
            }
            response
        }
        Err(AppError::Unauthenticated(_)) => {
            page(StatusCode::UNAUTHORIZED, "login-bad-credentials")
        }
        Err(AppError::RateLimited(_)) => page(StatusCode::TOO_MANY_REQUESTS, "login-throttled"),
        Err(other) => WebError(other).into_response(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "second_factor.html")]
struct SecondFactorPage {
    chrome: Chrome,
    tr: Tr,
    enrolment: Option<(String, String)>,
    /// A message key.
    error: Option<&'static str>,
    recovery_codes: Vec<String>,
}

impl SecondFactorPage {
    fn new(
        lang: Lang,
        session: &SessionInfo,
        enrolment: Option<(String, String)>,
        error: Option<&'static str>,
        recovery_codes: Vec<String>,
    ) -> Self {
        let tr = lang.tr();
        let mut chrome = public_chrome(tr, "/login/second-factor");
        chrome.csrf_token = session.csrf_token.clone();
        SecondFactorPage {
            chrome,
            tr,
            enrolment,
            error,
            recovery_codes,
        }
    }
}

async fn second_factor_page(
    State(app): State<App>,
    lang: Lang,
    MaybeSession(session): MaybeSession,
) -> Result<Response, WebError> {
    let Some(session) = session else {
        return Ok(Redirect::to("/login").into_response());
    };
    if session.second_factor_done {
        return Ok(Redirect::to("/").into_response());
    }
    let enrolment = if session.needs_totp_enrolment {
        let e = totp::pending_enrolment(&app, &session).await?;
        Some((e.secret, e.otpauth_uri))
    } else {
        None
    };
    Ok(SecondFactorPage::new(lang, &session, enrolment, None, Vec::new()).into_response())
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    code: String,
}

async fn second_factor_submit(
    State(app): State<App>,
    ClientAddress(address): ClientAddress,
    lang: Lang,
    MaybeSession(session): MaybeSession,
    Form(form): Form<CodeForm>,
) -> Result<Response, WebError> {
    let Some(session) = session else {
        return Ok(Redirect::to("/login").into_response());
    };
    if let Err(refused) = check_csrf(&session, &form.csrf_token) {
        return Ok(refused.into_response());
    }
    let outcome = if session.needs_totp_enrolment {
        totp::confirm_enrolment(&app, &session, &form.code, &address).await
    } else {
        totp::verify_second_factor(&app, &session, &form.code, &address)
            .await
            .map(|()| Vec::new())
    };
    match outcome {
        Ok(codes) if codes.is_empty() => Ok(Redirect::to("/").into_response()),
        Ok(codes) => Ok(SecondFactorPage::new(lang, &session, None, None, codes).into_response()),
        Err(AppError::Unauthenticated(_)) => Ok((
            StatusCode::UNAUTHORIZED,
            SecondFactorPage::new(lang, &session, None, Some("totp-bad-code"), Vec::new()),
        )
            .into_response()),
        Err(AppError::RateLimited(_)) => {
            let mut response = Redirect::to("/login").into_response();
            response
                .headers_mut()
                .insert(header::SET_COOKIE, clearing_cookie());
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

fn signed_out() -> Response {
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clearing_cookie());
    response
}

async fn logout(
    State(app): State<App>,
    MaybeSession(session): MaybeSession,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    let Some(session) = session else {
        return Ok(signed_out());
    };
    if let Err(refused) = check_csrf(&session, &form.csrf_token) {
        return Ok(refused.into_response());
    }
    auth::logout(&app, &session).await?;
    Ok(signed_out())
}

async fn logout_everywhere(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    let Caller::Session(session) = caller else {
        return Err(AppError::Forbidden("a browser session".into()).into());
    };
    if let Err(refused) = check_csrf(&session, &form.csrf_token) {
        return Ok(refused.into_response());
    }
    auth::logout_everywhere(&app, &session.actor, session.user_id).await?;
    Ok(signed_out())
}
