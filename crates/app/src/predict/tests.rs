//! Native tests of the prediction logic and its texts.

use super::explain::{self, speedup_question};
use super::*;

#[test]
fn numbers_parse_with_units_and_separators() {
    let q = speedup_question(4);
    assert_eq!(q.parse("3.5"), Ok(Answer::Number(3.5)));
    assert_eq!(q.parse(" 2× "), Ok(Answer::Number(2.0)));
    assert_eq!(q.parse("2x"), Ok(Answer::Number(2.0)));
    assert!(q.parse("abc").is_err());
    assert!(q.parse("-1").is_err());
    assert!(q.parse("NaN").is_err());
    let r = explain::races_question(2, 1_000_000, 10);
    assert_eq!(r.parse("12,345"), Ok(Answer::Number(12345.0)));
    assert!(r.parse("2000001").is_err(), "more than K × M updates cannot be lost");
}

#[test]
fn answers_show_with_their_unit() {
    let q = speedup_question(4);
    assert_eq!(q.show(&Answer::Number(2.5)), "2.50×");
    let r = explain::races_question(2, 1_000_000, 10);
    assert_eq!(r.show(&Answer::Number(1234567.0)), "1,234,567");
    assert_eq!(group(-1234.5, 1), "-1,234.5");
    assert_eq!(group(999.0, 0), "999");
    let g =
        explain::gil_question(2, &[("gil".into(), "GIL".into()), ("free".into(), "free".into())]);
    assert_eq!(g.show(&Answer::Choice("gil".into())), "GIL");
    assert_eq!(g.parse("free"), Ok(Answer::Choice("free".into())));
    assert!(g.parse("other").is_err());
}

#[test]
fn outcome_gap_and_verdict() {
    let q = speedup_question(4);
    let o = Outcome::of(Answer::Number(4.0), Answer::Number(2.5));
    assert_eq!(o.gap, Some(-1.5));
    assert!(!o.close);
    assert_eq!(o.verdict(&q), "You expected more: the measurement is 38 % below your prediction.");
    let o = Outcome::of(Answer::Number(2.0), Answer::Number(2.1));
    assert!(o.close);
    assert!(o.verdict(&q).starts_with("Close"));
    let o = Outcome::of(Answer::Number(1.0), Answer::Number(2.0));
    assert!(o.verdict(&q).contains("100 % above"));
    let zero = Outcome::of(Answer::Number(0.0), Answer::Number(0.0));
    assert!(zero.close);
    let none = Outcome::of(Answer::Number(0.0), Answer::Number(5.0));
    assert_eq!(none.verdict(&q), "You expected 0.00×; the measurement was 5.00×.");
    let g =
        explain::gil_question(2, &[("gil".into(), "GIL".into()), ("free".into(), "free".into())]);
    let o = Outcome::of(Answer::Choice("gil".into()), Answer::Choice("free".into()));
    assert_eq!((o.gap, o.close), (None, false));
    assert_eq!(o.verdict(&g), "Not this time.");
    let json =
        serde_json::to_string(&Outcome::of(Answer::Number(3.0), Answer::Number(2.0))).unwrap();
    assert_eq!(json, r#"{"predicted":3.0,"measured":2.0,"gap":-1.0,"close":false}"#);
}

#[test]
fn ask_blocks_run_until_this_question_is_answered() {
    let mut slot = Slot::new(&Query::parse("ask=1"));
    let q4 = speedup_question(4);
    assert_eq!(slot.blocks(Some(&q4)), Some(BLOCKED));
    assert_eq!(slot.blocks(None), None, "no question (e.g. one thread count): nothing to wait for");
    slot.set(&q4, Some(Answer::Number(3.0)));
    assert_eq!(slot.blocks(Some(&q4)), None);
    let q8 = speedup_question(8);
    assert_eq!(
        slot.blocks(Some(&q8)),
        Some(BLOCKED),
        "an answer to another question does not count"
    );
    assert_eq!(Slot::new(&Query::parse("ask=0")).blocks(Some(&q4)), None);
    assert_eq!(Slot::new(&Query::parse("")).blocks(Some(&q4)), None);
}

#[test]
fn entering_a_prediction_unblocks_the_run_and_only_re_renders() {
    let mut slot = Slot::new(&Query::parse("ask=1"));
    let q = speedup_question(4);
    assert_eq!(slot.enter(None, Some(Answer::Number(3.0))), Change::Progress);
    assert_eq!(slot.answer(Some(&q)), None, "no question: nothing is recorded");
    assert_eq!(slot.enter(Some(&q), Some(Answer::Number(3.0))), Change::Progress);
    assert_eq!(slot.blocks(Some(&q)), None);
    slot.enter(Some(&q), None);
    assert_eq!(slot.blocks(Some(&q)), Some(BLOCKED), "a cleared answer blocks again");
}

#[test]
fn the_run_is_compared_with_the_prediction_it_started_with() {
    let mut slot = Slot::new(&Query::parse(""));
    let q = speedup_question(4);
    slot.start(Some(q.clone()));
    assert_eq!(slot.outcome(Some(Answer::Number(2.0))), None, "no prediction, nothing to compare");
    slot.set(&q, Some(Answer::Number(3.0)));
    slot.start(Some(q.clone()));
    slot.set(&q, Some(Answer::Number(9.0)));
    let (asked, o) = slot.outcome(Some(Answer::Number(2.0))).unwrap();
    assert_eq!(asked, q);
    assert_eq!(o.predicted, Answer::Number(3.0));
    assert_eq!(slot.outcome(None), None, "no measurement yet");
}

#[test]
fn explanations_use_the_measured_numbers() {
    let s = explain::serial(4, 2.0);
    assert!(
        s.contains("2.00× as fast as 1 thread") && s.contains("50 %") && s.contains("joining"),
        "{s}"
    );
    assert!(explain::serial(4, 3.9).contains("scales almost"));
    let a = explain::amdahl(4, 1.5, Some(0.3), Some(0.6));
    assert!(
        a.contains("30.0 %") && a.contains("2.11×") && a.contains("fitted") && a.contains("40.0 %"),
        "{a}"
    );
    let a = explain::amdahl(4, 3.0, None, None);
    assert!(a.contains("bound for 4 threads is 4×") && a.contains("fork"), "{a}");
    assert!(explain::amdahl(4, 2.1, Some(0.3), None).contains("close to the bound"));
    let g = explain::gil(2, &[("GIL".into(), 100.0), ("free".into(), 50.0)], 42, false);
    assert!(
        g.contains("GIL 100.0 ms") && g.contains("one lock holder at a time") && g.contains("42"),
        "{g}"
    );
    assert!(explain::gil(2, &[], 0, true).contains("released"));
    assert!(explain::gil(2, &[], 1, false).contains("handed over once"));
    assert!(explain::races_question(2, 100_000, 5).prompt.contains("100,000 times"));
    let r = explain::races(500, 2000, 10, 7);
    assert!(
        r.contains("500 of 2,000") && r.contains("25.0 %") && r.contains("interleaving"),
        "{r}"
    );
    assert!(explain::simd("saxpy", 4, 1.1).contains("memory"));
    assert!(explain::simd("mandelbrot", 4, 2.5).contains("slowest pixel"));
    assert!(explain::machine(8, 4).contains("hyper-threads"));
    assert!(explain::machine(4, 4).contains("Every reported core"));
}
