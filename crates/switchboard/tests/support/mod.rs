//! A running `switchboard serve` for the binary tests: started on a free port, its JSON log
//! collected, killed when dropped so that a failed assertion leaves no orphan process.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_switchboard");

pub struct Server {
    pub child: Child,
    pub address: String,
    /// Every line the server has logged so far.
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts the binary and waits for its "listening" log line. `env` is applied last, so
    /// it overrides the defaults set here (JSON logs at `info`).
    pub fn start_with(data_dir: &Path, database_url: Option<&str>, env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .env_remove("SWITCHBOARD_JWT_SECRET")
            .env_remove("SWITCHBOARD_DATABASE_URL")
            .env("SWITCHBOARD_LOG_FORMAT", "json")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(url) = database_url {
            cmd.args(["--database-url", url]);
        }
        cmd.envs(env.iter().copied());
        let mut child = cmd.spawn().expect("the binary starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (tx, rx) = std::sync::mpsc::channel();
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line.clone());
                match serde_json::from_str::<Value>(&line) {
                    Ok(v) if v["message"] == "switchboard is listening" => {
                        let _ = tx.send(v["address"].as_str().unwrap_or_default().to_owned());
                    }
                    Ok(_) => {}
                    // Whatever the process says as it dies (a stack overflow is not JSON).
                    Err(_) => eprintln!("server: {line}"),
                }
            }
        });
        let address =
            rx.recv_timeout(Duration::from_secs(60)).expect("the server reports its address");
        Server { child, address, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
