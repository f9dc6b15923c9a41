//! Helpers shared by the end-to-end tests: the real `dossier` binary with
//! a store of the test's own and no settings from the environment.
#![allow(dead_code)] // each test file uses its own subset

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

/// `dossier --data DATA`, ignoring `DOSSIER_DATA` and `DOSSIER_TOKEN`.
pub fn dossier(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("dossier").unwrap();
    cmd.arg("--data")
        .arg(data)
        .env_remove("DOSSIER_DATA")
        .env_remove("DOSSIER_TOKEN");
    cmd
}

/// Runs `cmd`, which must succeed; answers its standard error.
pub fn succeed(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "stderr: {stderr}");
    stderr
}

/// Runs `cmd --json`, which must succeed; answers the parsed output.
pub fn json(cmd: &mut Command) -> Value {
    let out = cmd.arg("--json").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stderr: {stderr}");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}
