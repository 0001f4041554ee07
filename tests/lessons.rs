//! The built-in lessons hold what they claim: `gradscope lesson check` (the binary, as a
//! lecturer runs it) plays every step of every file in `lessons/` on seeds 0–4 and must find
//! every check holding. The claims were also measured in the browser (WebAssembly, no fused
//! multiply-add), where e2e/tests/lesson.test.mjs checks them on seed 0.

use std::process::Command;

fn gradscope(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gradscope"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_built_in_lesson_holds_on_seeds_0_to_4() {
    let files: Vec<String> = gradscope::lesson::builtin::BUILT_IN
        .iter()
        .map(|b| format!("{}/lessons/{}.md", env!("CARGO_MANIFEST_DIR"), b.id))
        .collect();
    let mut args = vec!["lesson", "check", "--seeds", "0-4"];
    args.extend(files.iter().map(String::as_str));
    let (code, out, err) = gradscope(&args);
    assert_eq!(code, 0, "{out}{err}");
    // Every lesson was checked, and every one of its checks on all five seeds.
    assert_eq!(out.matches("all hold").count(), files.len(), "{out}");
    assert!(!out.contains("FAIL"), "{out}");
    assert!(out.matches("holds on 5/5 seeds").count() >= 80, "{out}");
}

#[test]
fn a_failing_claim_exits_1_naming_step_line_seed_and_value() {
    let dir = std::env::temp_dir().join(format!("gradscope-lesson-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("wrong.md");
    std::fs::write(
        &file,
        "# A wrong claim\n\n## Small weights\nruns: ?depth=3&init=small&epochs=1\n\
         check: run 1 epoch 1 val_accuracy >= 0.9\ncheck: run 1 finite through epoch 1\n",
    )
    .unwrap();
    let (code, out, _) = gradscope(&["lesson", "check", file.to_str().unwrap(), "--seeds", "0-1"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL step 1 line 5"), "{out}");
    assert!(out.contains("line 5, seed 0: measured 0."), "{out}");
    assert!(out.contains("ok   step 1 line 6"), "{out}");

    std::fs::write(&file, "# Bad\n\n## One\nruns: ?depth=zero\n").unwrap();
    let (code, _, err) = gradscope(&["lesson", "check", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("line 4: runs:") && err.contains("depth"),
        "{err}"
    );

    let (code, out, _) = gradscope(&["lesson", "show", "tour"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Step 1 of 8") && out.contains("*3. layer 1"),
        "{out}"
    );
    let (code, _, err) = gradscope(&["lesson", "check", "no-such-file.md"]);
    assert_eq!(code, 2, "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
