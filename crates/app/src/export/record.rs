//! One result row as an object whose keys keep their order.
//!
//! Why not `serde_json::Map`: without serde_json's `preserve_order` feature (which would change
//! every map in the app) it sorts its keys, and a CSV whose columns come out alphabetically
//! (`efficiency, karp_flatt, max_ms, …`) is hard to read. A row is turned into a [`Record`] from
//! its JSON text, so the columns keep the order of the struct's fields.

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A JSON object with ordered keys (serialised and parsed as a plain object).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record(pub Vec<(String, Value)>);

impl Record {
    /// The record of anything that serialises to a JSON object (`None` otherwise).
    pub fn of<T: Serialize>(value: &T) -> Option<Record> {
        let text = serde_json::to_string(value).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The number under `key`, if it is one.
    pub fn number(&self, key: &str) -> Option<f64> {
        self.get(key)?.as_f64().filter(|x| x.is_finite())
    }

    /// The value under `key` as text for a table or a legend (`""` when absent or null).
    pub fn text(&self, key: &str) -> String {
        match self.get(key) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
        }
    }

    /// Sets `key` (replacing its value in place, or appending it).
    pub fn set(&mut self, key: &str, value: Value) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key.to_string(), value)),
        }
    }
}

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Record, D::Error> {
        struct Ordered;
        impl<'de> Visitor<'de> for Ordered {
            type Value = Record;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object (one result row)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    out.push((k, v));
                }
                Ok(Record(out))
            }
        }
        d.deserialize_map(Ordered)
    }
}

/// The columns of `rows`: every key, in the order first seen.
pub fn columns(rows: &[Record]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in rows {
        for (k, _) in &r.0 {
            if !out.contains(k) {
                out.push(k.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        threads: usize,
        median_ms: f64,
        speedup: Option<f64>,
    }

    #[test]
    fn keeps_field_order_and_reads_values() {
        let r = Record::of(&Row { threads: 2, median_ms: 1.5, speedup: None }).unwrap();
        let keys: Vec<&str> = r.0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["threads", "median_ms", "speedup"]);
        assert_eq!(r.number("threads"), Some(2.0));
        assert_eq!(r.number("speedup"), None);
        assert_eq!(r.text("speedup"), "");
        assert_eq!(r.text("median_ms"), "1.5");
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"threads":2,"median_ms":1.5,"speedup":null}"#);
        assert_eq!(serde_json::from_str::<Record>(&json).unwrap(), r);
        assert!(Record::of(&[1, 2]).is_none(), "an array is not a row");
    }

    #[test]
    fn columns_are_the_union_in_first_seen_order() {
        let a = Record(vec![("a".into(), Value::Null), ("b".into(), Value::Null)]);
        let b = Record(vec![("c".into(), Value::Null), ("a".into(), Value::Null)]);
        assert_eq!(columns(&[a, b]), ["a", "b", "c"]);
    }
}
