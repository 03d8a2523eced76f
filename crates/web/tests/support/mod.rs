//! What the HTTP tests share: the router served on a loopback socket and a plain HTTP/1.1
//! client, so every test goes through the same bytes a browser would send.

#![allow(dead_code, reason = "each test binary uses part of the support module")]
#![expect(
    clippy::unwrap_used,
    reason = "test support: a failure is a failed test"
)]

use bekal_app::App;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

/// An HTTP reply.
pub struct Reply {
    pub status: u16,
    pub head: String,
    /// The body as text (lossy for binary bodies; see `bytes`).
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }

    /// The session token set by this reply.
    pub fn session(&self) -> String {
        let cookie = self.header("set-cookie").unwrap();
        let value = cookie.split(';').next().unwrap();
        value.strip_prefix("bekal_session=").unwrap().to_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// Sends one request; a POST body is a form unless a Content-Type header is given.
pub async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if method == "POST" {
        if !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        {
            request.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
        }
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    request.push_str(body);
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let split = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(response.len());
        let head = String::from_utf8_lossy(&response[..split]).into_owned();
        let bytes = response.get(split + 4..).unwrap_or_default().to_vec();
        Reply {
            status: head.split(' ').nth(1).unwrap().parse().unwrap(),
            body: String::from_utf8_lossy(&bytes).into_owned(),
            head,
            bytes,
        }
    })
    .await
    .unwrap()
}

pub fn cookie(token: &str) -> String {
    format!("bekal_session={token}")
}

pub fn form_login(user: &str, password: &str) -> String {
    format!("username={user}&password={}", password.replace(' ', "+"))
}

/// The CSRF token in a page's hidden field.
pub fn csrf_in(page: &str) -> String {
    hidden_value(page, "csrf_token")
}

/// The value of a hidden field.
pub fn hidden_value(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no field {name} in {page}"))
        + marker.len();
    page[at..].split('"').next().unwrap().to_owned()
}

/// Serves the router on a fresh loopback port.
pub async fn serve(app: App, settings: bekal_web::WebSettings) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = bekal_web::router_with_settings(app, settings);
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    addr
}

/// Signs in and returns the session cookie header value.
pub async fn sign_in(addr: SocketAddr, user: &str, password: &str) -> String {
    let reply = http(addr, "POST", "/login", &[], &form_login(user, password)).await;
    assert_eq!(reply.status, 303, "sign-in of {user}: {}", reply.body);
    cookie(&reply.session())
}

/// Signs the demo's national administrator in, enrolling the second factor on the way (the
/// code is computed at `now`, the server's clock).
pub async fn admin_session(addr: SocketAddr, now: chrono::DateTime<chrono::Utc>) -> String {
    use bekal_app::auth::totp;
    let first = http(
        addr,
        "POST",
        "/login",
        &[],
        &form_login("admin", bekal_app::demo::DEMO_PASSWORD),
    )
    .await;
    assert_eq!(first.status, 303);
    let c = cookie(&first.session());
    let page = http(addr, "GET", "/login/second-factor", &[("Cookie", &c)], "").await;
    let secret = page
        .body
        .split("secret=")
        .nth(1)
        .and_then(|rest| rest.split(['&', '"']).next())
        .unwrap();
    let key = totp::base32_decode(secret).unwrap();
    let code = format!("{:06}", totp::totp_at(&key, now.timestamp(), 6).unwrap());
    let form = format!("csrf_token={}&code={code}", csrf_in(&page.body));
    let done = http(
        addr,
        "POST",
        "/login/second-factor",
        &[("Cookie", &c)],
        &form,
    )
    .await;
    assert_eq!(done.status, 200, "recovery codes shown: {}", done.body);
    c
}

/// Another facility (SBY, Jawa Timur) with its program officer `petugas.sby` and head
/// `kalapas.sby`, and the oversight viewer of its region `kanwil.jatim`, all with the demo
/// password: the outsiders of the access tests.
pub async fn add_outsiders(app: &App) {
    use bekal_app::accounts::{self, NewUser};
    use bekal_app::facilities::{self, NewFacility};
    use bekal_domain::role::Role;
    let operator = bekal_app::Actor::Operator {
        label: "test".into(),
    };
    let sby = facilities::add(
        app,
        &operator,
        NewFacility {
            code: "SBY".into(),
            name: "Lapas Kelas I Surabaya".into(),
            kind: bekal_domain::status::FacilityKind::Lapas,
            region: Some("Jawa Timur".into()),
            city: None,
        },
    )
    .await
    .unwrap();
    for (name, role, facility, region) in [
        ("petugas.sby", Role::ProgramOfficer, Some(sby.id), None),
        ("kalapas.sby", Role::FacilityHead, Some(sby.id), None),
        (
            "kanwil.jatim",
            Role::OversightViewer,
            None,
            Some("Jawa Timur"),
        ),
    ] {
        let new = NewUser {
            username: name.into(),
            display_name: name.into(),
            password: bekal_app::demo::DEMO_PASSWORD.into(),
            role,
            facility_id: facility,
            partner_id: None,
            region: region.map(str::to_owned),
        };
        accounts::create_user(app, &operator, new).await.unwrap();
    }
}

/// Records (as set-up, outside Bekal's services) that the trainee of `trainee` was released
/// on 20 July 2026, so that their follow-up at 3 months is due on the demo's day.
pub async fn record_release(app: &App, trainee: &bekal_store::entity::enrolment::Model) {
    use bekal_store::entity::custody_event;
    use bekal_store::sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    custody_event::ActiveModel {
        facility_id: Set(trainee.facility_id),
        inmate_id: Set(trainee.inmate_id),
        kind: Set("released".into()),
        effective_on: Set(chrono::NaiveDate::from_ymd_opt(2026, 7, 20).unwrap()),
        reason: Set(Some("bebas bersyarat".into())),
        recorded_by: Set(None),
        recorded_at: Set(today.and_hms_opt(9, 0, 0).unwrap().and_utc()),
        ..Default::default()
    }
    .insert(app.store.conn())
    .await
    .unwrap();
}

/// The twelve callers of the access matrices, in the order of their status columns: nobody,
/// the national administrator, PKL's oversight viewer, head, officer, partner staff, trainer,
/// assessor and probation officer, and another facility's officer, head and region's viewer.
pub const MATRIX_CALLERS: [&str; 12] = [
    "-",
    "admin",
    "kanwil.jateng",
    "kalapas.pkl",
    "petugas.pkl",
    "blk.pkl",
    "instruktur.pkl",
    "asesor.pkl",
    "bapas.pkl",
    "petugas.sby",
    "kalapas.sby",
    "kanwil.jatim",
];

/// A session cookie for each of [`MATRIX_CALLERS`] (empty for nobody; the administrator with
/// the second factor).
pub async fn matrix_sessions(addr: SocketAddr, now: chrono::DateTime<chrono::Utc>) -> Vec<String> {
    let mut cookies = vec![String::new(), admin_session(addr, now).await];
    for name in &MATRIX_CALLERS[2..] {
        cookies.push(sign_in(addr, name, bekal_app::demo::DEMO_PASSWORD).await);
    }
    cookies
}

/// Every `.route("PATH", ...)` of the router's source `files` (under `src/`), with the text
/// of its call up to the next route, so a test can keep the routes of one method.
pub fn router_routes(files: &[&str]) -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut routes = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find(".route(") {
            rest = &rest[at + 7..];
            let quoted = rest.trim_start();
            let Some(path) = quoted.strip_prefix('"').and_then(|q| q.split('"').next()) else {
                continue;
            };
            let call = &quoted[path.len() + 2..];
            let end = call.find(".route(").unwrap_or(call.len());
            routes.push((path.to_owned(), call[..end].to_owned()));
        }
    }
    routes
}

/// The demo trainer `instruktur.pkl` and the id of their latest class.
pub async fn trainer_class(
    conn: &bekal_store::sea_orm::DatabaseConnection,
) -> (bekal_store::entity::trainer::Model, i64) {
    use bekal_store::entity::{class_trainer, trainer, user};
    use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let account = user::Entity::find()
        .filter(user::Column::Username.eq("instruktur.pkl"))
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let teacher = trainer::Entity::find()
        .filter(trainer::Column::UserId.eq(account.id))
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let class_id = class_trainer::Entity::find()
        .filter(class_trainer::Column::TrainerId.eq(teacher.id))
        .order_by_desc(class_trainer::Column::ClassId)
        .one(conn)
        .await
        .unwrap()
        .unwrap()
        .class_id;
    (teacher, class_id)
}
