//! URL state: `#/<lesson>?key=value&…` (conventions.md). Parse, clamp with a note, write back
//! with `replaceState` so moving a slider does not spam the history.

use std::fmt::Write;

/// The parsed hash route.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Route {
    /// Lesson path without the leading `#/`, e.g. `serial` (empty for the overview).
    pub path: String,
    pub query: Query,
}

/// Ordered key/value pairs of the route's query.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query(Vec<(String, String)>);

impl Route {
    /// Parses a `location.hash` value such as `#/serial?threads=1,2`.
    pub fn parse(hash: &str) -> Route {
        let hash = hash.trim_start_matches('#').trim_start_matches('/');
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        Route { path: path.trim_end_matches('/').to_string(), query: Query::parse(query) }
    }

    /// The hash this route is written as.
    pub fn to_hash(&self) -> String {
        let mut s = format!("#/{}", self.path);
        if !self.query.0.is_empty() {
            let _ = write!(s, "?{}", self.query);
        }
        s
    }
}

impl Query {
    pub fn parse(s: &str) -> Query {
        Query(
            s.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (decode(k), decode(v))
                })
                .collect(),
        )
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Sets `key` (replacing every earlier value), keeping the order of first appearance.
    pub fn set(&mut self, key: &str, value: impl ToString) {
        let value = value.to_string();
        match self.0.iter().position(|(k, _)| k == key) {
            Some(i) => {
                self.0[i].1 = value;
                let mut seen = false;
                self.0.retain(|(k, _)| k != key || !std::mem::replace(&mut seen, true));
            }
            None => self.0.push((key.to_string(), value)),
        }
    }

    /// An integer parameter in `range`; a missing value gives `default`, a malformed or
    /// out-of-range one is replaced or clamped and described in `notes`.
    pub fn int(
        &self,
        key: &str,
        default: usize,
        range: std::ops::RangeInclusive<usize>,
        notes: &mut Vec<String>,
    ) -> usize {
        let Some(raw) = self.get(key) else {
            return default;
        };
        match raw.trim().parse::<i64>() {
            Ok(v) => {
                let clamped = v.clamp(*range.start() as i64, *range.end() as i64) as usize;
                if clamped as i64 != v {
                    notes.push(format!(
                        "{key}={raw} is outside {}–{}; using {clamped}.",
                        range.start(),
                        range.end()
                    ));
                }
                clamped
            }
            Err(_) => {
                notes.push(format!("{key}={raw} is not a whole number; using {default}."));
                default
            }
        }
    }

    /// A decimal parameter in `range`, clamped (or defaulted) with a note like [`Query::int`].
    pub fn float(
        &self,
        key: &str,
        default: f64,
        range: std::ops::RangeInclusive<f64>,
        notes: &mut Vec<String>,
    ) -> f64 {
        let Some(raw) = self.get(key) else { return default };
        match raw.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => {
                let clamped = v.clamp(*range.start(), *range.end());
                if clamped != v {
                    notes.push(format!(
                        "{key}={raw} is outside {}–{}; using {clamped}.",
                        range.start(),
                        range.end()
                    ));
                }
                clamped
            }
            _ => {
                notes.push(format!("{key}={raw} is not a number; using {default}."));
                default
            }
        }
    }

    /// A `0`/`1` switch; anything else gives `default` with a note.
    pub fn flag(&self, key: &str, default: bool, notes: &mut Vec<String>) -> bool {
        match self.get(key) {
            None => default,
            Some("1") => true,
            Some("0") => false,
            Some(raw) => {
                notes.push(format!("{key}={raw} is not 0 or 1; using {}.", u8::from(default)));
                default
            }
        }
    }

    /// One of a fixed set of names; anything else gives `default` with a note.
    pub fn choice<T: Copy>(
        &self,
        key: &str,
        default: T,
        parse: impl Fn(&str) -> Option<T>,
        notes: &mut Vec<String>,
    ) -> T {
        match self.get(key) {
            None => default,
            Some(raw) => parse(raw).unwrap_or_else(|| {
                notes.push(format!("{key}={raw} is not a known value; using the default."));
                default
            }),
        }
    }

    /// A comma-separated list of integers, each clamped to `range`, sorted and deduplicated.
    pub fn int_list(
        &self,
        key: &str,
        default: Vec<usize>,
        range: std::ops::RangeInclusive<usize>,
        notes: &mut Vec<String>,
    ) -> Vec<usize> {
        let Some(raw) = self.get(key) else {
            return default;
        };
        let mut out = Vec::new();
        let mut changed = false;
        for part in raw.split(',').filter(|p| !p.trim().is_empty()) {
            match part.trim().parse::<i64>() {
                Ok(v) => {
                    let c = v.clamp(*range.start() as i64, *range.end() as i64) as usize;
                    changed |= c as i64 != v;
                    out.push(c);
                }
                Err(_) => changed = true,
            }
        }
        out.sort_unstable();
        out.dedup();
        if out.is_empty() {
            notes.push(format!("{key}={raw} has no usable numbers; using the default."));
            return default;
        }
        if changed {
            let list: Vec<String> = out.iter().map(|v| v.to_string()).collect();
            notes.push(format!(
                "{key}={raw} adjusted to {} (allowed {}–{}).",
                list.join(","),
                range.start(),
                range.end()
            ));
        }
        out
    }
}

impl std::fmt::Display for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> =
            self.0.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
        f.write_str(&parts.join("&"))
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut bytes = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                bytes.push(hi * 16 + lo);
                i += 3;
            }
            (c, _, _) => {
                bytes.push(if c == b'+' { b' ' } else { c });
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|c| match c {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' => {
                (c as char).to_string()
            }
            _ => format!("%{c:02X}"),
        })
        .collect()
}

/// `v` with up to `decimals` decimals and no trailing zeros (`0.95`, `0.99802`, `1`), so a
/// fine slider step still changes the URL while round values stay short.
pub fn decimal(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// `1,2,4` for a list of numbers (the form `int_list` reads).
pub fn join(values: &[usize]) -> String {
    values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",")
}

/// Adds `value` to a sorted list, or removes it if present.
pub fn toggle(list: &mut Vec<usize>, value: usize) {
    match list.binary_search(&value) {
        Ok(i) => {
            list.remove(i);
        }
        Err(i) => list.insert(i, value),
    }
}

/// The current route from `location.hash`.
pub fn current() -> Route {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    Route::parse(&hash)
}

/// Sets `pairs` in the current route's query and reloads the page (for settings read once at
/// start-up, such as the pool size).
pub fn reload_with(pairs: &[(&str, String)]) {
    let mut route = current();
    for (key, value) in pairs {
        route.query.set(key, value);
    }
    if let Some(location) = web_sys::window().map(|w| w.location()) {
        let _ = location.set_hash(route.to_hash().trim_start_matches('#'));
        let _ = location.reload();
    }
}

/// Writes `route` to the address bar without adding a history entry.
pub fn replace(route: &Route) {
    if let Some(w) = web_sys::window()
        && let Ok(h) = w.history()
    {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&route.to_hash()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_decimals() {
        let mut notes = Vec::new();
        let q = Query::parse("a=1&b=0&c=yes");
        assert!(q.flag("a", false, &mut notes) && !q.flag("b", true, &mut notes));
        assert!(q.flag("c", true, &mut notes) && q.flag("missing", true, &mut notes));
        assert_eq!(notes.len(), 1);
        assert_eq!(decimal(0.95, 6), "0.95");
        assert_eq!(decimal(0.998021, 6), "0.998021");
        assert_eq!(decimal(1.0, 6), "1");
        assert_eq!(decimal(2000.0, 0), "2000");
    }

    #[test]
    fn round_trip() {
        let r = Route::parse("#/serial?threads=1,2&size=large&note=a%20b");
        assert_eq!(r.path, "serial");
        assert_eq!(r.query.get("threads"), Some("1,2"));
        assert_eq!(r.query.get("note"), Some("a b"));
        assert_eq!(Route::parse(&r.to_hash()), r);
        assert_eq!(Route::parse("").path, "");
        assert_eq!(Route::parse("#/").path, "");
    }

    #[test]
    fn clamping_reports() {
        let q = Query::parse("pool=999&reps=x&threads=0,2,2,abc,500");
        let mut notes = Vec::new();
        assert_eq!(q.int("pool", 4, 1..=64, &mut notes), 64);
        assert_eq!(q.int("reps", 3, 1..=20, &mut notes), 3);
        assert_eq!(q.int_list("threads", vec![1], 1..=8, &mut notes), vec![1, 2, 8]);
        assert_eq!(q.int("absent", 5, 1..=9, &mut notes), 5);
        assert_eq!(notes.len(), 3, "{notes:?}");
        let q = Query::parse("p=1.5&s=NaN&t=0.25");
        assert_eq!(q.float("p", 0.9, 0.0..=1.0, &mut notes), 1.0);
        assert_eq!(q.float("s", 0.1, 0.0..=1.0, &mut notes), 0.1);
        assert_eq!(q.float("t", 0.1, 0.0..=1.0, &mut notes), 0.25);
        assert_eq!(notes.len(), 5, "{notes:?}");
    }

    #[test]
    fn set_replaces_duplicates() {
        let mut q = Query::parse("a=1&b=2&a=3");
        q.set("a", 9);
        assert_eq!(q.to_string(), "a=9&b=2");
        assert_eq!(decode("%zz%4"), "%zz%4");
    }
}
