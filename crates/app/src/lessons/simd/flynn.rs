//! Flynn's taxonomy and ILP / DLP / TLP as tables that link each row to the parlab experiment
//! that shows it (the data is `parlab_kernels::simd::flynn`).

use parlab_kernels::simd::flynn::{Experiment, FLYNN, LEVELS};
use yew::prelude::*;

fn links(experiments: &[Experiment]) -> Html {
    html! {
        <ul class="plain">
            { for experiments.iter().map(|e| html! {
                <li><a href={e.route}>{ e.route.trim_start_matches('#') }</a>{ format!(": {}", e.what) }</li>
            }) }
        </ul>
    }
}

/// Flynn's four classes, then the three levels of parallelism.
pub fn view() -> Html {
    html! {
        <>
            <h2>{ "Flynn's taxonomy: instruction streams × data streams" }</h2>
            <p class="caption">{ "M. J. Flynn (1966) sorted computers by how many instruction streams act on how many data \
                streams. Each row links to the experiment in parlab that shows it." }</p>
            <div class="table-wrap" tabindex="0">
            <table class="results" data-testid="flynn">
                <thead><tr>
                    <th scope="col">{ "Class" }</th><th scope="col">{ "Meaning" }</th>
                    <th scope="col">{ "A real example" }</th><th scope="col">{ "In parlab" }</th>
                </tr></thead>
                <tbody>
                    { for FLYNN.iter().map(|c| html! {
                        <tr data-class={c.name}>
                            <th scope="row"><abbr title={c.long_name}>{ c.name }</abbr></th>
                            <td>{ c.meaning }</td>
                            <td>{ c.example }</td>
                            <td>{ if let Some(why) = c.no_experiment { html! { why } } else { links(c.experiments) } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            </div>
            <h2>{ "Three kinds of parallelism, and they multiply" }</h2>
            <div class="table-wrap" tabindex="0">
            <table class="results" data-testid="levels">
                <thead><tr>
                    <th scope="col">{ "Level" }</th><th scope="col">{ "What runs in parallel" }</th>
                    <th scope="col">{ "Found by" }</th><th scope="col">{ "Hardware" }</th>
                    <th scope="col">{ "Flynn" }</th><th scope="col">{ "See it" }</th>
                </tr></thead>
                <tbody>
                    { for LEVELS.iter().map(|l| html! {
                        <tr>
                            <th scope="row"><abbr title={l.long_name}>{ l.name }</abbr>{ format!(" ({})", l.long_name) }</th>
                            <td>{ l.meaning }</td><td>{ l.found_by }</td><td>{ l.hardware }</td><td>{ l.flynn }</td>
                            <td>{ links(std::slice::from_ref(&l.experiment)) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            </div>
        </>
    }
}
