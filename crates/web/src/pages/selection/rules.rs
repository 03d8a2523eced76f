//! Eligibility rules and the ranking of a draft round on screen (`GET /selection/rules`):
//! the rules that apply in the facility per package (national ones and the facility's own,
//! switched-off ones too), a form to change each one the user may change, a form to add one,
//! and the scoring of the draft round (preference bonus, release bands, default priority).
//! Every rule kind has one parameter, so one form fits all: the kind, and a number or a
//! choice (a flag, an education level or a pembinaan stage).
//! National rules need `ManageCatalogue`, a facility's own `PlanTraining`; the services
//! check both again and audit every change with before and after.

use super::{FormError, encode, facility_of, may, posted_facility, status_of};
use crate::WebError;
use crate::i18n::Tr;
use crate::page::{Chrome, Page, PageError, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::facilities::FacilityView;
use bekal_app::selection::rounds::{self, RoundView};
use bekal_app::selection::rules::{self, PackageName, RuleChange, RuleView};
use bekal_app::{App, AppError, Permission};
use bekal_domain::eligibility::{EducationLevel, Flag, RuleKind};
use bekal_domain::pembinaan::PembinaanStage;
use bekal_domain::ranking::{RankingConfig, ReleaseBand};
use serde::Deserialize;

/// The rule kinds in the order the form offers them.
pub const KINDS: [&str; 8] = [
    "min_score",
    "required_flag",
    "blocked_flag",
    "min_age",
    "min_education",
    "min_stage",
    "min_sppn",
    "release_after_course",
];

/// The education levels a `min_education` rule may name, lowest first.
pub const EDUCATION_LEVELS: [&str; 5] = [
    "primary",
    "junior_secondary",
    "senior_secondary",
    "diploma",
    "bachelor",
];

/// The pembinaan stages a `min_stage` rule may name, earliest first.
pub const STAGES: [&str; 4] = ["initial", "advanced_1", "advanced_2", "final"];

/// `junior_secondary` -> `rule-education-junior-secondary`.
pub fn education_key(code: &str) -> &'static str {
    match code {
        "primary" => "rule-education-primary",
        "junior_secondary" => "rule-education-junior-secondary",
        "senior_secondary" => "rule-education-senior-secondary",
        "diploma" => "rule-education-diploma",
        "bachelor" => "rule-education-bachelor",
        _ => "status-unknown",
    }
}

/// `advanced_1` -> `rule-stage-advanced-1`.
pub fn stage_key(code: &str) -> &'static str {
    match code {
        "initial" => "rule-stage-initial",
        "advanced_1" => "rule-stage-advanced-1",
        "advanced_2" => "rule-stage-advanced-2",
        "final" => "rule-stage-final",
        _ => "status-unknown",
    }
}

/// The label key of a rule's choice: its flag, education level or stage.
pub fn choice_key(kind: &str, code: &str) -> &'static str {
    match kind {
        "min_education" => education_key(code),
        "min_stage" => stage_key(code),
        _ => flag_key(code),
    }
}

/// The flags a flag rule may name.
pub const FLAGS: [&str; 4] = [
    "health_cleared",
    "security_cleared",
    "literate",
    "disciplinary_record",
];

/// `min_score` -> `rule-kind-min-score`.
pub fn kind_key(code: &str) -> &'static str {
    match code {
        "min_score" => "rule-kind-min-score",
        "required_flag" => "rule-kind-required-flag",
        "blocked_flag" => "rule-kind-blocked-flag",
        "min_age" => "rule-kind-min-age",
        "min_sppn" => "rule-kind-min-sppn",
        "release_after_course" => "rule-kind-release-after-course",
        "min_education" => "rule-kind-min-education",
        "min_stage" => "rule-kind-min-stage",
        _ => "status-unknown",
    }
}

/// `health_cleared` -> `rule-flag-health-cleared`.
pub fn flag_key(code: &str) -> &'static str {
    match code {
        "health_cleared" => "rule-flag-health-cleared",
        "security_cleared" => "rule-flag-security-cleared",
        "literate" => "rule-flag-literate",
        "disciplinary_record" => "rule-flag-disciplinary-record",
        _ => "status-unknown",
    }
}

fn flag_code(flag: Flag) -> &'static str {
    match flag {
        Flag::HealthCleared => "health_cleared",
        Flag::SecurityCleared => "security_cleared",
        Flag::Literate => "literate",
        Flag::DisciplinaryRecord => "disciplinary_record",
    }
}

/// The one parameter of a rule as the form shows it: a number, or a flag's code.
pub fn parameter(kind: &RuleKind) -> String {
    match kind {
        RuleKind::MinScore { min } | RuleKind::MinSppn { min } => min.to_string(),
        RuleKind::MinAge { years } => years.to_string(),
        RuleKind::ReleaseAfterCourse { margin_days } => margin_days.to_string(),
        RuleKind::RequiredFlag { flag } | RuleKind::BlockedFlag { flag } => {
            flag_code(*flag).to_owned()
        }
        RuleKind::MinEducation { level } => level.as_str().to_owned(),
        RuleKind::MinStage { stage } => stage.as_str().to_owned(),
    }
}

/// The rule a form describes: `kind` with its number (`value`) or choice (`flag`: a flag, an
/// education level or a stage); a bad number is an error at `value`, a bad choice at `flag`.
pub fn rule_of(kind: &str, value: &str, flag: &str) -> Result<RuleKind, AppError> {
    let number = || {
        value
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::invalid("value", format!("{value:?} is not a whole number")))
    };
    let small = |n: i64| {
        i32::try_from(n).map_err(|_| AppError::invalid("value", format!("{n} is too large")))
    };
    let flag_of = || match flag {
        "health_cleared" => Ok(Flag::HealthCleared),
        "security_cleared" => Ok(Flag::SecurityCleared),
        "literate" => Ok(Flag::Literate),
        "disciplinary_record" => Ok(Flag::DisciplinaryRecord),
        _ => Err(AppError::invalid("flag", "choose a flag")),
    };
    let rule = match kind {
        "min_score" => RuleKind::MinScore {
            min: small(number()?)?,
        },
        "min_sppn" => RuleKind::MinSppn {
            min: small(number()?)?,
        },
        "min_age" => RuleKind::MinAge {
            years: u32::try_from(number()?)
                .map_err(|_| AppError::invalid("value", "an age is not negative"))?,
        },
        "release_after_course" => RuleKind::ReleaseAfterCourse {
            margin_days: number()?,
        },
        "required_flag" => RuleKind::RequiredFlag { flag: flag_of()? },
        "blocked_flag" => RuleKind::BlockedFlag { flag: flag_of()? },
        "min_education" => RuleKind::MinEducation {
            level: flag
                .parse::<EducationLevel>()
                .map_err(|_| AppError::invalid("flag", "choose an education level"))?,
        },
        "min_stage" => RuleKind::MinStage {
            stage: flag
                .parse::<PembinaanStage>()
                .ok()
                .filter(|s| STAGES.contains(&s.as_str()))
                .ok_or_else(|| AppError::invalid("flag", "choose a pembinaan stage"))?,
        },
        _ => return Err(AppError::invalid("kind", "choose a kind of rule")),
    };
    rule.validate()
        .map_err(|e| AppError::invalid("value", e.to_string()))?;
    Ok(rule)
}

/// `15, 10, 5` -> the preference bonus; `182:5, 365:4` -> release bands.
pub fn scoring_of(
    base: &RankingConfig,
    bonus: &str,
    bands: &str,
    default_priority: &str,
) -> Result<RankingConfig, AppError> {
    let parts = |text: &str| {
        text.split([',', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let whole = |field: &str, text: &str| {
        text.trim().parse::<i64>().map_err(|_| {
            AppError::invalid(field, format!("{:?} is not a whole number", text.trim()))
        })
    };
    let preference_bonus = parts(bonus)
        .iter()
        .map(|p| whole("preference_bonus", p))
        .collect::<Result<Vec<_>, _>>()?;
    let release_bands = parts(bands)
        .iter()
        .map(|p| {
            let (days, priority) = p.split_once(':').ok_or_else(|| {
                AppError::invalid("release_bands", format!("{p:?}: write days:priority"))
            })?;
            Ok(ReleaseBand {
                within_days: whole("release_bands", days)?,
                priority: whole("release_bands", priority)?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let config = RankingConfig {
        preference_bonus,
        release_bands,
        default_priority: whole("default_priority", default_priority)?,
        tie_breaks: base.tie_breaks.clone(),
    };
    config
        .validate()
        .map_err(|e| AppError::invalid("scoring", e.to_string()))?;
    Ok(config)
}

/// What was typed in a refused form, shown again.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RuleForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    facility: String,
    /// Empty: a new rule.
    #[serde(default)]
    id: String,
    #[serde(default)]
    package: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    flag: String,
    /// `on` when the checkbox is ticked.
    #[serde(default)]
    active: Option<String>,
    /// `national` (national administrators) or `facility`.
    #[serde(default)]
    scope: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScoringForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    facility: String,
    #[serde(default)]
    preference_bonus: String,
    #[serde(default)]
    release_bands: String,
    #[serde(default)]
    default_priority: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct RulesQuery {
    #[serde(default)]
    facility: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "selection/rules.html")]
pub struct RulesPage {
    chrome: Chrome,
    tr: Tr,
    facilities: Vec<FacilityView>,
    facility: String,
    packages: Vec<PackageName>,
    rules: Vec<RuleView>,
    may_national: bool,
    /// The facility's draft round, whose scoring can still change.
    draft: Option<RoundView>,
    error: Option<FormError>,
    typed: RuleForm,
    typed_scoring: Option<ScoringForm>,
}

impl RulesPage {
    fn rules_of<'a>(&'a self, package: &str) -> Vec<&'a RuleView> {
        self.rules.iter().filter(|r| r.package == package).collect()
    }

    fn editable(&self, rule: &RuleView) -> bool {
        !rule.national || self.may_national
    }

    fn parameter(&self, rule: &RuleView) -> String {
        parameter(&rule.rule)
    }

    /// Whether the rule's parameter is a choice (flag, education level, stage), not a number.
    fn is_choice(&self, rule: &RuleView) -> bool {
        matches!(
            rule.rule,
            RuleKind::RequiredFlag { .. }
                | RuleKind::BlockedFlag { .. }
                | RuleKind::MinEducation { .. }
                | RuleKind::MinStage { .. }
        )
    }

    fn choice_key(&self, rule: &RuleView) -> &'static str {
        choice_key(rule.rule.code(), &parameter(&rule.rule))
    }

    fn kind_key(&self, rule: &RuleView) -> &'static str {
        kind_key(rule.rule.code())
    }

    /// The error of the rule form `form` (`rule-<id>`, or `add` for a new rule) at `field`.
    fn error_for(&self, form: &str, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| e.form == form && (e.field == field || field == "*"))
            .map(|e| e.message.as_str())
    }

    fn form_of(&self, rule: &RuleView) -> String {
        format!("rule-{}", rule.id)
    }

    fn typed_new(&self, field: &str) -> &str {
        if !self.typed.id.is_empty() {
            return "";
        }
        match field {
            "package" => &self.typed.package,
            "kind" => &self.typed.kind,
            "value" => &self.typed.value,
            "flag" => &self.typed.flag,
            _ => "",
        }
    }

    /// Whether the new-rule form was sent with `value` at `field` (to keep the choice selected).
    fn is_typed(&self, field: &str, value: &str) -> bool {
        self.typed_new(field) == value
    }

    fn bonus_text(&self) -> String {
        match (&self.typed_scoring, &self.draft) {
            (Some(t), _) => t.preference_bonus.clone(),
            (None, Some(r)) => join(r.scoring.preference_bonus.iter().map(i64::to_string)),
            _ => String::new(),
        }
    }

    fn bands_text(&self) -> String {
        match (&self.typed_scoring, &self.draft) {
            (Some(t), _) => t.release_bands.clone(),
            (None, Some(r)) => join(
                r.scoring
                    .release_bands
                    .iter()
                    .map(|b| format!("{}:{}", b.within_days, b.priority)),
            ),
            _ => String::new(),
        }
    }

    fn default_priority_text(&self) -> String {
        match (&self.typed_scoring, &self.draft) {
            (Some(t), _) => t.default_priority.clone(),
            (None, Some(r)) => r.scoring.default_priority.to_string(),
            _ => String::new(),
        }
    }

    fn facility_qs(&self) -> String {
        if self.facilities.is_empty() {
            String::new()
        } else {
            format!("?facility={}", encode(&self.facility))
        }
    }
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

async fn rules_page(
    app: &App,
    page: &Page,
    chosen: Option<&str>,
    error: Option<FormError>,
    typed: RuleForm,
    typed_scoring: Option<ScoringForm>,
) -> Result<RulesPage, WebError> {
    page.actor()
        .authorise(Permission::PlanTraining, page.own_facility())?;
    let (facilities, code) = facility_of(app, page, chosen).await?;
    let (sheet, draft) = match &code {
        Some(code) => (
            Some(rules::rule_sheet(app, page.actor(), code).await?),
            rounds::current_round(app, page.actor(), code)
                .await?
                .filter(|r| r.status == "draft"),
        ),
        None => (None, None),
    };
    let (packages, rules) = sheet.map_or((Vec::new(), Vec::new()), |s| (s.packages, s.rules));
    Ok(RulesPage {
        chrome: page.chrome(Section::Selection),
        tr: page.tr,
        facilities,
        facility: code.unwrap_or_default(),
        packages,
        rules,
        may_national: page
            .actor()
            .authorise(Permission::ManageCatalogue, None)
            .is_ok(),
        draft: draft.filter(|_| may(page, Permission::PlanTraining)),
        error,
        typed,
        typed_scoring,
    })
}

/// `GET /selection/rules`
pub async fn show(
    State(app): State<App>,
    page: Page,
    Query(query): Query<RulesQuery>,
) -> Result<RulesPage, WebError> {
    rules_page(
        &app,
        &page,
        query.facility.as_deref(),
        None,
        RuleForm::default(),
        None,
    )
    .await
}

fn back_to_rules(facility: &str, page: &Page, notice: &str) -> Response {
    let target = if page.own_facility().is_some() {
        format!("/selection/rules?notice={notice}")
    } else {
        format!(
            "/selection/rules?facility={}&notice={notice}",
            encode(facility)
        )
    };
    Redirect::to(&target).into_response()
}

async fn refused(
    app: &App,
    page: &Page,
    facility: &str,
    form: &str,
    err: AppError,
    typed: RuleForm,
    typed_scoring: Option<ScoringForm>,
) -> Result<Response, PageError> {
    let status = status_of(&err);
    let Some(error) = FormError::new(form, &err, page.tr) else {
        return Err(WebError::from(err).into());
    };
    let view = rules_page(app, page, Some(facility), Some(error), typed, typed_scoring).await?;
    Ok((status, view).into_response())
}

/// `POST /selection/rules`: add a rule (`id` empty) or change one.
pub async fn save(
    State(app): State<App>,
    page: Page,
    Form(form): Form<RuleForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let code = posted_facility(&app, &page, &form.facility, Permission::PlanTraining).await?;
    let form_name = if form.id.trim().is_empty() {
        "add".to_owned()
    } else {
        format!("rule-{}", form.id.trim())
    };
    let id = match form.id.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return Err(WebError::from(AppError::NotFound(format!("rule {text}"))).into()),
        },
    };
    let national = form.scope == "national";
    let change = rule_of(&form.kind, &form.value, &form.flag).map(|rule| RuleChange {
        id,
        package: form.package.trim().to_owned(),
        facility: (!national).then(|| code.clone()),
        rule,
        active: form.active.is_some(),
    });
    let result = match change {
        Ok(change) => rules::set_rule(&app, page.actor(), &change).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(_) => Ok(back_to_rules(&code, &page, "rule-saved")),
        Err(err) => refused(&app, &page, &code, &form_name, err, form, None).await,
    }
}

/// `POST /selection/rounds/{id}/scoring`: the ranking of a draft round.
pub async fn save_scoring(
    State(app): State<App>,
    page: Page,
    Path(round_id): Path<i64>,
    Form(form): Form<ScoringForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let code = posted_facility(&app, &page, &form.facility, Permission::PlanTraining).await?;
    // The tie-breaks are not on the form: they come from the round itself, which must be
    // the facility's current round (another id is not this facility's to change here).
    let base = rounds::current_round(&app, page.actor(), &code)
        .await?
        .filter(|r| r.id == round_id)
        .map(|r| r.scoring)
        .ok_or_else(|| {
            WebError::from(AppError::NotFound(format!(
                "selection round {round_id} of {code}"
            )))
        })?;
    let result = match scoring_of(
        &base,
        &form.preference_bonus,
        &form.release_bands,
        &form.default_priority,
    ) {
        Ok(scoring) => rounds::set_scoring(&app, page.actor(), round_id, &scoring).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(_) => Ok(back_to_rules(&code, &page, "scoring-saved")),
        Err(err) => {
            refused(
                &app,
                &page,
                &code,
                "scoring",
                err,
                RuleForm::default(),
                Some(form),
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A choice that fits `kind`, or `None` for kinds with a number.
    fn sample_choice(kind: &str) -> Option<&'static str> {
        match kind {
            "required_flag" | "blocked_flag" => Some("literate"),
            "min_education" => Some("junior_secondary"),
            "min_stage" => Some("advanced_1"),
            _ => None,
        }
    }

    #[test]
    fn every_kind_reads_back_what_it_shows() {
        for kind in KINDS {
            let rule = match sample_choice(kind) {
                Some(choice) => rule_of(kind, "", choice),
                None => rule_of(kind, "18", ""),
            }
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
            assert_eq!(rule.code(), kind);
            let shown = parameter(&rule);
            let again = if sample_choice(kind).is_some() {
                assert_ne!(choice_key(kind, &shown), "status-unknown", "{kind}");
                rule_of(kind, "", &shown)
            } else {
                rule_of(kind, &shown, "")
            };
            assert_eq!(again.ok(), Some(rule));
            assert_ne!(kind_key(kind), "status-unknown");
        }
        for flag in FLAGS {
            assert_ne!(flag_key(flag), "status-unknown");
        }
        for level in EDUCATION_LEVELS {
            assert!(rule_of("min_education", "", level).is_ok(), "{level}");
            assert_ne!(education_key(level), "status-unknown");
        }
        for stage in STAGES {
            assert!(rule_of("min_stage", "", stage).is_ok(), "{stage}");
            assert_ne!(stage_key(stage), "status-unknown");
        }
    }

    #[test]
    fn bad_values_name_their_field() {
        let field = |r: Result<RuleKind, AppError>| match r {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(rule_of("min_score", "abc", "")), "value");
        assert_eq!(field(rule_of("min_score", "101", "")), "value");
        assert_eq!(field(rule_of("min_age", "-3", "")), "value");
        assert_eq!(field(rule_of("required_flag", "", "tall")), "flag");
        assert_eq!(field(rule_of("nope", "1", "")), "kind");
        assert_eq!(field(rule_of("min_education", "", "literate")), "flag");
        assert_eq!(field(rule_of("min_stage", "", "released")), "flag");
    }

    #[test]
    fn scoring_reads_lists_and_bands() {
        let base = RankingConfig::default();
        let config = scoring_of(&base, "20, 10", "90:6; 365:3", "1").unwrap_or_default();
        assert_eq!(config.preference_bonus, vec![20, 10]);
        assert_eq!(
            config.release_bands,
            vec![
                ReleaseBand {
                    within_days: 90,
                    priority: 6
                },
                ReleaseBand {
                    within_days: 365,
                    priority: 3
                }
            ]
        );
        assert_eq!(config.default_priority, 1);
        assert_eq!(config.tie_breaks, base.tie_breaks);
        assert!(matches!(
            scoring_of(&base, "x", "", "1"),
            Err(AppError::Invalid { field, .. }) if field == "preference_bonus"
        ));
        assert!(matches!(
            scoring_of(&base, "", "90-6", "1"),
            Err(AppError::Invalid { field, .. }) if field == "release_bands"
        ));
    }
}
