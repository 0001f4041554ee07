//! `gradscope train …`: the engine on the command line.

use std::io::Write;
use std::process::ExitCode;

use gradscope::cli::{self, Command};
use gradscope::engine::trainer::Trainer;

/// `--dump-weights FILE`: the run's first step as JSON (`gradscope::first_step`).
fn dump_weights(config: &gradscope::engine::config::Config, path: &str) -> ExitCode {
    let step = match gradscope::first_step::first_step(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gradscope: {e}");
            return ExitCode::from(2);
        }
    };
    let text = serde_json::to_string(&step).expect("plain data serializes");
    if let Err(e) = std::fs::write(path, text) {
        eprintln!("gradscope: cannot write {path}: {e}");
        return ExitCode::from(1);
    }
    println!(
        "wrote {path}: {} layers, a batch of {} (epoch {}), loss {}",
        step.layers.len(),
        step.y.len(),
        step.epoch,
        step.loss
    );
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (config, json, histograms) = match cli::parse(&args) {
        Ok(Command::Help) => {
            print!("{}\n{}", cli::usage(), gradscope::lesson_cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(Command::Train {
            config,
            json,
            histograms,
        }) => (config, json, histograms),
        Ok(Command::Code { config, language }) => {
            print!("{}", gradscope::codegen::generate(language, &config));
            return ExitCode::SUCCESS;
        }
        Ok(Command::DumpWeights { config, path }) => return dump_weights(&config, &path),
        Ok(Command::Lesson(command)) => {
            let (status, text) = gradscope::lesson_cli::run(&command);
            if status == 2 {
                eprint!("{text}");
            } else {
                print!("{text}");
            }
            return ExitCode::from(status);
        }
        Err(e) => {
            eprintln!("gradscope: {e}");
            return ExitCode::from(2);
        }
    };
    let mut trainer = match Trainer::new(config) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("gradscope: {e}");
            return ExitCode::from(2);
        }
    };
    trainer.set_histograms(histograms);
    let mut out = std::io::stdout().lock();
    while let Some(record) = trainer.run_epoch() {
        let text = if json {
            cli::json_line(trainer.config(), trainer.records()) + "\n"
        } else {
            cli::table(&record)
        };
        // A closed pipe (e.g. `| head`) ends the run quietly.
        if out
            .write_all(text.as_bytes())
            .and_then(|_| out.flush())
            .is_err()
        {
            return ExitCode::SUCCESS;
        }
    }
    if !json {
        let _ = out.write_all(cli::verdict_text(trainer.config(), trainer.records()).as_bytes());
    }
    ExitCode::SUCCESS
}
