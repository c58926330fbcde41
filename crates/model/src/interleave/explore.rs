//! Exhaustive exploration: every schedule a scheduler could pick, counted and classified.
//!
//! Why: a learner who plays a few schedules and sees no bug has learnt nothing about the others.
//! The explorer answers "how many schedules are there, how many end badly, and what is the
//! shortest bad one?", which is what turns a lucky run into an argument.
//!
//! How: a depth-first search in which each state's summary (for every outcome reachable from it:
//! how many schedules reach it and the shortest one) is memoised by the state's hash. Schedules
//! that converge on the same state (T1 then T2 writing unrelated variables, or the reverse) are
//! explored once but still COUNTED separately: a state's count is the sum of its successors'.
//! So [`Exploration::schedules`] is the number of complete schedules plain enumeration would visit,
//! at the cost of [`Exploration::distinct_states`] visits instead. A schedule is the sequence of
//! thread ids, one per [`State::step`], from the start state to a terminal one (all finished, a
//! failure, or a deadlock); a woken waiter re-acquiring its lock is a move of its own.
//! [`count_schedules_without_reduction`] enumerates schedules one by one, to check the counting.

use std::collections::{HashMap, HashSet};

use super::diagnosis::Outcome;
use super::state::{State, ThreadId};

/// Bounds that keep exploration finite and fast even for programs that can loop forever.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest schedule followed; longer ones are cut.
    pub max_depth: usize,
    /// Most distinct states memoised; beyond it, new states are cut.
    pub max_states: usize,
}

impl Default for Limits {
    /// 256 moves and 100 000 states: far above every preset, still milliseconds to hit.
    fn default() -> Limits {
        Limits { max_depth: 256, max_states: 100_000 }
    }
}

/// One distinct way a run can end: its outcome and final shared values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeSummary {
    /// How the runs ended.
    pub outcome: Outcome,
    /// Final shared variables, in declaration order.
    pub values: Vec<(String, i64)>,
    /// Number of schedules ending this way.
    pub schedules: u64,
    /// A shortest schedule ending this way, replayable with [`State::replay`].
    pub shortest: Vec<ThreadId>,
}

/// The result of [`explore`]. Counts saturate at `u64::MAX`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exploration {
    /// Complete schedules (see the module docs for what is counted).
    pub schedules: u64,
    /// Complete schedules that end in a failure, deadlock or wrong result.
    pub failing_schedules: u64,
    /// Schedules cut by [`Limits`] or by revisiting a state on the current path (a loop); when
    /// non-zero the other numbers cover only the uncut part.
    pub cut_schedules: u64,
    /// Distinct non-terminal states visited.
    pub distinct_states: usize,
    /// Distinct endings, successful ones first, then by final values.
    pub outcomes: Vec<OutcomeSummary>,
    /// A shortest failing schedule, if any schedule fails.
    pub shortest_failure: Option<Vec<ThreadId>>,
}

impl Exploration {
    /// Whether every schedule was followed to its end.
    pub fn is_exhaustive(&self) -> bool {
        self.cut_schedules == 0
    }
}

/// Explores every schedule from `start` (usually [`State::new`], but any state works: "from
/// here, what can still happen?").
pub fn explore(start: &State, limits: Limits) -> Exploration {
    let mut explorer = Explorer { limits, memo: HashMap::new(), on_path: HashSet::new() };
    let endings = explorer.visit(start, 0);
    let (cut, complete): (Vec<Ending>, Vec<Ending>) =
        endings.into_iter().partition(|e| e.outcome == Outcome::Running);
    let mut outcomes: Vec<OutcomeSummary> = complete
        .iter()
        .map(|e| OutcomeSummary {
            outcome: e.outcome,
            values: name_values(start, &e.values),
            schedules: e.schedules,
            shortest: explorer.shortest_path(start, e),
        })
        .collect();
    outcomes.sort_by(|a, b| {
        (a.outcome.is_failure(), &a.values).cmp(&(b.outcome.is_failure(), &b.values))
    });
    let shortest_failure = outcomes
        .iter()
        .filter(|o| o.outcome.is_failure())
        .min_by_key(|o| o.shortest.len())
        .map(|o| o.shortest.clone());
    Exploration {
        schedules: total(complete.iter()),
        failing_schedules: total(complete.iter().filter(|e| e.outcome.is_failure())),
        cut_schedules: total(cut.iter()),
        distinct_states: explorer.memo.len(),
        outcomes,
        shortest_failure,
    }
}

/// Counts complete schedules from `start` by plain enumeration, without state reduction; `None`
/// if some schedule is longer than `max_depth` or there are more than `max_schedules`.
pub fn count_schedules_without_reduction(
    start: &State,
    max_depth: usize,
    max_schedules: u64,
) -> Option<u64> {
    let mut count = 0u64;
    let finished = for_each_schedule(start, max_depth, &mut |_, _| {
        count += 1;
        count <= max_schedules
    });
    finished.then_some(count)
}

/// Calls `visit(schedule, final state)` for every complete schedule from `start`, depth first in
/// thread-id order, until it returns false. Returns false if stopped or a schedule exceeded
/// `max_depth`.
pub(crate) fn for_each_schedule(
    start: &State,
    max_depth: usize,
    visit: &mut dyn FnMut(&[ThreadId], &State) -> bool,
) -> bool {
    fn go(
        state: &State,
        path: &mut Vec<ThreadId>,
        max_depth: usize,
        visit: &mut dyn FnMut(&[ThreadId], &State) -> bool,
    ) -> bool {
        let enabled = state.enabled_threads();
        if enabled.is_empty() {
            return visit(path, state);
        }
        if path.len() >= max_depth {
            return false;
        }
        enabled.into_iter().all(|t| {
            let Ok(next) = state.step(t) else { return true };
            path.push(t);
            let more = go(&next, path, max_depth, visit);
            path.pop();
            more
        })
    }
    go(start, &mut Vec::new(), max_depth, visit)
}

/// How many schedules from some state reach one ending, and the first move of a shortest one.
#[derive(Clone, Debug)]
struct Ending {
    outcome: Outcome,
    values: Vec<i64>,
    schedules: u64,
    length: usize,
    first: Option<ThreadId>,
}

struct Explorer {
    limits: Limits,
    memo: HashMap<State, Vec<Ending>>,
    on_path: HashSet<State>,
}

impl Explorer {
    fn visit(&mut self, state: &State, depth: usize) -> Vec<Ending> {
        let outcome = state.outcome();
        let here = |outcome| {
            vec![Ending {
                outcome,
                values: state.shared.clone(),
                schedules: 1,
                length: 0,
                first: None,
            }]
        };
        if outcome.is_terminal() {
            return here(outcome);
        }
        if let Some(endings) = self.memo.get(state) {
            return endings.clone();
        }
        if depth >= self.limits.max_depth
            || self.memo.len() >= self.limits.max_states
            || self.on_path.contains(state)
        {
            return here(Outcome::Running);
        }
        self.on_path.insert(state.clone());
        let mut endings: Vec<Ending> = Vec::new();
        for t in state.enabled_threads() {
            let Ok(next) = state.step(t) else { continue };
            for e in self.visit(&next, depth + 1) {
                merge(&mut endings, e, t);
            }
        }
        self.on_path.remove(state);
        self.memo.insert(state.clone(), endings.clone());
        endings
    }

    /// Follows the memoised first moves from `start` down to `target`'s ending.
    fn shortest_path(&self, start: &State, target: &Ending) -> Vec<ThreadId> {
        let mut path = Vec::new();
        let mut state = start.clone();
        while let Some(endings) = self.memo.get(&state) {
            let same =
                endings.iter().find(|e| e.outcome == target.outcome && e.values == target.values);
            let Some(t) = same.and_then(|e| e.first) else { break };
            let Ok(next) = state.step(t) else { break };
            path.push(t);
            state = next;
        }
        path
    }
}

/// Adds a successor's ending, reached by moving `thread` first, to a state's endings.
fn merge(endings: &mut Vec<Ending>, e: Ending, thread: ThreadId) {
    let length = e.length + 1;
    match endings.iter_mut().find(|x| x.outcome == e.outcome && x.values == e.values) {
        Some(x) => {
            x.schedules = x.schedules.saturating_add(e.schedules);
            if length < x.length {
                x.length = length;
                x.first = Some(thread);
            }
        }
        None => endings.push(Ending { length, first: Some(thread), ..e }),
    }
}

fn total<'a>(endings: impl Iterator<Item = &'a Ending>) -> u64 {
    endings.fold(0, |sum, e| sum.saturating_add(e.schedules))
}

fn name_values(state: &State, values: &[i64]) -> Vec<(String, i64)> {
    state.program().shared.iter().zip(values).map(|((n, _), &v)| (n.clone(), v)).collect()
}
