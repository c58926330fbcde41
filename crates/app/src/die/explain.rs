//! The words beside the die: logical vs physical cores, what the browser can know, and why two
//! hardware threads are not two cores.

use parlab_kernels::machine::MachineCard;
use yew::prelude::*;

use super::lamps::smt_of;

/// The explanation for the CPU lab's die view; `hc` is `navigator.hardwareConcurrency`
/// (0 when the browser gives none), `pool` the threads parlab uses and `card` the machine
/// lab's measurement, if it ran on this site.
pub fn explanation(hc: usize, pool: usize, card: Option<&MachineCard>) -> Html {
    let hc_text = if hc > 0 { hc.to_string() } else { "not reported".into() };
    let drawn = match smt_of(card) {
        (1, true) => "Here the machine lab measured no gain from a second thread per core, so every core is drawn \
            with one hardware thread."
            .to_string(),
        (k, true) => format!("Here every core is drawn with {k}, as the machine lab measured."),
        (k, false) => format!(
            "Here every core is drawn with {k}, an assumption: the machine lab measures it."
        ),
    };
    html! {
        <div class="cpu-aside die-explain">
            <p>
                <strong>{ "Physical and logical cores. " }</strong>
                { "A physical core has its own instruction pipeline, execution units and L1/L2 caches. With \
                   hyper-threading (Intel's name for simultaneous multithreading, SMT) each core keeps the state of two \
                   hardware threads and interleaves their instructions, so the operating system sees two logical CPUs per \
                   core. " }{ drawn }
            </p>
            <p data-testid="hardware-concurrency" data-value={hc.to_string()}>
                <strong>{ format!("This browser reports navigator.hardwareConcurrency = {hc_text}. ") }</strong>
                { format!("That is all a web page can learn: the number of logical CPUs, not how many are physical, not whether \
                    they are fast or efficiency cores, and some browsers round or cap it for privacy. parlab uses {pool} \
                    thread{} (the status bar; pool=K in the URL overrides it).", if pool == 1 { "" } else { "s" }) }
            </p>
            <p>
                <strong>{ "Who ran where is not known. " }</strong>
                { "The browser never tells which core ran a Web Worker: the operating system picks the real core and may \
                   move a thread at any time. So thread i is drawn on logical CPU i, numbered as Linux does (CPU i and \
                   CPU i + N are the two hardware threads of core i), which puts the first N threads on separate cores, as a \
                   scheduler would." }
            </p>
            <p>
                <strong>{ "Two hyper-threads are not two cores. " }</strong>
                { "Both threads of a core share its execution units and caches. They gain only when one thread leaves units \
                   idle, for example while it waits for memory; two threads that want the same unit just take turns. \
                   Typical gains are 0–30 %, not 100 %, which is why measured speedups usually flatten beyond the number of \
                   physical cores. Try it in the " }
                <a href="#/cpu?view=smt" data-testid="smt-link">{ "hyper-threading (SMT) view" }</a>{ "." }
            </p>
            <p>
                <strong>{ "Why a lamp is not fully lit. " }</strong>
                { "A thread below 100 % waited: for the serial section, for the last chunks to finish on other threads \
                   (load imbalance), or for the fork and join. Replay the run to see when." }
            </p>
        </div>
    }
}
