//! Hand layout of the certificate pages on A4 (595 x 842 pt, origin top left).

use crate::{CertificateSheet, DocumentError};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use qrcode::{Color, EcLevel, QrCode};

pub(crate) const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
pub(crate) const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
pub(crate) const W: f32 = 595.28;
pub(crate) const H: f32 = 841.89;
pub(crate) const MARGIN: f32 = 56.0;

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

pub(crate) fn date_id(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let month = MONTHS_ID
        .get(d.month0() as usize)
        .copied()
        .unwrap_or_default();
    format!("{} {month} {}", d.day(), d.year())
}

pub(crate) struct Fonts {
    pub(crate) regular: Font,
    pub(crate) bold: Font,
}

pub(crate) fn text(s: &mut Surface<'_>, font: &Font, size: f32, x: f32, y: f32, t: &str) {
    s.draw_text(
        Point::from_xy(x, y),
        font.clone(),
        size,
        t,
        false,
        TextDirection::Auto,
    );
}

/// Approximately centred (DejaVu Sans averages ~0.55 em per character).
fn centred(s: &mut Surface<'_>, font: &Font, size: f32, y: f32, t: &str) {
    let width = t.chars().count() as f32 * size * 0.5;
    text(s, font, size, ((W - width) / 2.0).max(MARGIN), y, t);
}

pub(crate) fn black() -> Fill {
    Fill {
        paint: rgb::Color::new(0, 0, 0).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

pub(crate) fn line(s: &mut Surface<'_>, x1: f32, y1: f32, x2: f32, y2: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(x1, y1);
    pb.line_to(x2, y2);
    if let Some(path) = pb.finish() {
        s.set_fill(None);
        s.set_stroke(Some(Stroke {
            width: 0.8,
            ..Default::default()
        }));
        s.draw_path(&path);
        s.set_stroke(None);
        s.set_fill(Some(black()));
    }
}

fn qr(s: &mut Surface<'_>, payload: &str, x: f32, y: f32, size: f32) -> Result<(), DocumentError> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| DocumentError::Qr(e.to_string()))?;
    let n = code.width();
    let module = size / n as f32;
    let mut pb = PathBuilder::new();
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == Color::Dark {
            let (cx, cy) = ((i % n) as f32, (i / n) as f32);
            if let Some(r) = Rect::from_xywh(x + cx * module, y + cy * module, module, module) {
                pb.push_rect(r);
            }
        }
    }
    if let Some(path) = pb.finish() {
        s.set_fill(Some(black()));
        s.draw_path(&path);
    }
    Ok(())
}

pub(crate) fn wrap(t: &str, max_chars: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in t.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > max_chars {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

fn certificate_page(
    s: &mut Surface<'_>,
    f: &Fonts,
    c: &CertificateSheet,
) -> Result<(), DocumentError> {
    s.set_fill(Some(black()));
    text(s, &f.bold, 12.0, MARGIN, 70.0, &c.issuer_name);
    line(s, MARGIN, 80.0, W - MARGIN, 80.0);
    centred(s, &f.bold, 26.0, 150.0, "SERTIFIKAT PELATIHAN");
    centred(s, &f.regular, 14.0, 172.0, "Certificate of Training");
    centred(
        s,
        &f.regular,
        11.0,
        196.0,
        &format!("Nomor / Number: {}", c.number),
    );
    centred(s, &f.regular, 11.0, 240.0, "Diberikan kepada / Awarded to");
    centred(s, &f.bold, 22.0, 272.0, &c.holder_name);
    centred(
        s,
        &f.regular,
        11.0,
        306.0,
        "telah menyelesaikan pelatihan berbasis kompetensi",
    );
    centred(
        s,
        &f.regular,
        11.0,
        320.0,
        "has completed the competency-based training",
    );
    centred(s, &f.bold, 16.0, 348.0, &c.program);
    if let Some(en) = &c.program_en {
        centred(s, &f.regular, 12.0, 366.0, en);
    }
    let hours = format!(
        "{} JP (jam pelajaran @45 menit / lesson hours of 45 minutes)",
        c.hours_jp
    );
    centred(s, &f.regular, 11.0, 392.0, &hours);
    let dates = format!("{} - {}", date_id(c.start_date), date_id(c.end_date));
    centred(s, &f.regular, 11.0, 408.0, &dates);
    let code = format!(
        "Kode program / Program code: {} ({} unit)",
        c.program_code,
        c.units.len()
    );
    centred(s, &f.regular, 11.0, 424.0, &code);
    let place = c.city.clone().unwrap_or_default();
    let dated = if place.is_empty() {
        date_id(c.issued_on)
    } else {
        format!("{place}, {}", date_id(c.issued_on))
    };
    text(s, &f.regular, 11.0, MARGIN, 470.0, &dated);
    // Two signature blocks.
    let blocks = [
        (
            MARGIN,
            c.head_title
                .clone()
                .unwrap_or_else(|| "Kepala Lembaga Pelatihan".into()),
            "Head of the training centre",
            c.head_name.clone().unwrap_or_default(),
        ),
        (
            W / 2.0 + 20.0,
            "Asesor Kompetensi".to_owned(),
            "Competency assessor",
            c.assessor_name.clone().unwrap_or_default(),
        ),
    ];
    for (x, title, title_en, name) in &blocks {
        text(s, &f.regular, 10.0, *x, 500.0, title);
        text(s, &f.regular, 9.0, *x, 513.0, title_en);
        line(s, *x, 580.0, *x + 200.0, 580.0);
        text(s, &f.bold, 10.0, *x, 594.0, name);
    }
    // QR code and how to check.
    let size = 150.0;
    qr(s, &c.qr_payload, MARGIN, H - MARGIN - size - 30.0, size)?;
    let tx = MARGIN + size + 16.0;
    let ty = H - MARGIN - size - 10.0;
    for (i, l) in [
        "Keaslian sertifikat ini dapat diperiksa tanpa internet:",
        "pindai kode QR (berisi kredensial bertanda tangan digital,",
        "Open Badges 3.0) atau periksa nomornya di halaman verifikasi.",
        "Authenticity can be checked offline by scanning the QR code",
        "(a digitally signed Open Badges 3.0 credential) or online by number.",
    ]
    .iter()
    .enumerate()
    {
        text(s, &f.regular, 8.5, tx, ty + i as f32 * 12.0, l);
    }
    if let Some(url) = &c.verify_url {
        for (i, l) in wrap(url, 60).iter().enumerate() {
            text(s, &f.regular, 8.5, tx, ty + 70.0 + i as f32 * 11.0, l);
        }
    }
    Ok(())
}

fn transcript_page(s: &mut Surface<'_>, f: &Fonts, c: &CertificateSheet) {
    s.set_fill(Some(black()));
    text(s, &f.bold, 12.0, MARGIN, 70.0, &c.issuer_name);
    line(s, MARGIN, 80.0, W - MARGIN, 80.0);
    text(
        s,
        &f.bold,
        16.0,
        MARGIN,
        116.0,
        "Daftar Unit Kompetensi / Competency Transcript",
    );
    text(
        s,
        &f.regular,
        10.0,
        MARGIN,
        138.0,
        &format!("Nomor / Number: {}", c.number),
    );
    text(
        s,
        &f.regular,
        10.0,
        MARGIN,
        152.0,
        &format!("Nama / Name: {}", c.holder_name),
    );
    text(
        s,
        &f.regular,
        10.0,
        MARGIN,
        166.0,
        &format!("Program: {} ({})", c.program, c.program_code),
    );
    let (xn, xc, xt, xh, xk) = (
        MARGIN,
        MARGIN + 24.0,
        MARGIN + 140.0,
        W - MARGIN - 80.0,
        W - MARGIN - 35.0,
    );
    let mut y = 200.0;
    for (x, h) in [
        (xn, "No"),
        (xc, "Kode / Code"),
        (xt, "Judul unit / Unit title"),
        (xh, "JP"),
        (xk, "K/BK"),
    ] {
        text(s, &f.bold, 9.5, x, y, h);
    }
    line(s, MARGIN, y + 5.0, W - MARGIN, y + 5.0);
    y += 20.0;
    for (i, u) in c.units.iter().enumerate() {
        text(s, &f.regular, 9.5, xn, y, &(i + 1).to_string());
        text(s, &f.regular, 9.0, xc, y, &u.code);
        let lines = wrap(&u.title, 48);
        for (k, l) in lines.iter().enumerate() {
            text(s, &f.regular, 9.5, xt, y + k as f32 * 12.0, l);
        }
        text(s, &f.regular, 9.5, xh, y, &u.hours_jp.to_string());
        text(s, &f.bold, 9.5, xk, y, &u.decision);
        y += 12.0 * lines.len().max(1) as f32 + 8.0;
        if y > H - MARGIN - 60.0 {
            break;
        }
    }
    line(s, MARGIN, y, W - MARGIN, y);
    text(
        s,
        &f.regular,
        9.0,
        MARGIN,
        y + 18.0,
        "K = kompeten / competent. JP = jam pelajaran (45 menit) / lesson hours (45 minutes).",
    );
}

pub(crate) fn render(sheets: &[CertificateSheet]) -> Result<Vec<u8>, DocumentError> {
    let fonts = Fonts {
        regular: Font::new(REGULAR.into(), 0)
            .ok_or_else(|| DocumentError::Font("DejaVuSans".into()))?,
        bold: Font::new(BOLD.into(), 0)
            .ok_or_else(|| DocumentError::Font("DejaVuSans-Bold".into()))?,
    };
    let settings =
        PageSettings::from_wh(W, H).ok_or_else(|| DocumentError::Pdf("page size".into()))?;
    let mut document = Document::new();
    for sheet in sheets {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        certificate_page(&mut surface, &fonts, sheet)?;
        surface.finish();
        page.finish();
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        transcript_page(&mut surface, &fonts, sheet);
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| DocumentError::Pdf(format!("{e:?}")))
}
