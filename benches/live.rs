#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)] // fails loudly by design
#![allow(clippy::print_stdout)] // a benchmark reports on stdout
//! Live benchmark and fault soak against moto (run it with `scripts/bench-live`).
//!
//! `live` mode: for each account size (the reference account scaled ×1, ×10,
//! ×100 with `seed::seed_copies`) it runs, alternately in the same run,
//! `drguard audit` (release build, live, `AWS_ENDPOINT_URL`) and
//! `custodian run --dryrun` with `bench/custodian/policies.yml`, each through
//! a fresh counting proxy (`tests/live/proxy.rs`) in front of moto, and prints
//! median wall time, requests, repeated requests and peak RSS, then profiles
//! where drguard's collection time goes.
//!
//! `soak` mode: a clean live audit, the same audit through 30 % throttling,
//! 10 % 5xx and 200 ms added latency, and endpoints that never answer.
//!
//! Programs come from `DRGUARD_BIN` (default `target/release/drguard`) and
//! `CUSTODIAN_BIN` (default `.venv-bench/bin/custodian`); peak RSS and CPU
//! time come from `/usr/bin/time -f "%M %U %S"`. Results also go to
//! `target/bench-live/`.

#[path = "../tests/live/moto.rs"]
#[allow(dead_code)]
mod moto;
#[path = "../tests/live/proxy.rs"]
#[allow(dead_code)]
mod proxy;
#[path = "../tests/live/seed/mod.rs"]
#[allow(dead_code)]
mod seed;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use proxy::{Fault, Proxy, Rule, Stats};
use serde_json::Value;

const CONFIG: &str = "tests/live/drguard.toml";
const POLICIES: &str = "bench/custodian/policies.yml";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn program(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(default))
}

/// One measured process.
#[derive(Debug, Clone)]
struct Run {
    wall: Duration,
    rss_kib: u64,
    /// User + system CPU time of the process (its own work, not moto's).
    cpu: Duration,
    code: i32,
    requests: usize,
    repeated: usize,
    operations: BTreeMap<String, usize>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

fn repeated(stats: &Stats) -> usize {
    let mut seen = BTreeSet::new();
    stats
        .requests
        .iter()
        .filter(|r| !seen.insert((*r).clone()))
        .count()
}

/// Runs `command` under `/usr/bin/time` and counts what `proxy` saw.
fn measure(program: &Path, args: &[String], env: &[(String, String)], proxy: &Proxy) -> Run {
    let scratch = tempfile::tempdir().unwrap();
    let time_file = scratch.path().join("time");
    let home = scratch.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut command = Command::new("/usr/bin/time");
    command
        .arg("-f")
        .arg("%M %U %S")
        .arg("-o")
        .arg(&time_file)
        .arg(program)
        .args(args)
        .current_dir(root());
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            command.env_remove(key);
        }
    }
    command
        .env("HOME", &home)
        .env("NO_COLOR", "1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", seed::PRIMARY)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("none"));
    for (key, value) in env {
        command.env(key, value);
    }
    let before = proxy.stats().requests.len();
    let started = Instant::now();
    let output = command.output().unwrap();
    let wall = started.elapsed();
    let stats = proxy.stats();
    let requests: Vec<_> = stats.requests[before..].to_vec();
    let mut operations = BTreeMap::new();
    for (operation, _, _) in &requests {
        *operations.entry(operation.clone()).or_insert(0) += 1;
    }
    // The last line is "%M %U %S" (earlier lines may be a "Command exited…" note).
    let figures: Vec<f64> = std::fs::read_to_string(&time_file)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            l.split_whitespace()
                .map_while(|f| f.parse().ok())
                .collect::<Vec<f64>>()
        })
        .rfind(|f| f.len() == 3)
        .unwrap_or_default();
    let rss_kib = figures.first().copied().unwrap_or(0.0) as u64;
    let cpu = Duration::from_secs_f64(figures.iter().skip(1).sum());
    Run {
        wall,
        rss_kib,
        cpu,
        code: output.status.code().unwrap_or(-1),
        requests: requests.len(),
        repeated: repeated(&Stats {
            requests,
            ..Stats::default()
        }),
        operations,
        stdout: output.stdout,
        stderr: output.stderr,
    }
}

fn endpoint_env(endpoint: &str) -> Vec<(String, String)> {
    vec![("AWS_ENDPOINT_URL".into(), endpoint.into())]
}

fn drguard_args(config: &Path) -> Vec<String> {
    [
        "audit",
        "--config",
        config.to_str().unwrap(),
        "--format",
        "json",
        "--quiet",
    ]
    .map(String::from)
    .to_vec()
}

fn drguard(config: &Path, env: &[(String, String)], proxy: &Proxy) -> Run {
    let run = measure(
        &program("DRGUARD_BIN", "target/release/drguard"),
        &drguard_args(config),
        env,
        proxy,
    );
    assert!(
        serde_json::from_slice::<Value>(&run.stdout).is_ok(),
        "drguard exit {}, no JSON report: {}",
        run.code,
        String::from_utf8_lossy(&run.stderr)
    );
    run
}

fn custodian(endpoint: &str, proxy: &Proxy) -> (Run, usize) {
    let out = tempfile::tempdir().unwrap();
    let args: Vec<String> = [
        "run",
        "--dryrun",
        "-s",
        out.path().to_str().unwrap(),
        "--region",
        seed::PRIMARY,
        "--region",
        seed::DR,
        "--cache-period",
        "0",
        POLICIES,
    ]
    .map(String::from)
    .to_vec();
    let run = measure(
        &program("CUSTODIAN_BIN", ".venv-bench/bin/custodian"),
        &args,
        &endpoint_env(endpoint),
        proxy,
    );
    assert_eq!(
        run.code,
        0,
        "custodian failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        !stderr.contains("had errors while executing"),
        "a Custodian policy failed: {stderr}"
    );
    // Resources matched (violations) over every policy and region.
    let mut matched = 0;
    for entry in walk(out.path()) {
        if entry.file_name().is_some_and(|n| n == "resources.json") {
            let text = std::fs::read_to_string(&entry).unwrap_or_default();
            matched += serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v.as_array().map(Vec::len))
                .unwrap_or(0);
        }
    }
    (run, matched)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
    }
    files
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    if !n.is_multiple_of(2) {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn secs(runs: &[Run]) -> f64 {
    median(runs.iter().map(|r| r.wall.as_secs_f64()).collect())
}

fn cpu_secs(runs: &[Run]) -> f64 {
    median(runs.iter().map(|r| r.cpu.as_secs_f64()).collect())
}

fn rss_mib(runs: &[Run]) -> f64 {
    runs.iter().map(|r| r.rss_kib).max().unwrap_or(0) as f64 / 1024.0
}

fn config_with(dir: &Path, extra: &str) -> PathBuf {
    let base = std::fs::read_to_string(root().join(CONFIG)).unwrap();
    let path = dir.join(format!("drguard-{}.toml", extra.len()));
    std::fs::write(&path, format!("{base}\n{extra}")).unwrap();
    path
}

/// rule id → statuses.
fn verdicts(report: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for result in report["results"].as_array().into_iter().flatten() {
        map.entry(result["rule_id"].as_str().unwrap_or("?").to_string())
            .or_default()
            .insert(result["status"].as_str().unwrap_or("?").to_string());
    }
    map
}

fn report(run: &Run) -> Value {
    serde_json::from_slice(&run.stdout).unwrap_or(Value::Null)
}

/// Counts of the seeded account, from a snapshot.
fn inventory(endpoint: &str, dir: &Path) -> (String, Value) {
    let out = dir.join("snapshot.json");
    let status = Command::new(program("DRGUARD_BIN", "target/release/drguard"))
        .args(["snapshot", "--config", CONFIG, "--quiet", "--output"])
        .arg(&out)
        .current_dir(root())
        .env("HOME", dir)
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("none"))
        .status()
        .unwrap();
    assert!(status.success());
    let snap: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let len = |v: &Value| v.as_array().map(Vec::len).unwrap_or(0);
    let per_region = |key: &str| -> usize {
        snap["regions"]
            .as_object()
            .map(|r| r.values().map(|v| len(&v[key])).sum())
            .unwrap_or(0)
    };
    let records: usize = snap["global"]["hosted_zones"]
        .as_array()
        .map(|z| z.iter().map(|z| len(&z["record_sets"])).sum())
        .unwrap_or(0);
    let text = format!(
        "{} ASGs, {} launch templates, {} AMIs, {} DB clusters, {} cache groups, {} buckets, {} health checks, {} record sets, {} SSM documents, {} EventBridge rules, {} load balancers",
        per_region("auto_scaling_groups"),
        per_region("launch_templates"),
        per_region("images"),
        per_region("db_clusters"),
        per_region("cache_replication_groups"),
        len(&snap["global"]["buckets"]),
        len(&snap["global"]["health_checks"]),
        records,
        per_region("automation_documents"),
        per_region("event_rules"),
        per_region("load_balancers"),
    );
    (text, snap)
}

/// Where a snapshot's collection time went, per service.
fn profile(snap: &Value) -> String {
    let mut per: BTreeMap<String, (usize, u64, u64)> = BTreeMap::new();
    for call in snap["collection"]["api_calls"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let entry = per
            .entry(call["service"].as_str().unwrap_or("?").to_string())
            .or_default();
        entry.0 += 1;
        entry.1 += call["duration_ms"].as_u64().unwrap_or(0);
        entry.2 = entry.2.max(call["duration_ms"].as_u64().unwrap_or(0));
    }
    let mut text = format!(
        "    collection {} ms; per service: calls, sum of call durations, slowest call\n",
        snap["collection"]["duration_ms"]
    );
    for (service, (calls, sum, max)) in per {
        let _ = writeln!(
            text,
            "      {service:<26} {calls:>5} calls {sum:>7} ms {max:>6} ms"
        );
    }
    text
}

fn reset_and_seed(moto: &moto::Moto, factor: usize) -> Duration {
    let started = Instant::now();
    assert_eq!(moto.request("POST", "/moto-api/reset").0, 200);
    assert_eq!(moto.request("POST", "/moto-api/seed?a=42").0, 200);
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            seed::seed(&moto.endpoint, &seed::Design::default()).await?;
            seed::seed_copies(&moto.endpoint, factor.saturating_sub(1)).await
        })
        .unwrap_or_else(|e| panic!("seeding ×{factor} failed: {e:?}"));
    started.elapsed()
}

fn top_operations(runs: &[Run], n: usize) -> String {
    let Some(run) = runs.first() else {
        return String::new();
    };
    let mut ops: Vec<_> = run.operations.iter().collect();
    ops.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    ops.iter()
        .take(n)
        .map(|(op, count)| format!("{op} {count}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn live(sizes: &[usize], runs: usize, out: &mut String) {
    let moto = moto::moto();
    let scratch = tempfile::tempdir().unwrap();
    let unlimited = config_with(
        scratch.path(),
        "[collect]\nroute53_requests_per_second = 100\n",
    );
    let mut table = String::from(
        "| size | drguard median | Custodian median | time ratio (C/d) | CPU d / C (median) | requests d / C | repeated d / C | peak RSS d / C | rules d / policies C |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    for &size in sizes {
        let seeded = reset_and_seed(moto, size);
        let (counts, snap) = inventory(&moto.endpoint, scratch.path());
        let _ = writeln!(
            out,
            "\n### ×{size}: seeded in {:.1} s: {counts}",
            seeded.as_secs_f64()
        );
        let mut d_runs = Vec::new();
        let mut c_runs = Vec::new();
        let mut matched = 0;
        for i in 0..runs {
            // Alternate, and alternate who goes first.
            let mut order = [true, false];
            if !i.is_multiple_of(2) {
                order.reverse();
            }
            for is_drguard in order {
                let proxy = Proxy::start(&moto.endpoint, Vec::new());
                if is_drguard {
                    let run = drguard(&root().join(CONFIG), &endpoint_env(&proxy.endpoint), &proxy);
                    eprintln!(
                        "×{size} run {i}: drguard {:.2} s, {} requests, exit {}",
                        run.wall.as_secs_f64(),
                        run.requests,
                        run.code
                    );
                    d_runs.push(run);
                } else {
                    let (run, m) = custodian(&proxy.endpoint, &proxy);
                    eprintln!(
                        "×{size} run {i}: custodian {:.2} s, {} requests",
                        run.wall.as_secs_f64(),
                        run.requests
                    );
                    matched = m;
                    c_runs.push(run);
                }
            }
        }
        let d_report = report(&d_runs[0]);
        let summary = &d_report["summary"];
        let d = secs(&d_runs);
        let c = secs(&c_runs);
        let req = |runs: &[Run]| {
            let set: BTreeSet<usize> = runs.iter().map(|r| r.requests).collect();
            set.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join("/")
        };
        let rep = |runs: &[Run]| runs.iter().map(|r| r.repeated).max().unwrap_or(0);
        let _ = writeln!(
            table,
            "| ×{size} | {d:.2} s | {c:.2} s | {:.1}× | {:.2} / {:.2} s | {} / {} | {} / {} | {:.0} / {:.0} MiB | {} results / {} matches |",
            c / d,
            cpu_secs(&d_runs),
            cpu_secs(&c_runs),
            req(&d_runs),
            req(&c_runs),
            rep(&d_runs),
            rep(&c_runs),
            rss_mib(&d_runs),
            rss_mib(&c_runs),
            d_report["results"].as_array().map(Vec::len).unwrap_or(0),
            matched,
        );
        let walls = |runs: &[Run]| {
            runs.iter()
                .map(|r| format!("{:.2}", r.wall.as_secs_f64()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let _ = writeln!(
            out,
            "  drguard runs (s): {}; exit {}; summary {}\n  Custodian runs (s): {}",
            walls(&d_runs),
            d_runs[0].code,
            summary,
            walls(&c_runs)
        );
        let _ = writeln!(
            out,
            "  drguard requests by operation: {}\n  Custodian requests by operation: {}",
            top_operations(&d_runs, 40),
            top_operations(&c_runs, 40)
        );
        // Profile: where drguard's time goes, and what the Route 53 bucket costs.
        let _ = writeln!(out, "  drguard profile (one snapshot):\n{}", profile(&snap));
        let mut fast = Vec::new();
        for _ in 0..2 {
            let proxy = Proxy::start(&moto.endpoint, Vec::new());
            fast.push(drguard(&unlimited, &endpoint_env(&proxy.endpoint), &proxy));
        }
        let _ = writeln!(
            out,
            "  drguard with route53_requests_per_second = 100 (2 runs): median {:.2} s (default 5/s: {d:.2} s)",
            secs(&fast)
        );
        // Keep what is measured so far, in case a larger size is cut short.
        save("live-partial", &format!("{out}\n{table}"));
        eprintln!("{table}");
    }
    let _ = writeln!(out, "\n{table}");
}

fn save(name: &str, text: &str) -> PathBuf {
    let dir = root().join("target/bench-live");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.md"));
    std::fs::write(&file, text).unwrap();
    file
}

fn soak(out: &mut String, long: bool) {
    let moto = moto::moto();
    reset_and_seed(moto, 1);
    let scratch = tempfile::tempdir().unwrap();
    let config = root().join(CONFIG);
    let mut table = String::from(
        "| run | wall | exit | requests at the proxy | injected faults | complete | verdicts = clean |\n|---|---|---|---|---|---|---|\n",
    );
    let clean_proxy = Proxy::start(&moto.endpoint, Vec::new());
    let clean = drguard(&config, &endpoint_env(&clean_proxy.endpoint), &clean_proxy);
    let clean_report = report(&clean);
    let clean_verdicts = verdicts(&clean_report);
    let _ = writeln!(
        table,
        "| clean | {:.2} s | {} | {} | 0 | {} | — |",
        clean.wall.as_secs_f64(),
        clean.code,
        clean.requests,
        clean_report["collection"]["complete"]
    );
    // 30 % throttling, 10 % 5xx and 200 ms on every answer.
    let flaky = Proxy::start_with_latency(
        &moto.endpoint,
        vec![Rule {
            operation: "*",
            fault: Fault::Flaky {
                throttle_pct: 30,
                error_pct: 10,
            },
        }],
        Duration::from_millis(200),
    );
    let faulty = drguard(&config, &endpoint_env(&flaky.endpoint), &flaky);
    let faulty_report = report(&faulty);
    let same = verdicts(&faulty_report) == clean_verdicts && faulty.code == clean.code;
    let _ = writeln!(
        table,
        "| 30 % throttled, 10 % 5xx, +200 ms | {:.2} s | {} | {} ({:+} = retries) | {} | {} | {} |",
        faulty.wall.as_secs_f64(),
        faulty.code,
        faulty.requests,
        faulty.requests as i64 - clean.requests as i64,
        flaky.stats().injected,
        faulty_report["collection"]["complete"],
        if same { "yes" } else { "NO" }
    );
    // Data endpoints that never answer (STS answers): the audit must end by
    // its timeouts with gaps and exit 3. Default timeouts, then short ones.
    let mut timeouts = vec![(
        "attempt 5 s, operation 15 s",
        "[collect]\nattempt_timeout = \"5s\"\noperation_timeout = \"15s\"\n".to_string(),
    )];
    if long {
        timeouts.push(("defaults (attempt 20 s, operation 2 m)", String::new()));
    }
    for (label, extra) in timeouts {
        let config = config_with(scratch.path(), &extra);
        let hung = Proxy::start(
            &moto.endpoint,
            vec![Rule {
                operation: "*",
                fault: Fault::Hang,
            }],
        );
        let mut env = endpoint_env(&hung.endpoint);
        env.push(("AWS_ENDPOINT_URL_STS".into(), moto.endpoint.clone()));
        let run = drguard(&config, &env, &hung);
        let report = report(&run);
        let gaps = report["collection"]["errors"]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0);
        let timeouts = report["collection"]["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|g| g["error_code"] == "Timeout")
            .count();
        let _ = writeln!(
            table,
            "| data endpoints never answer, {label} | {:.2} s | {} | {} | {} hung | {} gaps ({timeouts} Timeout) | — |",
            run.wall.as_secs_f64(),
            run.code,
            run.requests,
            hung.stats().injected,
            gaps
        );
    }
    // Every endpoint, STS included, never answers: credentials cannot be
    // checked, so the audit stops before collecting (exit 2).
    let config = config_with(
        scratch.path(),
        "[collect]\nattempt_timeout = \"5s\"\noperation_timeout = \"15s\"\n",
    );
    let dead = Proxy::start(
        &moto.endpoint,
        vec![Rule {
            operation: "*",
            fault: Fault::Hang,
        }],
    );
    let run = measure(
        &program("DRGUARD_BIN", "target/release/drguard"),
        &drguard_args(&config),
        &endpoint_env(&dead.endpoint),
        &dead,
    );
    let _ = writeln!(
        table,
        "| every endpoint (STS too) never answers, attempt 5 s, operation 15 s | {:.2} s | {} | {} | {} hung | stopped before collecting | — |",
        run.wall.as_secs_f64(),
        run.code,
        run.requests,
        dead.stats().injected,
    );
    let _ = writeln!(out, "\n{table}");
    if !same {
        let _ = writeln!(
            out,
            "verdicts differ:\nclean {clean_verdicts:?}\nfaulty {:?}\nerrors {}",
            verdicts(&faulty_report),
            faulty_report["collection"]["errors"]
        );
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_default();
    let mem = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "{cores} cores, {cpu}, {}; load average {}",
        mem.split_whitespace().skip(1).collect::<Vec<_>>().join(" "),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    )
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut mode = String::new();
    let mut sizes = vec![1, 10, 100];
    let mut runs = 5;
    let mut long = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "live" | "soak" | "all" => mode = arg.clone(),
            "--long" => long = true,
            "--sizes" => {
                sizes = args
                    .next()
                    .expect("--sizes 1,10,100")
                    .split(',')
                    .map(|s| s.parse().expect("a size"))
                    .collect()
            }
            "--runs" => runs = args.next().expect("--runs N").parse().expect("a number"),
            other => panic!(
                "unknown argument {other:?}; use live|soak|all [--sizes 1,10,100] [--runs N] [--long]"
            ),
        }
    }
    assert!(runs >= 1);
    if mode.is_empty() {
        // Plain `cargo bench` (or `cargo test --benches`) lands here: this
        // benchmark starts moto and takes minutes, so it runs only when asked.
        eprintln!("benches/live.rs: skipped; run `scripts/bench-live` (or pass live|soak|all)");
        return;
    }
    let mut out = format!(
        "drguard live benchmark ({mode}), {}\nmachine: {}\n",
        chrono_now(),
        machine()
    );
    if mode == "live" || mode == "all" {
        live(&sizes, runs, &mut out);
        let _ = writeln!(out, "machine after the live runs: {}", machine());
    }
    if mode == "soak" || mode == "all" {
        soak(&mut out, long);
        let _ = writeln!(out, "machine after the soak: {}", machine());
    }
    println!("{out}");
    let file = save(&format!("{mode}-{}", std::process::id()), &out);
    eprintln!("written to {}", file.display());
}

/// The UTC time, from the system clock (no date crate needed).
fn chrono_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("unix time {secs}")
}
