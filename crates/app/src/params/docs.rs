//! The generated documentation of URL parameters: a Markdown table per lesson
//! (`docs/url-keys.md`) and the JSON the E2E specs are checked against (`docs/url-keys.json`).

use super::Param;

/// Markdown table of `params`.
pub fn markdown(params: &[Param]) -> String {
    let mut s = String::from("| key | default | values | meaning |\n|---|---|---|---|\n");
    for p in params {
        let default =
            if p.default.is_empty() { "(empty)".into() } else { format!("`{}`", p.default) };
        s += &format!("| `{}` | {default} | {} | {} |\n", p.key, p.values_doc(), p.doc);
    }
    s
}

/// JSON description of `params` (for the E2E specs): key, default (resolved for `pool`),
/// kind, values.
pub fn json(params: &[Param], pool: usize) -> serde_json::Value {
    params
        .iter()
        .map(|p| {
            serde_json::json!({
                "key": p.key,
                "default": p.default,
                "default_at_pool": p.default_text(pool),
                "kind": if p.action { "action" } else { p.kind_name() },
                "derived": p.derived,
                "values": p.values_doc(),
            })
        })
        .collect()
}
