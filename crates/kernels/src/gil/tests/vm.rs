use super::super::asm::assemble;
use super::super::op::Op;
use super::super::presets::Preset;
use super::super::process::{ProcessJob, ProcessOutput};
use super::super::timeline::{Activity, Segment};
use super::super::vm::Fault;
use super::*;

#[test]
fn interpreted_primes_are_right() {
    let program = Preset::Primes { limit: 10_000 }.program();
    assert_eq!(run_alone(&program, &[0, 10_000, 1, 0]).0, 1_229); // π(10^4)
    // The threads' shares (odd numbers, interleaved) add up to the same count.
    for k in 1..=4 {
        let tasks = Preset::Primes { limit: 10_000 }.tasks(k);
        let shares: i64 = tasks.iter().map(|t| run_alone(&t.program, &t.args).0).sum();
        assert_eq!(shares, 1_229, "{k} threads");
    }
}

/// The lesson checks every run's answer against the 1-thread run, so the threads' shares of a
/// work preset must add up to the same total however the work is split.
#[test]
fn work_presets_give_the_same_total_on_any_thread_count() {
    let presets = [
        Preset::Primes { limit: 2_000 },
        Preset::Io { calls: 7, ms: 0 },
        Preset::Native { calls: 7, bytes: 1_000 },
        Preset::Mixed { items: 7, cpu: 300, io_ms: 0, bytes: 1_000 },
        Preset::Mixed { items: 7, cpu: 300, io_ms: 0, bytes: 0 },
    ];
    for preset in presets {
        let total =
            |k| preset.tasks(k).iter().map(|t| run_alone(&t.program, &t.args).0).sum::<i64>();
        let one = total(1);
        for k in 2..=5 {
            assert_eq!(total(k), one, "{} on {k} threads", preset.name());
        }
    }
}

#[test]
fn every_preset_assembles_and_runs_alone() {
    for preset in Preset::examples() {
        let program = preset.program();
        assert!(program.code.len() > 5, "{}", preset.name());
        assert!(!preset.python().is_empty() && program.to_string().contains("def main"));
        for task in preset.tasks(3) {
            let small: Vec<i64> = task.args.iter().map(|&a| a.min(50)).collect();
            let args = if preset.name() == "primes" { task.args.clone() } else { small };
            run_alone(&task.program, &args);
        }
    }
    let (_, globals) = run_alone(&Preset::Counter { increments: 7 }.program(), &[7]);
    assert_eq!(globals, [7]);
    let (_, globals) = run_alone(&Preset::CounterWithCall { increments: 7 }.program(), &[7]);
    assert_eq!(globals, [7]);
}

#[test]
fn calls_and_python_arithmetic() {
    let src = "def main a b\n    load_local a\n    load_local b\n    call f\n    return\n\
               def f x y\n    load_local x\n    load_local y\n    mod\n    load_local x\n    \
               load_local y\n    div\n    push_const 100\n    mul\n    add\n    return\n";
    let p = assemble(src).unwrap();
    // Python: -7 % 3 == 2 and -7 // 3 == -3.
    assert_eq!(run_alone(&p, &[-7, 3]).0, 2 - 300);
    assert_eq!(run_alone(&p, &[7, -3]).0, -2 - 300);
    assert_eq!(try_run(&p, &[1, 0]).unwrap_err().fault, Fault::DivisionByZero);
    assert!(
        matches!(Machine::new(&p, &[1]), Err(e) if e.fault == Fault::WrongArgs { expected: 2, got: 1 })
    );
}

#[test]
fn runaway_recursion_faults() {
    let p = assemble("def main\n    call main\n    return\n").unwrap();
    let fault = try_run(&p, &[]).unwrap_err().fault;
    assert_eq!(fault, Fault::StackOverflow);
}

#[test]
fn assembler_reports_lines_and_jump_directions() {
    let back = assemble("def main\ntop:\n    jump top\n    halt\n").unwrap_err();
    assert_eq!(back.line, 3);
    assert!(back.message.contains("forward"), "{back}");
    let fwd = assemble("def main\n    jump_back end\nend:\n    halt\n").unwrap_err();
    assert!(fwd.message.contains("backward"), "{fwd}");
    assert_eq!(assemble("def main\n    frob\n").unwrap_err().line, 2);
    assert!(assemble("def main\n    load_local nope\n").unwrap_err().message.contains("nope"));
    assert!(assemble("    halt\n").is_err());
}

#[test]
fn ops_round_trip_through_parts() {
    for tag in 0..=255u8 {
        if let Some(op) = Op::from_parts(tag, 3) {
            assert_eq!(Op::from_parts(op.parts().0, op.parts().1), Some(op));
        }
    }
}

#[test]
fn process_messages_round_trip() {
    for preset in Preset::examples() {
        let job = ProcessJob {
            program: preset.program(),
            args: vec![-1, 5],
            globals: vec![3],
            t0_ms: 1.5,
        };
        assert_eq!(ProcessJob::decode(&job.encode()), Ok(job));
    }
    let seg = Segment { activity: Activity::Io, start_ms: 0.5, end_ms: 2.0 };
    for result in [Ok(-42), Err("boom".to_string())] {
        let out = ProcessOutput {
            result,
            ops: 9,
            globals: vec![1, -2],
            segments: vec![seg],
            decode_ms: 0.1,
        };
        assert_eq!(ProcessOutput::decode(&out.encode()), Ok(out));
    }
}

proptest::proptest! {
    #[test]
    fn arithmetic_matches_python(a in -1_000_000i64..1_000_000, b in -1_000i64..1_000) {
        proptest::prop_assume!(b != 0);
        let src = format!("def main\n    push_const {a}\n    push_const {b}\n    mod\n    return\n");
        let r = run_alone(&assemble(&src).unwrap(), &[]).0;
        proptest::prop_assert_eq!(r, a - b * (a as f64 / b as f64).floor() as i64);
    }

    #[test]
    fn decoding_garbage_never_panics(
        bytes in proptest::collection::vec(0u8..=255, 0..200),
        at in 0usize..10_000,
        byte in 0u8..=255,
    ) {
        let _ = ProcessJob::decode(&bytes);
        let _ = ProcessOutput::decode(&bytes);
        // A valid message with one byte changed decodes or fails cleanly.
        let job = ProcessJob { program: Preset::Mixed { items: 1, cpu: 2, io_ms: 3, bytes: 4 }.program(), args: vec![1], globals: vec![], t0_ms: 0.0 };
        let mut msg = job.encode();
        let i = at % msg.len();
        msg[i] = byte;
        if let Ok(job) = ProcessJob::decode(&msg) {
            let _ = job.program.to_string();
        }
    }
}
