//! The lesson's example programs, each bug next to its fix.
//!
//! Every broken program is as small as the bug allows (two or three threads, a handful of steps)
//! so that its shortest failing schedule is short enough to find by hand, and every fix changes as
//! little as possible (add a lock, reorder two locks, `if` to `while`, add the notify), so the
//! learner sees that the difference between right and wrong is one line, not a rewrite.

use super::expr::{Cmp, Cond, Expr, Operand};
use super::program::{Program, Step, Thread, WaitGuard};

/// A preset program under a stable id (used in URLs and tests).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Stable id, e.g. `counter`.
    pub id: &'static str,
    /// The id of the preset that fixes this one's bug; `None` for correct programs.
    pub fixed_by: Option<&'static str>,
    /// The program.
    pub program: Program,
}

/// Every preset, each broken program followed by its fix.
pub fn presets() -> Vec<Preset> {
    let p = |id, fixed_by, program| Preset { id, fixed_by, program };
    vec![
        p("counter", Some("counter-locked"), counter(false)),
        p("counter-locked", None, counter(true)),
        p("check-then-act", Some("check-then-act-locked"), check_then_act(false)),
        p("check-then-act-locked", None, check_then_act(true)),
        p("deadlock", Some("deadlock-ordered"), two_locks(false)),
        p("deadlock-ordered", None, two_locks(true)),
        p("prodcons-broken", Some("prodcons"), producer_consumer(WaitKind::If, true)),
        p("prodcons-no-notify", Some("prodcons"), producer_consumer(WaitKind::While, false)),
        p("prodcons", None, producer_consumer(WaitKind::While, true)),
    ]
}

/// The preset program with id `id`.
pub fn preset(id: &str) -> Option<Program> {
    presets().into_iter().find(|p| p.id == id).map(|p| p.program)
}

fn local(name: &str) -> Operand {
    Operand::local(name)
}

fn shared(name: &str) -> Operand {
    Operand::shared(name)
}

/// `var == value`, `var >= value`, ... over a shared variable.
fn shared_is(var: &str, cmp: Cmp, value: i64) -> Cond {
    Cond::new(shared(var), cmp, Operand::Const(value))
}

/// `tmp = var; var = tmp + delta`: the read-modify-write that `var += delta` hides.
fn add_to(var: &str, tmp: &str, delta: i64) -> [Step; 2] {
    let value = if delta >= 0 {
        Expr::Add(local(tmp), Operand::Const(delta))
    } else {
        Expr::Sub(local(tmp), Operand::Const(-delta))
    };
    [Step::read(tmp, var), Step::write(var, value)]
}

/// Wraps `body` in `lock(m) ... unlock(m)` when `locked`.
fn guarded(locked: bool, body: impl IntoIterator<Item = Step>) -> Vec<Step> {
    let mut steps: Vec<Step> = locked.then(|| Step::lock("m")).into_iter().collect();
    steps.extend(body);
    steps.extend(locked.then(|| Step::unlock("m")));
    steps
}

fn counter(locked: bool) -> Program {
    let thread = |name| Thread::new(name, guarded(locked, add_to("counter", "tmp", 1)));
    let (name, description) = if locked {
        (
            "Counter with a lock",
            "The same increments inside lock(m) ... unlock(m): the read and the write can no \
             longer be separated by the other thread, so every schedule ends with counter = 2.",
        )
    } else {
        (
            "Counter (lost update)",
            "Two threads each add 1 to a shared counter. counter += 1 is a read then a write: if \
             both threads read before either writes, one increment is lost and counter ends at 1.",
        )
    };
    let program =
        Program::new(name, description, vec![thread("T1"), thread("T2")], &[("counter", 0)])
            .expecting(shared_is("counter", Cmp::Eq, 2));
    if locked { program.with_locks(&["m"]) } else { program }
}

fn check_then_act(locked: bool) -> Program {
    let unlock_at = if locked { 4 } else { 3 };
    let withdraw = |name| {
        let mut steps = guarded(
            locked,
            [
                Step::JumpIf { cond: shared_is("balance", Cmp::Lt, 60), target: unlock_at },
                Step::read("b", "balance"),
                Step::write("balance", Expr::Sub(local("b"), Operand::Const(60))),
            ],
        );
        steps.push(Step::Assert(shared_is("balance", Cmp::Ge, 0)));
        Thread::new(name, steps)
    };
    let (name, description) = if locked {
        (
            "Check-then-act with a lock",
            "The check and the withdrawal happen under one lock, so no other withdrawal fits \
             between them: one thread withdraws, the other sees 40 < 60 and skips.",
        )
    } else {
        (
            "Check-then-act",
            "Two threads each withdraw 60 from a balance of 100, but only if the balance is \
             enough. If both check before either withdraws, both see 100 and both withdraw: the \
             balance goes negative although each thread checked.",
        )
    };
    let program =
        Program::new(name, description, vec![withdraw("T1"), withdraw("T2")], &[("balance", 100)]);
    if locked { program.with_locks(&["m"]) } else { program }
}

fn two_locks(ordered: bool) -> Program {
    let thread = |name, first: &str, second: &str| {
        let mut steps = vec![Step::lock(first), Step::lock(second)];
        steps.extend(add_to("count", "n", 1));
        steps.extend([Step::unlock(second), Step::unlock(first)]);
        Thread::new(name, steps)
    };
    let t2 = if ordered { thread("T2", "a", "b") } else { thread("T2", "b", "a") };
    let (name, description) = if ordered {
        (
            "Two locks, one order",
            "Both threads take a before b. Whoever gets a first can always get b too, so no cycle \
             of waiting threads can form and every schedule finishes.",
        )
    } else {
        (
            "Two locks, opposite orders (deadlock)",
            "T1 takes a then b, T2 takes b then a. If each takes its first lock before the other \
             takes its second, T1 waits for b held by T2, which waits for a held by T1: forever.",
        )
    };
    Program::new(name, description, vec![thread("T1", "a", "b"), t2], &[("count", 0)])
        .with_locks(&["a", "b"])
        .expecting(shared_is("count", Cmp::Eq, 2))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum WaitKind {
    If,
    While,
}

fn producer_consumer(wait: WaitKind, notify: bool) -> Program {
    let mut produce = guarded(true, add_to("items", "n", 1));
    if notify {
        produce.insert(3, Step::notify("nonempty"));
    }
    let producer = Thread::new("producer", [produce.clone(), produce].concat());
    let empty = shared_is("items", Cmp::Eq, 0);
    let guard = if wait == WaitKind::If { WaitGuard::If(empty) } else { WaitGuard::While(empty) };
    let mut take = vec![Step::wait("nonempty", guard)];
    take.extend(add_to("items", "n", -1));
    take.push(Step::Assert(shared_is("items", Cmp::Ge, 0)));
    let consumer = |name| Thread::new(name, guarded(true, take.clone()));
    let (name, description) = match (wait, notify) {
        (WaitKind::If, _) => (
            "Producer/consumer with if (stolen item)",
            "One producer adds two items, two consumers take one each. A consumer that finds the \
             queue empty waits; when woken it must re-acquire the lock, and another consumer can \
             take the item first. With if instead of while it does not re-check and takes from an \
             empty queue.",
        ),
        (WaitKind::While, false) => (
            "Producer/consumer without notify (lost wakeup)",
            "The producer adds items but never notifies. A consumer that waited on an empty queue \
             sleeps forever: a deadlock with no cycle of locks, only a wakeup nobody sends.",
        ),
        (WaitKind::While, true) => (
            "Producer/consumer",
            "while (items == 0) wait(nonempty) re-checks after every wakeup and the producer \
             notifies after each item, so every schedule takes exactly the two items produced.",
        ),
    };
    Program::new(
        name,
        description,
        vec![producer, consumer("consumer 1"), consumer("consumer 2")],
        &[("items", 0)],
    )
    .with_locks(&["m"])
    .with_condition("nonempty", "m")
    .expecting(shared_is("items", Cmp::Eq, 0))
}
