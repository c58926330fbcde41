//! The registry's contract, checked natively: every lesson writes exactly the URL keys it
//! declares, with the defaults its table documents, and `docs/url-keys.md` / `.json` are the
//! tables as generated now (`PARLAB_BLESS=1 cargo test -p parlab-app` rewrites them).

use std::collections::BTreeSet;

use super::LESSONS;
use crate::params::{self, GLOBAL, Kind, Param};

/// The pool the docs' resolved defaults are given for.
const DOC_POOL: usize = 4;

fn written_params(params: &[Param]) -> BTreeSet<&'static str> {
    params.iter().filter(|p| !p.action).map(|p| p.key).collect()
}

#[test]
fn lessons_write_exactly_their_declared_keys_with_the_documented_defaults() {
    for pool in [1, 2, DOC_POOL, 8] {
        for lesson in LESSONS {
            let params = (lesson.params)();
            let (query, notes) = (lesson.defaults)(pool);
            let what = format!("#/{} at pool {pool}", lesson.route);
            assert!(notes.is_empty(), "{what}: defaults give notes {notes:?}");
            let text = query.to_string();
            let written: BTreeSet<&str> = text
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| p.split('=').next().unwrap_or(""))
                .collect();
            let declared: BTreeSet<&str> = written_params(&params).into_iter().collect();
            assert_eq!(written, declared, "{what}: written vs declared keys");
            for p in params.iter().filter(|p| !p.action && !p.derived) {
                let got = query.get(p.key).unwrap_or_default();
                let want = p.default_text(pool);
                // Lesson-specific clamps of a pool-sized default (e.g. at least 2 racing threads).
                let pool_bound = p.default.contains("pool") && pool < 2;
                assert!(
                    got == want || pool_bound,
                    "{what}: {} defaults to {got:?}, documented {want:?}",
                    p.key
                );
            }
        }
    }
}

#[test]
fn keys_are_unique_and_choice_defaults_are_choices() {
    for lesson in LESSONS {
        let params = (lesson.params)();
        let mut seen = BTreeSet::new();
        for p in params.iter().chain(GLOBAL) {
            assert!(seen.insert(p.key), "#/{}: {} declared twice", lesson.route, p.key);
            assert!(!p.doc.is_empty(), "{} has a doc line", p.key);
            if let Kind::Choice(names) = p.kind {
                assert!(
                    names().iter().any(|n| n == p.default),
                    "{}: default among {:?}",
                    p.key,
                    names()
                );
            }
        }
    }
}

/// `docs/url-keys.md`: the global keys and one table per lesson.
fn markdown() -> String {
    let mut s = String::from(
        "# URL keys\n\nGenerated from the parameter tables in the code (`crates/app/src/params.rs`, \
         each lesson's `UrlState`); `cargo test -p parlab-app` fails when this file is stale, and \
         `PARLAB_BLESS=1 cargo test -p parlab-app` rewrites it. `pool` in a default or range \
         means the page's pool size; `1,2,4…pool` the powers of two below it and the pool. Values \
         out of range or malformed are clamped or replaced, and a note (`url-note`) says so.\n\n\
         ## Every page\n\n",
    );
    s += &params::docs::markdown(GLOBAL);
    for lesson in LESSONS {
        s += &format!("\n## `#/{}` — {}\n\n", lesson.route, lesson.title);
        let params = (lesson.params)();
        if params.is_empty() {
            s += "No keys.\n";
        } else {
            s += &params::docs::markdown(&params);
        }
        if !lesson.sections.is_empty() {
            s += "\nParts for `section=`: ";
            let parts: Vec<String> =
                lesson.sections.iter().map(|p| format!("`{}` ({})", p.id, p.title)).collect();
            s += &parts.join(", ");
            s += ".\n";
        }
    }
    s
}

/// `docs/url-keys.json`: what the E2E URL round-trip specs are checked against.
fn json() -> String {
    let lessons: serde_json::Map<String, serde_json::Value> = LESSONS
        .iter()
        .map(|l| (l.route.to_string(), params::docs::json(&(l.params)(), DOC_POOL)))
        .collect();
    let doc = serde_json::json!({
        "pool": DOC_POOL,
        "global": params::docs::json(GLOBAL, DOC_POOL),
        "lessons": lessons,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

#[test]
fn generated_docs_are_current() {
    let docs = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs");
    for (name, text) in [("url-keys.md", markdown()), ("url-keys.json", json())] {
        let path = format!("{docs}/{name}");
        if std::env::var_os("PARLAB_BLESS").is_some() {
            std::fs::create_dir_all(docs).expect("docs/ can be made");
            std::fs::write(&path, &text).expect("docs can be written");
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(on_disk == text, "{path} is stale: run PARLAB_BLESS=1 cargo test -p parlab-app");
    }
}

#[test]
fn lesson_titles_come_from_the_registry() {
    assert_eq!(super::find("serial").map(|l| l.title), Some("Serial vs parallel"));
    assert_eq!(super::find("nope").map(|l| l.title), None);
}
