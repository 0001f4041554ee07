//! The clipping explainer: the notes' gradient [0.9, 100] and a second, small variable [3, 4],
//! clipped by the engine's own [`Clipping::apply`] at a range of thresholds, drawn as
//! directions before and after. [`page`] writes it as a static page with no script
//! (`assets/clip-explainer.html`, kept equal to it by a test): the app opens it when first
//! asked, so it adds nothing to what the page loads, and a lesson or a lecturer can link to it.

use crate::engine::clip::Clipping;
use crate::engine::param::{Param, ParamKind};
use crate::format::num;

/// The notes' example gradient, then a second variable's, so that per-variable clipping
/// (clipnorm) and joint clipping (global_clipnorm) differ.
pub const GRADIENTS: [[f64; 2]; 2] = [[0.9, 100.0], [3.0, 4.0]];

/// The two variables' gradients after `clipping`.
pub fn clipped(clipping: Clipping) -> [[f64; 2]; 2] {
    let mut params: Vec<Param<f64>> = GRADIENTS
        .iter()
        .map(|g| {
            let mut p = Param::new(ParamKind::Kernel, vec![0.0; 2]);
            p.grad = g.to_vec();
            p
        })
        .collect();
    let mut refs: Vec<&mut Param<f64>> = params.iter_mut().collect();
    clipping.apply(&mut refs);
    [
        [params[0].grad[0], params[0].grad[1]],
        [params[1].grad[0], params[1].grad[1]],
    ]
}

/// The angle of `v` from the first axis, in degrees.
pub fn angle(v: [f64; 2]) -> f64 {
    v[1].atan2(v[0]).to_degrees()
}

pub fn norm(v: [f64; 2]) -> f64 {
    v[0].hypot(v[1])
}

/// The three modes at threshold `t`, in the order the explainer draws them.
pub fn modes(t: f64) -> [Clipping; 3] {
    [
        Clipping::Value(t),
        Clipping::Norm(t),
        Clipping::GlobalNorm(t),
    ]
}

/// The thresholds the page offers, smallest first; 1 (the notes' value) is chosen at first.
pub const THRESHOLDS: [f64; 9] = [0.01, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0, 1000.0];

/// One panel of the figure: the two variables' directions before (dashed) and after clipping
/// (solid), as unit arrows from the origin, and the notes' vector's angle.
fn panel(x0: f64, title: &str, after: [[f64; 2]; 2]) -> String {
    let (ox, oy, r) = (x0 + 20.0, 170.0, 140.0);
    let arrow = |v: [f64; 2], class: &str| {
        let n = norm(v);
        let (dx, dy) = if n > 0.0 {
            (v[0] / n, v[1] / n)
        } else {
            (0.0, 0.0)
        };
        let (x, y) = (ox + r * dx, oy - r * dy);
        format!(
            "<line class=\"{class}\" x1=\"{ox}\" y1=\"{oy}\" x2=\"{x:.1}\" y2=\"{y:.1}\"/><circle class=\"{class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\"/>"
        )
    };
    let mut out = format!(
        "<text x=\"{ox}\" y=\"14\">{title}</text><path class=\"axis\" d=\"M{ox} {} V{oy} H{}\"/>",
        oy - r - 6.0,
        ox + r + 6.0
    );
    for g in GRADIENTS {
        out.push_str(&arrow(g, "before"));
    }
    out.push_str(&arrow(after[1], "g2"));
    out.push_str(&arrow(after[0], "g1"));
    out.push_str(&format!(
        "<text x=\"{ox}\" y=\"194\">g₁ at {:.1}° → {:.1}°</text>",
        angle(GRADIENTS[0]),
        angle(after[0])
    ));
    out
}

fn vector(v: [f64; 2]) -> String {
    format!("[{}, {}], length {}", num(v[0]), num(v[1]), num(norm(v)))
}

/// The figure and the table of numbers at threshold `t`.
fn figure(t: f64) -> String {
    let [value, by_norm, global] = modes(t).map(clipped);
    let tx = num(t);
    let mut out = format!(
        "<svg viewBox=\"0 0 600 200\" role=\"img\" aria-label=\"Directions before and after clipping at {tx}\">{}{}{}</svg>\n<table><tbody>\n",
        panel(0.0, &format!("clipvalue {tx}"), value),
        panel(200.0, &format!("clipnorm {tx}"), by_norm),
        panel(400.0, &format!("global_clipnorm {tx}"), global),
    );
    for (name, g) in [
        ("before", GRADIENTS),
        ("clipvalue", value),
        ("clipnorm", by_norm),
        ("global_clipnorm", global),
    ] {
        out.push_str(&format!(
            "<tr data-mode=\"{name}\"><th scope=\"row\">{name}</th><td>g₁ {}</td><td>g₂ {}</td></tr>\n",
            vector(g[0]),
            vector(g[1])
        ));
    }
    out + "</tbody></table>"
}

/// The explainer as a complete static page: a radio button per threshold (arrow keys move
/// between them) shows that threshold's figure through a CSS sibling rule; no script.
pub fn page() -> String {
    let mut radios = String::new();
    let mut figures = String::new();
    for (i, &t) in THRESHOLDS.iter().enumerate() {
        let checked = if t == 1.0 { " checked" } else { "" };
        radios.push_str(&format!(
            "<input type=\"radio\" name=\"t\" id=\"t{i}\"{checked}><label for=\"t{i}\">{}</label>\n",
            num(t)
        ));
        figures.push_str(&format!(
            "<div class=\"figure\" id=\"f{i}\" data-threshold=\"{}\">\n{}\n</div>\n",
            num(t),
            figure(t)
        ));
    }
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'">
<title>What clipping does to a gradient — gradscope</title>
<link rel="stylesheet" href="clip-explainer.css">
<!-- Written by gradscope's src/clip_demo.rs (tests/clip_explainer.rs keeps it equal). -->
</head>
<body>
<main>
<h1>What clipping does to a gradient</h1>
<p>The notes' gradient g₁ = [0.9, 100] and a second variable's, g₂ = [3, 4], clipped three
ways. Pick a threshold:</p>
<fieldset>
<legend>Threshold</legend>
{radios}<div class="figures">
{figures}</div>
</fieldset>
<p class="key">Dashed: before clipping. Solid: after — g₁ dark, g₂ light — drawn as directions
(unit arrows); the lengths are in the table. The numbers come from the app's own clipping
code.</p>
<p>A gradient has a direction and a length. <b>clipvalue</b> caps every element on its own:
at 1, g₁ becomes [0.9, 1.0], shorter and turned toward the diagonal, so the step no longer
goes where the gradient pointed. <b>clipnorm</b> shrinks each variable until its length is at
most the threshold: each keeps its direction. <b>global_clipnorm</b> measures all the
variables together and shrinks them by one common factor: the directions and the variables'
relative sizes stay.</p>
</main>
</body>
</html>
"#
    )
}

/// The page's style sheet: light or dark with the system, and the rule that shows the
/// figure of the checked threshold.
pub fn stylesheet() -> String {
    let rules: Vec<String> = (0..THRESHOLDS.len())
        .map(|i| format!("#t{i}:checked ~ .figures #f{i}"))
        .collect();
    format!(
        r#"/* Written by gradscope's src/clip_demo.rs (tests/clip_explainer.rs keeps it equal). */
:root {{ --fg: #1a1a1a; --muted: #5c5c5c; --bg: #fff; --g1: #0b5d8a; --g2: #b35900; color-scheme: light dark; }}
@media (prefers-color-scheme: dark) {{ :root {{ --fg: #eee; --muted: #aaa; --bg: #16181d; --g1: #56b4e9; --g2: #e69f00; }} }}
body {{ font: 16px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0; }}
main {{ max-width: 52em; margin: 0 auto; padding: 1em; }}
h1 {{ font-size: 1.3em; margin: 0 0 .3em; }}
p {{ margin: .4em 0; }}
fieldset {{ border: 1px solid var(--muted); border-radius: 6px; }}
label {{ margin: 0 .8em 0 .1em; white-space: nowrap; }}
input:focus-visible + label {{ outline: 3px solid var(--g1); outline-offset: 2px; }}
.figure {{ display: none; margin-top: .5em; }}
{} {{ display: block; }}
svg {{ width: 100%; height: auto; }}
svg text {{ fill: var(--fg); font-size: 15px; }}
.axis {{ stroke: var(--muted); fill: none; }}
.before {{ stroke: var(--muted); stroke-dasharray: 4 3; fill: none; stroke-width: 2; }}
.g1 {{ stroke: var(--g1); fill: var(--g1); stroke-width: 3; }}
.g2 {{ stroke: var(--g2); fill: var(--g2); stroke-width: 3; }}
table {{ border-collapse: collapse; font-size: .9em; }}
th, td {{ text-align: left; padding: .15em .8em .15em 0; }}
.key {{ color: var(--muted); }}
"#,
        rules.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notes_example_turns_under_clipvalue_and_keeps_its_direction_under_clipnorm() {
        let [by_value, by_norm, global] = modes(1.0).map(clipped);
        assert_eq!(
            by_value[0],
            [0.9, 1.0],
            "the notes: [0.9, 100] → [0.9, 1.0]"
        );
        assert!((angle(GRADIENTS[0]) - 89.48).abs() < 0.01);
        assert!(
            (angle(by_value[0]) - 48.01).abs() < 0.01,
            "turned toward the diagonal"
        );
        assert!((angle(by_norm[0]) - angle(GRADIENTS[0])).abs() < 1e-9);
        assert!((norm(by_norm[0]) - 1.0).abs() < 1e-12);
        assert!(
            (norm(by_norm[1]) - 1.0).abs() < 1e-12,
            "each variable on its own"
        );
        // Jointly: both scaled by 1/‖(g₁, g₂)‖, so the small one almost vanishes.
        let joint = (norm(GRADIENTS[0]).powi(2) + 25.0).sqrt();
        assert!((norm(global[1]) - 5.0 / joint).abs() < 1e-12);
        assert!((angle(global[1]) - angle(GRADIENTS[1])).abs() < 1e-9);
    }

    #[test]
    fn a_threshold_above_every_value_and_norm_changes_nothing() {
        for c in modes(200.0) {
            assert_eq!(clipped(c), GRADIENTS, "{c:?}");
        }
    }
}
