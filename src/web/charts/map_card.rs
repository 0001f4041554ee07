//! The map card's chart: the layer × epoch maps, the layers' distributions, or, with a
//! recurrent run on screen, one of its traces over training (step norms, σ_max).

use plotters::prelude::DrawingBackend;

use super::{distributions, heatmap, trace, Drawn, Root, Style};
use crate::store::Store;
use crate::url_state::GradMetric;
use crate::web::state::HeatQuantity;

/// The trace a choice shows, when a recurrent run is there to show it.
fn shown_trace(store: &Store, quantity: HeatQuantity) -> Option<trace::Trace> {
    quantity.trace().filter(|_| store.has_recurrent())
}

/// The Distributions view's choice: a quantity (an index into `QUANTITIES`), and all layers
/// (None) or one layer over the epochs.
pub type DistChoice = (usize, Option<usize>);

/// What the card says while it has nothing to draw.
pub fn empty_message(
    store: &Store,
    quantity: HeatQuantity,
    dist: DistChoice,
    view: Option<usize>,
) -> Option<&'static str> {
    if quantity == HeatQuantity::Distributions {
        return distributions::rows(store, dist.0, dist.1, view).err();
    }
    match shown_trace(store, quantity) {
        Some(which) => trace::is_empty(which, &trace::runs(store))
            .then_some("The trace fills in as the first epoch trains."),
        None => store
            .runs()
            .iter()
            .all(|r| r.records().is_empty())
            .then_some("The layer × epoch map fills in as epochs complete."),
    }
}

/// The card's chart, on screen or exported: a recurrent run's trace, or the maps.
pub fn plot<DB: DrawingBackend>(
    root: &Root<DB>,
    s: &Style,
    store: &Store,
    quantity: HeatQuantity,
    metric: GradMetric,
    highlight: Option<usize>,
    dist: DistChoice,
) -> Result<Drawn, String>
where
    DB::ErrorType: 'static,
{
    if quantity == HeatQuantity::Distributions {
        let (title, rows) = distributions::rows(store, dist.0, dist.1, highlight)?;
        return distributions::plot(root, s, &title, &rows);
    }
    if empty_message(store, quantity, dist, highlight).is_some() {
        return Err("no records yet".into());
    }
    match shown_trace(store, quantity) {
        Some(which) => trace::plot(root, s, which, &trace::runs(store)),
        None => {
            let spec = heatmap::data(store, quantity, metric, highlight).ok_or("no records yet")?;
            heatmap::plot(root, s, &spec, &heatmap::panels(store, &spec))
        }
    }
}
