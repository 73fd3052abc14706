//! Reading a MedDRA release from its ASCII distribution files (the `MedAscii`
//! folder), as the MedDRA Distribution File Format document describes them.
//!
//! One record per line; fields are separated by `$` and the last one is
//! followed by a `$` too (required: without it a missing empty last field
//! could not be told from a missing terminator); lines end in CRLF or LF;
//! translated releases are UTF-8 (a leading BOM is skipped). Blank lines are
//! skipped; every other line must have exactly the field count below. Fields
//! marked * are the ones kept; the rest (legacy WHO-ART, HARTS, COSTART, ICD
//! and J-ART codes) are checked for count only.
//!
//! | file         | fields |
//! |--------------|--------|
//! | soc.asc      | soc_code*, soc_name*, soc_abbrev, soc_whoart_code, soc_harts_code, soc_costart_sym, soc_icd9_code, soc_icd9cm_code, soc_icd10_code, soc_jart_code (10) |
//! | hlgt.asc     | hlgt_code*, hlgt_name*, hlgt_whoart_code, hlgt_harts_code, hlgt_costart_sym, hlgt_icd9_code, hlgt_icd9cm_code, hlgt_icd10_code, hlgt_jart_code (9) |
//! | hlt.asc      | hlt_code*, hlt_name*, hlt_whoart_code, hlt_harts_code, hlt_costart_sym, hlt_icd9_code, hlt_icd9cm_code, hlt_icd10_code, hlt_jart_code (9) |
//! | pt.asc       | pt_code*, pt_name*, null_field, pt_soc_code* (primary SOC), pt_whoart_code, pt_harts_code, pt_costart_sym, pt_icd9_code, pt_icd9cm_code, pt_icd10_code, pt_jart_code (11) |
//! | llt.asc      | llt_code*, llt_name*, pt_code*, llt_whoart_code, llt_harts_code, llt_costart_sym, llt_icd9_code, llt_icd9cm_code, llt_icd10_code, llt_currency* (`Y`/`N`), llt_jart_code (11) |
//! | soc_hlgt.asc | soc_code*, hlgt_code* (2) |
//! | hlgt_hlt.asc | hlgt_code*, hlt_code* (2) |
//! | hlt_pt.asc   | hlt_code*, pt_code* (2) |
//! | mdhier.asc   | pt_code*, hlt_code*, hlgt_code*, soc_code*, pt_name, hlt_name, hlgt_name, soc_name, soc_abbrev, null_field, pt_soc_code, primary_soc_fg* (`Y`/`N`) (12) |
//!
//! The PT→HLT→HLGT→SOC paths come from mdhier.asc, the only file with the
//! primary flag; each one must also be present in the three link files, so a
//! release assembled from two versions is refused rather than half-read.

use std::collections::HashSet;
use std::fmt::Display;
use std::path::{Path, PathBuf};

use super::retrieve::Index;
use crate::engine::error::{Error, ErrorKind, Result};

/// How much of a release to keep.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Keep non-current LLTs (`llt_currency` `N`) for lookups. They are never
    /// retrieved, since coding to them is not allowed.
    pub include_noncurrent: bool,
}

/// What the loader tolerated, for the caller to log or refuse.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// LLTs whose `pt_code` is not in pt.asc; they are left out.
    pub skipped_llts_unknown_pt: usize,
    /// Non-current LLTs of known PTs, whether kept or not.
    pub noncurrent_llts: usize,
    /// PTs that mdhier.asc places nowhere; their [`Dictionary::hierarchy`] is empty.
    pub pts_without_hierarchy: usize,
}

/// A Lowest Level Term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Llt {
    pub code: u32,
    pub name: String,
    pub pt_code: u32,
    /// `llt_currency` is `Y`.
    pub current: bool,
}

/// A Preferred Term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pt {
    pub code: u32,
    pub name: String,
    /// `pt_soc_code`: the SOC where the PT is counted.
    pub primary_soc: u32,
}

/// An HLT, HLGT or SOC: only the code and name are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub code: u32,
    pub name: String,
}

/// One place of a PT in the hierarchy, a row of mdhier.asc.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SocPath {
    pub hlt: u32,
    pub hlgt: u32,
    pub soc: u32,
    /// `primary_soc_fg` is `Y`.
    pub primary: bool,
}

/// A loaded release with its retrieval index. Immutable, so it can be shared
/// between threads.
pub struct Dictionary {
    /// Sorted by code, like every table here, for binary-search lookups.
    pub(super) pts: Vec<Pt>,
    pub(super) llts: Vec<Llt>,
    hlts: Vec<Term>,
    hlgts: Vec<Term>,
    socs: Vec<Term>,
    /// PT `pts[i]`'s paths are `paths[path_start[i]..path_start[i + 1]]`.
    paths: Vec<SocPath>,
    path_start: Vec<u32>,
    /// PT `pts[i]`'s LLTs are `llts[pt_llts[j]]` for j in `pt_llt_start[i]..pt_llt_start[i + 1]`.
    pt_llts: Vec<u32>,
    pt_llt_start: Vec<u32>,
    report: LoadReport,
    pub(super) index: Index,
}

/// Every malformed-content error is made here, so that its kind is decided in
/// one place. `Io`: the release's files cannot be read as a MedDRA release,
/// and the fix is the same as for a missing file (replace the files); no
/// other kind describes a data file that is not a model.
fn invalid(file: &Path, line: usize, what: impl Display) -> Error {
    Error::new(ErrorKind::Io, format!("{}:{line}: {what}", file.display()))
}

/// One `.asc` file, read whole.
struct AscFile {
    path: PathBuf,
    bytes: Vec<u8>,
}

impl AscFile {
    fn read(dir: &Path, name: &str) -> Result<AscFile> {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(AscFile { path, bytes }),
            Err(e) => Err(Error::new(ErrorKind::Io, format!("cannot read MedDRA file `{}`: {e}", path.display()))),
        }
    }

    /// Calls `record(line, fields)` for each non-blank line, after checking
    /// UTF-8 and the field count.
    fn records<'a>(&'a self, columns: usize, mut record: impl FnMut(Line<'_, 'a>) -> Result<()>) -> Result<()> {
        let mut fields: Vec<&'a str> = Vec::with_capacity(columns + 1);
        for (i, raw) in self.bytes.split(|&b| b == b'\n').enumerate() {
            let number = i + 1;
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            let raw = if i == 0 { raw.strip_prefix("\u{feff}".as_bytes()).unwrap_or(raw) } else { raw };
            if raw.is_empty() {
                continue;
            }
            let text = std::str::from_utf8(raw).map_err(|e| {
                invalid(&self.path, number, format_args!("not valid UTF-8 (at byte {} of the line)", e.valid_up_to()))
            })?;
            let Some(record_text) = text.strip_suffix('$') else {
                return Err(invalid(&self.path, number, "the record does not end with `$`"));
            };
            fields.clear();
            fields.extend(record_text.split('$'));
            if fields.len() != columns {
                let what = format!("expected {columns} `$`-separated fields, found {}", fields.len());
                return Err(invalid(&self.path, number, what));
            }
            record(Line { path: &self.path, number, fields: &fields })?;
        }
        Ok(())
    }
}

/// A record being read, for field accessors that name the place on error.
struct Line<'l, 'a> {
    path: &'l Path,
    number: usize,
    fields: &'l [&'a str],
}

impl<'a> Line<'_, 'a> {
    fn error(&self, what: impl Display) -> Error {
        invalid(self.path, self.number, what)
    }

    fn code(&self, index: usize, name: &str) -> Result<u32> {
        let field = self.fields[index];
        field.trim().parse().map_err(|_| self.error(format_args!("{name} `{field}` is not a code")))
    }

    fn text(&self, index: usize) -> &'a str {
        self.fields[index]
    }

    /// A `Y`/`N` field.
    fn flag(&self, index: usize, name: &str) -> Result<bool> {
        match self.fields[index].trim() {
            "Y" => Ok(true),
            "N" => Ok(false),
            other => Err(self.error(format_args!("{name} must be Y or N, found `{other}`"))),
        }
    }
}

/// Sorts by code and refuses a code given twice, naming the second line.
fn sorted_unique<T>(file: &AscFile, mut items: Vec<(u32, usize, T)>) -> Result<Vec<T>> {
    items.sort_unstable_by_key(|&(code, line, _)| (code, line));
    if let Some(w) = items.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(invalid(&file.path, w[1].1, format_args!("code {} repeats line {}", w[0].0, w[0].1)));
    }
    Ok(items.into_iter().map(|(_, _, item)| item).collect())
}

/// soc.asc, hlgt.asc or hlt.asc, for `level` soc, hlgt or hlt.
fn read_terms(dir: &Path, level: &str, columns: usize) -> Result<Vec<Term>> {
    let file = AscFile::read(dir, &format!("{level}.asc"))?;
    let mut terms = Vec::new();
    file.records(columns, |line| {
        let code = line.code(0, &format!("{level}_code"))?;
        terms.push((code, line.number, Term { code, name: line.text(1).to_string() }));
        Ok(())
    })?;
    sorted_unique(&file, terms)
}

/// A link file as a set of (parent, child) pairs.
fn read_links(dir: &Path, name: &str) -> Result<HashSet<(u32, u32)>> {
    let file = AscFile::read(dir, name)?;
    let mut links = HashSet::new();
    file.records(2, |line| {
        links.insert((line.code(0, "parent code")?, line.code(1, "child code")?));
        Ok(())
    })?;
    Ok(links)
}

fn position<T>(items: &[T], code: u32, key: impl Fn(&T) -> u32) -> Option<usize> {
    items.binary_search_by_key(&code, key).ok()
}

/// LLT indices grouped by their PT's position (a counting sort), so a PT's
/// aliases are found without scanning every LLT.
fn group_llts(pts: &[Pt], llts: &[Llt]) -> (Vec<u32>, Vec<u32>) {
    let owner: Vec<usize> =
        llts.iter().map(|l| position(pts, l.pt_code, |p| p.code).expect("LLTs of unknown PTs were skipped")).collect();
    let mut start = vec![0u32; pts.len() + 1];
    for &pt in &owner {
        start[pt + 1] += 1;
    }
    for i in 0..pts.len() {
        start[i + 1] += start[i];
    }
    let mut next = start.clone();
    let mut grouped = vec![0u32; llts.len()];
    for (llt, &pt) in owner.iter().enumerate() {
        grouped[next[pt] as usize] = llt as u32;
        next[pt] += 1;
    }
    (grouped, start)
}

impl Dictionary {
    /// Reads the nine `.asc` files of `dir` and builds the retrieval index.
    ///
    /// Errors: a missing directory or file is `Io` naming it; malformed
    /// content (field count, UTF-8, a code that is not a number, a repeated
    /// code, a bad flag, a path to an unknown term or missing from the link
    /// files) is `Io` naming `file:line`. LLTs of unknown PTs are skipped and
    /// counted in [`Dictionary::report`].
    pub fn open(dir: &Path, options: &LoadOptions) -> Result<Dictionary> {
        if !dir.is_dir() {
            let what = format!("MedDRA directory `{}` does not exist or is not a directory", dir.display());
            return Err(Error::new(ErrorKind::Io, what));
        }
        let socs = read_terms(dir, "soc", 10)?;
        let hlgts = read_terms(dir, "hlgt", 9)?;
        let hlts = read_terms(dir, "hlt", 9)?;

        let file = AscFile::read(dir, "pt.asc")?;
        let mut pts = Vec::new();
        file.records(11, |line| {
            let code = line.code(0, "pt_code")?;
            let primary_soc = line.code(3, "pt_soc_code")?;
            if position(&socs, primary_soc, |s| s.code).is_none() {
                return Err(line.error(format_args!("pt_soc_code {primary_soc} is not in soc.asc")));
            }
            pts.push((code, line.number, Pt { code, name: line.text(1).to_string(), primary_soc }));
            Ok(())
        })?;
        let pts = sorted_unique(&file, pts)?;

        let mut report = LoadReport::default();
        let file = AscFile::read(dir, "llt.asc")?;
        let mut llts = Vec::new();
        file.records(11, |line| {
            let code = line.code(0, "llt_code")?;
            let pt_code = line.code(2, "pt_code")?;
            let current = line.flag(9, "llt_currency")?;
            if position(&pts, pt_code, |p| p.code).is_none() {
                report.skipped_llts_unknown_pt += 1;
            } else {
                report.noncurrent_llts += usize::from(!current);
                if current || options.include_noncurrent {
                    llts.push((code, line.number, Llt { code, name: line.text(1).to_string(), pt_code, current }));
                }
            }
            Ok(())
        })?;
        let llts = sorted_unique(&file, llts)?;

        let (paths, path_start) = read_paths(dir, &pts, &hlts, &hlgts, &socs)?;
        report.pts_without_hierarchy = path_start.windows(2).filter(|w| w[0] == w[1]).count();
        let index = Index::build(&pts, &llts);
        let (pt_llts, pt_llt_start) = group_llts(&pts, &llts);
        Ok(Dictionary { pts, llts, hlts, hlgts, socs, paths, path_start, pt_llts, pt_llt_start, report, index })
    }

    /// The LLTs kept for a PT, by LLT code (empty for an unknown PT).
    pub fn llts_of(&self, pt_code: u32) -> impl Iterator<Item = &Llt> {
        let range = match position(&self.pts, pt_code, |p| p.code) {
            Some(i) => self.pt_llt_start[i] as usize..self.pt_llt_start[i + 1] as usize,
            None => 0..0,
        };
        self.pt_llts[range].iter().map(|&i| &self.llts[i as usize])
    }

    /// What the loader skipped or counted.
    pub fn report(&self) -> &LoadReport {
        &self.report
    }

    /// All PTs, by code.
    pub fn pts(&self) -> &[Pt] {
        &self.pts
    }

    /// The LLTs kept (current ones, plus non-current ones if asked), by code.
    pub fn llts(&self) -> &[Llt] {
        &self.llts
    }

    pub fn pt(&self, code: u32) -> Option<&Pt> {
        position(&self.pts, code, |p| p.code).map(|i| &self.pts[i])
    }

    pub fn llt(&self, code: u32) -> Option<&Llt> {
        position(&self.llts, code, |l| l.code).map(|i| &self.llts[i])
    }

    /// The PT an LLT belongs to (every PT is also an LLT of itself).
    pub fn pt_of_llt(&self, llt_code: u32) -> Option<&Pt> {
        self.llt(llt_code).and_then(|l| self.pt(l.pt_code))
    }

    pub fn hlt(&self, code: u32) -> Option<&Term> {
        position(&self.hlts, code, |t| t.code).map(|i| &self.hlts[i])
    }

    pub fn hlgt(&self, code: u32) -> Option<&Term> {
        position(&self.hlgts, code, |t| t.code).map(|i| &self.hlgts[i])
    }

    pub fn soc(&self, code: u32) -> Option<&Term> {
        position(&self.socs, code, |t| t.code).map(|i| &self.socs[i])
    }

    /// Every path of a PT, the primary one(s) first, then by SOC, HLGT and
    /// HLT code; empty for an unknown PT.
    pub fn hierarchy(&self, pt_code: u32) -> &[SocPath] {
        match position(&self.pts, pt_code, |p| p.code) {
            Some(i) => &self.paths[self.path_start[i] as usize..self.path_start[i + 1] as usize],
            None => &[],
        }
    }

    /// The SOC a PT is counted in (pt.asc's `pt_soc_code`).
    pub fn primary_soc(&self, pt_code: u32) -> Option<&Term> {
        self.pt(pt_code).and_then(|p| self.soc(p.primary_soc))
    }
}

/// mdhier.asc, checked against the term tables and the link files, grouped
/// by PT in `pts` order.
fn read_paths(
    dir: &Path,
    pts: &[Pt],
    hlts: &[Term],
    hlgts: &[Term],
    socs: &[Term],
) -> Result<(Vec<SocPath>, Vec<u32>)> {
    let soc_hlgt = read_links(dir, "soc_hlgt.asc")?;
    let hlgt_hlt = read_links(dir, "hlgt_hlt.asc")?;
    let hlt_pt = read_links(dir, "hlt_pt.asc")?;
    let file = AscFile::read(dir, "mdhier.asc")?;
    let mut rows: Vec<(u32, SocPath)> = Vec::new();
    file.records(12, |line| {
        let pt_code = line.code(0, "pt_code")?;
        let path = SocPath {
            hlt: line.code(1, "hlt_code")?,
            hlgt: line.code(2, "hlgt_code")?,
            soc: line.code(3, "soc_code")?,
            primary: line.flag(11, "primary_soc_fg")?,
        };
        let Some(pt) = position(pts, pt_code, |p| p.code) else {
            return Err(line.error(format_args!("pt_code {pt_code} is not in pt.asc")));
        };
        for (code, table, name) in [(path.hlt, hlts, "hlt"), (path.hlgt, hlgts, "hlgt"), (path.soc, socs, "soc")] {
            if position(table, code, |t| t.code).is_none() {
                return Err(line.error(format_args!("{name}_code {code} is not in {name}.asc")));
            }
        }
        for (pair, links, name) in [
            ((path.hlt, pt_code), &hlt_pt, "hlt_pt.asc"),
            ((path.hlgt, path.hlt), &hlgt_hlt, "hlgt_hlt.asc"),
            ((path.soc, path.hlgt), &soc_hlgt, "soc_hlgt.asc"),
        ] {
            if !links.contains(&pair) {
                return Err(line.error(format_args!("link {} → {} is not in {name}", pair.0, pair.1)));
            }
        }
        rows.push((pt as u32, path));
        Ok(())
    })?;
    rows.sort_unstable_by_key(|&(pt, path)| (pt, !path.primary, path.soc, path.hlgt, path.hlt));
    rows.dedup();
    let mut path_start = Vec::with_capacity(pts.len() + 1);
    let mut next = 0;
    for pt in 0..pts.len() as u32 {
        path_start.push(next as u32);
        while next < rows.len() && rows[next].0 == pt {
            next += 1;
        }
    }
    path_start.push(rows.len() as u32);
    Ok((rows.into_iter().map(|(_, path)| path).collect(), path_start))
}
