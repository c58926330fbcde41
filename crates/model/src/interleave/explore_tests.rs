//! Tests that the explorer counts what plain enumeration would, and that what it reports replays.

use std::collections::HashMap;
use std::sync::Arc;

use super::explore::for_each_schedule;
use super::*;

/// Threads of `sizes[i]` steps each, every step writing the thread's own variable: all
/// interleavings are distinct schedules, and there are (Σ sizes)! / Π sizes! of them.
fn independent(sizes: &[usize]) -> State {
    let names: Vec<String> = (0..sizes.len()).map(|t| format!("x{t}")).collect();
    let threads = sizes
        .iter()
        .zip(&names)
        .map(|(&n, x)| {
            let steps = (0..n).map(|k| Step::write(x, Expr::Value(Operand::Const(k as i64 + 1))));
            Thread::new(x, steps.collect())
        })
        .collect();
    let shared: Vec<(&str, i64)> = names.iter().map(|n| (n.as_str(), 0)).collect();
    State::new(Arc::new(Program::new("independent", "", threads, &shared))).unwrap()
}

fn multinomial(sizes: &[usize]) -> u64 {
    let factorial = |n: usize| (1..=n as u64).product::<u64>();
    factorial(sizes.iter().sum()) / sizes.iter().map(|&n| factorial(n)).product::<u64>()
}

#[test]
fn two_threads_of_n_steps_have_binomial_2n_n_schedules() {
    let binomial = [2, 6, 20, 70, 252, 924];
    for n in 1..=6 {
        let s = independent(&[n, n]);
        assert_eq!(count_schedules_without_reduction(&s, 100, u64::MAX), Some(binomial[n - 1]));
        let e = explore(&s, Limits::default());
        assert_eq!((e.schedules, e.failing_schedules), (binomial[n - 1], 0));
        assert_eq!(e.distinct_states, (n + 1) * (n + 1) - 1, "one per non-final (pc1, pc2)");
    }
}

#[test]
fn three_threads_have_multinomial_schedules() {
    for sizes in [[1, 1, 1], [2, 1, 1], [3, 2, 1], [2, 2, 2], [3, 3, 2]] {
        let s = independent(&sizes);
        let expected = multinomial(&sizes);
        assert_eq!(count_schedules_without_reduction(&s, 100, u64::MAX), Some(expected));
        assert_eq!(explore(&s, Limits::default()).schedules, expected, "{sizes:?}");
    }
}

#[test]
fn enumeration_respects_its_bounds() {
    let s = independent(&[3, 3]);
    assert_eq!(count_schedules_without_reduction(&s, 100, 19), None);
    assert_eq!(count_schedules_without_reduction(&s, 5, u64::MAX), None);
    let cut = explore(&s, Limits { max_depth: 5, max_states: 1000 });
    assert!(!cut.is_exhaustive());
    assert_eq!(cut.schedules, 0);
}

/// Per (outcome, final values): how many schedules plain enumeration finds.
fn enumerate(start: &State) -> HashMap<(Outcome, Vec<(String, i64)>), u64> {
    let mut counts = HashMap::new();
    let complete = for_each_schedule(start, 200, &mut |schedule, end| {
        assert_eq!(start.replay(schedule).as_ref(), Ok(end));
        *counts.entry((end.outcome(), end.shared_values())).or_insert(0) += 1;
        true
    });
    assert!(complete);
    counts
}

#[test]
fn reduction_counts_every_outcome_like_plain_enumeration() {
    for p in presets() {
        let s = State::new(Arc::new(p.program)).unwrap();
        let e = explore(&s, Limits::default());
        let reduced: HashMap<_, _> =
            e.outcomes.iter().map(|o| ((o.outcome, o.values.clone()), o.schedules)).collect();
        assert_eq!(reduced, enumerate(&s), "{}", p.id);
    }
}

#[test]
fn shortest_schedules_replay_to_their_outcome_and_are_shortest() {
    for p in presets() {
        let s = State::new(Arc::new(p.program)).unwrap();
        let mut shortest: HashMap<(Outcome, Vec<(String, i64)>), usize> = HashMap::new();
        for_each_schedule(&s, 200, &mut |schedule, end| {
            let len = shortest.entry((end.outcome(), end.shared_values())).or_insert(usize::MAX);
            *len = (*len).min(schedule.len());
            true
        });
        for o in explore(&s, Limits::default()).outcomes {
            let end = s.replay(&o.shortest).unwrap();
            assert_eq!((end.outcome(), end.shared_values()), (o.outcome, o.values.clone()));
            assert_eq!(shortest[&(o.outcome, o.values)], o.shortest.len(), "{}", p.id);
        }
    }
}

#[test]
fn presets_explore_quickly() {
    let budget_ms = if cfg!(debug_assertions) { 2000 } else { 100 };
    for p in presets() {
        let s = State::new(Arc::new(p.program)).unwrap();
        let t0 = std::time::Instant::now();
        let e = explore(&s, Limits::default());
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        println!(
            "{:24} {:6} schedules {:5} states {:2} outcomes {:5} failing, shortest {:?} ({ms:.2} ms)",
            p.id,
            e.schedules,
            e.distinct_states,
            e.outcomes.len(),
            e.failing_schedules,
            e.shortest_failure.as_ref().map(Vec::len),
        );
        assert!(ms < budget_ms as f64, "{} took {ms} ms", p.id);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn random_program(kinds: &[Vec<u8>]) -> State {
    let step = |k: u8| match k % 6 {
        0 => Step::read("t", "x"),
        1 => Step::read("t", "y"),
        2 => Step::write("x", Expr::Add(Operand::local("t"), Operand::Const(1))),
        3 => Step::write("y", Expr::Add(Operand::local("t"), Operand::Const(1))),
        4 => Step::lock("m"),
        _ => Step::unlock("m"),
    };
    let threads = kinds
        .iter()
        .enumerate()
        .map(|(i, ks)| Thread::new(format!("T{i}"), ks.iter().map(|&k| step(k)).collect()));
    let program =
        Program::new("random", "", threads.collect(), &[("x", 0), ("y", 0)]).with_locks(&["m"]);
    State::new(Arc::new(program)).unwrap()
}

#[cfg(not(target_arch = "wasm32"))]
proptest::proptest! {
    #[test]
    fn random_walks_end_in_a_reported_outcome(
        which in 0usize..9,
        picks in proptest::collection::vec(0usize..3, 80),
    ) {
        let all = presets();
        let s = State::new(Arc::new(all[which % all.len()].program.clone())).unwrap();
        let e = explore(&s, Limits::default());
        let mut state = s.clone();
        let mut schedule = Vec::new();
        for pick in picks {
            let enabled = state.enabled_threads();
            if enabled.is_empty() {
                break;
            }
            let t = enabled[pick % enabled.len()];
            state = state.step(t).unwrap();
            schedule.push(t);
        }
        proptest::prop_assert!(state.outcome().is_terminal());
        let replayed = s.replay(&schedule);
        proptest::prop_assert_eq!(replayed.as_ref(), Ok(&state));
        let key = (state.outcome(), state.shared_values());
        proptest::prop_assert!(e.outcomes.iter().any(|o| (o.outcome, o.values.clone()) == key));
    }

    #[test]
    fn reduced_count_equals_plain_count(
        kinds in proptest::collection::vec(proptest::collection::vec(0u8..6, 0..4), 2..=3),
    ) {
        let s = random_program(&kinds);
        let e = explore(&s, Limits::default());
        proptest::prop_assert!(e.is_exhaustive());
        proptest::prop_assert_eq!(Some(e.schedules), count_schedules_without_reduction(&s, 100, u64::MAX));
        for o in &e.outcomes {
            let end = s.replay(&o.shortest).unwrap();
            proptest::prop_assert_eq!(end.outcome(), o.outcome);
            proptest::prop_assert_eq!(&end.shared_values(), &o.values);
        }
    }
}
