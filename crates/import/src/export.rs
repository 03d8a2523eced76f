//! Export of validated records back to CSV in the import format: Indonesian SDP-style
//! headers, dates as dd/mm/yyyy, sentences as `2 tahun 6 bulan`, lists joined with `, `.
//! Importing the output gives back the same records. Cells starting with `=`, `+`, `-` or `@`
//! get a leading `'` (formula-injection guard), which the importer removes.

use crate::headers::Field;
use crate::record::InmateRecord;
use crate::values::enums::{
    education_label, register_class_label, religion_label, risk_level_label, sex_label,
};
use crate::values::escape_formula;
use crate::values::sentence::format_sentence;

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

fn opt<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map(f).unwrap_or_default()
}

/// One record as cells in [`Field::ALL`] order.
pub fn record_cells(r: &InmateRecord) -> Vec<String> {
    Field::ALL
        .iter()
        .map(|f| match f {
            Field::RegisterNumber => r.register_number.clone(),
            Field::Name => r.name.clone(),
            Field::Aliases => r.aliases.join(", "),
            Field::Sex => opt(r.sex, |s| sex_label(s).to_owned()),
            Field::BirthDate => date(r.birth_date),
            Field::Religion => opt(r.religion.as_ref(), |x| religion_label(x).to_owned()),
            Field::Education => opt(r.education, |e| education_label(e).to_owned()),
            Field::OriginCity => r.origin_city.clone().unwrap_or_default(),
            Field::CaseArticle => r.case_article.clone().unwrap_or_default(),
            Field::Sentence => opt(r.sentence.as_ref(), format_sentence),
            Field::SentenceStart => date(r.sentence_start),
            Field::ExpectedRelease => date(r.expected_release),
            Field::RemissionDays => opt(r.remission_days, |n| n.to_string()),
            Field::Block => r.block.clone().unwrap_or_default(),
            Field::Cell => r.cell.clone().unwrap_or_default(),
            Field::RegisterClass => opt(r.register_class, |c| register_class_label(c).to_owned()),
            Field::SppnScore => opt(r.sppn_score, |v| format!("{v}")),
            Field::RiskLevel => opt(r.risk_level, |x| risk_level_label(x).to_owned()),
            Field::Skills => r.skills.join(", "),
            Field::Interests => r.interests.join(", "),
        })
        .collect()
}

/// Write records as UTF-8 CSV (no BOM) with the given separator.
pub fn export_csv<'a>(
    records: impl IntoIterator<Item = &'a InmateRecord>,
    delimiter: u8,
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    w.write_record(Field::ALL.iter().map(|f| f.export_header()))?;
    for r in records {
        w.write_record(
            record_cells(r)
                .iter()
                .map(|c| escape_formula(c).into_owned()),
        )?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
