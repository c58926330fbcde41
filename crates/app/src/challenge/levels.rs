//! Every challenge, lesson by lesson, and its win condition.
//!
//! A level is a goal sentence, a pure check and a short "why it matters" shown once solved. The
//! check sees the evidence of this visit (latest last) and returns the sentence that proves the
//! win, built from the learner's own state or measured numbers — never from a stored answer.
//! Measured levels use bands wide enough for a noisy, shared two-core machine: the point is to
//! find the regime (serial share, workload, kernel), not to hit a number to the percent.

use parlab_kernels::gil::Mode as GilMode;
use parlab_kernels::simd::Kernel;
use parlab_model::interleave::Outcome;

use super::evidence::{Evidence, ExplorerSnapshot, GilRun, SharingRun, SimdRun, SpeedupRun};

/// One challenge.
pub struct Level {
    /// Stable id (`data-level`, the progress store).
    pub id: &'static str,
    /// The lesson's route.
    pub lesson: &'static str,
    /// A few words.
    pub title: &'static str,
    /// What to do.
    pub goal: &'static str,
    /// Why it matters, shown once solved.
    pub why: &'static str,
    /// Opens only once the level before it (in its lesson) is solved. The explorer's ladder is
    /// gated, as every level there can be won by play; measured levels are not, because whether
    /// one is reachable depends on the machine, and an unreachable level must not lock the rest.
    pub gated: bool,
    /// The win condition: the proof sentence if `history` (latest last) wins the level.
    pub check: fn(&[Evidence]) -> Option<String>,
}

/// Every level, grouped by lesson, in ladder order within a lesson.
pub const LEVELS: &[Level] = &[
    Level {
        id: "lost-update",
        lesson: "races",
        title: "Lose an update",
        goal: "Pick “Counter (lost update)” and schedule the two threads so that counter ends at 1, not 2.",
        why: "Both threads read 0 before either wrote, so one increment overwrote the other. counter += 1 is a read and a write, and a switch between them is all a race needs.",
        gated: false,
        check: lost_update,
    },
    Level {
        id: "overdraft",
        lesson: "races",
        title: "Overdraw the account",
        goal: "Pick “Check-then-act” and make the balance go negative although each thread checked it first.",
        why: "A check is only true until another thread acts. Checking and acting must happen under one lock, or the check guards nothing.",
        gated: true,
        check: overdraft,
    },
    Level {
        id: "deadlock",
        lesson: "races",
        title: "Reach a deadlock",
        goal: "Pick “Two locks, opposite orders” and schedule them so that each thread holds one lock and waits for the other.",
        why: "A deadlock is a cycle: T1 holds a and wants b, T2 holds b and wants a. Nobody is wrong locally; the order of the two lock calls is the bug.",
        gated: true,
        check: deadlock,
    },
    Level {
        id: "prove-lock",
        lesson: "races",
        title: "Prove the lock works",
        goal: "Pick “Counter with a lock” and explore every schedule: none may lose an update.",
        why: "One good run proves nothing about a race. Exploring every interleaving does: with the lock, the read and the write can no longer be separated.",
        gated: true,
        check: prove_lock,
    },
    Level {
        id: "prove-order",
        lesson: "races",
        title: "Prove the lock order",
        goal: "Pick “Two locks, one order” and explore every schedule: none may deadlock.",
        why: "Taking locks in one agreed order makes a waiting cycle impossible, for every schedule, not only the ones you tried.",
        gated: true,
        check: prove_order,
    },
    Level {
        id: "stolen-item",
        lesson: "races",
        title: "Steal an item",
        goal: "Pick “Producer/consumer with if” and make a consumer take from an empty queue.",
        why: "A woken thread must take the lock again, and another consumer can get there first. Only while, not if, re-checks the condition after waking.",
        gated: true,
        check: stolen_item,
    },
    Level {
        id: "serial-fast",
        lesson: "serial",
        title: "Nearly twice as fast",
        goal: "Run 1 and 2 threads and reach a 2-thread speedup of at least 1.6×.",
        why: "Counting primes splits into independent chunks, so two cores can almost halve the time — when the problem is big enough to hide the cost of starting them.",
        gated: false,
        check: serial_fast,
    },
    Level {
        id: "serial-overhead",
        lesson: "serial",
        title: "When two threads do not help",
        goal: "Find a problem size where 2 threads are less than 1.2× faster than 1.",
        why: "Starting threads, handing out chunks and joining them costs time too. On a tiny problem that fixed cost is as large as the work itself.",
        gated: false,
        check: serial_overhead,
    },
    Level {
        id: "amdahl-cap",
        lesson: "amdahl",
        title: "Cap the speedup",
        goal: "Inject a serial share so that 2 threads measure a speedup of 1.5× (between 1.35× and 1.65×).",
        why: "Amdahl: S(2) = 1 / (s + (1 − s)/2). A third of the work serial already caps two threads at 1.5×, and no number of threads passes 1/s.",
        gated: false,
        check: amdahl_cap,
    },
    Level {
        id: "gil-no-gain",
        lesson: "gil",
        title: "Threads that do not help",
        goal: "Find a workload where 2 threads with the GIL are not faster than 1 (below 1.15×).",
        why: "Only one thread can run bytecode while it holds the GIL: CPU-bound Python threads take turns instead of running at once.",
        gated: false,
        check: gil_no_gain,
    },
    Level {
        id: "gil-gain",
        lesson: "gil",
        title: "Threads that do help",
        goal: "Find a workload where 2 threads with the GIL are at least 1.5× faster than 1.",
        why: "Blocking I/O and C code release the GIL, so threads overlap their waiting even though only one runs bytecode at a time.",
        gated: false,
        check: gil_gain,
    },
    Level {
        id: "simd-big",
        lesson: "simd",
        title: "A big SIMD win",
        goal: "Find a kernel where SIMD is at least 2× faster than scalar code on one thread.",
        why: "One 128-bit instruction works on four floats: where the data is in cache and the work is arithmetic, four lanes come close to four times the speed.",
        gated: false,
        check: simd_big,
    },
    Level {
        id: "simd-least",
        lesson: "simd",
        title: "Where SIMD gains least",
        goal: "Measure all four kernels; the one where SIMD gains least is explained here.",
        why: "SIMD speeds up arithmetic, not memory: a kernel that streams more bytes per operation, or whose lanes diverge, gains least.",
        gated: false,
        check: simd_least,
    },
    Level {
        id: "false-sharing",
        lesson: "machine",
        title: "Make false sharing hurt",
        goal: "Run the lab and measure false sharing costing at least 1.3× (packed counters against padded ones).",
        why: "Counters of different threads in one 64-byte cache line make the line bounce between cores on every write, although no data is shared.",
        gated: false,
        check: false_sharing,
    },
];

/// The levels of lesson `route`, in ladder order.
pub fn of_lesson(route: &str) -> impl Iterator<Item = &'static Level> + '_ {
    LEVELS.iter().filter(move |l| l.lesson == route)
}

/// The latest explorer snapshot, if the latest evidence is one.
fn explorer(history: &[Evidence]) -> Option<&ExplorerSnapshot> {
    match history.last()? {
        Evidence::Explorer(s) => Some(s),
        _ => None,
    }
}

fn lost_update(h: &[Evidence]) -> Option<String> {
    let s = explorer(h).filter(|s| s.preset == "counter" && s.outcome == Outcome::WrongResult)?;
    let v = s.value("counter")?;
    (v < 2).then(|| format!("Both threads finished and counter = {v} after {} moves.", s.moves))
}

fn overdraft(h: &[Evidence]) -> Option<String> {
    let s = explorer(h).filter(|s| s.preset == "check-then-act")?;
    let v = s.value("balance").filter(|&v| v < 0)?;
    matches!(s.outcome, Outcome::Failed(_))
        .then(|| format!("balance = {v}: both threads passed the check before either withdrew."))
}

fn deadlock(h: &[Evidence]) -> Option<String> {
    let s = explorer(h).filter(|s| s.preset == "deadlock")?;
    (s.outcome == Outcome::Deadlock && s.lock_cycle).then(|| {
        format!("Deadlocked after {} moves: each thread waits for the other's lock.", s.moves)
    })
}

/// `preset` explored exhaustively with no failing schedule.
fn proven(h: &[Evidence], preset: &str) -> Option<String> {
    let s = explorer(h).filter(|s| s.preset == preset)?;
    let e = s.explored.as_ref()?;
    (e.exhaustive && e.schedules > 0 && e.failing == 0)
        .then(|| format!("All {} schedules explored; none fails.", e.schedules))
}

fn prove_lock(h: &[Evidence]) -> Option<String> {
    proven(h, "counter-locked")
}

fn prove_order(h: &[Evidence]) -> Option<String> {
    proven(h, "deadlock-ordered")
}

fn stolen_item(h: &[Evidence]) -> Option<String> {
    let s = explorer(h).filter(|s| s.preset == "prodcons-broken")?;
    let v = s.value("items").filter(|&v| v < 0)?;
    matches!(s.outcome, Outcome::Failed(_)).then(|| {
        format!("items = {v}: a woken consumer took an item another consumer had already taken.")
    })
}

/// The latest run, if it is a speedup run.
fn speedup_run(history: &[Evidence]) -> Option<&SpeedupRun> {
    match history.last()? {
        Evidence::Speedup(r) => Some(r),
        _ => None,
    }
}

fn serial_fast(h: &[Evidence]) -> Option<String> {
    let s = speedup_run(h)?.at(2).filter(|&s| s >= 1.6)?;
    Some(format!("Measured: {s:.2}× on 2 threads."))
}

fn serial_overhead(h: &[Evidence]) -> Option<String> {
    let s = speedup_run(h)?.at(2).filter(|&s| s < 1.2)?;
    Some(format!("Measured: only {s:.2}× on 2 threads."))
}

fn amdahl_cap(h: &[Evidence]) -> Option<String> {
    let run = speedup_run(h).filter(|r| r.serial_share >= 0.05)?;
    let s = run.at(2).filter(|s| (1.35..=1.65).contains(s))?;
    let model = 1.0 / (run.serial_share + (1.0 - run.serial_share) / 2.0);
    Some(format!(
        "Measured {s:.2}× on 2 threads with serial share {:.2} (Amdahl predicts {model:.2}×).",
        run.serial_share
    ))
}

fn gil_run(history: &[Evidence]) -> Option<&GilRun> {
    match history.last()? {
        Evidence::Gil(r) => Some(r),
        _ => None,
    }
}

fn gil_no_gain(h: &[Evidence]) -> Option<String> {
    let run = gil_run(h)?;
    let s = run.at(GilMode::Gil, 2).filter(|&s| s < 1.15)?;
    Some(format!("Measured with {}: {s:.2}× on 2 GIL threads.", run.workload))
}

fn gil_gain(h: &[Evidence]) -> Option<String> {
    let run = gil_run(h)?;
    let s = run.at(GilMode::Gil, 2).filter(|&s| s >= 1.5)?;
    Some(format!("Measured with {}: {s:.2}× on 2 GIL threads.", run.workload))
}

fn simd_big(h: &[Evidence]) -> Option<String> {
    let Evidence::Simd(r) = h.last()? else { return None };
    (r.gain >= 2.0)
        .then(|| format!("Measured: {} gains {:.2}× from SIMD.", r.kernel.name(), r.gain))
}

/// Why `kernel` gains little from SIMD.
fn simd_reason(kernel: Kernel) -> &'static str {
    match kernel {
        Kernel::Saxpy => {
            "it loads two floats and stores one for every multiply-add, so memory, not arithmetic, sets its speed"
        }
        Kernel::Mandelbrot => {
            "its lanes diverge: a vector keeps iterating until its slowest pixel escapes, so finished lanes idle"
        }
        Kernel::Dot => {
            "it streams two arrays per multiply-add, so it waits on memory more than on arithmetic"
        }
        Kernel::Sum => {
            "one add per float streamed leaves it waiting on loads more than on the adds"
        }
    }
}

fn simd_least(h: &[Evidence]) -> Option<String> {
    // The latest gain of each kernel measured in this visit.
    let mut gains: Vec<&SimdRun> = Vec::new();
    for e in h.iter().rev() {
        if let Evidence::Simd(r) = e
            && !gains.iter().any(|g| g.kernel == r.kernel)
        {
            gains.push(r);
        }
    }
    if Kernel::ALL.iter().any(|k| !gains.iter().any(|g| g.kernel == *k)) {
        return None;
    }
    let least = gains.iter().min_by(|a, b| a.gain.total_cmp(&b.gain))?;
    let list: Vec<String> =
        gains.iter().map(|g| format!("{} {:.2}×", g.kernel.name(), g.gain)).collect();
    Some(format!(
        "Measured: {}. {} gains least: {}.",
        list.join(", "),
        least.kernel.name(),
        simd_reason(least.kernel)
    ))
}

fn false_sharing(h: &[Evidence]) -> Option<String> {
    let Evidence::Sharing(SharingRun { slowdowns }) = h.last()? else { return None };
    let &(t, s) = slowdowns.iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    (s >= 1.3)
        .then(|| format!("Measured: packed counters {s:.2}× slower than padded on {t} threads."))
}
