//! The program that runs a function's runtime: our Node.js or Python bootstrap
//! under the local `node` or `python3`, or the code's own `bootstrap`
//! executable (a Rust function, built for the host by `ampx dev`).

use std::path::{Path, PathBuf};

use super::config::{FunctionConfig, RuntimeKind};

/// The bootstrap scripts, written once into the runtime directory.
const NODE_BOOTSTRAP: &str = include_str!("bootstrap/node.mjs");
const NODE_SSM_CLIENT: &str = include_str!("bootstrap/ssm_client.mjs");
const PYTHON_BOOTSTRAP: &str = include_str!("bootstrap/python.py");

/// Where the bootstrap scripts live, and the interpreters to run them with.
#[derive(Clone, Debug)]
pub struct Launcher {
    /// The directory holding `node.mjs`, `ssm_client.mjs` and `python.py`.
    pub dir: PathBuf,
    /// The Node.js program (`node`).
    pub node: PathBuf,
    /// The Python program (`python3`).
    pub python: PathBuf,
}

impl Launcher {
    /// Writes the bootstrap scripts into `dir`.
    pub fn install(dir: &Path) -> std::io::Result<Launcher> {
        std::fs::create_dir_all(dir)?;
        for (name, text) in
            [("node.mjs", NODE_BOOTSTRAP), ("ssm_client.mjs", NODE_SSM_CLIENT), ("python.py", PYTHON_BOOTSTRAP)]
        {
            let path = dir.join(name);
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
                std::fs::write(&path, text)?;
            }
        }
        Ok(Launcher { dir: dir.to_path_buf(), node: "node".into(), python: "python3".into() })
    }

    /// The program and its arguments for `f`, or why it cannot run here.
    pub fn command(&self, f: &FunctionConfig) -> Result<(PathBuf, Vec<PathBuf>), String> {
        match f.kind {
            RuntimeKind::Node => Ok((self.node.clone(), vec![self.dir.join("node.mjs")])),
            RuntimeKind::Python => Ok((self.python.clone(), vec!["-u".into(), self.dir.join("python.py")])),
            RuntimeKind::Provided => {
                let bootstrap = f.code_dir.join("bootstrap");
                if !bootstrap.is_file() {
                    return Err(format!("its code has no bootstrap executable ({})", bootstrap.display()));
                }
                check_host_binary(&bootstrap)?;
                Ok((bootstrap, vec![]))
            }
        }
    }
}

/// ELF `e_machine` of this host's architecture.
fn host_machine() -> Option<(u16, &'static str)> {
    match std::env::consts::ARCH {
        "x86_64" => Some((62, "x86_64")),
        "aarch64" => Some((183, "aarch64")),
        _ => None,
    }
}

/// Refuses, with what to do, a `bootstrap` this host cannot execute (built for
/// another architecture or system), instead of failing with `exec format error`.
fn check_host_binary(path: &Path) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let rebuild = "ampx dev builds Rust functions for this host; synthesize again with `ampx dev` \
                   (a cdk.out synthesized for deployment holds Linux binaries)";
    if bytes.starts_with(b"#!") {
        return Ok(());
    }
    if !bytes.starts_with(b"\x7fELF") {
        return if cfg!(target_os = "linux") {
            Err(format!("{} is not a Linux executable; {rebuild}", path.display()))
        } else {
            Ok(())
        };
    }
    if !cfg!(target_os = "linux") {
        return Err(format!("{} is a Linux executable; {rebuild}", path.display()));
    }
    let machine = bytes.get(18..20).map(|m| u16::from_le_bytes([m[0], m[1]]));
    match (machine, host_machine()) {
        (Some(m), Some((host, _))) if m == host => Ok(()),
        (Some(m), Some((_, arch))) => {
            let built = match m {
                62 => "x86_64",
                183 => "aarch64",
                _ => "another architecture",
            };
            Err(format!("{} is built for {built}, and this host is {arch}; {rebuild}", path.display()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_for_another_architecture_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bootstrap");
        let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0".to_vec();
        let other: u16 = if std::env::consts::ARCH == "x86_64" { 183 } else { 62 };
        elf.extend_from_slice(&other.to_le_bytes());
        std::fs::write(&path, &elf).unwrap();
        if cfg!(target_os = "linux") {
            let err = check_host_binary(&path).unwrap_err();
            assert!(err.contains("this host is") && err.contains("ampx dev builds Rust functions"), "{err}");
        }
        std::fs::write(&path, "#!/bin/sh\n").unwrap();
        assert!(check_host_binary(&path).is_ok(), "scripts run");
    }
}
