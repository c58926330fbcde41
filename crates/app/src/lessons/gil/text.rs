//! The lesson's explanations, in plain words, kept apart from the view code.

use yew::prelude::*;

use super::settings::Workload;

pub fn lead() -> Html {
    html! {
        <p class="lead">
            { "CPython runs Python bytecode under one global interpreter lock (the GIL): however many threads \
               you start, only the thread holding the lock executes bytecode. The lock is released while a thread \
               waits for I/O or runs C code that lets go of it (hashlib, NumPy), and a thread that has held it for \
               the switch interval (5 ms by default, sys.getswitchinterval()) is asked to hand it over. Here a small \
               bytecode interpreter written for this lab runs on real threads of this browser tab, with a real lock \
               that follows those rules. Every number below is measured." }
        </p>
    }
}

/// What to look for with each workload.
pub fn workload(w: Workload) -> &'static str {
    match w {
        Workload::Primes => {
            "Pure bytecode. Under the GIL only one thread interprets at a time, so two threads take as \
             long as one (or longer: they also hand the lock back and forth). Processes each have their own \
             interpreter and lock, so they run at once; so do free-threaded threads."
        }
        Workload::Io => {
            "Each call blocks in a real wait (time.sleep, a socket read) and releases the GIL while it \
             waits, so other threads run in the meantime. Threads help I/O-bound Python code even with the GIL."
        }
        Workload::Native => {
            "Each call hashes a buffer in native code that releases the GIL, like hashlib or NumPy. The \
             hashing runs in parallel; only the short bytecode around it takes turns."
        }
        Workload::Mixed => {
            "Each item runs some bytecode (needs the GIL), then waits for I/O and calls native code \
             (both release it). The more of the time is spent outside bytecode, the more threads help: Amdahl's \
             law with the interpreted part as the serial fraction."
        }
        Workload::Counter => {
            "Every thread adds 1 to a shared global many times. Under the GIL the read and the write of \
             counter += 1 sit between two check points (CPython 3.10+ only switches threads at backward jumps \
             and calls), so no update is lost. Without the GIL the threads really overlap and updates are lost. \
             Processes never share the counter at all: the parent's copy stays 0."
        }
        Workload::CounterCall => {
            "The same counter, but a function call sits between the read and the write. A call is a \
             check point, so the GIL can change hands there and the other thread's updates get overwritten: \
             the GIL does not make your code thread-safe; a lock does."
        }
    }
}

/// Why only the processes rows run; `reason` is the page's mode decision in words.
pub fn workers_mode_note(reason: &str) -> Html {
    html! {
        <p class="note" role="note" data-testid="gil-mode-note">
            { format!("This page cannot share memory between workers here ({reason}), so \
               interpreter threads that share one lock cannot run for real. Only the processes rows are \
               measured: each process is its own Web Worker with its own memory, fed and answered with \
               serialised bytes. Open parlab in its own tab to compare them with threads.") }
        </p>
    }
}

pub fn timelines() -> Html {
    html! {
        <p class="caption">
            { "One lane per interpreter thread (or process), from real timestamps taken inside the workers. \
               Under the GIL the running bars never overlap: that is the lock. Free-threaded and process bars \
               overlap when the cores allow it." }
        </p>
    }
}

pub fn processes() -> Html {
    html! {
        <p class="caption">
            { "Processes pay for their independence: the code and the inputs are serialised and copied to each \
               child and the results copied back (the message bytes and encode/decode time in the table), and \
               nothing is shared, which is also what makes them safe." }
        </p>
    }
}
