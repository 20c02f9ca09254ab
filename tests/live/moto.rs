//! The moto server the live tests audit: one per test binary, started on a
//! free 127.0.0.1 port on first use, stopped when the test process exits.
//!
//! Python and moto come from `DRGUARD_MOTO_PYTHON` if set, else from
//! `.venv/` at the repository root; when that has no moto, the harness
//! creates it and installs the pinned `moto[server]==5.2.5` (once, under a
//! file lock, so concurrent test binaries do not race).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};

use super::seed::{self, Design};

pub const MOTO_REQUIREMENT: &str = "moto[server]==5.2.5";

/// A running moto server.
pub struct Moto {
    pub endpoint: String,
    port: u16,
    _child: Child,
    // Held open: the launcher exits when this pipe closes with the test process.
    _stdin: ChildStdin,
}

/// Exclusive use of the moto server with a given design seeded.
pub struct Scenario {
    pub endpoint: String,
    /// The design seeded (the recorded answers of what moto lacks follow it).
    pub design: Design,
    _guard: MutexGuard<'static, Option<String>>,
}

static MOTO: OnceLock<Moto> = OnceLock::new();
/// The design currently seeded (its Debug text), behind the lock every test takes.
static SEEDED: Mutex<Option<String>> = Mutex::new(None);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn has_moto(python: &Path) -> bool {
    python.exists()
        && Command::new(python)
            .args([
                "-c",
                "import moto, werkzeug; assert moto.__version__ == '5.2.5'",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// The Python interpreter that has moto, installing it into `.venv/` if needed.
pub fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("DRGUARD_MOTO_PYTHON") {
        return PathBuf::from(python);
    }
    let venv = root().join(".venv");
    let python = venv.join("bin/python");
    if has_moto(&python) {
        return python;
    }
    let lock_path = root().join("target/.moto-install.lock");
    let _ = std::fs::create_dir_all(root().join("target"));
    let lock = std::fs::File::create(&lock_path).expect("create the moto install lock");
    lock.lock().expect("take the moto install lock");
    if !has_moto(&python) {
        eprintln!("installing {MOTO_REQUIREMENT} into {}", venv.display());
        let status = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .expect("python3 -m venv (is python3 installed?)");
        assert!(status.success(), "python3 -m venv failed");
        let status = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", MOTO_REQUIREMENT])
            .status()
            .expect("pip install moto");
        assert!(status.success(), "pip install {MOTO_REQUIREMENT} failed");
    }
    python
}

/// The shared server, started on first use.
pub fn moto() -> &'static Moto {
    MOTO.get_or_init(|| {
        let mut child = Command::new(python())
            .arg(root().join("tests/live/moto_server.py"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let stdin = child.stdin.take().expect("moto stdin");
        let stdout = child.stdout.take().expect("moto stdout");
        // The launcher prints its port once the socket listens: no polling needed.
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read moto's port");
        let port: u16 = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("moto launcher said {line:?}"));
        let moto = Moto {
            endpoint: format!("http://127.0.0.1:{port}"),
            port,
            _child: child,
            _stdin: stdin,
        };
        let (status, _) = moto.request("GET", "/moto-api/");
        assert_eq!(status, 200, "moto is not answering");
        moto
    })
}

impl Moto {
    /// A raw HTTP request to moto's control API.
    pub fn request(&self, method: &str, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to moto");
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        )
        .expect("write to moto");
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .expect("read from moto");
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, response)
    }
}

/// Takes the server for one test and makes sure `design` is what it holds.
pub fn scenario(design: &Design) -> Scenario {
    let moto = moto();
    let mut guard = SEEDED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let wanted = format!("{design:?}");
    if guard.as_deref() != Some(wanted.as_str()) {
        *guard = None;
        assert_eq!(moto.request("POST", "/moto-api/reset").0, 200);
        assert_eq!(moto.request("POST", "/moto-api/seed?a=42").0, 200);
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime")
            .block_on(seed::seed(&moto.endpoint, design))
            .unwrap_or_else(|e| panic!("seeding moto failed: {e:?}"));
        *guard = Some(wanted);
    }
    Scenario {
        endpoint: moto.endpoint.clone(),
        design: design.clone(),
        _guard: guard,
    }
}
