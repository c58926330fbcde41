//! The `workers`-mode executor: the page hands chunks to workers that share no memory, by
//! message passing. A pure state machine (no web-sys), so it is tested natively against the
//! pool executor: both must give the same answers.
//!
//! Dynamic schedule: each worker gets [`PIPELINE`] chunks up front and one more per reply, so
//! it never idles on a round trip through the page. Static: each worker gets its whole block at
//! once. Each step is timed on the page's clock from the first dispatch to the last reply, so
//! the messaging cost is part of the measurement.

use parlab_kernels::measure::{Job, Phase, Step, StepResult, serial_iters};
use parlab_kernels::schedule::Schedule;
use parlab_kernels::{ChunkRecord, RunOutcome};

use super::protocol::Request;

/// Chunks queued per worker under the dynamic schedule (2 = double buffering).
pub const PIPELINE: usize = 2;

/// What the page must do after feeding the driver an event.
#[derive(Debug, PartialEq)]
pub enum Next {
    /// Send these requests (worker index, request); may be empty (wait for more replies).
    Post(Vec<(usize, Request)>),
    Finished(Vec<StepResult>),
    Cancelled,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Waiting {
    Serial,
    Calibration { wall_ms: f64 },
    Chunks,
}

pub struct ChunkDriver {
    id: u32,
    job: Job,
    workers: usize,
    steps: Vec<Step>,
    step: usize,
    chunks: usize,
    next_chunk: usize,
    outstanding: usize,
    waiting: Waiting,
    iters: u64,
    t0: f64,
    serial_ms: f64,
    value: u64,
    records: Vec<ChunkRecord>,
    results: Vec<StepResult>,
    cancelled: bool,
    /// Chunks finished so far, over the whole job.
    pub done: usize,
    /// Chunks the whole job computes.
    pub total: usize,
}

impl ChunkDriver {
    pub fn new(id: u32, job: Job, workers: usize) -> Self {
        ChunkDriver {
            id,
            steps: job.steps(),
            chunks: job.spec.chunks(),
            total: job.total_chunks(),
            job,
            workers: workers.max(1),
            step: 0,
            next_chunk: 0,
            outstanding: 0,
            waiting: Waiting::Chunks,
            iters: 0,
            t0: 0.0,
            serial_ms: 0.0,
            value: 0,
            records: Vec::new(),
            results: Vec::new(),
            cancelled: false,
            done: 0,
        }
    }

    /// Starts the current step at time `now` (ms on the shared clock).
    pub fn start(&mut self, now: f64) -> Next {
        self.t0 = now;
        self.serial_ms = 0.0;
        self.value = 0;
        self.next_chunk = 0;
        self.records.clear();
        let config = self.job.config(self.steps[self.step], self.iters);
        if config.serial_iters > 0 {
            self.waiting = Waiting::Serial;
            return Next::Post(vec![(
                0,
                Request::Serial { id: self.id, iters: config.serial_iters },
            )]);
        }
        Next::Post(self.dispatch())
    }

    /// The serial section finished on worker 0 at `end_abs` (shared clock).
    pub fn on_serial(&mut self, end_abs: f64) -> Next {
        if self.waiting != Waiting::Serial {
            return Next::Post(Vec::new());
        }
        self.serial_ms = end_abs - self.t0;
        Next::Post(self.dispatch())
    }

    /// Worker 0 timed the serial chain (`ms` for `CALIBRATION_ITERS`): size the serial section.
    pub fn on_calibrated(&mut self, ms: f64, now: f64) -> Next {
        let Waiting::Calibration { wall_ms } = self.waiting else { return Next::Post(Vec::new()) };
        self.iters = serial_iters(self.job.serial_share, wall_ms, ms);
        self.advance(now)
    }

    /// Worker `worker` finished `chunk` (times on the shared clock).
    pub fn on_chunk(
        &mut self,
        worker: usize,
        chunk: usize,
        value: u64,
        abs: (f64, f64),
        now: f64,
    ) -> Next {
        self.outstanding = self.outstanding.saturating_sub(1);
        self.done += 1;
        self.value += value;
        let (start_ms, end_ms) = (abs.0 - self.t0, abs.1 - self.t0);
        self.records.push(ChunkRecord { chunk, thread: worker, start_ms, end_ms });
        if self.cancelled {
            return if self.outstanding == 0 { Next::Cancelled } else { Next::Post(Vec::new()) };
        }
        if self.job.schedule == Schedule::Dynamic
            && let Some(next) = self.take()
        {
            return Next::Post(vec![(worker, self.chunk_request(next))]);
        }
        if self.outstanding > 0 {
            return Next::Post(Vec::new());
        }
        let step = self.steps[self.step];
        let outcome = RunOutcome {
            value: self.value,
            wall_ms: now - self.t0,
            serial_ms: self.serial_ms,
            serial_thread: 0,
            chunks: std::mem::take(&mut self.records),
        };
        let wall_ms = outcome.wall_ms;
        self.results.push(StepResult { step, outcome });
        if step.phase == Phase::Calibrate {
            self.waiting = Waiting::Calibration { wall_ms };
            return Next::Post(vec![(0, Request::Calibrate { id: self.id })]);
        }
        self.advance(now)
    }

    /// Stops handing out work; returns `true` if nothing is in flight (the job ends now).
    pub fn cancel(&mut self) -> bool {
        self.cancelled = true;
        self.outstanding == 0 && self.waiting == Waiting::Chunks
    }

    fn advance(&mut self, now: f64) -> Next {
        self.step += 1;
        if self.step < self.steps.len() {
            self.start(now)
        } else {
            Next::Finished(std::mem::take(&mut self.results))
        }
    }

    fn dispatch(&mut self) -> Vec<(usize, Request)> {
        self.waiting = Waiting::Chunks;
        let k = self.steps[self.step].threads.min(self.workers).max(1);
        let mut posts = Vec::new();
        match self.job.schedule {
            Schedule::Dynamic => {
                for _ in 0..PIPELINE {
                    for w in 0..k {
                        if let Some(c) = self.take() {
                            posts.push((w, self.chunk_request(c)));
                        }
                    }
                }
            }
            Schedule::Static => {
                for w in 0..k {
                    for c in Schedule::static_block(self.chunks, w, k) {
                        posts.push((w, self.chunk_request(c)));
                    }
                }
                self.outstanding = self.chunks;
                self.next_chunk = self.chunks;
            }
        }
        posts
    }

    fn take(&mut self) -> Option<usize> {
        (self.next_chunk < self.chunks).then(|| {
            self.next_chunk += 1;
            self.outstanding += 1;
            self.next_chunk - 1
        })
    }

    fn chunk_request(&self, chunk: usize) -> Request {
        Request::Chunk { id: self.id, spec: self.job.spec, chunk }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parlab_kernels::measure::summarize;
    use parlab_kernels::schedule::serial_chain;
    use parlab_kernels::{KernelSpec, Size};
    use std::collections::VecDeque;

    /// Plays the workers: runs requests in order on a fake clock (1 ms per message).
    fn drive(job: Job, workers: usize) -> Vec<StepResult> {
        let mut d = ChunkDriver::new(7, job.clone(), workers);
        let mut now = 0.0;
        let mut queue: VecDeque<(usize, Request)> = VecDeque::new();
        let mut next = d.start(now);
        loop {
            match next {
                Next::Post(p) => queue.extend(p),
                Next::Finished(r) => return r,
                Next::Cancelled => panic!("not cancelled"),
            }
            let (w, req) = queue.pop_front().expect("work left while unfinished");
            now += 1.0;
            next = match req {
                Request::Chunk { spec, chunk, .. } => {
                    let v = spec.with_kernel(|k| k.run_chunk(chunk));
                    d.on_chunk(w, chunk, v, (now - 1.0, now), now)
                }
                Request::Serial { iters, .. } => {
                    serial_chain(iters.min(10));
                    d.on_serial(now)
                }
                Request::Calibrate { .. } => d.on_calibrated(0.5, now),
                other => panic!("unexpected {other:?}"),
            };
        }
    }

    fn job(schedule: Schedule, serial_share: f64) -> Job {
        let spec = KernelSpec::primes(Size::Small);
        Job { spec, threads: vec![1, 2, 3], reps: 2, schedule, serial_share }
    }

    #[test]
    fn every_schedule_gives_the_serial_answer() {
        for schedule in [Schedule::Dynamic, Schedule::Static] {
            let j = job(schedule, 0.0);
            let results = drive(j.clone(), 3);
            assert_eq!(results.len(), j.steps().len());
            let rows = summarize(&j, &results).unwrap();
            assert!(rows.iter().all(|r| r.value == 114_155), "{schedule:?}");
            assert_eq!(rows[2].threads_used, 3);
        }
    }

    #[test]
    fn serial_section_runs_before_timed_steps() {
        let j = job(Schedule::Dynamic, 0.5);
        let results = drive(j.clone(), 2);
        let timed: Vec<_> = results.iter().filter(|r| r.step.is_timed()).collect();
        assert!(timed.iter().all(|r| r.outcome.serial_ms > 0.0));
        assert!(results.iter().filter(|r| !r.step.is_timed()).all(|r| r.outcome.serial_ms == 0.0));
    }

    #[test]
    fn cancel_waits_for_chunks_in_flight() {
        let mut d = ChunkDriver::new(1, job(Schedule::Dynamic, 0.0), 2);
        let Next::Post(p) = d.start(0.0) else { panic!() };
        assert_eq!(p.len(), 2 * PIPELINE);
        assert!(!d.cancel());
        let mut last = Next::Post(Vec::new());
        for (w, _) in p {
            last = d.on_chunk(w, 0, 0, (0.0, 1.0), 1.0);
        }
        assert_eq!(last, Next::Cancelled);
    }
}
