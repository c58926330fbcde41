//! Every win condition, won and not won. Explorer levels are judged on real model states
//! (replayed schedules, real exhaustive explorations); measured levels on runs shaped like the
//! lessons' results.

use std::sync::Arc;

use parlab_kernels::gil::Mode as GilMode;
use parlab_kernels::simd::Kernel;
use parlab_model::interleave::{Limits, State, explore, preset};

use super::evidence::*;
use super::levels::{LEVELS, Level};
use super::progress::Progress;

fn level(id: &str) -> &'static Level {
    LEVELS.iter().find(|l| l.id == id).expect("level exists")
}

fn wins(id: &str, history: &[Evidence]) -> bool {
    (level(id).check)(history).is_some()
}

/// The explorer after `schedule` on `id`, optionally with "Explore all" pressed.
fn played(id: &str, schedule: &[usize], explored: bool) -> Evidence {
    let start = State::new(Arc::new(preset(id).expect("preset"))).expect("valid");
    let state = start.replay(schedule).expect("schedule replays");
    let exploration = explored.then(|| explore(&start, Limits::default()));
    Evidence::Explorer(ExplorerSnapshot::of(id, &state, schedule.len(), exploration.as_ref()))
}

#[test]
fn level_ids_are_unique_and_every_lesson_ladder_is_contiguous() {
    for (i, l) in LEVELS.iter().enumerate() {
        assert!(LEVELS[..i].iter().all(|m| m.id != l.id), "duplicate id {}", l.id);
        let last = LEVELS[..i].iter().rposition(|m| m.lesson == l.lesson);
        assert!(last.is_none_or(|k| k + 1 == i), "{}'s levels are not together", l.lesson);
    }
    for lesson in ["races", "serial", "amdahl", "gil", "simd", "machine"] {
        assert!(super::levels::of_lesson(lesson).count() >= 1, "{lesson} has no challenge");
    }
}

#[test]
fn lost_update_needs_the_interleaved_schedule_on_the_racy_counter() {
    assert!(wins("lost-update", &[played("counter", &[0, 1, 0, 1], false)]));
    assert!(!wins("lost-update", &[played("counter", &[0, 0, 1, 1], false)]), "serial: 2");
    assert!(!wins("lost-update", &[played("counter", &[0, 1], false)]), "unfinished");
    assert!(!wins("lost-update", &[played("counter-locked", &[0, 0, 0, 0, 1, 1, 1, 1], false)]));
}

#[test]
fn overdraft_needs_a_negative_balance() {
    // Both check, T1 withdraws and asserts, T2 withdraws from 40 and its assert fails.
    assert!(wins("overdraft", &[played("check-then-act", &[0, 1, 0, 0, 0, 1, 1, 1], false)]));
    assert!(!wins("overdraft", &[played("check-then-act", &[0, 0, 0, 0, 1, 1], false)]));
}

#[test]
fn deadlock_needs_the_lock_cycle() {
    assert!(wins("deadlock", &[played("deadlock", &[0, 1], false)]));
    assert!(!wins("deadlock", &[played("deadlock", &[0, 0], false)]), "still running");
    assert!(!wins("deadlock", &[played("deadlock-ordered", &[0], false)]));
}

#[test]
fn proofs_need_an_exhaustive_exploration_of_the_fixed_program() {
    assert!(wins("prove-lock", &[played("counter-locked", &[], true)]));
    assert!(!wins("prove-lock", &[played("counter-locked", &[], false)]), "not explored");
    assert!(!wins("prove-lock", &[played("counter", &[], true)]), "the racy one fails");
    assert!(wins("prove-order", &[played("deadlock-ordered", &[0], true)]));
    assert!(!wins("prove-order", &[played("deadlock", &[], true)]));
    // A stale proof does not count once the learner has moved on to other evidence.
    let h = [played("counter-locked", &[], true), played("counter", &[0], false)];
    assert!(!wins("prove-lock", &h));
}

#[test]
fn stolen_item_needs_a_consumer_taking_from_an_empty_queue() {
    let start = State::new(Arc::new(preset("prodcons-broken").unwrap())).unwrap();
    let e = explore(&start, Limits::default());
    let assertion = e
        .outcomes
        .iter()
        .find(|o| matches!(o.outcome, parlab_model::interleave::Outcome::Failed(_)))
        .expect("the if-wait can fail");
    assert!(wins("stolen-item", &[played("prodcons-broken", &assertion.shortest, false)]));
    assert!(!wins("stolen-item", &[played("prodcons-broken", &[], false)]));
    let fixed =
        explore(&State::new(Arc::new(preset("prodcons").unwrap())).unwrap(), Limits::default());
    let any = &fixed.outcomes[0].shortest;
    assert!(!wins("stolen-item", &[played("prodcons", any, false)]));
}

fn speedup(serial_share: f64, s2: f64) -> Evidence {
    Evidence::Speedup(SpeedupRun { serial_share, speedups: vec![(1, 1.0), (2, s2)] })
}

#[test]
fn serial_levels_use_the_measured_two_thread_speedup() {
    assert!(wins("serial-fast", &[speedup(0.0, 1.7)]));
    assert!(!wins("serial-fast", &[speedup(0.0, 1.5)]));
    assert!(wins("serial-overhead", &[speedup(0.0, 1.05)]));
    assert!(!wins("serial-overhead", &[speedup(0.0, 1.4)]));
    let one_thread = Evidence::Speedup(SpeedupRun { serial_share: 0.0, speedups: vec![(1, 1.0)] });
    assert!(!wins("serial-overhead", &[one_thread]), "no 2-thread row, no verdict");
}

#[test]
fn amdahl_cap_needs_an_injected_serial_share_and_the_band() {
    assert!(wins("amdahl-cap", &[speedup(0.33, 1.52)]));
    assert!(wins("amdahl-cap", &[speedup(0.4, 1.36)]));
    assert!(!wins("amdahl-cap", &[speedup(0.33, 1.8)]), "above the band");
    assert!(!wins("amdahl-cap", &[speedup(0.8, 1.1)]), "below the band");
    assert!(!wins("amdahl-cap", &[speedup(0.0, 1.5)]), "no serial share injected");
}

fn gil(s2: f64) -> Evidence {
    Evidence::Gil(GilRun {
        workload: "primes".into(),
        speedups: vec![
            (GilMode::Gil, 1, 1.0),
            (GilMode::Gil, 2, s2),
            (GilMode::FreeThreaded, 2, 1.9),
        ],
    })
}

#[test]
fn gil_levels_read_the_gil_mode_only() {
    assert!(wins("gil-no-gain", &[gil(0.95)]));
    assert!(!wins("gil-no-gain", &[gil(1.6)]));
    assert!(wins("gil-gain", &[gil(1.8)]));
    assert!(!wins("gil-gain", &[gil(1.2)]), "the free-threaded 1.9× must not count");
}

fn simd(kernel: Kernel, gain: f64) -> Evidence {
    Evidence::Simd(SimdRun { kernel, gain })
}

#[test]
fn simd_levels() {
    assert!(wins("simd-big", &[simd(Kernel::Sum, 3.1)]));
    assert!(!wins("simd-big", &[simd(Kernel::Saxpy, 1.2)]));
    let three = [simd(Kernel::Sum, 3.0), simd(Kernel::Dot, 2.5), simd(Kernel::Saxpy, 1.1)];
    assert!(!wins("simd-least", &three), "a kernel is missing");
    let mut all = three.to_vec();
    all.push(simd(Kernel::Mandelbrot, 2.2));
    let proof = (level("simd-least").check)(&all).expect("all four measured");
    assert!(proof.contains("saxpy gains least"), "{proof}");
    // The latest run of a kernel counts: a re-run of saxpy at 3.5× moves the answer.
    all.push(simd(Kernel::Saxpy, 3.5));
    let proof = (level("simd-least").check)(&all).unwrap();
    assert!(proof.contains("mandelbrot gains least"), "{proof}");
}

#[test]
fn false_sharing_takes_the_worst_thread_count() {
    let run = |s: Vec<(usize, f64)>| Evidence::Sharing(SharingRun { slowdowns: s });
    assert!(wins("false-sharing", &[run(vec![(2, 1.1), (4, 1.6)])]));
    assert!(!wins("false-sharing", &[run(vec![(2, 1.2)])]));
}

#[test]
fn speedup_evidence_comes_from_the_rows_speedups() {
    use parlab_kernels::measure::Row;
    let row = |threads, speedup| Row {
        threads,
        median_ms: 10.0,
        min_ms: 9.0,
        max_ms: 11.0,
        reps: 3,
        speedup,
        efficiency: None,
        value: 1,
        threads_used: threads,
        serial_ms: 0.0,
        karp_flatt: None,
    };
    let Some(Evidence::Speedup(r)) = SpeedupRun::of(0.3, &[row(1, Some(1.0)), row(2, Some(1.4))])
    else {
        panic!("evidence expected")
    };
    assert_eq!((r.serial_share, r.at(2)), (0.3, Some(1.4)));
    assert!(SpeedupRun::of(0.0, &[row(2, None)]).is_none(), "no 1-thread row, no evidence");
}

#[test]
fn progress_opens_levels_in_order_and_survives_a_round_trip() {
    let mut p = Progress::default();
    // The deadlock (level 3) does not count while levels 1 and 2 are open.
    assert!(p.apply("races", &[played("deadlock", &[0, 1], false)]).is_empty());
    assert_eq!(p.apply("races", &[played("counter", &[0, 1, 0, 1], false)]), ["lost-update"]);
    assert!(p.is_unlocked(level("overdraft")) && !p.is_unlocked(level("deadlock")));
    let stored = Progress::parse(&p.to_json());
    assert_eq!(stored, p);
    assert!(stored.proof("lost-update").is_some_and(|s| s.contains("counter = 1")));
    assert_eq!(stored.count(Some("races")), (1, 6));
    // One piece of evidence can win a level and the one it opens (both here are the lesson's
    // only levels of this kind, so a serial-share run wins only the Amdahl level).
    let mut q = Progress::default();
    assert_eq!(q.apply("amdahl", &[speedup(0.33, 1.5)]), ["amdahl-cap"]);
    q.reset("amdahl");
    assert_eq!(q, Progress::default());
}

#[test]
fn measured_levels_are_open_from_the_start() {
    let mut p = Progress::default();
    for l in LEVELS.iter().filter(|l| l.lesson != "races") {
        assert!(p.is_unlocked(l), "{} should be open", l.id);
    }
    // The second serial level is won although the first (machine-dependent) one is not.
    assert_eq!(p.apply("serial", &[speedup(0.0, 1.05)]), ["serial-overhead"]);
    assert!(!p.is_solved("serial-fast"));
}

#[test]
fn unreadable_progress_is_no_progress() {
    assert_eq!(Progress::parse("not json"), Progress::default());
    assert_eq!(Progress::parse("[1,2]"), Progress::default());
    assert_eq!(Progress::parse(r#"{"no-such-level":"x"}"#), Progress::default());
    assert!(Progress::parse(r#"{"deadlock":"ok"}"#).is_solved("deadlock"));
}
