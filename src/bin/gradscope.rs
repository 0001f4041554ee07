//! `gradscope train …`: the engine on the command line.

use std::io::Write;
use std::process::ExitCode;

use gradscope::cli::{self, Command};
use gradscope::engine::trainer::Trainer;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (config, json) = match cli::parse(&args) {
        Ok(Command::Help) => {
            print!("{}", cli::usage());
            return ExitCode::SUCCESS;
        }
        Ok(Command::Train { config, json }) => (config, json),
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
    let mut out = std::io::stdout().lock();
    while let Some(record) = trainer.run_epoch() {
        let text = if json {
            cli::json_line(&record) + "\n"
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
    ExitCode::SUCCESS
}
