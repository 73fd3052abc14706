//! Throughput and memory of Vigil against onnxruntime-python + tokenizers
//! (tools/bench_ort.py), on the same texts in the same calls, checked to
//! produce the same scores.
//!
//! cargo run --release --example bench -- [--model DIR] [--texts N] [--batch B] [--rounds R]
//!     [--token-model DIR] [--cross-model DIR] [--spans-rounds S] [--candidates C] [--rerank-rounds Q]
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
//!
//! Two more measurements follow, each skipped with a note when its model
//! directory is missing (tools/make_bench_model.py --task token|cross):
//! - spans: extract_spans on the token model (aggregation simple, then
//!   first) against classify on the sequence model, both BERT-base, on the
//!   same texts in the same calls on 1 host thread, so their ratio is the
//!   cost of the token decoding and aggregation; ONNX Runtime python runs
//!   the token graph only (it has no aggregation to compare). S rounds.
//! - rerank: rerank_candidates of a mention against C invented MedDRA-like
//!   records rendered by the model's template (one call), against ORT python
//!   scoring the same rendered pairs. Round q takes mention q of 8 (cycling),
//!   the same on both sides. A pair is up to 64 tokens, so a call of 100 is
//!   ~5,000 tokens of BERT-base, several seconds on 2 CPUs: the defaults
//!   (S 3, Q 3) hold the whole run to about 6 minutes there; --rerank-rounds 8
//!   covers every mention.

use std::error::Error;
use std::io::{BufRead, BufReader, Lines, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde_json::{json, Value};
use vigil::engine::encode::Encoder;
use vigil::{
    Aggregation, Candidate, CandidateRecord, Classification, LongText, Model, Options, RerankOptions, SpanOptions,
    TextSpans,
};

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
    token_model: PathBuf,
    cross_model: PathBuf,
    spans_rounds: usize,
    /// Candidates per mention, the first C of [`records`].
    candidates: usize,
    /// One call each, on mention q mod 8 of [`MENTIONS`].
    rerank_rounds: usize,
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
            token_model: Path::new(ROOT).join("target/bench-model-token"),
            cross_model: Path::new(ROOT).join("target/bench-model-cross"),
            spans_rounds: 3,
            candidates: 100,
            rerank_rounds: 3,
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
                "--token-model" => args.token_model = value.into(),
                "--cross-model" => args.cross_model = value.into(),
                "--spans-rounds" => args.spans_rounds = value.parse()?,
                "--candidates" => args.candidates = value.parse()?,
                "--rerank-rounds" => args.rerank_rounds = value.parse()?,
                "--rss-probe" => args.rss_probe = Some(value.parse()?),
                "--texts-file" => args.texts_file = Some(value.into()),
                other => return Err(format!("unknown flag {other}").into()),
            }
        }
        if [args.texts, args.batch, args.rounds, args.spans_rounds, args.candidates, args.rerank_rounds].contains(&0) {
            return Err("--texts, --batch, --candidates and every --*rounds must be positive".into());
        }
        if args.candidates > records().len() {
            return Err(format!("at most {} candidates", records().len()).into());
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

/// tools/bench_ort.py as a child process: it loads, runs one untimed pass
/// and answers with its first line; then one timed pass per line it reads.
struct Baseline {
    child: Child,
    to: Option<ChildStdin>,
    from: Lines<BufReader<ChildStdout>>,
}

impl Baseline {
    /// Starts it and returns its first line (versions, RSS, parity data).
    fn start(task: &str, model: &Path, input: &Path, batch: usize, max_length: usize) -> Res<(Baseline, Value)> {
        let mut child = Command::new(Path::new(ROOT).join(".venv/bin/python"))
            .arg(Path::new(ROOT).join("tools/bench_ort.py"))
            .args(["--task", task])
            .arg("--model")
            .arg(model)
            .arg("--texts")
            .arg(input)
            .args(["--batch", &batch.to_string()])
            .args(["--max-length", &max_length.to_string()])
            .args(["--max-tokens", &Options::default().max_tokens_per_batch.to_string()])
            // As the Vigil 1-thread default: 0, ONNX Runtime decides.
            .args(["--intra-threads", "0"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let to = child.stdin.take().ok_or("no pipe to bench_ort.py")?;
        let from = BufReader::new(child.stdout.take().ok_or("no pipe from bench_ort.py")?).lines();
        let mut baseline = Baseline { child, to: Some(to), from };
        let first = baseline.next()?;
        Ok((baseline, first))
    }

    fn id(&self) -> u32 {
        self.child.id()
    }

    fn next(&mut self) -> Res<Value> {
        let line = self.from.next().ok_or("bench_ort.py stopped early")??;
        Ok(serde_json::from_str(&line)?)
    }

    /// One timed pass. The baseline times its own pass, without the pipe and
    /// its tokenize-only pass; the noise sample spans all of it.
    /// `line`: what the pass is to do, empty for its whole input.
    fn round(&mut self, line: &str, timings: &mut Timings, pids: &[u32], cpus: f64) -> Res<()> {
        let before = cpu_ticks(pids)?;
        writeln!(self.to.as_mut().ok_or("bench_ort.py input already closed")?, "{line}")?;
        let reply = self.next()?;
        timings.record(reply["seconds"].as_f64().ok_or("bench_ort.py gave no seconds")?, before, pids, cpus)
    }

    /// Ends its input; returns its medians.
    fn finish(mut self) -> Res<Value> {
        drop(self.to.take());
        let medians = self.next()?;
        self.child.wait()?;
        Ok(medians)
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
    let started = Instant::now();
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
    let plans: Vec<Vec<Vec<usize>>> = lengths.chunks(args.batch).map(|c| models[0].plan_runs(c)).collect();
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
    let (mut python, baseline) =
        Baseline::start("sequence", &args.model, &texts_file.0, args.batch, models[0].max_length())?;
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
        python.round("", &mut py, &both, cpus)?;
        for c in &mut configs {
            c.results = c.timings.time(&both, cpus, || classify_all(&models[c.model], &chunks, c.threads))?;
        }
        let start = Instant::now();
        tokenize()?;
        tokenize_seconds.push(start.elapsed().as_secs_f64());
    }
    let py_medians = python.finish()?;
    let others = others_cpus(ticks_before, cpu_ticks(&me)?, cpus);

    let py_rate = py_medians["texts_per_s"].as_f64().ok_or("bench_ort.py gave no texts_per_s")?;
    let py_rss = |stage: &str, field: &str| baseline["rss_mb"][stage][field].as_f64().unwrap_or(f64::NAN);
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
            spread(n, t),
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

    // Only the 1-thread model is used from here on.
    let classify_model = models.into_iter().next().ok_or("no model")?;
    let classify_done = started.elapsed().as_secs_f64();
    bench_spans(&args, &texts, &chunks, &classify_model, cpus)?;
    drop(classify_model);
    let spans_done = started.elapsed().as_secs_f64();
    bench_rerank(&args, cpus)?;
    let total = started.elapsed().as_secs_f64();
    println!();
    println!(
        "elapsed  classify {classify_done:.0} s, spans {:.0} s, rerank {:.0} s, total {total:.0} s; load average now {}",
        spans_done - classify_done,
        total - spans_done,
        load_average()?
    );
    Ok(())
}

/// extract_spans on each call in turn, on this thread.
fn spans_all(model: &Model, chunks: &[Vec<&str>], options: &SpanOptions) -> Res<Vec<TextSpans>> {
    let mut out = Vec::new();
    for chunk in chunks {
        out.extend(model.extract_spans(chunk, options)?);
    }
    Ok(out)
}

/// Spans on the token model against classify on the sequence model: the
/// same texts, calls, host thread and session settings, rounds interleaved.
fn bench_spans(args: &Args, texts: &[String], chunks: &[Vec<&str>], classify_model: &Model, cpus: f64) -> Res<()> {
    println!();
    if !args.token_model.join("model.onnx").is_file() {
        println!(
            "spans    skipped: no token model in {} (make one with tools/make_bench_model.py --task token)",
            args.token_model.display()
        );
        return Ok(());
    }
    let n = texts.len() as f64;
    // As the classify model: 1 session, intra 0, truncate at max_length.
    let model = Model::open(&args.token_model, &options(1, 0))?;
    let texts_file = TempFile::json("spans-texts", &json!(texts))?;
    eprintln!("bench: spans, starting the ORT-python token-graph baseline");
    let (mut python, first) =
        Baseline::start("token", &args.token_model, &texts_file.0, args.batch, model.max_length())?;
    let py_tokens: Vec<Vec<(usize, String, f64)>> = serde_json::from_value(first["tokens"].clone())?;

    // Untimed: aggregation none (one span per non-O token) warms the token
    // model's session up and checks the graph against ORT-python's argmax.
    eprintln!("bench: spans, warm-up and parity pass (aggregation none)");
    let none = SpanOptions { aggregation: Aggregation::None, ..SpanOptions::default() };
    let per_token = spans_all(&model, chunks, &none)?;
    let (mut agree, mut max_diff) = (0, 0.0f64);
    for (v, p) in per_token.iter().zip(&py_tokens) {
        for span in &v.spans {
            if let Some((_, _, score)) = p.iter().find(|(i, tag, _)| Some(*i) == span.token && *tag == span.label) {
                agree += 1;
                max_diff = max_diff.max((score - span.score).abs());
            }
        }
    }
    let vigil_tokens: usize = per_token.iter().map(|t| t.spans.len()).sum();
    let python_tokens: usize = py_tokens.iter().map(Vec::len).sum();

    // (name, None for classify on the sequence model, or the span options)
    let first_word = SpanOptions { aggregation: Aggregation::First, ..SpanOptions::default() };
    let configs: [(&str, Option<&SpanOptions>); 3] = [
        ("vigil classify (sequence model)", None),
        ("vigil spans simple", Some(&SpanOptions::default())),
        ("vigil spans first", Some(&first_word)),
    ];
    let mut timings: [Timings; 3] = Default::default();
    let mut spans_per_text = [f64::NAN; 3];
    let mut py = Timings::default();
    let pids = [std::process::id(), python.id()];
    // The classify model is warm from the table above; the token model from
    // the parity pass, and simple/first differ from it only in decoding.
    for round in 1..=args.spans_rounds {
        eprintln!("bench: spans, round {round}/{}", args.spans_rounds);
        python.round("", &mut py, &pids, cpus)?;
        for (i, (_, options)) in configs.iter().enumerate() {
            match options {
                None => {
                    timings[i].time(&pids, cpus, || classify_all(classify_model, chunks, 1))?;
                }
                Some(options) => {
                    let spans = timings[i].time(&pids, cpus, || spans_all(&model, chunks, options))?;
                    spans_per_text[i] = spans.iter().map(|t| t.spans.len()).sum::<usize>() as f64 / n;
                }
            }
        }
    }
    python.finish()?;

    let real_tokens: usize = {
        let tokenizer_json = std::fs::read(args.token_model.join("tokenizer.json"))?;
        let encoder =
            Encoder::new(&tokenizer_json, None, model.max_length(), model.stride(), false, false, usize::MAX)?;
        let mut sum = 0;
        for (i, t) in texts.iter().enumerate() {
            let window = &encoder.encode(i, t)?.windows[0];
            sum += window.get_special_tokens_mask().iter().filter(|&&s| s == 0).count();
        }
        sum
    };
    println!(
        "spans    the {} texts above in the same {} calls of up to {}, 1 host thread, 1 session, intra 0, truncate at {}; token model {} ({}); {} timed rounds after the untimed parity pass, interleaved; medians",
        texts.len(),
        chunks.len(),
        args.batch,
        model.max_length(),
        args.token_model.display(),
        model.labels().join("/"),
        args.spans_rounds
    );
    println!(
        "parity   aggregation none: vigil {vigil_tokens} non-O tokens, ORT-python argmax {python_tokens}, {agree} agree in index and tag, max|Δ| score {max_diff:.1e} (of {real_tokens} real tokens)"
    );
    println!();
    println!(
        "{:<36} {:>7} {:>11} {:>9} {:>6} {:>6} {:>10}",
        "configuration", "texts/s", "min-max", "/classify", "/ORTpy", "others", "spans/text"
    );
    let classify = &timings[0];
    let rows = std::iter::once(("ORT-python token graph only", &py, f64::NAN))
        .chain(configs.iter().zip(&timings).zip(spans_per_text).map(|(((name, _), t), s)| (*name, t, s)));
    for (name, t, spans) in rows {
        println!(
            "{name:<36} {:>7.2} {:>11} {:>9.2} {:>6.2} {:>6.2} {:>10}",
            n / median(t.seconds.clone()),
            spread(n, t),
            t.ratio_to(classify),
            t.ratio_to(&py),
            median(t.others.clone()),
            if spans.is_nan() { "-".to_string() } else { format!("{spans:.2}") },
        );
    }
    // Per round, the extra time per text over classify: the decoding and
    // aggregation (plus the token head, a 768x3 matmul per token).
    let extra = |t: &Timings| median(t.seconds.iter().zip(&classify.seconds).map(|(s, c)| (s - c) / n * 1e3).collect());
    println!();
    println!("columns  /classify: median per-round throughput ratio to vigil classify on the sequence model (same encoder size, so spans/classify shows what decoding costs); ORT-python token graph only: tokenize, batch and run the token graph, no softmax or aggregation");
    println!(
        "decode   spans simple {:+.2} ms per text over classify, first {:+.2} ms (median of per-round differences)",
        extra(&timings[1]),
        extra(&timings[2])
    );
    Ok(())
}

/// The slowest and fastest round of `t`, as `units`/s.
fn spread(units: f64, t: &Timings) -> String {
    let rate = |pick: fn(f64, f64) -> f64, start| units / t.seconds.iter().copied().fold(start, pick);
    format!("{:.2}-{:.2}", rate(f64::max, 0.0), rate(f64::min, f64::INFINITY))
}

/// Short reaction mentions as reporters write them.
const MENTIONS: [&str; 8] = [
    "itchy red rash all over",
    "felt my heart racing",
    "LFTs went through the roof",
    "very tired after the second dose",
    "threw up twice that night",
    "pounding headache",
    "could not sleep at all",
    "swollen ankles",
];

/// Invented MedDRA-like terms (not MedDRA content): PT, LLT aliases, HLT,
/// HLGT, SOC; an empty name is an absent one.
#[rustfmt::skip]
const TERMS: [(&str, &[&str], &str, &str, &str); 25] = [
    ("Rash", &["Skin rash", "Rash generalised", "Eruption cutaneous"], "Rashes, eruptions and exanthems NEC", "Epidermal and dermal conditions", "Skin and subcutaneous tissue disorders"),
    ("Pruritus", &["Itching", "Itchy skin", "Skin itching"], "Pruritus NEC", "Epidermal and dermal conditions", "Skin and subcutaneous tissue disorders"),
    ("Urticaria", &["Hives", "Nettle rash"], "Urticarias", "Epidermal and dermal conditions", "Skin and subcutaneous tissue disorders"),
    ("Tachycardia", &["Heart racing", "Rapid heart beat", "Pulse fast"], "Rate and rhythm disorders NEC", "Cardiac arrhythmias", "Cardiac disorders"),
    ("Palpitations", &["Heart pounding", "Fluttering in chest"], "Cardiac signs and symptoms NEC", "Cardiac disorder signs and symptoms", "Cardiac disorders"),
    ("Hypertension", &["High blood pressure", "BP raised"], "Vascular hypertensive disorders NEC", "Vascular hypertensive disorders", "Vascular disorders"),
    ("Hepatic enzyme increased", &["LFTs raised", "Liver enzymes elevated", "Transaminases increased"], "", "Hepatobiliary investigations", "Investigations"),
    ("Jaundice", &["Yellow skin", "Icterus"], "Cholestasis and jaundice", "Hepatic and hepatobiliary disorders", "Hepatobiliary disorders"),
    ("Nausea", &[], "Nausea and vomiting symptoms", "", "Gastrointestinal disorders"),
    ("Vomiting", &["Throwing up", "Emesis", "Being sick"], "Nausea and vomiting symptoms", "Gastrointestinal signs and symptoms", "Gastrointestinal disorders"),
    ("Diarrhoea", &["Loose stools", "Diarrhea", "Frequent bowel movements"], "Diarrhoea (excl infective)", "Gastrointestinal motility and defaecation conditions", "Gastrointestinal disorders"),
    ("Abdominal pain", &["Stomach ache", "Tummy pain", "Belly pain"], "Gastrointestinal and abdominal pains (excl oral and throat)", "Gastrointestinal signs and symptoms", "Gastrointestinal disorders"),
    ("Headache", &["Head pain", "Cephalalgia", "Pounding head"], "Headaches NEC", "Headaches", "Nervous system disorders"),
    ("Dizziness", &["Giddiness", "Light-headedness"], "", "", ""),
    ("Somnolence", &["Drowsiness", "Sleepiness"], "Disturbances in consciousness NEC", "Neurological disorders NEC", "Nervous system disorders"),
    ("Insomnia", &["Sleeplessness", "Unable to sleep", "Poor sleep"], "Disturbances in initiating and maintaining sleep", "Sleep disorders and disturbances", "Psychiatric disorders"),
    ("Anxiety", &["Nervousness", "Feeling anxious"], "Anxiety symptoms", "Anxiety disorders and symptoms", "Psychiatric disorders"),
    ("Fatigue", &["Tiredness", "Exhaustion", "Lack of energy"], "Asthenic conditions", "General system disorders NEC", "General disorders and administration site conditions"),
    ("Pyrexia", &["Fever", "High temperature"], "Febrile disorders", "Body temperature conditions", "General disorders and administration site conditions"),
    ("Oedema peripheral", &["Swollen ankles", "Leg swelling", "Ankle oedema"], "Oedema NEC", "General system disorders NEC", "General disorders and administration site conditions"),
    ("Injection site pain", &["Sore arm", "Pain at injection site"], "Injection site reactions", "Administration site reactions", "General disorders and administration site conditions"),
    ("Myalgia", &["Muscle pain", "Muscle ache"], "Muscle pains", "Muscle disorders", "Musculoskeletal and connective tissue disorders"),
    ("Arthralgia", &["Joint pain", "Aching joints"], "Joint related signs and symptoms", "Joint disorders", "Musculoskeletal and connective tissue disorders"),
    ("Dyspnoea", &["Shortness of breath", "Breathlessness", "Difficulty breathing"], "Breathing abnormalities", "Respiratory disorders NEC", "Respiratory, thoracic and mediastinal disorders"),
    ("Anaphylactic reaction", &["Anaphylaxis", "Anaphylactic shock"], "Anaphylactic responses", "Allergic conditions", "Immune system disorders"),
];

/// Each term as is and with three qualifiers: 100 records, qualifier by
/// qualifier, so the first few dozen cover every term.
fn records() -> Vec<CandidateRecord> {
    let name = |s: &str| (!s.is_empty()).then(|| s.to_string());
    ["", " aggravated", " recurrent", " acute"]
        .iter()
        .flat_map(|q| {
            TERMS.iter().map(move |(pt, llts, hlt, hlgt, soc)| CandidateRecord {
                pt_name: format!("{pt}{q}"),
                llt_names: llts.iter().map(|l| format!("{l}{q}")).collect(),
                hlt_name: name(hlt),
                hlgt_name: name(hlgt),
                soc_name: name(soc),
            })
        })
        .collect()
}

/// rerank_candidates of one mention per round against the same records,
/// against ORT-python scoring the same rendered pairs, rounds interleaved.
fn bench_rerank(args: &Args, cpus: f64) -> Res<()> {
    println!();
    if !args.cross_model.join("model.onnx").is_file() {
        println!(
            "rerank   skipped: no cross-encoder in {} (make one with tools/make_bench_model.py --task cross)",
            args.cross_model.display()
        );
        return Ok(());
    }
    let model = Model::open(&args.cross_model, &options(1, 0))?;
    let candidates: Vec<Candidate> = records().into_iter().take(args.candidates).map(Candidate::Record).collect();
    let rendered = candidates.iter().map(|c| Ok(model.render(c)?.into_owned())).collect::<Res<Vec<String>>>()?;
    let c = candidates.len() as f64;
    // Round q (from 0) reranks this mention.
    let mention_of = |q: usize| q % MENTIONS.len();
    let input = TempFile::json("pairs", &json!({"mentions": MENTIONS, "candidates": rendered}))?;
    eprintln!("bench: rerank, starting the ORT-python pair baseline");
    let (mut python, first) =
        Baseline::start("cross", &args.cross_model, &input.0, candidates.len(), model.max_length())?;
    let py_scores: Vec<f64> = serde_json::from_value(first["scores"].clone())?;

    // Untimed: the first mention warms the session up; its scores are
    // checked against the baseline's warm-up call on the same mention.
    eprintln!("bench: rerank, warm-up and parity call");
    let ranked = model.rerank_candidates(MENTIONS[0], &candidates, &RerankOptions::default())?;
    if ranked.len() != py_scores.len() {
        return Err(format!("bench_ort.py scored {} of {} pairs", py_scores.len(), ranked.len()).into());
    }
    let max_diff = ranked.iter().map(|r| (r.score - py_scores[r.index]).abs()).fold(0.0, f64::max);
    let passing = ranked.iter().filter(|r| r.passes).count();
    let score_range = (ranked.last().map_or(f64::NAN, |r| r.score), ranked.first().map_or(f64::NAN, |r| r.score));

    // What the timed calls run: tokens per pair, truncations, graph runs.
    let timed_mentions: Vec<usize> = (0..args.rerank_rounds).map(mention_of).collect();
    let tokenizer_json = std::fs::read(args.cross_model.join("tokenizer.json"))?;
    let encoder = Encoder::new(&tokenizer_json, None, model.max_length(), model.stride(), false, true, usize::MAX)?;
    let (mut tokens, mut truncated, mut runs) = (0, 0, 0);
    for &q in &timed_mentions {
        let mut lengths = Vec::new();
        for (i, text) in rendered.iter().enumerate() {
            let e = encoder.encode_pair(i, MENTIONS[q], text)?;
            lengths.push(e.windows[0].len());
            truncated += e.truncated as usize;
        }
        tokens += lengths.iter().sum::<usize>();
        runs += model.plan_runs(&lengths).len();
    }
    let calls = timed_mentions.len() as f64;

    let mut vigil = Timings::default();
    let mut py = Timings::default();
    let pids = [std::process::id(), python.id()];
    for (round, &q) in timed_mentions.iter().enumerate() {
        eprintln!("bench: rerank, round {}/{} ({:?})", round + 1, args.rerank_rounds, MENTIONS[q]);
        python.round(&q.to_string(), &mut py, &pids, cpus)?;
        vigil.time(&pids, cpus, || {
            Ok(model.rerank_candidates(MENTIONS[q], &candidates, &RerankOptions::default())?)
        })?;
    }
    python.finish()?;

    println!(
        "rerank   1 mention x {} candidates per call (invented MedDRA-like records rendered by the model's template), 1 host thread, 1 session, intra 0; cross model {}; {} timed rounds (round q: mention q of {}) after 1 warm-up call, interleaved; medians",
        candidates.len(),
        args.cross_model.display(),
        args.rerank_rounds,
        MENTIONS.len()
    );
    println!(
        "pairs    {:.1} tokens per pair (max_length {}, only the candidate truncated: {:.1} of {} per call), {:.1} graph runs per call (max_tokens_per_batch {}); ORT-python: tokenizers pair encoding, only_second truncation, the same batches",
        tokens as f64 / (calls * c),
        model.max_length(),
        truncated as f64 / calls,
        candidates.len(),
        runs as f64 / calls,
        Options::default().max_tokens_per_batch
    );
    println!(
        "parity   mention 0: max|Δ| score {max_diff:.1e} over {} pairs; scores {:.3}-{:.3}, {passing} pass the threshold",
        ranked.len(),
        score_range.0,
        score_range.1
    );
    println!();
    println!(
        "{:<36} {:>10} {:>8} {:>11} {:>6} {:>6}",
        "configuration", "mentions/s", "pairs/s", "min-max", "/ORTpy", "others"
    );
    for (name, t) in [("ORT-python pairs", &py), ("vigil rerank_candidates 1 thread", &vigil)] {
        let rate = 1.0 / median(t.seconds.clone());
        println!(
            "{name:<36} {rate:>10.3} {:>8.1} {:>11} {:>6.2} {:>6.2}",
            rate * c,
            spread(c, t),
            t.ratio_to(&py),
            median(t.others.clone()),
        );
    }
    println!();
    println!("columns  mentions/s, pairs/s: median round (a round is one call); min-max: slowest-fastest round in pairs/s; /ORTpy: median of per-round throughput ratios");
    Ok(())
}
