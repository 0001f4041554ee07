//! Keys and credits.

use leptos::prelude::*;

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="footer">
            <p>
                <b>"Keys: "</b> "press " <kbd>"?"</kbd> " for the list (Space plays, P presents; they act on every run). "
                "The address bar always holds a link that replays every run on screen."
            </p>
            <p class="credits">
                "Digits data: Optical Recognition of Handwritten Digits, E. Alpaydin and C. Kaynak (1998), "
                "UCI Machine Learning Repository, CC BY 4.0 (as distributed with scikit-learn). "
                "Every number on this page is computed by the network training in your browser."
            </p>
        </footer>
    }
}
