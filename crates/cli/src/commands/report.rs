//! `bekal report summary`: the figures of a facility, partner, package, region or the nation
//! for a period, as JSON (totals and per-facility rows), CSV, XLSX, an SVG chart of follow-up
//! outcomes, or the monthly PDF. Everything comes from `bekal_app::reports`; no SQL here.

use super::{DatabaseArg, database_url, emit, make_app, open_store, operator, report_app_error};
use crate::config::Settings;
use bekal_app::reports::{self, Figures, Scope, Summary, chart, export};
use bekal_documents::{BarChart, ReportDocument, ReportTable, report_pdf};
use bekal_domain::status::FollowUpOutcome;
use chrono::{Datelike, NaiveDate};
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Json,
    Csv,
    Xlsx,
    Pdf,
    /// The follow-up outcomes bar chart.
    Svg,
}

/// Which figures: exactly one of these.
#[derive(Debug, Clone, Args)]
#[group(required = true, multiple = false)]
pub struct ScopeArgs {
    /// One facility, by code.
    #[arg(long)]
    facility: Option<String>,
    /// Every facility of a region (as written on the facilities).
    #[arg(long)]
    region: Option<String>,
    /// Every facility.
    #[arg(long)]
    national: bool,
    /// The classes of one training partner, by code.
    #[arg(long)]
    partner: Option<String>,
    /// The classes and candidates of one package, by code.
    #[arg(long)]
    package: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Candidates, enrolments, completions, certificates, attendance, units, reasons for
    /// leaving, follow-ups, and trained versus untrained releasees.
    Summary {
        #[command(flatten)]
        scope: ScopeArgs,
        /// First day (YYYY-MM-DD; default: the first of the current month).
        #[arg(long)]
        from: Option<NaiveDate>,
        /// Last day (YYYY-MM-DD; default: today).
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "json")]
        format: ReportFormat,
        /// Output file (default: stdout; XLSX and PDF need a file).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Pin "today" (YYYY-MM-DD): classes ending after it are not completed yet.
        #[arg(long)]
        today: Option<NaiveDate>,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

fn scope(args: ScopeArgs) -> Scope {
    if let Some(code) = args.facility {
        Scope::Facility(code)
    } else if let Some(region) = args.region {
        Scope::Region(region)
    } else if let Some(code) = args.partner {
        Scope::Partner(code)
    } else if let Some(code) = args.package {
        Scope::Package(code)
    } else {
        Scope::National
    }
}

pub async fn run(command: ReportCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    let ReportCommand::Summary {
        scope: scope_args,
        from,
        to,
        format,
        output,
        today,
        db,
    } = command;
    if matches!(format, ReportFormat::Xlsx | ReportFormat::Pdf) && output.is_none() {
        eprintln!("error: --format xlsx and pdf need -o FILE");
        return Ok(ExitCode::from(2));
    }
    let app = make_app(open_store(&database_url(&db, settings), true).await?, today);
    let today = app.clock.today();
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| to.with_day(1).unwrap_or(to));
    let summary = match reports::summary(&app, &operator(), &scope(scope_args), from, to).await {
        Ok(summary) => summary,
        Err(err) => return Ok(report_app_error(&err)),
    };
    let bytes = match format {
        ReportFormat::Json => Ok(serde_json::to_vec_pretty(&summary)?),
        ReportFormat::Csv => export::csv(&summary),
        ReportFormat::Xlsx => export::xlsx(&summary),
        ReportFormat::Svg => {
            chart::outcomes_svg(&summary.totals, &chart_title(&summary)).map(String::into_bytes)
        }
        ReportFormat::Pdf => report_pdf(&document(&summary))
            .map_err(|e| bekal_app::AppError::Internal(e.to_string())),
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(err) => return Ok(report_app_error(&err)),
    };
    match output {
        Some(path) => {
            std::fs::write(&path, &bytes)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            eprintln!(
                "{} ({} facilities) written to {}",
                summary.scope.name,
                summary.facilities.len(),
                path.display()
            );
        }
        None if format == ReportFormat::Json => emit(&String::from_utf8_lossy(&bytes)),
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn chart_title(s: &Summary) -> String {
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
        lines: reports::LEAVING_STATES
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
    let group = |g: &reports::ReleaseGroup| {
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
