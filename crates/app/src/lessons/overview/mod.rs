//! The landing page: what parlab is and where each lesson starts.

use yew::prelude::*;

use super::{LESSONS, Lesson};

pub const LESSON: Lesson = Lesson {
    route: "",
    title: "Overview",
    summary: "What parlab measures and how",
    view: |_props| html! { <Overview /> },
};

#[function_component]
fn Overview() -> Html {
    html! {
        <section class="lesson overview">
            <h1>{ "Serial vs parallel processing, measured" }</h1>
            <p class="lead">
                { "Serial processing handles one object at a time; parallel processing handles several at once. \
                   parlab lets you see the difference on your own machine: every measured number comes from \
                   real work on real threads in this browser tab, not from a drawing, and the views that are \
                   models say so." }
            </p>
            <div class="cards">
                { for LESSONS.iter().filter(|l| !l.route.is_empty()).map(|l| html! {
                    <a class="card" href={format!("#/{}", l.route)}>
                        <h2>{ l.title }</h2>
                        <p>{ l.summary }</p>
                    </a>
                }) }
            </div>
            <h2>{ "How the measurements are made" }</h2>
            <ul class="facts">
                <li>{ "The workloads are Rust compiled to WebAssembly. They run in Web Workers, never on the page's own thread, so the page stays responsive." }</li>
                <li>{ "In threads mode the workers share one memory and a rayon thread pool (SharedArrayBuffer). That needs a cross-origin isolated page; elsewhere (for example inside course notes) separate workers exchange messages instead." }</li>
                <li>{ "Each measurement is warmed up once and repeated; we report the median, minimum and maximum wall time, and check that every run gave the same answer." }</li>
                <li>{ "The same kernels also run natively (./bench in the repository), so the browser's numbers can be compared with a native build on the same machine." }</li>
            </ul>
        </section>
    }
}
