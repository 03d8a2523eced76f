//! A QR code as an SVG image for HTML pages (the holder's download slip): one path of unit
//! squares with a four-module quiet zone, scaled by the page's CSS. No script, no external
//! reference, so it passes the pages' content security policy inline.

use crate::DocumentError;
use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write;

/// The SVG of a QR code carrying `text` (error correction M), labelled `label` for screen
/// readers. `label` is escaped here.
pub fn qr_svg(text: &str, label: &str) -> Result<String, DocumentError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| DocumentError::Qr(e.to_string()))?;
    let n = code.width();
    let side = n + 8;
    let mut path = String::new();
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == Color::Dark {
            let _ = write!(path, "M{} {}h1v1h-1z", i % n + 4, i / n + 4);
        }
    }
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" role="img" aria-label="{label}" shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##,
        label = escape(label),
    ))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_svg_has_the_code_and_an_escaped_label() {
        let svg = qr_svg(
            "https://bekal.example/unduh/0123456789ABCDEFGHJK",
            "a <b> \"c\"",
        )
        .unwrap_or_default();
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.contains("aria-label=\"a &lt;b&gt; &quot;c&quot;\""));
        assert!(!svg.contains("<b>"));
        // Version 3 or 4 at level M for this length: 29 or 33 modules plus the quiet zone.
        assert!(
            svg.contains("viewBox=\"0 0 37 37\"") || svg.contains("viewBox=\"0 0 41 41\""),
            "{svg}"
        );
        assert!(svg.matches('M').count() > 100, "dark modules drawn");
    }
}
