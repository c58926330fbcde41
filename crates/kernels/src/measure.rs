//! The measurement protocol every lesson and every execution mode follows: one warm-up run,
//! then `reps` timed runs per thread count; median, min and max; results checked against the
//! 1-thread answer (conventions.md, "Measurement").

use parlab_model::{amdahl, stats::Summary};
use serde::{Deserialize, Serialize};

use crate::{KernelSpec, RunOutcome};

/// What to measure: a kernel, the thread counts to sweep and repetitions per count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub spec: KernelSpec,
    pub threads: Vec<usize>,
    pub reps: usize,
}

/// One entry of a job's schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub threads: usize,
    /// `None` for the warm-up run (not timed into the results).
    pub rep: Option<usize>,
}

impl Job {
    /// The runs in order: a warm-up at the largest thread count, then `reps` rounds over all
    /// thread counts. Interleaving the counts (1, N, 1, N, …) spreads slow drifts of the machine
    /// (other load, clock changes) over every count instead of biasing one.
    pub fn steps(&self) -> Vec<Step> {
        let warm = Step {
            threads: self.threads.iter().copied().max().unwrap_or(1),
            rep: None,
        };
        let timed = (0..self.reps).flat_map(|r| {
            self.threads.iter().map(move |&threads| Step {
                threads,
                rep: Some(r),
            })
        });
        std::iter::once(warm).chain(timed).collect()
    }

    /// Chunks computed over the whole job (for progress bars).
    pub fn total_chunks(&self) -> usize {
        self.steps().len() * self.spec.with_kernel(|k| k.chunks())
    }
}

/// A finished run of one step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepResult {
    pub step: Step,
    pub outcome: RunOutcome,
}

/// One row of a lesson's results table (and of its `data-json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Threads (or workers) asked for.
    pub threads: usize,
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    pub reps: usize,
    /// 1-thread median / this median (absent if the job did not measure 1 thread).
    pub speedup: Option<f64>,
    pub efficiency: Option<f64>,
    /// The kernel's answer (identical for every row, or [`summarize`] fails).
    pub value: u64,
    /// Distinct threads that computed at least one chunk in the last repetition.
    pub threads_used: usize,
}

/// Turns raw step results into rows, one per thread count, in the job's order. Fails if any
/// run's answer differs from the first timed run's (the 1-thread one when present).
pub fn summarize(job: &Job, results: &[StepResult]) -> Result<Vec<Row>, String> {
    let timed: Vec<&StepResult> = results.iter().filter(|r| r.step.rep.is_some()).collect();
    let reference = timed
        .iter()
        .find(|r| r.step.threads == 1)
        .or(timed.first())
        .ok_or("no timed runs")?;
    let expected = reference.outcome.value;
    if let Some(bad) = results.iter().find(|r| r.outcome.value != expected) {
        return Err(format!(
            "wrong result on {} thread(s): {} but the reference run gave {}",
            bad.step.threads, bad.outcome.value, expected
        ));
    }
    let mut rows: Vec<Row> = Vec::new();
    for &threads in &job.threads {
        let runs: Vec<&&StepResult> = timed.iter().filter(|r| r.step.threads == threads).collect();
        let times: Vec<f64> = runs.iter().map(|r| r.outcome.wall_ms).collect();
        let Some(s) = Summary::of(&times) else {
            continue;
        };
        let used = runs.last().map_or(0, |r| distinct_threads(&r.outcome));
        rows.push(Row {
            threads,
            median_ms: s.median,
            min_ms: s.min,
            max_ms: s.max,
            reps: times.len(),
            speedup: None,
            efficiency: None,
            value: expected,
            threads_used: used,
        });
    }
    if let Some(t1) = rows.iter().find(|r| r.threads == 1).map(|r| r.median_ms) {
        for row in &mut rows {
            let (s, e) = amdahl::measured(t1, row.median_ms, row.threads);
            row.speedup = Some(s);
            row.efficiency = Some(e);
        }
    }
    Ok(rows)
}

/// Number of distinct threads that ran at least one chunk.
pub fn distinct_threads(outcome: &RunOutcome) -> usize {
    let mut ids: Vec<usize> = outcome.chunks.iter().map(|c| c.thread).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ChunkRecord;

    fn result(threads: usize, rep: Option<usize>, ms: f64, value: u64) -> StepResult {
        let chunks = (0..threads)
            .map(|t| ChunkRecord {
                chunk: t,
                thread: t,
                start_ms: 0.0,
                end_ms: ms,
            })
            .collect();
        StepResult {
            step: Step { threads, rep },
            outcome: RunOutcome {
                value,
                wall_ms: ms,
                chunks,
            },
        }
    }

    fn job() -> Job {
        Job {
            spec: KernelSpec::primes(crate::Size::Small),
            threads: vec![1, 2],
            reps: 3,
        }
    }

    #[test]
    fn steps_start_with_one_warm_up() {
        let steps = job().steps();
        assert_eq!(steps.len(), 7);
        assert_eq!(
            steps[0],
            Step {
                threads: 2,
                rep: None
            }
        );
        assert_eq!(steps[1..].iter().filter(|s| s.threads == 2).count(), 3);
        assert_eq!(
            (steps[1].threads, steps[2].threads, steps[3].threads),
            (1, 2, 1),
            "interleaved"
        );
    }

    #[test]
    fn rows_have_median_and_speedup() {
        let mut rs = vec![result(2, None, 999.0, 7)];
        rs.extend([400.0, 410.0, 390.0].map(|ms| result(1, Some(0), ms, 7)));
        rs.extend([200.0, 195.0, 250.0].map(|ms| result(2, Some(0), ms, 7)));
        let rows = summarize(&job(), &rs).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].median_ms, rows[0].min_ms, rows[0].max_ms),
            (400.0, 390.0, 410.0)
        );
        assert_eq!(rows[1].speedup, Some(2.0));
        assert_eq!(rows[1].threads_used, 2);
    }

    #[test]
    fn a_wrong_answer_is_an_error() {
        let rs = vec![result(1, Some(0), 400.0, 7), result(2, Some(0), 200.0, 8)];
        assert!(summarize(&job(), &rs).unwrap_err().contains("wrong result"));
    }
}
