//! A `requestAnimationFrame` loop that stops when dropped: the replay's 60 fps clock.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::Callback;

type Slot = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// Calls `on_frame(timestamp_ms)` on every animation frame until dropped.
pub struct Frames {
    id: Rc<Cell<i32>>,
    slot: Slot,
}

fn request(slot: &Slot, id: &Cell<i32>) {
    let Some(window) = web_sys::window() else { return };
    if let Some(c) = slot.borrow().as_ref()
        && let Ok(i) = window.request_animation_frame(c.as_ref().unchecked_ref())
    {
        id.set(i);
    }
}

impl Frames {
    pub fn start(on_frame: Callback<f64>) -> Frames {
        let id = Rc::new(Cell::new(0));
        let slot: Slot = Rc::new(RefCell::new(None));
        let (next_id, next_slot) = (id.clone(), Rc::downgrade(&slot));
        *slot.borrow_mut() = Some(Closure::new(move |ts: f64| {
            on_frame.emit(ts);
            // The component may have dropped the loop while handling this frame.
            if let Some(slot) = next_slot.upgrade() {
                request(&slot, &next_id);
            }
        }));
        request(&slot, &id);
        Frames { id, slot }
    }
}

impl Drop for Frames {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            let _ = w.cancel_animation_frame(self.id.get());
        }
        // wasm-bindgen defers freeing a closure that is still running, so this is safe even
        // when the drop happens inside the frame callback.
        self.slot.borrow_mut().take();
    }
}
