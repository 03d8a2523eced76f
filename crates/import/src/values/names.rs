//! Names: SDP writes aliases inside the name (`BUDI SANTOSO ALS BEJO`); split them out so the
//! name is the person's own and the aliases go with the others.

use super::clean_text;

fn is_alias_marker(word: &str) -> bool {
    matches!(
        word.trim_end_matches(['.', ':']).to_lowercase().as_str(),
        "als" | "alias" | "aka" | "a.k.a"
    )
}

/// Split `name als alias1 als alias2` into the name and its aliases. A marker at the very start
/// (nothing before it) leaves the text untouched.
pub fn split_alias(name: &str) -> (String, Vec<String>) {
    let words: Vec<&str> = name.split_whitespace().collect();
    let Some(first) = words.iter().position(|w| is_alias_marker(w)) else {
        return (clean_text(name), Vec::new());
    };
    if first == 0 {
        return (clean_text(name), Vec::new());
    }
    let own = words[..first].join(" ");
    let mut aliases = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for w in &words[first + 1..] {
        if is_alias_marker(w) {
            if !current.is_empty() {
                aliases.push(current.join(" "));
            }
            current.clear();
        } else {
            current.push(w);
        }
    }
    if !current.is_empty() {
        aliases.push(current.join(" "));
    }
    (own, aliases)
}

/// True for numbers Excel turned into scientific notation (`2.02106E+07`), which lost digits.
pub fn looks_scientific(s: &str) -> bool {
    let t = s.trim();
    let Some((mantissa, exp)) = t.split_once(['e', 'E']) else {
        return false;
    };
    let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
    let mantissa_ok = !mantissa.is_empty()
        && mantissa
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && mantissa.chars().any(|c| c.is_ascii_digit());
    mantissa_ok && !exp.is_empty() && exp.chars().all(|c| c.is_ascii_digit())
}
