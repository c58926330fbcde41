//! Run and Cancel, with the keyboard focus kept where it can act. Run disables while a run is
//! going: a keyboard user who pressed it would be left on a disabled button (focus falls to the
//! page), so focus moves to Cancel; when the run ends Cancel disables and focus returns to Run.
//! Focus is only moved when it was on one of these buttons (or just fell off them), never
//! taken from elsewhere — `run=1` on page load leaves the reader where they are.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RunButtonsProps {
    pub running: bool,
    /// Run is enabled (the workers are ready and the lesson can run).
    pub can_run: bool,
    pub on_run: Callback<()>,
    pub on_cancel: Callback<()>,
    /// The Run button's text.
    #[prop_or(AttrValue::Static("Run"))]
    pub label: AttrValue,
}

/// The Run (`data-testid="run"`) and Cancel (`data-testid="cancel"`) buttons.
#[function_component]
pub fn RunButtons(p: &RunButtonsProps) -> Html {
    let run = use_node_ref();
    let cancel = use_node_ref();
    // One of the buttons had the focus when the run started or was cancelled.
    let ours = use_mut_ref(|| false);
    {
        let (run, cancel, ours) = (run.clone(), cancel.clone(), ours.clone());
        use_effect_with(p.running, move |&running| {
            let (from, to) = if running { (&run, &cancel) } else { (&cancel, &run) };
            let lost = active_is_body() || is_active(from);
            if std::mem::take(&mut *ours.borrow_mut())
                && lost
                && let Some(el) = to.cast::<HtmlElement>()
            {
                let _ = el.focus();
            }
        });
    }
    let mark = |f: &Callback<()>| {
        let (f, ours) = (f.clone(), ours.clone());
        Callback::from(move |_: MouseEvent| {
            *ours.borrow_mut() = true;
            f.emit(());
        })
    };
    // A run that ends by itself: hand focus back only if it is still on Cancel.
    let on_cancel_focus = {
        let ours = ours.clone();
        Callback::from(move |_: FocusEvent| *ours.borrow_mut() = true)
    };
    let on_cancel_blur = {
        let ours = ours.clone();
        Callback::from(move |_: FocusEvent| *ours.borrow_mut() = false)
    };
    html! {
        <div class="buttons">
            <button class="primary" data-testid="run" ref={run} onclick={mark(&p.on_run)}
                disabled={p.running || !p.can_run}>{ p.label.clone() }</button>
            <button data-testid="cancel" ref={cancel} onclick={mark(&p.on_cancel)}
                onfocus={on_cancel_focus} onblur={on_cancel_blur}
                disabled={!p.running}>{ "Cancel" }</button>
        </div>
    }
}

fn active() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.active_element()
}

fn active_is_body() -> bool {
    active().is_none_or(|e| e.tag_name() == "BODY")
}

fn is_active(node: &NodeRef) -> bool {
    let (Some(a), Some(el)) = (active(), node.cast::<web_sys::Element>()) else { return false };
    a.unchecked_ref::<web_sys::Node>() == el.unchecked_ref::<web_sys::Node>()
}
