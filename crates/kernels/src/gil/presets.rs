//! The lesson's workloads as little programs, each next to the Python it stands for.
//!
//! Why these: CPU-bound (prime counting, all bytecode: the GIL serialises it), I/O-bound
//! (blocking waits: the GIL is released, threads overlap), C-library-bound (native hashing:
//! released too), a mix whose proportions the user sets, and the two race programs. In
//! `counter += 1` the read and the write sit between two check points (the loop's backward
//! jump is the only one), so under the GIL no thread can be switched out in between; a call
//! between them adds a check point where a switch strands a stale `tmp`.
//!
//! The sources are templates (`{name}` placeholders) so the UI can show them, comments
//! included, exactly as assembled.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::asm::assemble;
use super::types::Task;
use super::vm::Program;

/// A workload preset and its size. Work is split among threads except for the counters,
/// where every thread does all `increments` (as in the races lesson).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "preset", rename_all = "snake_case")]
pub enum Preset {
    /// CPU-bound: count primes below `limit` by trial division; thread t of K tests the odd
    /// numbers 2t + 1, 2t + 1 + 2K, … (interleaved odd numbers, so the threads get equal
    /// work: interleaving all numbers would hand one of two threads every even number), and
    /// thread 0 also counts the even prime 2.
    Primes {
        /// Numbers below this are tested.
        limit: u32,
    },
    /// I/O-bound: `calls` blocking waits of `ms` each.
    Io {
        /// Waits in all, shared out among the threads.
        calls: u32,
        /// Length of each wait, milliseconds.
        ms: u32,
    },
    /// C-library-bound: `calls` native hashes of `bytes` bytes each.
    Native {
        /// Native calls in all, shared out among the threads.
        calls: u32,
        /// Bytes hashed per call.
        bytes: u32,
    },
    /// Mixed: `items` items, each `cpu` interpreted loop iterations, then `io_ms` of I/O
    /// (left out if 0), then a hash of `bytes` bytes (left out if 0). Every item adds the same
    /// amount to the result, so the threads' results sum to the 1-thread answer.
    Mixed {
        /// Items in all, shared out among the threads.
        items: u32,
        /// Interpreted loop iterations per item.
        cpu: u32,
        /// I/O wait per item, milliseconds (0: none).
        io_ms: u32,
        /// Bytes hashed natively per item (0: no call).
        bytes: u32,
    },
    /// `counter += 1`, `increments` times per thread, on a shared global.
    Counter {
        /// Increments per thread (not shared out).
        increments: u32,
    },
    /// `tmp = counter; f(); counter = tmp + 1`, `increments` times per thread.
    CounterWithCall {
        /// Increments per thread (not shared out).
        increments: u32,
    },
}

/// `while i < count: {body}; i += 1`, the loop every preset but primes runs.
const LOOP: &str = "def main count
    locals i {locals}
loop:                       # while i < count:
    load_local i
    load_local count
    lt
    jump_if_false done
{body}    load_local i            #     i += 1
    push_const 1
    add
    store_local i
    jump_back loop          # check point
done:
    {result}
    return
";

const ZERO: &str = "push_const 0            # return 0";
const ACC: &str = "load_local acc          # return acc";
const PRIMES: &str = include_str!("primes.asm");
const IO: &str = "    io {ms}                    #     time.sleep(): releases the GIL\n";
const NATIVE: &str = "    load_local acc          #     acc += hash_bytes(n): releases the GIL
    native {bytes}
    add
    store_local acc
";
const MIXED: &str = "    push_const 0            #     j = 0
    store_local j
    push_const 0            #     x = 0
    store_local x
cpu:                        #     while j < {cpu}:
    load_local j
    push_const {cpu}
    lt
    jump_if_false cpu_done
    load_local x            #         x = (x + j * j) % 1000003
    load_local j
    load_local j
    mul
    add
    push_const 1000003
    mod
    store_local x
    load_local j            #         j += 1
    push_const 1
    add
    store_local j
    jump_back cpu           #         check point
cpu_done:
    load_local acc          #     acc += x
    load_local x
    add
    store_local acc
{io}{native}";
const COUNTER: &str = "    load_global counter     #     counter += 1
    push_const 1
    add
    store_global counter
";
const COUNTER_CALL: &str = "    load_global counter     #     tmp = counter
    store_local tmp
    call f                  #     f(): check point
    pop
    load_local tmp          #     counter = tmp + 1
    push_const 1
    add
    store_global counter
";
const F: &str = "def f
    push_const 0
    return
";

const LOOP_PY: &str = "def main(count):
{init}    i = 0
    while i < count:
{body}        i += 1
    return {result}
";
const IO_PY: &str = "        time.sleep({s})  # blocking I/O: releases the GIL\n";
const NATIVE_PY: &str = "        acc += hash_bytes({bytes})  # C library: releases the GIL\n";
const MIXED_PY: &str = "        j = 0
        x = 0
        while j < {cpu}:  # bytecode: needs the GIL
            x = (x + j * j) % 1000003
            j += 1
        acc += x
{io}{native}";
const GLOBAL_PY: &str = "    global counter\n";
const COUNTER_CALL_PY: &str = "        tmp = counter
        f()  # a check point between the read and the write
        counter = tmp + 1
";
const PRIMES_PY: &str = "def main(start, stop, step, extra):
    # thread t of K: start = 2t + 1, step = 2K (odd numbers only);
    # extra = 1 on thread 0 for the even prime 2
    n = start
    count = extra
    while n < stop:
        count += is_prime(n)
        n += step
    return count

def is_prime(n):
    if n < 2:
        return 0
    d = 2
    while d * d <= n:
        if n % d == 0:
            return 0
        d += 1
    return 1
";

/// `template` with each `{name}` replaced.
fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    vars.iter().fold(template.to_string(), |s, (k, v)| s.replace(&format!("{{{k}}}"), v))
}

impl Preset {
    /// One example of each preset, sized for a lesson (tenths of a second at one thread).
    pub fn examples() -> [Preset; 6] {
        [
            Preset::Primes { limit: 150_000 },
            Preset::Io { calls: 40, ms: 5 },
            Preset::Native { calls: 40, bytes: 2_000_000 },
            Preset::Mixed { items: 40, cpu: 2_000, io_ms: 2, bytes: 500_000 },
            Preset::Counter { increments: 1_000_000 },
            Preset::CounterWithCall { increments: 1_000_000 },
        ]
    }

    /// Short name (the serde tag).
    pub fn name(&self) -> &'static str {
        match self {
            Preset::Primes { .. } => "primes",
            Preset::Io { .. } => "io",
            Preset::Native { .. } => "native",
            Preset::Mixed { .. } => "mixed",
            Preset::Counter { .. } => "counter",
            Preset::CounterWithCall { .. } => "counter_with_call",
        }
    }

    /// The assembler source (see `asm`), with comments giving the Python of each part.
    pub fn source(&self) -> String {
        let looped = |locals: &str, body: &str, result: &str| {
            fill(LOOP, &[("locals", locals), ("body", body), ("result", result)])
        };
        match *self {
            Preset::Primes { .. } => PRIMES.to_string(),
            Preset::Io { ms, .. } => looped("", &fill(IO, &[("ms", &ms.to_string())]), ZERO),
            Preset::Native { bytes, .. } => {
                looped("acc", &fill(NATIVE, &[("bytes", &bytes.to_string())]), ACC)
            }
            Preset::Mixed { cpu, io_ms, bytes, .. } => {
                let io =
                    if io_ms > 0 { fill(IO, &[("ms", &io_ms.to_string())]) } else { "".into() };
                let native = if bytes > 0 {
                    fill(NATIVE, &[("bytes", &bytes.to_string())])
                } else {
                    "".into()
                };
                let body =
                    fill(MIXED, &[("cpu", &cpu.to_string()), ("io", &io), ("native", &native)]);
                looped("j x acc", &body, ACC)
            }
            Preset::Counter { .. } => format!("globals counter\n{}", looped("", COUNTER, ZERO)),
            Preset::CounterWithCall { .. } => {
                format!("globals counter\n{}{F}", looped("tmp", COUNTER_CALL, ZERO))
            }
        }
    }

    /// The program (presets always assemble; a test checks it).
    pub fn program(&self) -> Program {
        assemble(&self.source()).expect("a preset assembles")
    }

    /// The Python each thread runs, for display next to the bytecode.
    pub fn python(&self) -> String {
        let looped = |init: &str, body: &str, result: &str| {
            fill(LOOP_PY, &[("init", init), ("body", body), ("result", result)])
        };
        let secs = |ms: u32| (f64::from(ms) / 1e3).to_string();
        let io = |ms| fill(IO_PY, &[("s", &secs(ms))]);
        let native = |bytes: u32| fill(NATIVE_PY, &[("bytes", &bytes.to_string())]);
        let acc = "    acc = 0\n";
        match *self {
            Preset::Primes { .. } => PRIMES_PY.into(),
            Preset::Io { ms, .. } => looped("", &io(ms), "0"),
            Preset::Native { bytes, .. } => looped(acc, &native(bytes), "acc"),
            Preset::Mixed { cpu, io_ms, bytes, .. } => {
                let io = if io_ms > 0 { io(io_ms) } else { String::new() };
                let native = if bytes > 0 { native(bytes) } else { String::new() };
                let body =
                    fill(MIXED_PY, &[("cpu", &cpu.to_string()), ("io", &io), ("native", &native)]);
                looped(acc, &body, "acc")
            }
            Preset::Counter { .. } => {
                format!("counter = 0\n\n{}", looped(GLOBAL_PY, "        counter += 1\n", "0"))
            }
            Preset::CounterWithCall { .. } => format!(
                "counter = 0\n\ndef f():\n    return 0\n\n{}",
                looped(GLOBAL_PY, COUNTER_CALL_PY, "0")
            ),
        }
    }

    /// One task per thread: the program and that thread's arguments.
    pub fn tasks(&self, threads: usize) -> Vec<Task> {
        let k = threads.max(1) as i64;
        let program = Arc::new(self.program());
        let share = |n: u32, t: i64| (i64::from(n) * (t + 1)) / k - (i64::from(n) * t) / k;
        (0..k)
            .map(|t| {
                let args = match *self {
                    Preset::Primes { limit } => {
                        vec![2 * t + 1, limit.into(), 2 * k, i64::from(t == 0 && limit > 2)]
                    }
                    Preset::Io { calls: n, .. }
                    | Preset::Native { calls: n, .. }
                    | Preset::Mixed { items: n, .. } => vec![share(n, t)],
                    Preset::Counter { increments } | Preset::CounterWithCall { increments } => {
                        vec![increments.into()]
                    }
                };
                Task { program: program.clone(), args }
            })
            .collect()
    }

    /// For the counter presets: the final `counter` if no update is lost (threads × increments).
    pub fn expected_counter(&self, threads: usize) -> Option<i64> {
        match *self {
            Preset::Counter { increments } | Preset::CounterWithCall { increments } => {
                Some(i64::from(increments) * threads.max(1) as i64)
            }
            _ => None,
        }
    }
}
