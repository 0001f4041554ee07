//! The lesson format: what the parser accepts and refuses (naming the line), that writing a
//! lesson and reading it back gives the same lesson, that no text can panic the parser, that
//! a lesson's text reaches the page escaped, and the player's rules (no reveal before the
//! answer, right and wrong marked, the score).

use gradscope::engine::metrics::{EpochRecord, LayerStats, Status};
use gradscope::lesson::check::{Check, RunResult};
use gradscope::lesson::markup::to_html;
use gradscope::lesson::player_html::{player_html, score, Answer, PlayerView};
use gradscope::lesson::{builtin, parse, write, Lesson};
use proptest::prelude::*;

const EXAMPLE: &str = "# Why deep networks stop learning
An intro with *emphasis* and `code`.

## Vanishing in a deep sigmoid network
runs: ?depth=20&activation=sigmoid&init=glorot_uniform&epochs=5
pause: 0
ask: Before any training: which layer will receive the smallest gradient?
- [ ] the output layer
- [x] layer 1, nearest the input
- [ ] all about the same
reveal: Each sigmoid passes back at most a quarter of the gradient.
Why: the slope is at most 1/4.
check: run 1 epoch 0 grad_norm[1] / grad_norm[last] < 1e-3
check: run 1 epoch 5 val_accuracy <= 0.3
";

fn error_of(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

#[test]
fn the_readme_example_parses() {
    let l = parse(EXAMPLE).unwrap();
    assert_eq!(l.title, "Why deep networks stop learning");
    let s = &l.steps[0];
    assert_eq!((s.line, s.pause, s.checks.len()), (4, 0, 2));
    let q = s.ask.as_ref().unwrap();
    assert_eq!(q.choices.len(), 3);
    assert!(q.is_right(1) && !q.is_right(0) && !q.is_right(2));
    assert!(
        s.reveal.contains("Why: the slope"),
        "prose with a colon stays text"
    );
    assert_eq!(s.check_lines, vec![13, 14]);
    assert_eq!(s.link().runs[0].depth, 20);
}

#[test]
fn malformed_lessons_name_the_line_and_the_problem() {
    let step = |body: &str| format!("# T\n\n## S\n{body}");
    let cases = [
        (
            step("runs: ?depth=3\nwatch: this\n"),
            "line 5: unknown field 'watch:'",
        ),
        (step("runs: ?depth=-3\n"), "line 4: runs:"),
        (step("runs: ?depht=3\n"), "did you mean 'depth'"),
        (
            step("runs: ?depth=3\nask: Q?\n- [ ] a\n- [ ] b\n"),
            "no choice is marked right",
        ),
        (
            step("runs: ?depth=3\nask: Q?\n- [x] a\n"),
            "at least two choices",
        ),
        (
            step("runs: ?depth=3\ncheck: run 1 epoch 0 grad_nrm[1] < 1\n"),
            "line 5: check: unknown figure 'grad_nrm[1]'",
        ),
        (
            step("runs: ?depth=3\ncheck: run 1 epoch 0 grad_norm[7] < 1\n"),
            "no layer '7' (this run's layers are 1 to 4",
        ),
        (
            step("runs: ?depth=3\ncheck: run 2 epoch 0 val_loss < 1\n"),
            "there is no run 2",
        ),
        (
            step("runs: ?depth=3\ncheck: run 1 epoch 0 val_loss ~ 1\n"),
            "not a comparison",
        ),
        (
            step("runs: ?depth=3\npause: 50\n"),
            "past the runs' last epoch",
        ),
        (step("runs: ?lesson=tour\n"), "cannot open another lesson"),
        (step("ask: Q?\n- [x] a\n- [ ] b\n"), "has no 'runs:' line"),
        (
            step("runs: ?depth=3\nruns: ?depth=4\n"),
            "line 5: a second 'runs:'",
        ),
        (
            step("runs: ?depth=3\nstray text\n"),
            "line 5: text outside a field",
        ),
        (
            step("runs: ?depth=3\nreveal: x\nchek: run 1 epoch 0 val_loss < 1\n"),
            "line 6: unknown field 'chek:'",
        ),
        (
            "no title\n".to_string(),
            "line 1: a lesson starts with its title",
        ),
        ("# Only a title\n".to_string(), "no steps"),
        (String::new(), "empty"),
    ];
    for (text, want) in cases {
        let e = error_of(&text);
        assert!(e.contains(want), "{text:?}: {e}");
    }
    let big = format!(
        "# T\n\n## S\nruns: ?depth=3\nreveal: {}\n",
        "x".repeat(70_000)
    );
    assert!(error_of(&big).contains("at most 64 KB"));
}

/// Lines aside (a rewritten file numbers them anew), the same lesson.
fn without_lines(mut l: Lesson) -> Lesson {
    for s in &mut l.steps {
        s.line = 0;
        s.check_lines.iter_mut().for_each(|n| *n = 0);
    }
    l
}

#[test]
fn parse_write_parse_is_the_identity_on_every_built_in_lesson() {
    let mut lessons = vec![parse(EXAMPLE).unwrap()];
    for b in builtin::BUILT_IN {
        let l = b
            .lesson()
            .unwrap()
            .unwrap_or_else(|e| panic!("{}: {e}", b.id));
        assert_eq!(b.title(), l.title, "{}", b.id);
        lessons.push(l);
    }
    for l in lessons {
        let again = parse(&write(&l)).unwrap_or_else(|e| panic!("{}: {e}\n{}", l.title, write(&l)));
        assert_eq!(without_lines(again), without_lines(l.clone()));
    }
    let tour = builtin::find("tour").unwrap().lesson().unwrap().unwrap();
    assert!((8..=12).contains(&tour.steps.len()));
    assert!(
        tour.steps.iter().all(|s| s.ask.is_some()),
        "each step asks before it shows"
    );
    // Old links of lessons merged into another still open one.
    assert_eq!(builtin::find("small").unwrap().id, "init_scale");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn no_text_panics_the_parser(text in "(# [a-z ]{0,8}\n)?(## [a-z]{1,5}\n)?((runs|ask|reveal|check|pause|- \\[x\\]|- \\[ \\]|run 1 epoch|[a-z_]{1,6}):? ?[ -~]{0,40}\n){0,12}") {
        let _ = parse(&text);
    }

    #[test]
    fn no_check_text_panics(words in proptest::collection::vec("run|epoch|last|diverged|by|finite|through|verdict|is|not|healthy|[0-9]{1,3}|/|<|<=|>|>=|grad_norm\\[[0-9a-z]{1,4}\\]|val_accuracy|1e-3|[ -~]{1,6}", 0..12)) {
        let _ = Check::parse(&words.join(" "), &[11, 11]);
    }
}

#[test]
fn a_lessons_text_reaches_the_page_escaped() {
    let html = to_html("<script>alert(1)</script> *a* **b** `<i>` [x](javascript:alert(1)) [y](https://example.org/?a=1&b=2)\n\n- one\n- two");
    assert!(
        !html.contains("<script") && html.contains("&lt;script&gt;"),
        "{html}"
    );
    assert!(html.contains("<em>a</em>") && html.contains("<strong>b</strong>"));
    assert!(html.contains("<code>&lt;i&gt;</code>"));
    assert!(!html.contains("href=\"javascript"), "{html}");
    assert!(
        html.contains("href=\"https://example.org/?a=1&amp;b=2\""),
        "{html}"
    );
    assert!(html.contains("<ul><li>one</li><li>two</li></ul>"), "{html}");
    let l = parse("# <b>T</b>\n\n## <img src=x onerror=alert(1)>\nruns: ?depth=3\nask: <b>?</b>\n- [x] <i>a</i>\n- [ ] b\n").unwrap();
    let html = player_html(&PlayerView {
        lesson: &l,
        step: 0,
        answers: &[None],
        runs_done: true,
        explored: false,
        measured: vec![],
        note: None,
    });
    assert!(
        !html.contains("<img") && !html.contains("<b>") && !html.contains("<i>"),
        "{html}"
    );
}

fn view(l: &Lesson, answers: &[Option<Answer>], runs_done: bool) -> String {
    player_html(&PlayerView {
        lesson: l,
        step: 0,
        answers,
        runs_done,
        explored: false,
        measured: vec![],
        note: None,
    })
}

#[test]
fn the_player_reveals_only_after_the_answer_and_the_runs() {
    let l = parse(EXAMPLE).unwrap();
    let asking = view(&l, &[None], true);
    assert!(
        !asking.contains("data-reveal") && !asking.contains("quarter"),
        "{asking}"
    );
    assert!(asking.contains("data-just-show") && !asking.contains("data-answer"));
    assert!(asking.contains("wait at epoch 0"));
    // Answered, but the runs still train: no reveal yet.
    let training = view(&l, &[Some(Answer::Chose(0))], false);
    assert!(!training.contains("data-reveal"), "{training}");
    let wrong = view(&l, &[Some(Answer::Chose(0))], true);
    assert!(wrong.contains("data-reveal") && wrong.contains("quarter"));
    assert!(
        wrong.contains("data-choice=\"0\" data-answer=\"wrong\""),
        "{wrong}"
    );
    assert!(
        wrong.contains("data-choice=\"1\" data-answer=\"right\""),
        "{wrong}"
    );
    let right = view(&l, &[Some(Answer::Chose(1))], true);
    assert!(right.contains("✓ Right."));
    // The summary: the score and the steps to revisit.
    let end = player_html(&PlayerView {
        lesson: &l,
        step: 1,
        answers: &[Some(Answer::Chose(0))],
        runs_done: true,
        explored: false,
        measured: vec![],
        note: None,
    });
    assert!(
        end.contains("data-score=\"0/1\"") && end.contains("data-revisit=\"0\""),
        "{end}"
    );
    assert_eq!(score(&l, &[Some(Answer::Chose(1))]), (1, 1));
    assert_eq!(
        score(&l, &[Some(Answer::Shown)]),
        (0, 0),
        "just show me is no prediction"
    );
}

fn record(epoch: usize, acc: f64, grads: &[f64], status: Status) -> EpochRecord {
    EpochRecord {
        epoch,
        train_loss: 1.0,
        train_accuracy: acc,
        val_loss: 1.0,
        val_accuracy: acc,
        status,
        layers: grads
            .iter()
            .enumerate()
            .map(|(i, &g)| LayerStats {
                layer: i + 1,
                grad_norm: g,
                clipped_grad_norm: g,
                delta_rms: g,
                weight_norm: 1.0,
                update_ratio: None,
                act_mean: 0.0,
                act_std: 1.0,
                saturated: 0.0,
                dead: None,
                hist: None,
            })
            .collect(),
        ..Default::default()
    }
}

#[test]
fn checks_evaluate_known_records() {
    let config = gradscope::engine::config::Config {
        depth: 2,
        epochs: 2,
        ..Default::default()
    };
    let a = [
        record(0, 0.1, &[1e-4, 1e-2, 1.0], Status::Ok),
        record(1, 0.5, &[1e-3, 1e-2, 1.0], Status::Ok),
        record(2, 0.9, &[1e-2, 1e-2, 1.0], Status::Ok),
    ];
    let b = [
        record(0, 0.1, &[1.0, 1.0, 1.0], Status::Ok),
        record(1, f64::NAN, &[f64::NAN; 3], Status::Diverged),
    ];
    let runs = [
        RunResult {
            config: &config,
            records: &a,
        },
        RunResult {
            config: &config,
            records: &b,
        },
    ];
    let eval = |text: &str| Check::parse(text, &[3, 3]).unwrap().evaluate(&runs);
    let o = eval("run 1 epoch 0 grad_norm[1] / grad_norm[last] < 1e-3");
    assert!(o.holds && o.measured == "1.00e-4", "{o:?}");
    assert!(!eval("run 1 epoch 1 grad_norm[1] / grad_norm[last] < 1e-3").holds);
    assert!(eval("run 1 epoch last val_accuracy >= 0.9").holds);
    assert!(eval("run 1 epoch 2 val_accuracy > run 2 epoch 0 val_accuracy").holds);
    assert!(eval("run 2 diverged by epoch 1").holds);
    assert!(!eval("run 1 diverged by epoch 2").holds);
    assert!(eval("run 1 finite through epoch last").holds);
    assert!(!eval("run 2 finite through epoch 1").holds);
    let o = eval("run 2 epoch 2 val_accuracy > 0");
    assert!(
        !o.holds && o.measured.contains("diverged at epoch 1"),
        "{o:?}"
    );
    let o = eval("run 1 epoch 0 update_ratio[1] < 1");
    assert!(!o.holds && o.measured.contains("undefined"), "{o:?}");
    // Written back, each check reads the same.
    for text in [
        "run 1 epoch 0 grad_norm[1] / grad_norm[last] < 0.001",
        "run 2 diverged by epoch 1",
        "run 1 finite through epoch last",
        "run 1 epoch 2 verdict is not healthy",
        "run 1 epoch 2 val_accuracy > run 2 epoch 0 val_accuracy",
    ] {
        let c = Check::parse(text, &[3, 3]).unwrap();
        assert_eq!(Check::parse(&c.to_string(), &[3, 3]).unwrap(), c, "{text}");
    }
}

#[test]
fn every_lesson_has_its_file_title_in_the_page_index() {
    // The page's menu reads titles from build.rs' index, not from the file.
    for b in builtin::BUILT_IN {
        let first = b.file.lines().next().unwrap();
        assert_eq!(format!("# {}", b.title()), first.trim_end(), "{}", b.id);
    }
}
