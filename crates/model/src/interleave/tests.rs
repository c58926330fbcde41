//! Tests of the step semantics, the diagnosis and the presets' bugs and fixes. Counting and
//! replay properties of the explorer live in `explore_tests.rs`.

use std::sync::Arc;

use super::*;

fn start(id: &str) -> State {
    State::new(Arc::new(preset(id).unwrap())).unwrap()
}

fn run(id: &str) -> Exploration {
    explore(&start(id), Limits::default())
}

#[test]
fn labels_read_like_pseudo_code() {
    let p = preset("counter").unwrap();
    let labels: Vec<String> = p.threads[0].steps.iter().map(Step::label).collect();
    assert_eq!(labels, ["tmp = counter", "counter = tmp + 1"]);
    let p = preset("deadlock").unwrap();
    assert_eq!(p.threads[1].steps[0].label(), "lock(b)");
    assert_eq!(p.threads[1].steps[5].label(), "unlock(b)");
    let p = preset("prodcons-broken").unwrap();
    assert_eq!(p.threads[1].steps[1].label(), "if (items == 0) wait(nonempty)");
    assert_eq!(
        preset("prodcons").unwrap().threads[1].steps[1].label(),
        "while (items == 0) wait(nonempty)"
    );
    let p = preset("check-then-act").unwrap();
    let labels: Vec<String> = p.threads[0].steps.iter().map(Step::label).collect();
    assert_eq!(
        labels,
        ["if (balance < 60) goto 4", "b = balance", "balance = b - 60", "assert(balance >= 0)"]
    );
}

#[test]
fn presets_are_valid_and_paired() {
    let all = presets();
    for p in &all {
        p.program.validate().unwrap();
        assert!((2..=3).contains(&p.program.threads.len()), "{}", p.id);
        assert!(all.iter().filter(|q| q.id == p.id).count() == 1);
        if let Some(fix) = p.fixed_by {
            assert!(all.iter().any(|q| q.id == fix && q.fixed_by.is_none()), "{}", p.id);
        }
    }
    assert!(preset("nope").is_none());
}

#[test]
fn validation_rejects_unknown_names_and_wild_jumps() {
    let bad_lock = Program::new("p", "", vec![Thread::new("T", vec![Step::lock("x")])], &[]);
    assert!(State::new(Arc::new(bad_lock)).is_err());
    let jump =
        Step::JumpIf { cond: Cond::new(Operand::Const(0), Cmp::Eq, Operand::Const(0)), target: 2 };
    let bad_jump = Program::new("p", "", vec![Thread::new("T", vec![jump])], &[]);
    assert!(bad_jump.validate().is_err());
    let bad_read = Program::new("p", "", vec![Thread::new("T", vec![Step::read("t", "x")])], &[]);
    assert!(bad_read.validate().is_err());
}

#[test]
fn step_is_pure_and_refuses_impossible_moves() {
    let s0 = start("deadlock");
    let s1 = s0.step(0).unwrap();
    assert_eq!(s0.lock_owner("a"), None);
    assert_eq!(s1.lock_owner("a"), Some(0));
    assert_eq!(s1.step(7), Err(StepError::NoSuchThread));
    let s2 = s1.step(1).unwrap();
    assert_eq!(s2.step(0), Err(StepError::Blocked));
    assert_eq!(s2.enabled_threads(), Vec::<ThreadId>::new());
    let done = start("counter").replay(&[0, 0]).unwrap();
    assert_eq!(done.step(0), Err(StepError::Finished));
    assert_eq!(done.threads()[0].status, ThreadStatus::Done);
    assert_eq!(done.threads()[0].locals.get("tmp"), Some(&0));
}

#[test]
fn wait_releases_the_lock_and_notify_wakes_the_waiter() {
    // consumer 1 locks and waits on the empty queue.
    let s = start("prodcons").replay(&[1, 1]).unwrap();
    assert_eq!(s.lock_owner("m"), None);
    assert_eq!(s.waiting_on("nonempty"), [1]);
    assert_eq!(s.blocked_on(1), Some(Blocked::Condition { condition: "nonempty".into() }));
    // The producer locks, adds an item and notifies: consumer 1 is woken but needs the lock.
    let s = s.replay(&[0, 0, 0, 0]).unwrap();
    assert_eq!(s.threads()[1].status, ThreadStatus::Woken { condition: 0 });
    assert_eq!(s.blocked_on(1), Some(Blocked::Lock { lock: "m".into(), holder: 0 }));
    assert_eq!(s.next_label(1).unwrap(), "lock(m) after wait(nonempty)");
    // After the producer unlocks, consumer 1 re-acquires and (while) re-checks the guard.
    let s = s.replay(&[0, 1]).unwrap();
    assert_eq!(s.lock_owner("m"), Some(1));
    assert_eq!(s.threads()[1].pc, 1);
    assert_eq!(s.next_label(1).unwrap(), "while (items == 0) wait(nonempty)");
}

#[test]
fn unlocking_a_free_lock_is_a_failure() {
    let p = Program::new("p", "", vec![Thread::new("T", vec![Step::unlock("m")])], &[])
        .with_locks(&["m"]);
    let s = State::new(Arc::new(p)).unwrap().step(0).unwrap();
    let f = Failure { thread: 0, pc: 0, kind: FailureKind::UnlockNotHeld };
    assert_eq!(s.outcome(), Outcome::Failed(f));
    assert_eq!(s.step(0), Err(StepError::Stopped));
    assert!(!s.is_deadlocked());
}

#[test]
fn counter_loses_an_update_and_the_lock_prevents_it() {
    let broken = run("counter");
    let finals: Vec<i64> = broken.outcomes.iter().map(|o| o.values[0].1).collect();
    assert_eq!(finals, [2, 1]);
    assert_eq!(broken.outcomes[1].outcome, Outcome::WrongResult);
    assert_eq!((broken.schedules, broken.failing_schedules), (6, 4));
    let fixed = run("counter-locked");
    assert_eq!(fixed.outcomes.len(), 1);
    assert_eq!(fixed.outcomes[0].values, [("counter".to_string(), 2)]);
}

#[test]
fn broken_presets_fail_and_their_fixes_never_do() {
    for p in presets() {
        let e = explore(&State::new(Arc::new(p.program)).unwrap(), Limits::default());
        assert!(e.is_exhaustive(), "{}", p.id);
        assert_eq!(e.schedules, e.outcomes.iter().map(|o| o.schedules).sum::<u64>());
        if p.fixed_by.is_some() {
            assert!(e.failing_schedules > 0 && e.shortest_failure.is_some(), "{}", p.id);
            assert!(e.failing_schedules < e.schedules, "{}: some schedule must work", p.id);
        } else {
            assert_eq!((e.failing_schedules, e.shortest_failure), (0, None), "{}", p.id);
        }
    }
}

#[test]
fn deadlock_replays_to_a_two_cycle() {
    let e = run("deadlock");
    let schedule = e.shortest_failure.unwrap();
    assert_eq!(schedule, [0, 1]);
    let end = start("deadlock").replay(&schedule).unwrap();
    assert!(end.is_deadlocked());
    let cycle = end.wait_for_cycle().unwrap();
    let edge = |thread, lock: &str, holder| WaitEdge { thread, lock: lock.into(), holder };
    assert_eq!(cycle, [edge(0, "b", 1), edge(1, "a", 0)]);
    assert!(start("deadlock").wait_for_cycle().is_none());
}

#[test]
fn missing_notify_deadlocks_without_a_lock_cycle() {
    let e = run("prodcons-no-notify");
    let end = start("prodcons-no-notify").replay(&e.shortest_failure.unwrap()).unwrap();
    assert!(end.is_deadlocked());
    assert_eq!(end.wait_for_cycle(), None);
    assert!(matches!(end.blocked_on(1).or(end.blocked_on(2)), Some(Blocked::Condition { .. })));
}

#[test]
fn if_instead_of_while_takes_from_an_empty_queue() {
    let e = run("prodcons-broken");
    let end = start("prodcons-broken").replay(&e.shortest_failure.unwrap()).unwrap();
    let f = end.failure().unwrap();
    assert_eq!(f.kind, FailureKind::Assertion);
    assert_eq!(end.shared("items"), Some(-1));
}

#[test]
fn check_then_act_overdraws() {
    let e = run("check-then-act");
    let end = start("check-then-act").replay(&e.shortest_failure.unwrap()).unwrap();
    assert_eq!(end.failure().map(|f| f.kind), Some(FailureKind::Assertion));
    assert_eq!(end.shared("balance"), Some(-20));
    let fixed = run("check-then-act-locked");
    assert!(fixed.outcomes.iter().all(|o| o.values == [("balance".to_string(), 40)]));
}
