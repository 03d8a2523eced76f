//! What every HTML page shares: the language of the request ([`Lang`] as an extractor), the
//! signed-in page context ([`Page`]) and the page frame ([`Chrome`]: header, navigation for the
//! user's role, the language switch, a notice after a completed action). Page structs carry a
//! `chrome` and a `tr` field; `templates/base.html` renders the frame from them.

use crate::WebError;
use crate::auth::{Caller, CsrfRefused, SignedIn, check_csrf};
use crate::i18n::{LANG_COOKIE, Lang, Tr};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bekal_app::auth::SessionInfo;
use bekal_app::{Actor, App, AppError};
use bekal_domain::role::Role;

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Lang>().copied().unwrap_or_default())
    }
}

fn query_param<'a>(query: Option<&'a str>, name: &str) -> Option<&'a str> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Middleware: decides the request's language, puts it in the request's extensions, and when
/// `?lang=` chose one, remembers it in a cookie and on the signed-in user's account.
pub async fn language(State(app): State<App>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let explicit = query_param(parts.uri.query(), "lang").and_then(Lang::parse);
    let lang = crate::i18n::resolve(
        explicit.map(Lang::code),
        cookie(&parts, LANG_COOKIE),
        parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    parts.extensions.insert(lang);
    if let Some(chosen) = explicit
        && let Ok(crate::auth::MaybeSession(Some(session))) =
            crate::auth::MaybeSession::from_request_parts(&mut parts, &app).await
        && session.locale.as_deref() != Some(chosen.code())
        && let Err(err) =
            bekal_app::auth::users::set_own_locale(&app, &session.actor, chosen.code()).await
    {
        tracing::warn!(error = %err, "could not remember the language on the account");
    }
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if let Some(chosen) = explicit {
        remember_language(&mut response, chosen);
    }
    response
}

/// Adds the language cookie (a year; not secret, so readable by our own script too).
pub fn remember_language(response: &mut Response, lang: Lang) {
    if let Ok(value) = HeaderValue::from_str(&format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    )) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// What a page handler can fail with: a service error (shown as an error page) or a form
/// without the session's CSRF token.
#[derive(Debug)]
pub enum PageError {
    App(WebError),
    Csrf(CsrfRefused),
}

impl From<AppError> for PageError {
    fn from(err: AppError) -> Self {
        PageError::App(WebError(err))
    }
}

impl From<WebError> for PageError {
    fn from(err: WebError) -> Self {
        PageError::App(err)
    }
}

impl From<CsrfRefused> for PageError {
    fn from(err: CsrfRefused) -> Self {
        PageError::Csrf(err)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::App(err) => err.into_response(),
            PageError::Csrf(refused) => refused.into_response(),
        }
    }
}

/// One entry of the navigation bar.
#[derive(Debug, Clone)]
pub struct NavLink {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// A link that shows the current page in another language.
#[derive(Debug, Clone)]
pub struct LangLink {
    pub code: &'static str,
    pub label: &'static str,
    pub href: String,
    pub current: bool,
}

/// The page frame: header, navigation, language switch, notice.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub tr: Tr,
    /// The signed-in user's name and role label; `None` on public pages.
    pub user: Option<(String, String)>,
    pub nav: Vec<NavLink>,
    pub languages: Vec<LangLink>,
    pub csrf_token: String,
    /// A short confirmation after an action (`?notice=KEY`, shown when `notice-KEY` exists).
    pub notice: Option<String>,
}

/// The sections of the application, for the navigation bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Inmates,
    Imports,
    Selection,
    Plans,
    Classes,
    Certificates,
    FollowUps,
    Reports,
    Admin,
    Account,
    Public,
}

impl Section {
    /// Whether the section's pages exist yet; the navigation shows only those (a link to a
    /// page that is not built would be a dead end for the user).
    pub fn is_built(self) -> bool {
        matches!(
            self,
            Section::Home
                | Section::Inmates
                | Section::Imports
                | Section::Selection
                | Section::Plans
                | Section::Reports
                | Section::FollowUps
                | Section::Classes
                | Section::Admin
                | Section::Account
                | Section::Public
        )
    }

    fn href(self) -> &'static str {
        match self {
            Section::Home => "/",
            Section::Inmates => "/inmates",
            Section::Imports => "/imports",
            Section::Selection => "/selection",
            Section::Plans => "/plans",
            Section::Classes => "/classes",
            Section::Certificates => "/certificates",
            Section::FollowUps => "/follow-ups",
            Section::Reports => "/reports",
            Section::Admin => "/admin",
            Section::Account => "/account",
            Section::Public => "/verify",
        }
    }

    fn label_key(self) -> &'static str {
        match self {
            Section::Home => "nav-home",
            Section::Inmates => "nav-inmates",
            Section::Imports => "nav-imports",
            Section::Selection => "nav-selection",
            Section::Plans => "nav-plans",
            Section::Classes => "nav-classes",
            Section::Certificates => "nav-certificates",
            Section::FollowUps => "nav-follow-ups",
            Section::Reports => "nav-reports",
            Section::Admin => "nav-admin",
            Section::Account => "nav-account",
            Section::Public => "nav-verify",
        }
    }
}

/// The sections a role works in, in the order of the navigation bar. What a role may do inside
/// each is decided by the services (`Actor::authorise`), not by this list.
pub fn sections_for(role: Role) -> &'static [Section] {
    use Section::*;
    match role {
        Role::NationalAdmin => &[
            Home,
            Inmates,
            Imports,
            Selection,
            Plans,
            Classes,
            Certificates,
            FollowUps,
            Reports,
            Admin,
        ],
        Role::OversightViewer => &[Home, Reports],
        Role::FacilityHead => &[
            Home,
            Inmates,
            Selection,
            Plans,
            Classes,
            Certificates,
            FollowUps,
            Reports,
        ],
        Role::ProgramOfficer => &[
            Home,
            Inmates,
            Imports,
            Selection,
            Plans,
            Classes,
            Certificates,
            FollowUps,
            Reports,
            Admin,
        ],
        Role::PartnerStaff => &[Home, Classes, Certificates],
        Role::Trainer | Role::Assessor => &[Home, Classes],
        Role::ProbationOfficer => &[Home, FollowUps],
    }
}

fn role_of(actor: &Actor) -> Option<Role> {
    match actor {
        Actor::User { role, .. } => Some(*role),
        Actor::Operator { .. } | Actor::Public => None,
    }
}

/// The language links for the page at `path_and_query`.
fn language_links(tr: Tr, path_and_query: &str) -> Vec<LangLink> {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang=") && !p.starts_with("notice="))
        .collect();
    Lang::ALL
        .iter()
        .map(|&lang| {
            let mut pairs = kept.clone();
            let param = format!("lang={}", lang.code());
            pairs.push(&param);
            LangLink {
                code: lang.code(),
                label: match lang {
                    Lang::Id => "Bahasa Indonesia",
                    Lang::En => "English",
                },
                href: format!("{path}?{}", pairs.join("&")),
                current: lang == tr.lang,
            }
        })
        .collect()
}

fn notice(tr: Tr, query: Option<&str>) -> Option<String> {
    let key = query_param(query, "notice")?;
    if key.is_empty() || key.len() > 40 || !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
    {
        return None;
    }
    let message = format!("notice-{key}");
    tr.has(&message).then(|| tr.t(&message))
}

/// The frame of a page nobody needs to be signed in for.
pub fn public_chrome(tr: Tr, path_and_query: &str) -> Chrome {
    Chrome {
        tr,
        user: None,
        nav: Vec::new(),
        languages: language_links(tr, path_and_query),
        csrf_token: String::new(),
        notice: None,
    }
}

/// A signed-in page request: the browser session, its language and where it is.
#[derive(Debug, Clone)]
pub struct Page {
    pub session: SessionInfo,
    pub tr: Tr,
    path_and_query: String,
}

impl FromRequestParts<App> for Page {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let SignedIn(caller) = SignedIn::from_request_parts(parts, app)
            .await
            .map_err(IntoResponse::into_response)?;
        let Caller::Session(session) = caller else {
            return Err(
                WebError(AppError::Forbidden("pages need a browser session".into()))
                    .into_response(),
            );
        };
        let lang = Lang::from_request_parts(parts, app)
            .await
            .unwrap_or_default();
        Ok(Page {
            session,
            tr: lang.tr(),
            path_and_query: parts
                .uri
                .path_and_query()
                .map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned()),
        })
    }
}

impl Page {
    pub fn actor(&self) -> &Actor {
        &self.session.actor
    }

    pub fn role(&self) -> Option<Role> {
        role_of(&self.session.actor)
    }

    /// The signed-in user's facility, if the account belongs to one.
    pub fn own_facility(&self) -> Option<i64> {
        match &self.session.actor {
            Actor::User { facility_id, .. } => *facility_id,
            _ => None,
        }
    }

    /// Refuses a form whose CSRF token is not this session's (403).
    pub fn check_csrf(&self, submitted: &str) -> Result<(), CsrfRefused> {
        check_csrf(&self.session, submitted)
    }

    /// The frame of this page, with `current` highlighted in the navigation.
    pub fn chrome(&self, current: Section) -> Chrome {
        let tr = self.tr;
        let nav = self
            .role()
            .map(sections_for)
            .unwrap_or_default()
            .iter()
            .filter(|section| section.is_built())
            .map(|&section| NavLink {
                href: section.href(),
                label: tr.t(section.label_key()),
                current: section == current,
            })
            .collect();
        let role_label = self
            .role()
            .map(|r| tr.t(&format!("role-{}", r.as_str().replace('_', "-"))))
            .unwrap_or_default();
        Chrome {
            tr,
            user: Some((self.session.display_name.clone(), role_label)),
            nav,
            languages: language_links(tr, &self.path_and_query),
            csrf_token: self.session.csrf_token.clone(),
            notice: notice(tr, self.path_and_query.split_once('?').map(|(_, q)| q)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_links_keep_the_query_but_drop_lang_and_notice() {
        let links = language_links(Lang::Id.tr(), "/inmates?q=budi&lang=id&notice=saved");
        assert_eq!(links[0].href, "/inmates?q=budi&lang=id");
        assert_eq!(links[1].href, "/inmates?q=budi&lang=en");
        assert!(links[0].current && !links[1].current);
        assert_eq!(language_links(Lang::En.tr(), "/")[1].href, "/?lang=en");
    }

    #[test]
    fn notices_are_only_known_keys() {
        let tr = Lang::En.tr();
        assert!(notice(tr, Some("notice=saved")).is_some());
        assert!(notice(tr, Some("notice=no-such-notice")).is_none());
        assert!(notice(tr, Some("notice=<script>")).is_none());
        assert!(notice(tr, None).is_none());
    }

    #[test]
    fn every_role_has_a_home() {
        for role in Role::ALL {
            assert_eq!(sections_for(*role).first(), Some(&Section::Home));
        }
    }
}
