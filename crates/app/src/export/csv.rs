//! The CSV form of an export: the machine block and settings as `# key,value` comment lines,
//! then one plain table of the rows.
//!
//! Why comments: spreadsheets and `pandas.read_csv(path, comment="#")` read the table as it is,
//! while the lines above it keep the context a result needs. The lesson's `details` are JSON
//! only (nested data has no good table form).

use serde_json::Value;

use super::record::{Record, columns};
use super::schema::{Export, Machine, check_header};

/// The CSV text of `e`.
pub fn write(e: &Export) -> String {
    let m = &e.machine;
    let opt = |v: Option<usize>| v.map_or(String::new(), |x| x.to_string());
    let meta: Vec<(&str, String)> = vec![
        ("format", e.format.clone()),
        ("version", e.version.to_string()),
        ("lesson", e.lesson.clone()),
        ("class", e.class.clone()),
        ("class_title", e.class_title.clone()),
        ("series_by", e.series_by.clone().unwrap_or_default()),
        ("settings", e.settings.clone()),
        ("date", e.date.clone()),
        ("machine.label", m.label.clone()),
        ("machine.browser", m.browser.clone()),
        ("machine.engine", m.engine.clone()),
        ("machine.os", m.os.clone()),
        ("machine.user_agent", m.user_agent.clone()),
        ("machine.mode", m.mode.clone()),
        ("machine.pool", m.pool.to_string()),
        ("machine.reported_cores", m.reported_cores.to_string()),
        ("machine.measured_cores", opt(m.measured_cores)),
        ("machine.probe_conclusive", m.probe_conclusive.map_or(String::new(), |b| b.to_string())),
        ("machine.cross_origin_isolated", m.cross_origin_isolated.to_string()),
        ("machine.card", m.card.as_ref().map_or(String::new(), Value::to_string)),
    ];
    let mut out = String::new();
    for (k, v) in meta {
        out += &format!("# {k},{}\n", field(&v));
    }
    let cols = columns(&e.rows);
    out += &cols.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
    out.push('\n');
    for r in &e.rows {
        let cells: Vec<String> =
            cols.iter().map(|c| field(&cell(r.get(c).unwrap_or(&Value::Null)))).collect();
        out += &cells.join(",");
        out.push('\n');
    }
    out
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One field, quoted when it must be (RFC 4180; also a leading `#`, which reads as a comment).
fn field(s: &str) -> String {
    let quote = s.contains([',', '"', '\n', '\r'])
        || s.starts_with('#')
        || s.starts_with(' ')
        || s.ends_with(' ');
    if quote { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// Splits CSV text into records of fields (quoted fields may hold commas, quotes, newlines).
fn records(text: &str) -> Result<Vec<Vec<String>>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let (mut rec, mut f) = (Vec::new(), String::new());
    let (mut quoted, mut was_quoted) = (false, false);
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    f.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    f.push(c);
                }
                _ => f.push(c),
            }
            continue;
        }
        match c {
            '"' if f.is_empty() && !was_quoted => (quoted, was_quoted) = (true, true),
            ',' => {
                rec.push(std::mem::take(&mut f));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                rec.push(std::mem::take(&mut f));
                was_quoted = false;
                if !(rec.len() == 1 && rec[0].is_empty()) {
                    out.push(std::mem::take(&mut rec));
                }
                rec.clear();
                line += 1;
            }
            _ => f.push(c),
        }
    }
    if quoted {
        return Err(format!("a quoted field is never closed (line {line})"));
    }
    if !f.is_empty() || !rec.is_empty() {
        rec.push(f);
        out.push(rec);
    }
    Ok(out)
}

/// A table cell back as JSON: empty → null, `true`/`false`, integers, other numbers, text.
fn value(s: &str) -> Value {
    if s.is_empty() {
        return Value::Null;
    }
    if let Ok(b) = s.parse::<bool>() {
        return Value::Bool(b);
    }
    if let Ok(u) = s.parse::<u64>() {
        return Value::from(u);
    }
    if let Ok(i) = s.parse::<i64>() {
        return Value::from(i);
    }
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && s.bytes().any(|b| b.is_ascii_digit()) => Value::from(x),
        _ => Value::String(s.to_string()),
    }
}

/// Reads a CSV export, with a message a person can act on when it is not one.
pub fn parse(text: &str) -> Result<Export, String> {
    let all = records(text)?;
    let mut meta: Vec<(String, String)> = Vec::new();
    let mut table = Vec::new();
    for r in all {
        match r[0].strip_prefix('#') {
            Some(key) if table.is_empty() => {
                meta.push((key.trim().to_string(), r.get(1).cloned().unwrap_or_default()))
            }
            _ => table.push(r),
        }
    }
    let get = |k: &str| meta.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    check_header(get("format"), get("version").and_then(|v| v.parse().ok()))?;
    let text = |k: &str| get(k).unwrap_or_default().to_string();
    let num = |k: &str| -> Result<usize, String> {
        let raw = get(k).unwrap_or_default();
        raw.parse().map_err(|_| format!("{k} is \"{raw}\", not a whole number"))
    };
    let card = match get("machine.card").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            serde_json::from_str(s).map_err(|e| format!("machine.card is not valid JSON ({e})"))?,
        ),
    };
    let machine = Machine {
        label: text("machine.label"),
        browser: text("machine.browser"),
        engine: text("machine.engine"),
        os: text("machine.os"),
        user_agent: text("machine.user_agent"),
        mode: text("machine.mode"),
        pool: num("machine.pool")?,
        reported_cores: num("machine.reported_cores")?,
        measured_cores: get("machine.measured_cores").and_then(|s| s.parse().ok()),
        probe_conclusive: get("machine.probe_conclusive").and_then(|s| s.parse().ok()),
        cross_origin_isolated: get("machine.cross_origin_isolated") == Some("true"),
        card,
    };
    let mut lines = table.into_iter();
    let header = lines.next().ok_or("it has no table of results under its header lines")?;
    let mut rows = Vec::new();
    for (i, r) in lines.enumerate() {
        if r.len() != header.len() {
            return Err(format!(
                "row {} has {} fields, the header {}",
                i + 1,
                r.len(),
                header.len()
            ));
        }
        rows.push(Record(header.iter().cloned().zip(r.iter().map(|s| value(s))).collect()));
    }
    let export = Export {
        format: text("format"),
        version: get("version").and_then(|v| v.parse().ok()).unwrap_or_default(),
        lesson: text("lesson"),
        class: text("class"),
        class_title: text("class_title"),
        series_by: get("series_by").filter(|s| !s.is_empty()).map(str::to_string),
        settings: text("settings"),
        date: text("date"),
        machine,
        rows,
        details: None,
    };
    export.check()?;
    Ok(export)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::schema::tests::sample;

    #[test]
    fn csv_round_trip_keeps_everything_but_details() {
        let e = sample("lab PC, \"row 3\"");
        let text = write(&e);
        assert!(text.starts_with("# format,parlab-results\n# version,1\n"));
        assert!(text.contains("\nthreads,median_ms,speedup,mode\n1,100.0,1.0,gil\n"), "{text}");
        assert!(text.contains("# machine.label,\"lab PC, \"\"row 3\"\"\"\n"));
        let back = parse(&text).unwrap();
        assert_eq!(back, Export { details: None, ..e });
    }

    #[test]
    fn tolerates_crlf_and_a_bom() {
        let e = sample("x");
        let text = format!("\u{feff}{}", write(&e).replace('\n', "\r\n"));
        assert_eq!(parse(&text).unwrap().rows, e.rows);
    }

    #[test]
    fn quoted_fields_split_right() {
        let r = records("a,\"b,c\",\"d\"\"e\"\n\"multi\nline\",2\n").unwrap();
        assert_eq!(r, vec![vec!["a", "b,c", "d\"e"], vec!["multi\nline", "2"]]);
        assert!(records("a,\"open\n").unwrap_err().contains("never closed"));
    }

    #[test]
    fn cells_become_json_values() {
        assert_eq!(value(""), Value::Null);
        assert_eq!(value("3"), Value::from(3u64));
        assert_eq!(value("-3"), Value::from(-3i64));
        assert_eq!(value("2.5"), Value::from(2.5));
        assert_eq!(value("true"), Value::Bool(true));
        assert_eq!(value("inf"), Value::String("inf".into()));
        assert_eq!(value("gil"), Value::String("gil".into()));
    }

    #[test]
    fn bad_csv_gets_a_message() {
        assert!(parse("threads,median_ms\n1,2\n").unwrap_err().contains("not a parlab results"));
        let e = write(&sample("x"));
        let ragged = format!("{e}1,2\n");
        assert!(parse(&ragged).unwrap_err().contains("fields"));
        let headless: String =
            e.lines().filter(|l| l.starts_with('#')).map(|l| format!("{l}\n")).collect();
        assert!(parse(&headless).unwrap_err().contains("no table"));
        let bad_pool = e.replace("# machine.pool,4", "# machine.pool,four");
        assert!(parse(&bad_pool).unwrap_err().contains("machine.pool"));
    }
}
