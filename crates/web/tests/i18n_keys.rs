//! Every UI text exists in both languages: the two Fluent trees hold the same message ids, every
//! message id the templates and the web code name exists, and no template carries a
//! hard-coded sentence outside the translation files.

#![expect(
    clippy::expect_used,
    reason = "a file that cannot be read is a failed test"
)]

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// Message ids of one language (lines `id = ...` at the start of a line).
fn message_ids(lang: &str) -> BTreeSet<String> {
    let mut paths = Vec::new();
    files(&root().join("locales").join(lang), "ftl", &mut paths);
    assert!(!paths.is_empty(), "no .ftl files for {lang}");
    let mut ids = BTreeSet::new();
    for path in paths {
        let text = fs::read_to_string(&path).expect("read ftl");
        for line in text.lines() {
            if let Some((id, _)) = line.split_once(" =")
                && !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                assert!(
                    ids.insert(id.to_owned()),
                    "{lang}: message {id} defined twice"
                );
            }
        }
    }
    ids
}

/// String literals in `text` that look like message ids (`word-word...`).
fn literal_ids(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        let literal = &after[..end];
        let looks_like_id = literal.contains('-')
            && literal.starts_with(|c: char| c.is_ascii_lowercase())
            && literal
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            && !literal.ends_with('-');
        if looks_like_id {
            out.push(literal.to_owned());
        }
        rest = &after[end + 1..];
    }
    out
}

#[test]
fn both_languages_have_the_same_messages() {
    let id = message_ids("id");
    let en = message_ids("en");
    let only_id: Vec<_> = id.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&id).collect();
    assert!(
        only_id.is_empty() && only_en.is_empty(),
        "only in id: {only_id:?}\nonly in en: {only_en:?}"
    );
}

#[test]
fn every_named_message_exists() {
    let ids = message_ids("id");
    let namespaces: HashSet<&str> = ids.iter().filter_map(|i| i.split('-').next()).collect();
    let mut sources = Vec::new();
    files(&root().join("templates"), "html", &mut sources);
    files(&root().join("src"), "rs", &mut sources);
    let mut missing = BTreeSet::new();
    for path in &sources {
        let text = fs::read_to_string(path).expect("read source");
        // In templates only expressions name messages; attribute values are ids and classes.
        let text = if path.extension().is_some_and(|e| e == "html") {
            template_expressions(&text)
        } else {
            text
        };
        for literal in literal_ids(&text) {
            let namespace = literal.split('-').next().unwrap_or_default();
            // `?notice=KEY` shows the message `notice-KEY`.
            let notice = ids.contains(&format!("notice-{literal}"));
            if namespaces.contains(namespace) && !ids.contains(&literal) && !notice {
                missing.insert(format!("{}: {literal}", path.display()));
            }
        }
    }
    assert!(missing.is_empty(), "missing messages:\n{missing:#?}");
}

/// The text inside `{{ ... }}` and `{% ... %}` of a template.
fn template_expressions(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(['{']) {
        let after = &rest[start..];
        let close = if after.starts_with("{{") {
            "}}"
        } else if after.starts_with("{%") {
            "%}"
        } else {
            rest = &after[1..];
            continue;
        };
        let Some(end) = after.find(close) else { break };
        out.push_str(&after[2..end]);
        out.push('\n');
        rest = &after[end + 2..];
    }
    out
}

#[test]
fn computed_messages_exist() {
    let ids = message_ids("id");
    let mut wanted = Vec::new();
    for code in [
        "invalid",
        "not_found",
        "forbidden",
        "conflict",
        "unauthenticated",
        "rate_limited",
        "busy",
        "storage",
        "internal",
    ] {
        wanted.push(format!("error-{code}-title"));
        wanted.push(format!("error-{code}-text"));
    }
    for role in bekal_domain::role::Role::ALL {
        wanted.push(format!("role-{}", role.as_str().replace('_', "-")));
    }
    let missing: Vec<_> = wanted.iter().filter(|w| !ids.contains(*w)).collect();
    assert!(missing.is_empty(), "missing: {missing:?}");
}

/// Templates carry no sentences of their own: text between tags is a template expression,
/// punctuation, or a proper name. A run of three or more plain words is a hard-coded text.
#[test]
fn templates_have_no_hard_coded_sentences() {
    let mut templates = Vec::new();
    files(&root().join("templates"), "html", &mut templates);
    let mut found = Vec::new();
    for path in templates {
        let text = fs::read_to_string(&path).expect("read template");
        let mut in_tag = false;
        let mut in_expr = 0usize;
        let mut chunk = String::new();
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            if c == '{' && (next == '{' || next == '%' || next == '#') {
                in_expr += 1;
                i += 2;
                continue;
            }
            if in_expr > 0 && (c == '}' || c == '%' || c == '#') && next == '}' {
                in_expr -= 1;
                chunk.push(' ');
                i += 2;
                continue;
            }
            if in_expr == 0 {
                if c == '<' {
                    in_tag = true;
                    check_chunk(&chunk, &path, &mut found);
                    chunk.clear();
                } else if c == '>' {
                    in_tag = false;
                } else if !in_tag {
                    chunk.push(c);
                }
            }
            i += 1;
        }
        check_chunk(&chunk, &path, &mut found);
    }
    assert!(
        found.is_empty(),
        "hard-coded text in templates:\n{found:#?}"
    );
}

fn check_chunk(chunk: &str, path: &Path, found: &mut Vec<String>) {
    let words = chunk
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    if words >= 3 {
        found.push(format!("{}: {}", path.display(), chunk.trim()));
    }
}
