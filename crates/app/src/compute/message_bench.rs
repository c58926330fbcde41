//! The page's side of `web/message-bench.js` (shared memory vs message passing, measured), the
//! serialization-formats export that worker calls, and the two JavaScript experiments of the
//! pickle-vs-dill section (posting a function, posting a function's source).
//!
//! Why a worker of its own, not the compute worker: a 64 MB copy takes tens of milliseconds and
//! must not freeze the page, the bench needs a second thread to send to (a nested echo worker),
//! and Cancel can simply terminate it without disturbing the compute pool other experiments use.

use parlab_kernels::formats::{self, FormatRow, Sizes};
use parlab_model::stats::Summary;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use super::bridge::GLUE_URL;
use super::clock::now_abs_ms;

/// Raw timings of one (method, size) pair, as the bench worker sends them.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct RawRow {
    method: String,
    bytes: u64,
    batch: u32,
    times_ms: Vec<f64>,
}

/// Messages from the bench worker (JSON strings; `formats*` come from [`formats_bench`]).
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Wire {
    Methods { methods: Vec<String> },
    Progress { done: f64, total: f64, label: String },
    Transport { rows: Vec<RawRow> },
    Formats { rows: Vec<FormatRow> },
    FormatsFailed { message: String },
    Done,
    Error { message: String },
}

/// One measured point: sending `bytes` by `method` (`copy`, `transfer` or `share`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TransportRow {
    pub method: String,
    pub bytes: u64,
    /// Per-message time (ms): send until the receiver's ack, on the sender's clock.
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    pub reps: usize,
    /// Back-to-back round trips timed together in one repetition (small messages only).
    pub batch: u32,
    /// `bytes` / median time, in MiB per second (`None` if the time was below resolution).
    pub mib_per_s: Option<f64>,
}

impl TransportRow {
    fn from_raw(raw: RawRow) -> Option<TransportRow> {
        let s = Summary::of(&raw.times_ms)?;
        let mib = raw.bytes as f64 / (1u64 << 20) as f64;
        Some(TransportRow {
            method: raw.method,
            bytes: raw.bytes,
            median_ms: s.median,
            min_ms: s.min,
            max_ms: s.max,
            reps: raw.times_ms.len(),
            batch: raw.batch,
            mib_per_s: (s.median > 0.0).then(|| mib / (s.median / 1e3)),
        })
    }
}

/// What the lesson hears from a running bench.
#[derive(Clone, Debug, PartialEq)]
pub enum BenchEvent {
    /// The methods that will run (`share` only where the page is cross-origin isolated).
    Methods(Vec<String>),
    Progress {
        done: f64,
        total: f64,
        label: String,
    },
    /// All transport rows measured so far.
    Transport(Vec<TransportRow>),
    Formats(Vec<FormatRow>),
    FormatsFailed(String),
    Done,
    Failed(String),
}

/// A running bench worker. Dropping it terminates the worker (that is Cancel).
pub struct MessageBench {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl MessageBench {
    /// Starts a bench of buffers from 1 KiB to `max_bytes`, `reps` timed rounds each.
    pub fn start(max_bytes: u64, reps: usize, sink: Callback<BenchEvent>) -> Result<Self, String> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options("./message-bench.js", &options)
            .map_err(|e| format!("cannot start a Web Worker: {e:?}"))?;
        let on_message = {
            let sink = sink.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let text = e.data().as_string().unwrap_or_default();
                sink.emit(match serde_json::from_str::<Wire>(&text) {
                    Ok(wire) => translate(wire),
                    Err(e) => BenchEvent::Failed(format!("bad message from the bench: {e}")),
                });
            })
        };
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
            e.prevent_default();
            sink.emit(BenchEvent::Failed(format!("the bench worker failed: {}", e.message())));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let init = super::js_object(&[
            ("type", JsValue::from_str("run")),
            ("maxBytes", JsValue::from_f64(max_bytes as f64)),
            ("reps", JsValue::from_f64(reps as f64)),
            ("glueUrl", GLUE_URL.with(|u| u.clone()).into()),
            ("module", wasm_bindgen::module()),
        ]);
        worker.post_message(&init).map_err(|e| format!("cannot start the bench: {e:?}"))?;
        Ok(MessageBench { worker, _on_message: on_message, _on_error: on_error })
    }
}

impl Drop for MessageBench {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

fn translate(wire: Wire) -> BenchEvent {
    match wire {
        Wire::Methods { methods } => BenchEvent::Methods(methods),
        Wire::Progress { done, total, label } => BenchEvent::Progress { done, total, label },
        Wire::Transport { rows } => {
            BenchEvent::Transport(rows.into_iter().filter_map(TransportRow::from_raw).collect())
        }
        Wire::Formats { rows } => BenchEvent::Formats(rows),
        Wire::FormatsFailed { message } => BenchEvent::FormatsFailed(message),
        Wire::Done => BenchEvent::Done,
        Wire::Error { message } => BenchEvent::Failed(message),
    }
}

/// Runs in the bench worker: encodes and decodes the representative objects of
/// [`formats::measure`] in JSON and postcard, `reps` (at least 5) times each, calling `progress(done,
/// total)` after each pair. Returns the JSON message to post to the page.
#[wasm_bindgen]
pub fn formats_bench(reps: u32, progress: &js_sys::Function) -> String {
    let mut report = |done: usize, total: usize| {
        let _ = progress.call2(&JsValue::NULL, &(done as u32).into(), &(total as u32).into());
    };
    // At least 5: single encodes take well under a millisecond, so a median of 1 or 2 would
    // mostly show the timer's resolution and the odd pause.
    let reps = (reps as usize).clamp(5, 20);
    let wire = match formats::measure(Sizes::STANDARD, reps, &now_abs_ms, &mut report) {
        Ok(rows) => Wire::Formats { rows },
        Err(message) => Wire::FormatsFailed { message },
    };
    serde_json::to_string(&wire).unwrap_or_default()
}

/// The error a real `postMessage` of a function raised, verbatim.
#[derive(Clone, Debug, PartialEq)]
pub struct CloneError {
    pub name: String,
    pub message: String,
    /// The source of the function that was posted.
    pub source: String,
}

/// What happened to a function sent as its source text.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceTrip {
    pub source: String,
    /// Calling the original here.
    pub here: String,
    /// Calling the function rebuilt from the received text (an error, if it threw).
    pub there: String,
}

#[wasm_bindgen(inline_js = r#"
function makeScale() {
  const k = 3;
  return (x) => x * k;
}
export function postFunction() {
  const scale = makeScale();
  const { port1, port2 } = new MessageChannel();
  try {
    port1.postMessage(scale);
    return { name: '', message: '', source: scale.toString() };
  } catch (e) {
    return { name: String(e && e.name), message: String(e && e.message), source: scale.toString() };
  } finally {
    port1.close();
    port2.close();
  }
}
export function postSource() {
  const scale = makeScale();
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port2.onmessage = ({ data }) => {
      let there;
      try {
        there = String(new Function(`return (${data});`)()(2));
      } catch (e) {
        there = `${e.name}: ${e.message}`;
      }
      port1.close();
      port2.close();
      resolve({ source: data, here: String(scale(2)), there });
    };
    port1.postMessage(scale.toString());
  });
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = postFunction)]
    fn post_function_js() -> JsValue;
    #[wasm_bindgen(js_name = postSource)]
    fn post_source_js() -> js_sys::Promise;
}

fn field(v: &JsValue, k: &str) -> String {
    js_sys::Reflect::get(v, &k.into()).ok().and_then(|s| s.as_string()).unwrap_or_default()
}

/// Posts a closure (`(x) => x * k`, with `k = 3` captured) through a real `MessageChannel`;
/// `Err` carries the browser's own error (a `DataCloneError`), `Ok` would mean it was sent.
pub fn post_function() -> Result<String, CloneError> {
    let out = post_function_js();
    let (name, message, source) =
        (field(&out, "name"), field(&out, "message"), field(&out, "source"));
    if name.is_empty() { Ok(source) } else { Err(CloneError { name, message, source }) }
}

/// Posts the same closure's *source text*, rebuilds a function from it on the other side and
/// calls both with 2.
pub async fn post_source() -> Result<SourceTrip, String> {
    let v = wasm_bindgen_futures::JsFuture::from(post_source_js())
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(SourceTrip {
        source: field(&v, "source"),
        here: field(&v, "here"),
        there: field(&v, "there"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_summarised_and_rates_computed() {
        let raw = RawRow {
            method: "copy".into(),
            bytes: 1 << 20,
            batch: 1,
            times_ms: vec![2.0, 1.0, 4.0],
        };
        let row = TransportRow::from_raw(raw).unwrap();
        assert_eq!((row.median_ms, row.min_ms, row.max_ms, row.reps), (2.0, 1.0, 4.0, 3));
        assert_eq!(row.mib_per_s, Some(500.0));
        let zero = RawRow { method: "share".into(), bytes: 1024, batch: 64, times_ms: vec![0.0] };
        assert_eq!(TransportRow::from_raw(zero).unwrap().mib_per_s, None);
        let empty = RawRow { method: "copy".into(), bytes: 1024, batch: 1, times_ms: vec![] };
        assert!(TransportRow::from_raw(empty).is_none());
    }

    #[test]
    fn wire_messages_parse() {
        let w: Wire = serde_json::from_str(r#"{"type":"methods","methods":["copy"]}"#).unwrap();
        assert_eq!(translate(w), BenchEvent::Methods(vec!["copy".into()]));
        let w: Wire =
            serde_json::from_str(r#"{"type":"progress","done":1.5,"total":4,"label":"x"}"#)
                .unwrap();
        assert!(matches!(translate(w), BenchEvent::Progress { .. }));
        assert!(serde_json::from_str::<Wire>(r#"{"type":"nonsense"}"#).is_err());
    }
}
