//! Throughput and memory of Vigil against onnxruntime-python + tokenizers
//! (tools/bench_ort.py), on the same texts in the same calls, checked to
//! produce the same scores.
//!
//! cargo run --release --example bench -- [--model DIR] [--texts N] [--batch B] [--rounds R]
//!
//! Every configuration classifies the same N texts as N/B calls of B texts:
//! one untimed warm-up pass, then R timed passes, reported as the median.
//! The machine is shared and noisy, so the rounds are interleaved (the
//! baseline's, then each Vigil configuration's, R times): a burst of noise
//! hits one round of everything rather than every round of one
//! configuration, ratios are taken round by round, and each round records
//! how much CPU other processes took from it.
//! RSS is measured in fresh child processes (`--rss-probe SESSIONS`), so one
//! configuration's models and arenas never inflate another's numbers.

use std::error::Error;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde_json::{json, Value};
use vigil::engine::encode::{plan_batches, Encoder};
use vigil::{Classification, LongText, Model, Options};

type Res<T> = Result<T, Box<dyn Error>>;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// Fresh processes per RSS figure: the allocator's layout after loading
/// varies from run to run by tens of MB, so one sample would mislead.
const PROBES: usize = 3;

struct Args {
    model: PathBuf,
    texts: usize,
    batch: usize,
    rounds: usize,
    /// Child mode: open with this many sessions, report RSS, exit.
    rss_probe: Option<usize>,
    /// Child mode: the texts of the call to run on every session, as JSON.
    texts_file: Option<PathBuf>,
}

impl Args {
    fn parse() -> Res<Args> {
        let mut args = Args {
            model: Path::new(ROOT).join("target/bench-model"),
            texts: 64,
            batch: 16,
            rounds: 5,
            rss_probe: None,
            texts_file: None,
        };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            let value = it.next().ok_or(format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--model" => args.model = value.into(),
                "--texts" => args.texts = value.parse()?,
                "--batch" => args.batch = value.parse()?,
                "--rounds" => args.rounds = value.parse()?,
                "--rss-probe" => args.rss_probe = Some(value.parse()?),
                "--texts-file" => args.texts_file = Some(value.into()),
                other => return Err(format!("unknown flag {other}").into()),
            }
        }
        if args.texts == 0 || args.batch == 0 || args.rounds == 0 {
            return Err("--texts, --batch and --rounds must be positive".into());
        }
        Ok(args)
    }
}

fn ort_library() -> PathBuf {
    std::env::var_os("VIGIL_ORT_LIBRARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(ROOT).join("target/onnxruntime/libonnxruntime.so"))
}

/// Default options except the long-text policy: the baseline truncates at
/// max_length, and the bench model's default (window_max) would run extra
/// windows for any text longer than that.
fn options(sessions: usize, intra_threads: usize) -> Options {
    Options {
        ort_library: Some(ort_library()),
        sessions,
        intra_threads,
        long_text: Some(LongText::Truncate),
        ..Options::default()
    }
}

/// Intra-op threads of the RSS probe with `sessions` sessions: the default
/// for one session, one per session for two (configuration b).
fn probe_intra_threads(sessions: usize) -> usize {
    if sessions == 1 {
        0
    } else {
        1
    }
}

/// N texts spread evenly over the ADE training set, so no single abstract
/// dominates; synthetic pharmacovigilance sentences when it is absent.
fn load_texts(n: usize) -> Res<(Vec<String>, String)> {
    let path = Path::new(ROOT).join("../shared/data/ade/ade_train.jsonl");
    let Ok(content) = std::fs::read_to_string(&path) else {
        return Ok((synthetic_texts(n), "synthetic sentences".into()));
    };
    let all: Vec<String> = content
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .filter(|t| !t.trim().is_empty())
        .collect();
    if all.len() < n {
        return Err(format!("{} has {} texts, fewer than {n}", path.display(), all.len()).into());
    }
    let step = all.len() / n;
    let texts = (0..n).map(|i| all[i * step].clone()).collect();
    Ok((texts, format!("ADE train, every {step}th of {}", all.len())))
}

fn synthetic_texts(n: usize) -> Vec<String> {
    const DRUGS: [&str; 6] = ["naproxen", "azithromycin", "methotrexate", "amiodarone", "isoniazid", "clozapine"];
    const EFFECTS: [&str; 6] = [
        "pseudoporphyria",
        "ototoxicity",
        "hepatotoxicity",
        "pulmonary fibrosis",
        "agranulocytosis",
        "a maculopapular rash",
    ];
    const FRAMES: [&str; 4] = [
        "We report a patient who developed {e} two weeks after starting {d}.",
        "Her {e} resolved after {d} was withdrawn.",
        "A 54-year-old woman receiving {d} for rheumatoid arthritis presented with {e}, which recurred on rechallenge.",
        "No case of {e} was observed among the 212 patients treated with {d} during follow-up.",
    ];
    // A fixed linear congruential sequence: varied but reproducible combinations.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    (0..n)
        .map(|_| {
            let mut pick = |len: usize| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (state >> 33) as usize % len
            };
            let (f, d, e) = (pick(FRAMES.len()), pick(DRUGS.len()), pick(EFFECTS.len()));
            FRAMES[f].replace("{d}", DRUGS[d]).replace("{e}", EFFECTS[e])
        })
        .collect()
}

fn chunked(texts: &[String], batch: usize) -> Vec<Vec<&str>> {
    texts.chunks(batch).map(|c| c.iter().map(String::as_str).collect()).collect()
}

/// Classifies `chunks` on `threads` host threads sharing `model`, each taking
/// the next unclaimed chunk; returns the results in input order.
fn classify_all(model: &Model, chunks: &[Vec<&str>], threads: usize) -> Res<Vec<Classification>> {
    let next = AtomicUsize::new(0);
    let parts = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(chunk) = chunks.get(i) else { break };
                        done.push((i, model.classify(chunk)?));
                    }
                    Ok::<_, vigil::Error>(done)
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("a classify thread panicked")).collect::<Result<Vec<_>, _>>()
    })?;
    let mut ordered: Vec<_> = parts.into_iter().flatten().collect();
    ordered.sort_by_key(|(i, _)| *i);
    Ok(ordered.into_iter().flat_map(|(_, r)| r).collect())
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let mid = xs.len() / 2;
    if xs.len() % 2 == 1 {
        xs[mid]
    } else {
        (xs[mid - 1] + xs[mid]) / 2.0
    }
}

/// VmRSS and VmHWM in MB.
fn rss_mb() -> Res<Value> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        Some(line.split_whitespace().nth(1)?.parse::<f64>().ok()? / 1024.0)
    };
    Ok(json!({"VmRSS": field("VmRSS:"), "VmHWM": field("VmHWM:")}))
}

/// Child mode: RSS after opening, then after every session has run the
/// pass's heaviest call at once (so each has grown its arena to the size a
/// pass needs), as one JSON line.
fn rss_probe(args: &Args, sessions: usize) -> Res<()> {
    let file = args.texts_file.as_ref().ok_or("--rss-probe needs --texts-file")?;
    let texts: Vec<String> = serde_json::from_str(&std::fs::read_to_string(file)?)?;
    let model = Model::open(&args.model, &options(sessions, probe_intra_threads(sessions)))?;
    let after_open = rss_mb()?;
    let call: Vec<&str> = texts.iter().map(String::as_str).collect();
    classify_all(&model, &vec![call; sessions], sessions)?;
    println!("{}", json!({"after_open": after_open, "after_run": rss_mb()?}));
    Ok(())
}

/// Medians over [`PROBES`] fresh processes: (after open, after run, peak),
/// plus every after-open sample.
fn probe_rss(args: &Args, sessions: usize, texts_file: &Path) -> Res<([f64; 3], Vec<f64>)> {
    let mut samples = Vec::new();
    for _ in 0..PROBES {
        let out = Command::new(std::env::current_exe()?)
            .arg("--rss-probe")
            .arg(sessions.to_string())
            .arg("--model")
            .arg(&args.model)
            .arg("--texts-file")
            .arg(texts_file)
            .stderr(Stdio::inherit())
            .output()?;
        if !out.status.success() {
            return Err(format!("RSS probe with {sessions} sessions failed: {}", out.status).into());
        }
        samples.push(serde_json::from_slice::<Value>(&out.stdout)?);
    }
    let field = |stage: &str, name: &str| -> Vec<f64> {
        samples.iter().map(|s| s[stage][name].as_f64().unwrap_or(f64::NAN)).collect()
    };
    let opens = field("after_open", "VmRSS");
    let medians = [median(opens.clone()), median(field("after_run", "VmRSS")), median(field("after_run", "VmHWM"))];
    Ok((medians, opens))
}

/// A temporary JSON file, deleted when the bench returns, also on error.
struct TempFile(PathBuf);

impl TempFile {
    fn json(tag: &str, value: &Value) -> Res<TempFile> {
        let path = std::env::temp_dir().join(format!("vigil-bench-{}-{tag}.json", std::process::id()));
        std::fs::write(&path, serde_json::to_string(value)?)?;
        Ok(TempFile(path))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// CPU ticks: the machine's busy and elapsed (summed over CPUs), and those
/// used by `pids` (user + system, plus the children each has waited for).
fn cpu_ticks(pids: &[u32]) -> Res<[f64; 3]> {
    let stat = std::fs::read_to_string("/proc/stat")?;
    let cpu: Vec<f64> = stat
        .lines()
        .next()
        .ok_or("empty /proc/stat")?
        .split_whitespace()
        .skip(1)
        .take(8)
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let mut own = 0.0;
    for pid in pids {
        let text = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
        // After the command name: utime, stime, cutime, cstime are fields 12-15.
        let (_, fields) = text.rsplit_once(") ").ok_or("malformed /proc/PID/stat")?;
        for field in fields.split_whitespace().skip(11).take(4) {
            own += field.parse::<f64>()?;
        }
    }
    let idle = cpu[3] + cpu[4];
    let total: f64 = cpu.iter().sum();
    Ok([total - idle, total, own])
}

/// How many CPUs, on average, processes other than the measured ones kept
/// busy between two samples (hypervisor steal included): the noise a timing
/// suffered on this shared machine.
fn others_cpus(before: [f64; 3], after: [f64; 3], cpus: f64) -> f64 {
    let [busy, total, own] = [0, 1, 2].map(|i| after[i] - before[i]);
    (busy - own).max(0.0) / (total / cpus)
}

/// One configuration's timed rounds, each with the noise it suffered.
#[derive(Default)]
struct Timings {
    seconds: Vec<f64>,
    others: Vec<f64>,
}

impl Timings {
    fn time<T>(&mut self, pids: &[u32], cpus: f64, work: impl FnOnce() -> Res<T>) -> Res<T> {
        let before = cpu_ticks(pids)?;
        let start = Instant::now();
        let out = work()?;
        self.record(start.elapsed().as_secs_f64(), before, pids, cpus)?;
        Ok(out)
    }

    /// Records a round that took `seconds` and began at the `before` sample.
    fn record(&mut self, seconds: f64, before: [f64; 3], pids: &[u32], cpus: f64) -> Res<()> {
        self.seconds.push(seconds);
        self.others.push(others_cpus(before, cpu_ticks(pids)?, cpus));
        Ok(())
    }

    /// Throughput relative to `base`: the median of per-round ratios, as
    /// rounds are interleaved and so share their moment's noise.
    fn ratio_to(&self, base: &Timings) -> f64 {
        median(base.seconds.iter().zip(&self.seconds).map(|(b, s)| b / s).collect())
    }
}

fn load_average() -> Res<String> {
    let text = std::fs::read_to_string("/proc/loadavg")?;
    Ok(text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

struct Config {
    name: &'static str,
    model: usize,
    threads: usize,
    sessions: usize,
    timings: Timings,
    results: Vec<Classification>,
}

fn main() -> Res<()> {
    let args = Args::parse()?;
    if let Some(sessions) = args.rss_probe {
        return rss_probe(&args, sessions);
    }
    let me = [std::process::id()];
    let cpus = std::thread::available_parallelism()?.get() as f64;
    let load_before = load_average()?;
    let ticks_before = cpu_ticks(&me)?;
    let (texts, source) = load_texts(args.texts)?;
    let chunks = chunked(&texts, args.batch);
    let n = texts.len() as f64;

    // Opened first: max_length and stride are the model's, and the baseline
    // and the tokenizer timing must use the same.
    let models = [options(1, 0), options(2, 1), options(1, 1)]
        .iter()
        .map(|o| Model::open(&args.model, o))
        .collect::<Result<Vec<_>, _>>()?;
    let max_tokens = Options::default().max_tokens_per_batch;
    let tokenizer_json = std::fs::read(args.model.join("tokenizer.json"))?;
    let encoder =
        Encoder::new(&tokenizer_json, None, models[0].max_length(), models[0].stride(), false, false, usize::MAX)?;
    let tokenize = || -> Res<Vec<usize>> {
        texts.iter().enumerate().map(|(i, t)| Ok(encoder.encode(i, t)?.windows[0].len())).collect()
    };
    let lengths = tokenize()?;
    // Padded tokens of each call under the plan classify uses.
    let plans: Vec<Vec<Vec<usize>>> = lengths.chunks(args.batch).map(|c| plan_batches(c, max_tokens)).collect();
    let padded: Vec<usize> = plans
        .iter()
        .zip(lengths.chunks(args.batch))
        .map(|(plan, len)| plan.iter().map(|b| b.len() * len[b[0]]).sum())
        .collect();
    let heaviest = (0..chunks.len()).max_by_key(|&i| padded[i]).unwrap_or(0);

    let texts_file = TempFile::json("texts", &json!(texts))?;
    let heaviest_file = TempFile::json("heaviest", &json!(chunks[heaviest]))?;
    let mut rss = Vec::new();
    for sessions in [1, 2] {
        eprintln!("bench: RSS, {sessions} session(s), {PROBES} processes");
        rss.push(probe_rss(&args, sessions, &heaviest_file.0)?);
    }

    eprintln!("bench: starting the ORT-python baseline");
    let mut python = Command::new(Path::new(ROOT).join(".venv/bin/python"))
        .arg(Path::new(ROOT).join("tools/bench_ort.py"))
        .arg("--model")
        .arg(&args.model)
        .arg("--texts")
        .arg(&texts_file.0)
        .args(["--batch", &args.batch.to_string()])
        .args(["--max-length", &models[0].max_length().to_string()])
        .args(["--max-tokens", &max_tokens.to_string()])
        // As the Vigil 1-thread default: 0, ONNX Runtime decides.
        .args(["--intra-threads", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let mut to_python = python.stdin.take().ok_or("no pipe to bench_ort.py")?;
    let mut from_python = BufReader::new(python.stdout.take().ok_or("no pipe from bench_ort.py")?).lines();
    let mut python_says = || -> Res<Value> {
        let line = from_python.next().ok_or("bench_ort.py stopped early")??;
        Ok(serde_json::from_str(&line)?)
    };
    let baseline = python_says()?;
    let py_scores: Vec<Vec<f64>> = serde_json::from_value(baseline["scores"].clone())?;
    if py_scores.len() != texts.len() {
        return Err(format!("bench_ort.py scored {} of {} texts", py_scores.len(), texts.len()).into());
    }

    let both = [std::process::id(), python.id()];

    let mut configs = [
        ("vigil 1 thread   sessions 1 intra 0", 0, 1, 1),
        ("vigil 2 threads  sessions 1 intra 0", 0, 2, 1),
        ("vigil 2 threads  sessions 2 intra 1", 1, 2, 2),
        ("vigil 2 threads  sessions 1 intra 1", 2, 2, 1),
    ]
    .map(|(name, model, threads, sessions)| Config {
        name,
        model,
        threads,
        sessions,
        timings: Timings::default(),
        results: Vec::new(),
    });
    let mut py = Timings::default();
    let mut tokenize_seconds = Vec::new();
    // Round 0 warms up Vigil; the baseline warmed up before its first line.
    eprintln!("bench: round 0/{} (warm-up)", args.rounds);
    for c in &mut configs {
        c.results = classify_all(&models[c.model], &chunks, c.threads)?;
    }
    for round in 1..=args.rounds {
        eprintln!("bench: round {round}/{}", args.rounds);
        // The baseline times its own pass, without the pipe and its
        // tokenize-only pass; the noise sample spans all of it.
        let before = cpu_ticks(&both)?;
        writeln!(to_python)?;
        let reply = python_says()?;
        py.record(reply["seconds"].as_f64().ok_or("bench_ort.py gave no seconds")?, before, &both, cpus)?;
        for c in &mut configs {
            c.results = c.timings.time(&both, cpus, || classify_all(&models[c.model], &chunks, c.threads))?;
        }
        let start = Instant::now();
        tokenize()?;
        tokenize_seconds.push(start.elapsed().as_secs_f64());
    }
    drop(to_python);
    let py_medians = python_says()?;
    python.wait()?;
    let others = others_cpus(ticks_before, cpu_ticks(&me)?, cpus);

    let py_rate = py_medians["texts_per_s"].as_f64().ok_or("bench_ort.py gave no texts_per_s")?;
    let py_rss = |stage: &str, field: &str| baseline["rss_mb"][stage][field].as_f64().unwrap_or(f64::NAN);
    // The slowest and fastest round, as texts/s.
    let spread = |t: &Timings| {
        let rate = |pick: fn(f64, f64) -> f64, start| n / t.seconds.iter().copied().fold(start, pick);
        format!("{:.2}-{:.2}", rate(f64::max, 0.0), rate(f64::min, f64::INFINITY))
    };
    let max_diff = |results: &[Classification]| {
        results
            .iter()
            .zip(&py_scores)
            .flat_map(|(r, p)| r.scores.iter().zip(p).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max)
    };

    println!();
    println!(
        "texts    {} ({source}); {} calls of up to {}; {} timed rounds after 1 warm-up, interleaved; medians",
        texts.len(),
        chunks.len(),
        args.batch,
        args.rounds
    );
    println!("tokens   {:.1} per text, {} padded per pass in {} graph runs (truncate at {}, max_tokens_per_batch {max_tokens})",
        lengths.iter().sum::<usize>() as f64 / n, padded.iter().sum::<usize>(), plans.iter().map(Vec::len).sum::<usize>(), models[0].max_length());
    println!(
        "machine  {cpus} CPUs ({}); load average before {load_before}, after {}; other processes used {others:.2} CPUs on average",
        std::fs::read_to_string("/proc/cpuinfo")?.lines().find_map(|l| l.strip_prefix("model name\t: ")).unwrap_or("?"),
        load_average()?
    );
    println!(
        "runtime  vigil: ONNX Runtime {} ({}); python: onnxruntime {}",
        models[0].ort_version(),
        models[0].ort_library().display(),
        baseline["ort_version"].as_str().unwrap_or("?")
    );
    println!();
    println!(
        "{:<36} {:>7} {:>11} {:>6} {:>8} {:>6} {:>8}   RSS MB: open  pass  peak",
        "configuration", "texts/s", "min-max", "/ORTpy", "/vigil1t", "others", "max|Δ|"
    );
    let vigil_1t = &configs[0].timings;
    let rss_py = [("after_open", "VmRSS"), ("after_run", "VmRSS"), ("after_run", "VmHWM")].map(|(s, f)| py_rss(s, f));
    let rows =
        std::iter::once(("ORT-python 1 thread  intra 0", py_rate, &py, None, rss_py)).chain(configs.iter().map(|c| {
            (c.name, n / median(c.timings.seconds.clone()), &c.timings, Some(&c.results), rss[c.sessions - 1].0)
        }));
    for (name, rate, t, results, [open, pass, peak]) in rows {
        println!(
            "{name:<36} {rate:>7.2} {:>11} {:>6.2} {:>8.2} {:>6.2} {:>8}   {open:>12.0} {pass:>5.0} {peak:>5.0}",
            spread(t),
            t.ratio_to(&py),
            t.ratio_to(vigil_1t),
            median(t.others.clone()),
            results.map_or("-".into(), |r| format!("{:.1e}", max_diff(r))),
        );
    }
    println!();
    println!("columns  texts/s: median round; min-max: slowest-fastest round; /ORTpy, /vigil1t: median of per-round throughput ratios; others: CPUs kept busy by other processes during the round (median; above ~0.1 the timing is suspect); max|Δ|: largest score difference from ORT-python");
    println!();
    println!("RSS      vigil: median of {PROBES} fresh processes per session count (intra 0 for 1 session, 1 for 2), \"pass\" after the heaviest call on every session; python: one process, after its warm-up pass");
    let delta = |i: usize| rss[1].0[i] - rss[0].0[i];
    let range = |v: &[f64]| {
        format!("{:.0}-{:.0}", v.iter().copied().fold(f64::INFINITY, f64::min), v.iter().copied().fold(0.0, f64::max))
    };
    println!("session2 +{:.0} MB RSS after open, +{:.0} MB after a pass (after-open samples: 1 session {} MB, 2 sessions {} MB; model.onnx is {:.0} MB)",
        delta(0), delta(1), range(&rss[0].1), range(&rss[1].1),
        std::fs::metadata(args.model.join("model.onnx"))?.len() as f64 / (1 << 20) as f64);
    let vigil_tok = n / median(tokenize_seconds);
    let py_tok = py_medians["tokenize_texts_per_s"].as_f64().unwrap_or(f64::NAN);
    println!("tokenize vigil {vigil_tok:.0} texts/s (one text at a time, 1 thread), python {py_tok:.0} texts/s (encode_batch, parallel); ratio {:.2}", vigil_tok / py_tok);
    Ok(())
}
