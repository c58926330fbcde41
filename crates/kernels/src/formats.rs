//! Serialization formats, measured: what it costs to turn representative objects into bytes
//! and back with a text format (JSON, via `serde_json`) and a compact binary one (`postcard`).
//!
//! Why it is here: workers (like processes) that share no memory can only exchange bytes, so
//! every object sent is encoded by the sender and decoded by the receiver — Python's
//! `multiprocessing` does this with pickle on every call. How big the bytes get and how long
//! the two conversions take is part of the price of separate memory. The same code runs
//! natively (tests) and in a browser worker (the GIL lesson), timed with the caller's clock.
//!
//! Every measurement also checks that the decoded value equals the input: a format that loses
//! information (JSON and floats are the classic trap, hence serde_json's `float_roundtrip`) is
//! reported, not hidden.

use parlab_model::stats::Summary;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::schedule::Clock;

/// A user record: a string and a few small integers (what a web API typically sends).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Sequential id, from 0 (postcard writes it as a varint, JSON as decimal digits).
    pub id: u32,
    /// A short name such as `grace-2`.
    pub name: String,
    /// 18..=77.
    pub age: u8,
    /// Signed, in −5000..5000.
    pub score: i32,
    /// A flag (`true`/`false` in JSON, one byte in postcard).
    pub active: bool,
}

/// A node of a nested tree (a parsed document, a scene graph, a directory listing).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Position in depth-first order, from 1 at the root.
    pub value: i64,
    /// `n` followed by the child indices on the path from the root (the root is `n`).
    pub label: String,
    /// [`TREE_FANOUT`] subtrees, or none at the leaves.
    pub children: Vec<Node>,
}

/// How large the representative objects are.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sizes {
    /// Number of f64 samples.
    pub samples: usize,
    /// Number of records.
    pub records: usize,
    /// Depth of the tree (a root alone is depth 0); every inner node has [`TREE_FANOUT`]
    /// children.
    pub tree_depth: u32,
}

/// Children per inner tree node.
pub const TREE_FANOUT: usize = 4;

impl Sizes {
    /// The sizes the lesson measures: 100 000 samples, 10 000 records, a tree of 21 845 nodes.
    pub const STANDARD: Sizes = Sizes { samples: 100_000, records: 10_000, tree_depth: 7 };
}

/// The two formats compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Text: self-describing, human-readable, numbers written as decimal digits.
    Json,
    /// Binary: field names left out (both sides know the type), integers as varints, f64 as
    /// 8 raw bytes.
    Postcard,
}

impl Format {
    /// Both formats, in table order.
    pub const ALL: [Format; 2] = [Format::Json, Format::Postcard];

    /// The name shown in tables.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON (serde_json)",
            Format::Postcard => "binary (postcard)",
        }
    }

    fn encode<T: Serialize>(self, value: &T) -> Result<Vec<u8>, String> {
        match self {
            Format::Json => serde_json::to_vec(value).map_err(|e| e.to_string()),
            Format::Postcard => postcard::to_allocvec(value).map_err(|e| e.to_string()),
        }
    }

    fn decode<T: DeserializeOwned>(self, bytes: &[u8]) -> Result<T, String> {
        match self {
            Format::Json => serde_json::from_slice(bytes).map_err(|e| e.to_string()),
            Format::Postcard => postcard::from_bytes(bytes).map_err(|e| e.to_string()),
        }
    }
}

/// One measured (object, format) pair. Times are milliseconds on the caller's clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormatRow {
    /// `samples`, `records` or `tree`.
    pub object: String,
    /// What the object is, in words.
    pub description: String,
    /// The format measured.
    pub format: Format,
    /// Encoded size.
    pub bytes: usize,
    /// Median time to encode the object.
    pub encode_ms: f64,
    /// Fastest encode.
    pub encode_min_ms: f64,
    /// Slowest encode.
    pub encode_max_ms: f64,
    /// Median time to decode the bytes back into the object.
    pub decode_ms: f64,
    /// Fastest decode.
    pub decode_min_ms: f64,
    /// Slowest decode.
    pub decode_max_ms: f64,
    /// Timed repetitions (after one untimed warm-up).
    pub reps: usize,
    /// The decoded value equals the input.
    pub round_trip: bool,
}

/// `n` sensor-like readings: a slow wave plus noise, every value using all 53 bits of an f64
/// (so JSON has to write 15–17 significant digits, as it would for real measurements).
pub fn samples(n: usize) -> Vec<f64> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    (0..n)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            20.0 + 5.0 * (i as f64 * 0.01).sin() + noise
        })
        .collect()
}

/// `n` records with varied names and small integers.
pub fn records(n: usize) -> Vec<Record> {
    const NAMES: [&str; 6] = ["ada", "alan", "grace", "edsger", "barbara", "donald"];
    (0..n)
        .map(|i| Record {
            id: i as u32,
            name: format!("{}-{}", NAMES[i % NAMES.len()], i),
            age: (18 + i % 60) as u8,
            score: (i as i32 * 7919) % 10_000 - 5_000,
            active: i % 3 != 0,
        })
        .collect()
}

/// A complete tree of `depth` levels below the root, [`TREE_FANOUT`] children per node.
pub fn tree(depth: u32) -> Node {
    fn build(depth: u32, path: &mut Vec<usize>, next: &mut i64) -> Node {
        *next += 1;
        let value = *next;
        let label = format!("n{}", path.iter().map(|p| p.to_string()).collect::<String>());
        let children = if depth == 0 {
            Vec::new()
        } else {
            (0..TREE_FANOUT)
                .map(|c| {
                    path.push(c);
                    let node = build(depth - 1, path, next);
                    path.pop();
                    node
                })
                .collect()
        };
        Node { value, label, children }
    }
    build(depth, &mut Vec::new(), &mut 0)
}

/// Number of nodes in `node`'s tree.
pub fn count_nodes(node: &Node) -> usize {
    1 + node.children.iter().map(count_nodes).sum::<usize>()
}

/// Encodes and decodes `value` once untimed (warm-up), then `reps` times timed.
fn measure_one<T>(
    value: &T,
    format: Format,
    reps: usize,
    clock: &dyn Clock,
) -> Result<Timed, String>
where
    T: Serialize + DeserializeOwned + PartialEq,
{
    let bytes = format.encode(value)?;
    let round_trip = format.decode::<T>(&bytes)? == *value;
    let (mut enc, mut dec) = (Vec::with_capacity(reps), Vec::with_capacity(reps));
    for _ in 0..reps.max(1) {
        let t0 = clock.now_ms();
        let b = format.encode(value)?;
        let t1 = clock.now_ms();
        let back: T = format.decode(&b)?;
        let t2 = clock.now_ms();
        std::hint::black_box(&back);
        enc.push(t1 - t0);
        dec.push(t2 - t1);
    }
    let summary = |v: &[f64]| Summary::of(v).ok_or("no valid timings".to_string());
    Ok(Timed { bytes: bytes.len(), encode: summary(&enc)?, decode: summary(&dec)?, round_trip })
}

struct Timed {
    bytes: usize,
    encode: Summary,
    decode: Summary,
    round_trip: bool,
}

/// Measures every object in both formats (`reps` timed repetitions each, at least one).
/// `progress(done, total)` is called after each (object, format) pair.
pub fn measure(
    sizes: Sizes,
    reps: usize,
    clock: &dyn Clock,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<FormatRow>, String> {
    let reps = reps.max(1);
    let samples = samples(sizes.samples);
    let records = records(sizes.records);
    let tree = tree(sizes.tree_depth);
    let objects: [(&str, String); 3] = [
        ("samples", format!("{} f64 sensor readings (a Vec<f64>)", sizes.samples)),
        ("records", format!("{} records of id, name, age, score, active", sizes.records)),
        ("tree", format!("a tree of {} nodes of value, label, children", count_nodes(&tree))),
    ];
    let total = objects.len() * Format::ALL.len();
    let mut rows = Vec::with_capacity(total);
    for (object, description) in objects {
        for format in Format::ALL {
            let t = match object {
                "samples" => measure_one(&samples, format, reps, clock),
                "records" => measure_one(&records, format, reps, clock),
                _ => measure_one(&tree, format, reps, clock),
            }?;
            rows.push(FormatRow {
                object: object.to_string(),
                description: description.clone(),
                format,
                bytes: t.bytes,
                encode_ms: t.encode.median,
                encode_min_ms: t.encode.min,
                encode_max_ms: t.encode.max,
                decode_ms: t.decode.median,
                decode_min_ms: t.decode.min,
                decode_max_ms: t.decode.max,
                reps,
                round_trip: t.round_trip,
            });
            progress(rows.len(), total);
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> f64 {
        use std::sync::OnceLock;
        static START: OnceLock<std::time::Instant> = OnceLock::new();
        START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1e3
    }

    const SMALL: Sizes = Sizes { samples: 2_000, records: 300, tree_depth: 3 };

    #[test]
    fn every_pair_round_trips_and_binary_is_smaller() {
        let mut calls = 0;
        let rows = measure(SMALL, 2, &clock, &mut |done, total| {
            calls += 1;
            assert!(done <= total);
        })
        .unwrap();
        assert_eq!(rows.len(), 6);
        assert_eq!(calls, 6);
        for r in &rows {
            assert!(r.round_trip, "{r:?}");
            assert!(r.bytes > 0);
            assert!(r.encode_min_ms <= r.encode_ms && r.encode_ms <= r.encode_max_ms);
            assert!(r.decode_ms >= 0.0);
            assert_eq!(r.reps, 2);
        }
        for object in ["samples", "records", "tree"] {
            let size = |f| rows.iter().find(|r| r.object == object && r.format == f).unwrap().bytes;
            assert!(size(Format::Json) > size(Format::Postcard), "{object}");
        }
    }

    #[test]
    fn objects_have_the_asked_sizes() {
        assert_eq!(samples(10).len(), 10);
        assert_eq!(records(7).len(), 7);
        assert_eq!(count_nodes(&tree(0)), 1);
        assert_eq!(count_nodes(&tree(2)), 1 + 4 + 16);
        assert_eq!(count_nodes(&tree(Sizes::STANDARD.tree_depth)), 21_845);
        // Deterministic: the same input every time, so sizes are comparable between runs.
        assert_eq!(samples(50), samples(50));
        assert!(samples(1000).iter().all(|x| x.is_finite()));
    }

    #[test]
    fn f64_samples_are_eight_bytes_in_postcard() {
        let v = samples(1_000);
        // Length prefix (a varint: 2 bytes for 1000) plus 8 bytes per value.
        assert_eq!(Format::Postcard.encode(&v).unwrap().len(), 2 + 8 * 1_000);
        let back: Vec<f64> = Format::Json.decode(&Format::Json.encode(&v).unwrap()).unwrap();
        assert_eq!(back, v, "serde_json with float_roundtrip gives back the exact bits");
    }

    #[test]
    fn bad_bytes_are_errors_not_panics() {
        assert!(Format::Json.decode::<Vec<Record>>(b"[{\"id\":").is_err());
        assert!(Format::Postcard.decode::<Vec<Record>>(&[0xff, 0xff, 0xff]).is_err());
        let zero = Sizes { samples: 0, records: 0, tree_depth: 0 };
        let rows = measure(zero, 0, &clock, &mut |_, _| {}).unwrap();
        assert!(rows.iter().all(|r| r.round_trip && r.reps == 1));
    }
}
