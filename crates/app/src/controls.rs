//! Controls every lesson uses, in one place: callbacks that edit a lesson's settings from a
//! slider, number field, select or checkbox, a labelled slider, and the log scale of the
//! parallel-share slider (shared by the overview and the Amdahl lab).
//!
//! A lesson's message type opts in with `impl From<Edit<Settings>> for Msg`; then
//! `controls::on_number(link, |s, v| s.n = v as usize)` is all a control needs.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::html::Scope;
use yew::prelude::*;

/// A change to settings of type `S`, sent by a control.
pub type Edit<S> = Box<dyn FnOnce(&mut S)>;

/// A callback applying `f` to the settings.
pub fn edit<C, S>(link: &Scope<C>, f: impl Fn(&mut S) + 'static) -> Callback<()>
where
    C: Component,
    C::Message: From<Edit<S>>,
    S: 'static,
{
    let f = Rc::new(f);
    link.callback(move |()| {
        let f = f.clone();
        C::Message::from(Box::new(move |s: &mut S| f(s)) as Edit<S>)
    })
}

/// A callback applying `f(settings, value)` with a value the event yields (`None`: ignored).
fn with_value<C, S, E, V>(
    link: &Scope<C>,
    value: impl Fn(E) -> Option<V> + 'static,
    f: impl Fn(&mut S, V) + 'static,
) -> Callback<E>
where
    C: Component,
    C::Message: From<Edit<S>>,
    S: 'static,
    E: 'static,
    V: 'static,
{
    let f = Rc::new(f);
    link.batch_callback(move |e: E| {
        let v = value(e)?;
        let f = f.clone();
        Some(C::Message::from(Box::new(move |s: &mut S| f(s, v)) as Edit<S>))
    })
}

/// For a range or number input: `f(settings, value)`; unparsable input is ignored.
pub fn on_number<C, S>(link: &Scope<C>, f: impl Fn(&mut S, f64) + 'static) -> Callback<InputEvent>
where
    C: Component,
    C::Message: From<Edit<S>>,
    S: 'static,
{
    with_value(link, |e: InputEvent| input_value(&e).trim().parse::<f64>().ok(), f)
}

/// For a `<select>`: `f(settings, value)`.
pub fn on_select<C, S>(link: &Scope<C>, f: impl Fn(&mut S, String) + 'static) -> Callback<Event>
where
    C: Component,
    C::Message: From<Edit<S>>,
    S: 'static,
{
    with_value(link, |e: Event| Some(e.target_unchecked_into::<HtmlSelectElement>().value()), f)
}

/// For a checkbox: `f(settings, checked)`.
pub fn on_check<C, S>(link: &Scope<C>, f: impl Fn(&mut S, bool) + 'static) -> Callback<Event>
where
    C: Component,
    C::Message: From<Edit<S>>,
    S: 'static,
{
    with_value(link, |e: Event| Some(e.target_unchecked_into::<HtmlInputElement>().checked()), f)
}

/// The value of the input an event came from.
pub fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// A labelled range slider (`min`, `max`, `step`) with its current value spoken as `valuetext`.
#[allow(clippy::too_many_arguments)]
pub fn slider(
    testid: &'static str,
    label: String,
    (min, max, step): (f64, f64, f64),
    value: f64,
    valuetext: String,
    hint: Html,
    oninput: Callback<InputEvent>,
) -> Html {
    html! {
        <label class="control wide">
            <span>{ label }</span>
            <input type="range" min={min.to_string()} max={max.to_string()} step={step.to_string()}
                value={value.to_string()} data-testid={testid} {oninput} aria-valuetext={valuetext} />
            { hint }
        </label>
    }
}

/// The p slider is logarithmic in 1 − p (position 0..1000 ↔ p = 1 − 10^(−3·x/1000)), so the
/// keyboard and the thumb give fine steps near p = 1, where the curve changes most.
pub fn p_from_slider(x: f64) -> f64 {
    1.0 - 10f64.powf(-3.0 * x / 1000.0)
}

/// The slider position of `p` (inverse of [`p_from_slider`], clamped to 0..1000).
pub fn slider_from_p(p: f64) -> f64 {
    (-1000.0 / 3.0 * (1.0 - p).max(1e-3).log10()).clamp(0.0, 1000.0)
}

/// Logs a drawing failure (a plot that cannot draw must not break the page).
pub fn report(result: Result<(), String>) {
    if let Err(e) = result {
        web_sys::console::warn_1(&e.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_slider_round_trips() {
        for p in [0.0, 0.5, 0.9, 0.95, 0.99, 0.999] {
            assert!((p_from_slider(slider_from_p(p)) - p).abs() < 1e-9, "{p}");
        }
    }
}
