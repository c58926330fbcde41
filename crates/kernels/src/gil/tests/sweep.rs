use super::super::presets::Preset;
use super::super::process::Batch;
use super::super::sweep::{Step, Sweep, execute, summarize};
use super::super::types::{GilConfig, GilRun, Mode};
use super::*;
use crate::schedule::RunControl;

fn sweep(preset: Preset, modes: &[Mode], threads: &[usize]) -> Sweep {
    Sweep {
        preset,
        modes: modes.to_vec(),
        threads: threads.to_vec(),
        reps: 2,
        switch_interval_ms: 1.0,
    }
}

#[test]
fn steps_warm_up_each_configuration_then_interleave_the_repetitions() {
    let s = sweep(Preset::Io { calls: 2, ms: 1 }, &[Mode::Gil, Mode::Processes], &[1, 2]);
    let steps = s.steps();
    assert_eq!(steps.len(), 4 * 3);
    assert!(steps[..4].iter().all(|s| s.rep.is_none()));
    assert_eq!(steps[4], Step { mode: Mode::Gil, threads: 1, rep: Some(0) });
    assert_eq!(steps[8], Step { mode: Mode::Gil, threads: 1, rep: Some(1) });
}

#[test]
fn a_sweep_gives_one_row_per_mode_and_thread_count_with_the_same_answer() {
    let s = sweep(Preset::Primes { limit: 5_000 }, &Mode::ALL, &[1, 2]);
    let control = RunControl::default();
    let report = pool(2).install(|| execute(&s, &clock(), &control)).unwrap();
    assert_eq!(report.rows.len(), 6);
    assert_eq!(control.chunks_done.load(std::sync::atomic::Ordering::Relaxed), 18);
    for r in &report.rows {
        assert_eq!(r.value, 669, "π(5000) in {:?} on {}", r.mode, r.threads);
        assert_eq!(r.reps, 2);
        assert!(r.min_ms <= r.median_ms && r.median_ms <= r.max_ms);
        assert!(r.speedup.is_some_and(|x| x > 0.0));
        assert_eq!(r.message_bytes > 0, r.mode == Mode::Processes);
    }
    assert!(report.rows.iter().filter(|r| r.threads == 1).all(|r| r.speedup == Some(1.0)));
    assert_eq!(report.timelines.len(), 3);
    assert!(report.timelines.iter().all(|t| t.threads.len() == 2));
}

#[test]
fn counters_report_the_shared_value_and_processes_never_share_it() {
    let s = sweep(Preset::Counter { increments: 2_000 }, &[Mode::Gil, Mode::Processes], &[2]);
    let report = pool(2).install(|| execute(&s, &clock(), &RunControl::default())).unwrap();
    let gil = &report.rows[0];
    assert_eq!((gil.counter, gil.expected), (Some(4_000), Some(4_000)));
    let processes = &report.rows[1];
    assert_eq!((processes.counter, processes.expected), (Some(0), Some(4_000)));
    assert!(processes.speedup.is_none(), "no 1-thread row, no speedup");
}

#[test]
fn a_wrong_answer_fails_the_sweep() {
    let s = sweep(Preset::Primes { limit: 2_000 }, &[Mode::FreeThreaded], &[1, 2]);
    let mut runs: Vec<(Step, GilRun)> = Vec::new();
    pool(2).install(|| {
        for step in s.steps() {
            let tasks = s.preset.tasks(step.threads);
            let config = GilConfig { mode: step.mode, switch_interval_ms: 1.0 };
            let r = super::super::run::run(&tasks, config, &clock(), &RunControl::default());
            runs.push((step, r.unwrap()));
        }
    });
    assert!(summarize(&s, &runs).is_ok());
    runs.last_mut().unwrap().1.threads[0].result += 1;
    assert!(summarize(&s, &runs).unwrap_err().contains("wrong answer"));
}

#[test]
fn a_batch_decodes_what_separate_children_answer() {
    let tasks = Preset::Primes { limit: 3_000 }.tasks(3);
    let c = clock();
    let batch = Batch::encode(&tasks, &c);
    let control = RunControl::default();
    let outputs: Vec<(usize, Vec<u8>)> = batch
        .inputs
        .iter()
        .enumerate()
        .map(|(i, input)| (i, super::super::process::process_main(input, &c, &control)))
        .collect();
    let run = batch.finish(outputs, &c).unwrap();
    assert_eq!(run.total(), 430); // π(3000)
    assert_eq!(run.messages.messages, 6);
    assert!(run.messages.bytes_in > 0 && run.messages.bytes_out > 0);
}

#[test]
fn a_corrupt_answer_is_an_error_not_a_panic() {
    let tasks = Preset::Io { calls: 1, ms: 0 }.tasks(1);
    let c = clock();
    let batch = Batch::encode(&tasks, &c);
    assert!(batch.finish(vec![(0, b"GIO1\x07".to_vec())], &c).is_err());
}
