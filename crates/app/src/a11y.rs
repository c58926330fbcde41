//! Accessibility fixes that every lesson needs, applied by the host after each render so no
//! lesson can forget them: a box that scrolls sideways (a wide table at 360 px, a long list) must
//! be reachable and scrollable with the keyboard and announced as what it is (WCAG 2.1.1; axe's
//! `scrollable-region-focusable`). Attributes Yew does not manage survive its re-renders.

use wasm_bindgen::JsCast;
use web_sys::Element;

/// The boxes that may scroll: results tables, the CPU lab's cycle grid and program list, and
/// code listings.
const SCROLLERS: &str = ".table-wrap, .cpu-grid-wrap, details.source pre, ol.cpu-program";

/// Gives every scroll box under `root` `tabindex="0"`, `role="region"` and a label: its table's
/// caption, else its nearest heading, else "Scrollable area" (lists keep their role).
pub fn label_scroll_areas(root: &Element) {
    let Ok(list) = root.query_selector_all(SCROLLERS) else { return };
    for i in 0..list.length() {
        let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        if el.children().length() == 0 {
            continue; // an empty placeholder (no results yet)
        }
        if !el.has_attribute("tabindex") {
            let _ = el.set_attribute("tabindex", "0");
        }
        // A list keeps its own role (screen readers count its items).
        if !matches!(el.tag_name().as_str(), "OL" | "UL") {
            let _ = el.set_attribute("role", "region");
        }
        if !el.has_attribute("aria-label") {
            let _ = el.set_attribute("aria-label", &label_for(&el));
        }
    }
}

fn label_for(el: &Element) -> String {
    let text = |sel: &str| {
        el.query_selector(sel)
            .ok()
            .flatten()
            .and_then(|c| c.text_content())
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
    };
    if let Some(caption) = text("caption") {
        return format!("{caption} (scrolls sideways)");
    }
    match el.tag_name().as_str() {
        "PRE" => return "Code listing".into(),
        "OL" | "UL" => return "Program (scrolls)".into(),
        _ => {}
    }
    // The closest earlier heading in the same section.
    let mut node = el.previous_element_sibling();
    while let Some(n) = node {
        if matches!(n.tag_name().as_str(), "H2" | "H3" | "H4")
            && let Some(t) = n.text_content().filter(|t| !t.trim().is_empty())
        {
            return format!("{} (table)", t.trim());
        }
        node = n.previous_element_sibling();
    }
    "Scrollable area".into()
}
