//! Questions on the terminal: a yes/no confirmation, and a secret read without
//! echo. Both read standard input, so scripts can pipe the answer in.

use std::io::{BufRead, IsTerminal, Write};
use std::process::{Command, Stdio};

use crate::errors::{Error, Result};

/// Asks a yes/no question; only `y` or `yes` is a yes.
pub fn confirm(question: &str) -> Result<bool> {
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::Cancelled(format!("cannot read the answer: {e}")))?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}

/// Reads one line without showing it. On a terminal, echo is off while typing;
/// piped input is read as it is. The trailing newline is not part of the value.
pub fn read_secret(prompt: &str) -> Result<String> {
    let stdin = std::io::stdin();
    let terminal = stdin.is_terminal();
    // Echo goes off before the prompt shows, so nothing typed after it is echoed.
    let _echo = if terminal {
        let echo = EchoOff::new();
        eprint!("{prompt}: ");
        let _ = std::io::stderr().flush();
        Some(echo)
    } else {
        None
    };
    let mut value = String::new();
    stdin.lock().read_line(&mut value).map_err(|e| Error::Cancelled(format!("cannot read the value: {e}")))?;
    if terminal {
        eprintln!();
    }
    let value = value.trim_end_matches(['\n', '\r']).to_string();
    if value.is_empty() {
        return Err(Error::Cancelled("no value given; nothing was stored".into()));
    }
    Ok(value)
}

/// Turns terminal echo off until dropped (also on an early return or a panic).
struct EchoOff;

impl EchoOff {
    fn new() -> EchoOff {
        stty("-echo");
        EchoOff
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        stty("echo");
    }
}

/// `stty` acts on the terminal it gets as standard input.
fn stty(arg: &str) {
    let _ = Command::new("stty").arg(arg).stdin(Stdio::inherit()).stdout(Stdio::null()).stderr(Stdio::null()).status();
}
