//! The guides' contract: every lesson has one, its embed examples use only keys and sections
//! the lesson declares, its model numbers are the model's, and `docs/teaching.md` is generated
//! from them (`PARLAB_BLESS=1 cargo test -p parlab-app` rewrites it; stale fails).

use parlab_model::amdahl::speedup;

use super::view::markdown;
use super::{CORES, EMBED_BASICS, Typical, for_route, serial_share};
use crate::lessons::LESSONS;
use crate::params::GLOBAL;

#[test]
fn every_lesson_has_a_guide_with_goals_questions_results_and_embeds() {
    for l in LESSONS {
        let g = for_route(l.route).unwrap_or_else(|| panic!("#/{} has no guide", l.route));
        assert!(g.goals.len() >= 2 && g.questions.len() >= 3, "#/{}", l.route);
        assert!(!g.typical.is_empty() && !g.embeds.is_empty(), "#/{}", l.route);
    }
}

#[test]
fn embed_examples_use_declared_keys_and_sections() {
    for l in LESSONS {
        let params = (l.params)();
        for e in for_route(l.route).map_or(&[][..], |g| g.embeds) {
            for pair in e.query.split('&') {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                let declared = params.iter().chain(GLOBAL).any(|p| p.key == key);
                assert!(declared, "#/{}: {} uses undeclared key {key}", l.route, e.query);
                if key == "section" {
                    assert!(
                        l.sections.iter().any(|s| s.id == value),
                        "#/{}: no section {value}",
                        l.route
                    );
                }
                if key == "lock" || key == "hide" {
                    for k in value.split(',') {
                        assert!(params.iter().any(|p| p.key == k), "#/{}: {key}={k}", l.route);
                    }
                }
            }
        }
    }
}

#[test]
fn scaling_rows_extrapolate_with_the_measured_serial_share() {
    // 2 cores at 1.93× imply 1 − p = (1/1.93 − 1/2) / (1 − 1/2) ≈ 0.036.
    assert!((serial_share(1.93) - 0.0363).abs() < 1e-3);
    let row = Typical::Scaling { what: "x", t1_ms: 355.0, t2_ms: 184.0, source: "s" }.cells();
    let e = serial_share(355.0 / 184.0);
    assert!(row.cores[0].starts_with("1.93×") && row.cores[0].contains("measured"));
    assert!(row.cores[1].contains(&format!("{:.1}×", speedup(1.0 - e, 4.0))));
    assert!(row.cores[2].contains(&format!("{:.1}×", speedup(1.0 - e, 8.0))));
    assert!(row.cores[1].contains("expected") && row.basis.contains("Karp–Flatt"));
    // Perfect scaling stays perfect; a 2-core slowdown is all serial.
    assert_eq!(serial_share(2.0), 0.0);
    assert_eq!(serial_share(0.9), 1.0);
}

#[test]
fn model_rows_in_text_match_amdahl() {
    let overview = for_route("").expect("overview guide");
    let Typical::Text { cores, .. } = &overview.typical[0] else { panic!("a text row") };
    for (n, cell) in CORES.iter().zip(cores) {
        assert!(cell.starts_with(&format!("{:.2}×", speedup(0.9, *n as f64))), "{cell}");
    }
    let amdahl = for_route("amdahl").expect("amdahl guide");
    let serial = amdahl.typical.iter().find_map(|t| match t {
        Typical::Text { what, cores, .. } if what.contains("0.20") => Some(cores),
        _ => None,
    });
    for (n, cell) in CORES.iter().zip(serial.expect("the injected-serial row")) {
        let want = speedup(0.8, *n as f64);
        let digits = if *n == 2 { 2 } else { 1 };
        assert!(cell.contains(&format!("{want:.digits$}×")), "{cell} vs {want}");
    }
}

/// `docs/teaching.md`: every lesson's guide, in navigation order.
fn teaching_md() -> String {
    let mut s = String::from(
        "# Teaching with parlab\n\nGenerated from the lessons' guides \
         (`crates/app/src/lessons/guides/`), the same data as each lesson's folded \"For \
         instructors\" panel; `cargo test -p parlab-app` fails when this file is stale, and \
         `PARLAB_BLESS=1 cargo test -p parlab-app` rewrites it.\n\n\
         Only the 2-core numbers are measurements (this project's 2-core test machine, \
         `BENCHMARKS.md`). The 4- and 8-core columns are expected values — Amdahl's law with the \
         serial share 1 − p that the 2-core speedup implies (Karp–Flatt), another model, or \
         published figures — and each row says which.\n\n## Embedding, for every lesson\n\n",
    );
    s += EMBED_BASICS;
    s += "\n";
    for l in LESSONS {
        if let Some(g) = for_route(l.route) {
            s += "\n";
            s += &markdown(l.route, l.title, g);
        }
    }
    s
}

#[test]
fn teaching_doc_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/teaching.md");
    let text = teaching_md();
    if std::env::var_os("PARLAB_BLESS").is_some() {
        std::fs::write(path, &text).expect("docs/teaching.md can be written");
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(on_disk == text, "{path} is stale: run PARLAB_BLESS=1 cargo test -p parlab-app");
}
