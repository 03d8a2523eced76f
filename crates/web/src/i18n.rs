//! Languages of the web pages: Bahasa Indonesia (the default) and English. Every UI text lives
//! in the Fluent files under `crates/web/locales/<lang>/`, compiled into the binary; templates
//! call [`Tr::t`] and friends, never a literal. Dates and numbers are formatted per language
//! here too (`10 Juni 2021` / `10 June 2021`, `1.234,5` / `1,234.5`).
//!
//! The language of a request is chosen by [`resolve`]: `?lang=id|en` (remembered in a cookie
//! and, for a signed-in user, on the account), then the cookie, then `Accept-Language`, then
//! Indonesian.

use chrono::{Datelike, NaiveDate};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use std::borrow::Cow;
use std::collections::HashMap;
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "id",
        // No Unicode isolation marks around arguments: both languages are left-to-right, and
        // the marks would end up inside attribute values and copied text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static INDONESIAN: LanguageIdentifier = langid!("id");
static ENGLISH: LanguageIdentifier = langid!("en");

/// The name of the cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "bekal_lang";

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Id, Lang::En];

    /// The BCP 47 code, as used in `<html lang>`, `?lang=` and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// `id` or `en` (case-insensitive, region ignored: `en-GB` is English).
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "id" | "in" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The best language of an `Accept-Language` header, by its q-values; `None` when it names
    /// neither of ours.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(tag) = parts.next() else { continue };
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Lang::parse(tag)
                && quality > 0.0
                && best.is_none_or(|(_, q)| quality > q)
            {
                best = Some((lang, quality));
            }
        }
        best.map(|(lang, _)| lang)
    }

    fn identifier(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Id => &INDONESIAN,
            Lang::En => &ENGLISH,
        }
    }

    /// The translator for this language.
    pub fn tr(self) -> Tr {
        Tr { lang: self }
    }
}

/// Picks the language of a request: an explicit `?lang=`, then the cookie, then
/// `Accept-Language`, then Indonesian.
pub fn resolve(query_lang: Option<&str>, cookie: Option<&str>, accept: Option<&str>) -> Lang {
    query_lang
        .and_then(Lang::parse)
        .or_else(|| cookie.and_then(Lang::parse))
        .or_else(|| accept.and_then(Lang::from_accept_language))
        .unwrap_or_default()
}

/// Looks up and formats UI text in one language. Cheap to copy; templates hold one as `tr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    /// The code of the language (`id` / `en`), for `<html lang>`.
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// Whether a message exists (used for optional notices).
    pub fn has(&self, key: &str) -> bool {
        LOCALES
            .lookup_no_default_fallback::<&str>(self.lang.identifier(), key, None)
            .is_some()
    }

    /// The text of `key`. A missing key shows as the key itself (and is caught by the tests
    /// that compare the templates with the Fluent files).
    pub fn t(&self, key: &str) -> String {
        self.lookup(key, None)
    }

    /// The text of `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl Into<Arg>) -> String {
        let mut args = HashMap::new();
        args.insert(Cow::Owned(name.to_owned()), value.into().0);
        self.lookup(key, Some(&args))
    }

    /// The text of `key` with two arguments.
    pub fn t2(
        &self,
        key: &str,
        first: &str,
        first_value: impl Into<Arg>,
        second: &str,
        second_value: impl Into<Arg>,
    ) -> String {
        let mut args = HashMap::new();
        args.insert(Cow::Owned(first.to_owned()), first_value.into().0);
        args.insert(Cow::Owned(second.to_owned()), second_value.into().0);
        self.lookup(key, Some(&args))
    }

    fn lookup(
        &self,
        key: &str,
        args: Option<&HashMap<Cow<'static, str>, FluentValue<'static>>>,
    ) -> String {
        match LOCALES.try_lookup_complete(self.lang.identifier(), key, args) {
            Some(text) => text,
            None => {
                tracing::warn!(key, lang = self.code(), "missing UI text");
                key.to_owned()
            }
        }
    }

    /// A date as people write it: `10 Juni 2021` / `10 June 2021`.
    pub fn date(&self, date: &NaiveDate) -> String {
        let month = date.month0() as usize;
        let name = match self.lang {
            Lang::Id => MONTHS_ID.get(month),
            Lang::En => MONTHS_EN.get(month),
        }
        .copied()
        .unwrap_or("?");
        format!("{} {} {}", date.day(), name, date.year())
    }

    /// An optional date, or a dash.
    pub fn date_or_dash(&self, date: &Option<NaiveDate>) -> String {
        date.as_ref()
            .map_or_else(|| "-".to_owned(), |d| self.date(d))
    }

    /// A short date for dense tables: `10/06/2021` (both languages write day first here).
    pub fn short_date(&self, date: &NaiveDate) -> String {
        date.format("%d/%m/%Y").to_string()
    }

    /// Day and month for a column heading: `10/06`.
    pub fn day_month(&self, date: &NaiveDate) -> String {
        date.format("%d/%m").to_string()
    }

    /// A whole number with thousands separators: `1.234` / `1,234`.
    pub fn int(&self, value: impl Count) -> String {
        let value: i64 = value.as_i64();
        let digits = value.unsigned_abs().to_string();
        let separator = match self.lang {
            Lang::Id => '.',
            Lang::En => ',',
        };
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if value < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(c);
        }
        out
    }

    /// A share (0.0-1.0) as a percentage with one decimal: `87,5 %` / `87.5%`.
    pub fn percent(&self, share: &f64) -> String {
        let value = (share * 1000.0).round() / 10.0;
        match self.lang {
            Lang::Id => format!("{value:.1} %").replace('.', ","),
            Lang::En => format!("{value:.1}%"),
        }
    }

    /// An optional share as a percentage, or a dash.
    pub fn percent_or_dash(&self, share: &Option<f64>) -> String {
        share
            .as_ref()
            .map_or_else(|| "-".to_owned(), |s| self.percent(s))
    }
}

/// A whole number of any integer type (or a reference to one), as templates hold them.
pub trait Count {
    fn as_i64(&self) -> i64;
}

impl<T: Count + ?Sized> Count for &T {
    fn as_i64(&self) -> i64 {
        (**self).as_i64()
    }
}

macro_rules! count {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn as_i64(&self) -> i64 {
                i64::try_from(*self).unwrap_or(i64::MAX)
            }
        }
    )*};
}
count!(i32, i64, u32, u64, usize);

/// An argument of a message: a number or a piece of text.
#[derive(Debug)]
pub struct Arg(FluentValue<'static>);

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg(FluentValue::from(value.to_owned()))
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg(FluentValue::from(value))
    }
}

impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Arg(FluentValue::from(value.clone()))
    }
}

macro_rules! numeric_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(value: $t) -> Self {
                Arg(FluentValue::from(value))
            }
        }
        impl From<&$t> for Arg {
            fn from(value: &$t) -> Self {
                Arg(FluentValue::from(*value))
            }
        }
    )*};
}
numeric_arg!(i32, i64, u32, u64, usize);

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
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_is_chosen_by_query_then_cookie_then_header() {
        assert_eq!(resolve(Some("en"), Some("id"), Some("id")), Lang::En);
        assert_eq!(resolve(None, Some("en"), Some("id")), Lang::En);
        assert_eq!(resolve(Some("xx"), None, Some("en-GB,en;q=0.8")), Lang::En);
        assert_eq!(
            resolve(None, None, Some("fr, en;q=0.5, id;q=0.9")),
            Lang::Id
        );
        assert_eq!(resolve(None, None, Some("fr, de")), Lang::Id);
        assert_eq!(resolve(None, None, None), Lang::Id);
        assert_eq!(resolve(None, None, Some("en;q=0")), Lang::Id);
    }

    #[test]
    fn dates_and_numbers_follow_the_language() {
        let day = NaiveDate::from_ymd_opt(2021, 6, 10).expect("date");
        assert_eq!(Lang::Id.tr().date(&day), "10 Juni 2021");
        assert_eq!(Lang::En.tr().date(&day), "10 June 2021");
        assert_eq!(Lang::Id.tr().int(1_234_567), "1.234.567");
        assert_eq!(Lang::En.tr().int(-1_234), "-1,234");
        assert_eq!(Lang::En.tr().int(999), "999");
        assert_eq!(Lang::Id.tr().percent(&0.875), "87,5 %");
        assert_eq!(Lang::En.tr().percent(&0.875), "87.5%");
    }

    #[test]
    fn messages_take_arguments_in_both_languages() {
        let id = Lang::Id.tr().t1("signed-in-as", "name", "petugas");
        let en = Lang::En.tr().t1("signed-in-as", "name", "petugas");
        assert!(id.contains("petugas") && id.starts_with("Masuk"), "{id}");
        assert!(en.contains("petugas") && en.starts_with("Signed"), "{en}");
    }
}
