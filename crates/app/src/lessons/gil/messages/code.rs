//! Pickle vs dill, honestly mapped: message passing carries data, not code. The browser's own
//! `DataCloneError` for a posted function is shown verbatim (pickle's "Can't pickle <lambda>"),
//! then what sending the source text loses (its captured variables, which dill would have
//! sent), then why threads sharing one wasm module need to send nothing at all.

use yew::prelude::*;

use super::tables::SAB_REASON;
use crate::compute::message_bench::{
    CloneError, SourceTrip, TransportRow, post_function, post_source,
};
use crate::compute::{Compute, Mode};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub compute: Compute,
    /// The latest transport measurements (to quote real numbers in the trade-off).
    pub rows: Vec<TransportRow>,
}

/// The "sending code" experiments and the trade-off they illustrate.
#[function_component]
pub fn SendingCode(props: &Props) -> Html {
    let clone = use_memo((), |_| post_function());
    let trip = use_state(|| None::<Result<SourceTrip, String>>);
    {
        let trip = trip.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move { trip.set(Some(post_source().await)) });
        });
    }
    let plan = props.compute.plan();
    html! {
        <>
            <h2>{ "Pickle vs dill: can you send code?" }</h2>
            <p class="caption">
                { "Python's multiprocessing pickles what it sends. Pickle stores data, and a function only by its name \
                   (the other process imports it again), so a lambda or a closure cannot be sent. Browsers work the \
                   same way: postMessage copies data with the structured-clone algorithm, which has no rule for \
                   functions. This page just tried it for real:" }
            </p>
            { clone_result(&clone) }
            <h3>{ "Sending the source text instead" }</h3>
            <p class="caption">
                { "A string can always be sent, so why not send the function's source and rebuild it on the other side? \
                   The code arrives, but not the variables it captured:" }
            </p>
            { source_result(trip.as_ref()) }
            <p class="caption">
                { "That is the gap dill fills for Python: it serializes the function's code object together with the \
                   values it captured (here k = 3), so the receiver gets a working function. pathos is multiprocessing \
                   with dill instead of pickle, which is why pool.map(lambda x: x * k, data) works there. JavaScript \
                   has no built-in dill; Web Workers send data only." }
            </p>
            <h3>{ "Threads that share one module send nothing" }</h3>
            <p class="caption">
                { "Threads of one process already have the same code and the same memory. A closure is just an address \
                   of its code plus an address of its captured data, so any closure can run on another thread without \
                   being serialized. That is how parlab runs Rust closures on its rayon pool: every pool thread is a \
                   Web Worker running the same wasm module on one shared memory. " }
                { if plan.mode == Mode::Threads {
                    format!("Here the page is cross-origin isolated, and {} threads share that memory.", plan.pool)
                } else {
                    format!("Not here, though: {SAB_REASON} So parlab's other lessons fall back to separate workers \
                             that each load their own copy of the module and exchange chunk numbers by message, the \
                             pickle way.")
                } }
            </p>
            { tradeoff(&props.rows) }
        </>
    }
}

fn clone_result(clone: &Result<String, CloneError>) -> Html {
    match clone {
        Err(e) => html! {
            <div class="deadlock-result" data-testid="clone-error" data-name={e.name.clone()}
                data-message={e.message.clone()} role="status">
                <p><code>{ format!("const k = 3; port.postMessage({})", e.source) }</code></p>
                <p class="big error-text">{ format!("{}: {}", e.name, e.message) }</p>
                <p class="hint">
                    { "The browser's own error, caught and shown verbatim. Python's pickle says the same thing its own \
                       way: “Can't pickle <function <lambda>>: attribute lookup <lambda> on __main__ failed”." }
                </p>
            </div>
        },
        Ok(source) => html! {
            <div class="deadlock-result" data-testid="clone-error" data-name="" role="status">
                <p>{ format!("This browser posted {source} without an error; structured clone normally refuses functions.") }</p>
            </div>
        },
    }
}

fn source_result(trip: Option<&Result<SourceTrip, String>>) -> Html {
    match trip {
        None => html! { <p data-testid="source-trip" data-state="running">{ "Sending…" }</p> },
        Some(Err(e)) => {
            html! { <p data-testid="source-trip" data-state="error">{ format!("Error: {e}") }</p> }
        }
        Some(Ok(t)) => html! {
            <div class="deadlock-result" data-testid="source-trip" data-state="done" data-there={t.there.clone()}>
                <p><code>{ format!("port.postMessage(scale.toString())  // \"{}\"", t.source) }</code></p>
                <p>{ "Called here, where k = 3 exists: " }<code>{ format!("scale(2) = {}", t.here) }</code></p>
                <p>{ "Rebuilt from the received text and called: " }<code class="error-text">{ &t.there }</code></p>
            </div>
        },
    }
}

fn tradeoff(rows: &[TransportRow]) -> Html {
    let biggest = rows.iter().map(|r| r.bytes).max();
    let quote = |method: &str| {
        let r = rows.iter().find(|r| Some(r.bytes) == biggest && r.method == method)?;
        let size = crate::plot::size_label(r.bytes as f64);
        Some(format!(" Measured above: {method} of {size} took {:.2} ms.", r.median_ms))
    };
    html! {
        <div class="table-wrap">
            <table class="results tradeoff" data-testid="msg-tradeoff">
                <caption>{ "The trade-off the slide draws: separate memory is safer, shared memory is cheaper" }</caption>
                <thead><tr>
                    <th scope="col"></th>
                    <th scope="col">{ "Separate memory: processes, plain workers (message passing)" }</th>
                    <th scope="col">{ "Shared memory: threads, the wasm pool" }</th>
                </tr></thead>
                <tbody>
                    <tr><th scope="row">{ "What travels" }</th>
                        <td class="left">{ "Data only, copied (or moved). Code must already be on the other side, or be sent the dill way." }</td>
                        <td class="left">{ "Nothing: a pointer. Any closure runs directly." }</td></tr>
                    <tr><th scope="row">{ "Cost per message" }</th>
                        <td class="left">{ format!("Grows with the size: encode, copy, decode.{}", quote("copy").unwrap_or_default()) }</td>
                        <td class="left">{ format!("Almost none, whatever the size.{}", quote("share").unwrap_or_default()) }</td></tr>
                    <tr><th scope="row">{ "Safety" }</th>
                        <td class="left">{ "One side cannot corrupt the other's memory; no data races by construction; a crash stays in its process." }</td>
                        <td class="left">
                            { "Races and deadlocks are possible (see " }<a href="#/races">{ "Races & locks" }</a>
                            { "); locks are needed; one crash stops every thread." }
                        </td></tr>
                </tbody>
            </table>
        </div>
    }
}
