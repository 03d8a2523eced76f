//! The monthly report a facility sends upward, as PDF: the totals (participants, attendance,
//! units, leaving, follow-ups, trained vs untrained releasees) and one line per facility.
//! Labels are Indonesian: the report is an official document of the Indonesian programme.

use super::{Figures, Summary};
use crate::AppError;
use bekal_documents::{BarChart, ReportDocument, ReportTable, report_pdf};
use bekal_domain::status::FollowUpOutcome;

/// The PDF of a summary.
pub fn monthly_pdf(summary: &Summary) -> Result<Vec<u8>, AppError> {
    report_pdf(&document(summary)).map_err(|e| AppError::Internal(format!("report pdf: {e}")))
}

/// The title of the outcomes chart.
pub fn chart_title(s: &Summary) -> String {
    format!("Hasil tindak lanjut: {}", s.scope.name)
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        "-".to_owned()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

fn pair(label: &str, value: impl ToString) -> (String, String) {
    (label.to_owned(), value.to_string())
}

/// The monthly report's pages: the totals, then one line per facility.
fn document(s: &Summary) -> ReportDocument {
    let t: &Figures = &s.totals;
    let mut tables = vec![ReportTable {
        heading: "Peserta".into(),
        lines: vec![
            pair("Calon diasesmen", t.assessed),
            pair("Terpilih", t.selected),
            pair("Terdaftar di kelas", t.enrolled),
            pair("Menyelesaikan kelas", t.completed),
            pair("Bersertifikat", t.certified),
            (
                "Kehadiran (JP hadir / JP)".into(),
                format!(
                    "{} / {} ({})",
                    t.hours_attended,
                    t.hours_possible,
                    percent(t.hours_attended, t.hours_possible)
                ),
            ),
        ],
    }];
    tables.push(ReportTable {
        heading: "Unit kompetensi (K / BK)".into(),
        lines: t
            .units
            .iter()
            .map(|(code, u)| {
                (
                    code.clone(),
                    format!(
                        "{} / {} ({})",
                        u.competent,
                        u.not_yet_competent,
                        percent(u.competent, u.competent + u.not_yet_competent)
                    ),
                )
            })
            .collect(),
    });
    tables.push(ReportTable {
        heading: "Keluar sebelum selesai".into(),
        lines: super::LEAVING_STATES
            .iter()
            .map(|k| pair(k, t.leaving.get(*k).copied().unwrap_or(0)))
            .collect(),
    });
    let mut follow = vec![];
    for o in FollowUpOutcome::ALL {
        follow.push(pair(
            o.as_str(),
            t.follow_ups.get(o.as_str()).copied().unwrap_or(0),
        ));
    }
    follow.push(pair("bekerja sesuai keahlian", t.follow_ups_in_trade));
    tables.push(ReportTable {
        heading: "Tindak lanjut setelah bebas".into(),
        lines: follow,
    });
    let group = |g: &super::ReleaseGroup| {
        format!(
            "{} bebas, {} dihubungi, {} bekerja ({}), {} mengulangi ({})",
            g.released,
            g.followed_up,
            g.employed,
            percent(g.employed, g.followed_up),
            g.reoffended,
            percent(g.reoffended, g.followed_up)
        )
    };
    tables.push(ReportTable {
        heading: "Bebas: dilatih dibanding tidak dilatih".into(),
        lines: vec![
            ("Dilatih".into(), group(&t.trained)),
            ("Tidak dilatih".into(), group(&t.untrained)),
        ],
    });
    if s.facilities.len() > 1 {
        tables.push(ReportTable {
            heading: "Per UPT (terdaftar / selesai / bersertifikat)".into(),
            lines: s
                .facilities
                .iter()
                .map(|r| {
                    (
                        format!("{} {}", r.code, r.name),
                        format!(
                            "{} / {} / {}",
                            r.figures.enrolled, r.figures.completed, r.figures.certified
                        ),
                    )
                })
                .collect(),
        });
    }
    ReportDocument {
        title: "Laporan Pembinaan Kemandirian".into(),
        scope: if s.scope.code.is_empty() || s.scope.code == s.scope.name {
            s.scope.name.clone()
        } else {
            format!("{} ({})", s.scope.name, s.scope.code)
        },
        from: s.from,
        to: s.to,
        generated_on: s.as_of,
        tables,
        chart: Some(BarChart {
            title: chart_title(s),
            bars: FollowUpOutcome::ALL
                .iter()
                .map(|o| {
                    (
                        o.as_str().to_owned(),
                        t.follow_ups.get(o.as_str()).copied().unwrap_or(0),
                    )
                })
                .collect(),
        }),
    }
}
