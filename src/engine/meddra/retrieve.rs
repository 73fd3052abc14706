//! BM25 retrieval of PTs for a free-text mention (a verbatim reported term).
//!
//! The documents are the PT names and the current LLT names, each one
//! belonging to its PT; a name that normalises like another name of the same
//! PT is indexed once. A PT scores the best of its names, and a name equal to
//! the mention after normalisation (an exact match) puts its PT first.
//!
//! Text is normalised by lower-casing, removing combining marks (U+0300–036F
//! and the other combining-diacritics blocks, so NFD input works) and
//! replacing the accented letters of Latin-1 and Latin Extended-A, the Greek
//! tonos/dialytika vowels, final sigma and Cyrillic ё by their base letters;
//! fullwidth ASCII becomes ASCII. Not covered (there is no Unicode
//! normalisation here): other precomposed letters (Latin Extended-B and
//! Additional, e.g. Vietnamese), compatibility forms besides fullwidth ASCII,
//! halfwidth katakana, NFD kana (dakuten stay separate characters) and
//! traditional/simplified Chinese variants.
//!
//! Features, each family with its own BM25 document length and weight:
//! - words: maximal runs of letters and digits outside CJK;
//! - word trigrams: the character trigrams of each word padded with a space
//!   on either side, so misspellings still share most features;
//! - CJK unigrams and bigrams: the characters and adjacent character pairs of
//!   each run of Han, kana or Hangul, the scripts written without spaces.
//!
//! A document's score is `Σ_family w_f Σ_{t ∈ q ∩ d} idf(t) · tf·(k1+1) /
//! (tf + k1·(1 − b + b·len_f/avglen_f))` with `idf = ln(1 + (N − df + 0.5) /
//! (df + 0.5))` over distinct query features: k1 = 1.5, b = 1.0 and weights
//! 1 (words), 3 (trigrams), 0.5 (CJK unigrams), 1 (CJK bigrams), tuned by
//! grid search for Recall@1, then Recall@5, on the mentions of
//! tests/meddra.rs (English Recall@1 0.947, Recall@5 1.0; Chinese 1.0, 1.0).
//! The invented fixtures are small: most settings with b ≥ 0.5 are within
//! one mention of the best, so these are the middle of that plateau, not a
//! sharp optimum; retune on real mentions against a real release.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::loader::{Dictionary, Llt, Pt};

/// BM25 term-frequency saturation: mention2meddra's value; anything in
/// 0.3–5 scored within one English mention of it on the fixtures.
const K1: f32 = 1.5;
/// BM25 length normalisation, in full: extra words in a name are noise.
/// Below 0.5 Chinese Recall@1 drops from 1.0 to 0.94–0.97; 0 costs English 3 mentions.
const B: f32 = 1.0;

const WORD: usize = 0;
const TRIGRAM: usize = 1;
const CJK_UNIGRAM: usize = 2;
const CJK_BIGRAM: usize = 3;
const FAMILIES: usize = 4;
/// Weight of each family's BM25 score in the sum (words, trigrams, CJK
/// unigrams, CJK bigrams). Trigram weights of 3 and more scored best on
/// English (2 loses one mention, 0.1 three); CJK needs unigrams (0 drops
/// Chinese Recall@1 to 0.88) but is flat across 0.25–2 for both.
const WEIGHTS: [f32; FAMILIES] = [1.0, 3.0, 0.5, 1.0];

/// A retrieved PT.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub pt_code: u32,
    /// The BM25 score of `matched_name`.
    pub score: f32,
    /// The code of the LLT (or PT) whose name matched best; a PT's own name
    /// reports the PT code, which is also its LLT code.
    pub matched_code: u32,
    pub matched_name: String,
    /// `matched_name` equals the mention after normalisation.
    pub exact: bool,
}

impl Dictionary {
    /// The `k` PTs that best match `mention`: exact matches first, then by
    /// descending score, ties by ascending PT code. Empty when `k` is 0 or no
    /// feature of the mention occurs in the dictionary.
    pub fn retrieve(&self, mention: &str, k: usize) -> Vec<Hit> {
        self.index
            .search(mention, k)
            .into_iter()
            .map(|r| {
                let pt = &self.pts[r.pt as usize];
                let (matched_code, matched_name) = match self.index.doc_source[r.doc as usize] {
                    Source::Pt => (pt.code, &pt.name),
                    Source::Llt(i) => (self.llts[i as usize].code, &self.llts[i as usize].name),
                };
                Hit {
                    pt_code: pt.code,
                    score: r.score,
                    matched_code,
                    matched_name: matched_name.clone(),
                    exact: r.exact,
                }
            })
            .collect()
    }
}

/// Where a document's name comes from (indices into the dictionary's tables).
#[derive(Clone, Copy)]
enum Source {
    Pt,
    Llt(u32),
}

/// The inverted index: interned feature ids and postings lists in one flat
/// array each (compressed sparse rows), so the build does not allocate per
/// document.
pub(crate) struct Index {
    vocab: Vocabulary,
    idf: Vec<f32>,
    /// Term `t`'s postings are `post_start[t]..post_start[t + 1]` in
    /// `post_doc` (ascending) and `post_tf` (saturating at 255).
    post_start: Vec<u32>,
    post_doc: Vec<u32>,
    post_tf: Vec<u8>,
    /// Per document and family, `k1·(1 − b + b·len/avglen)`: the part of the
    /// BM25 denominator that does not depend on the query.
    doc_norm: Vec<[f32; FAMILIES]>,
    /// The index of the document's PT in the dictionary's `pts`.
    doc_pt: Vec<u32>,
    /// How many PTs the dictionary has.
    pts: usize,
    doc_source: Vec<Source>,
    /// Document `d`'s normalised name is `keys[key_start[d]..key_start[d + 1]]`.
    keys: String,
    key_start: Vec<u32>,
}

/// One PT in a search's ranking.
struct Ranked {
    pt: u32,
    doc: u32,
    score: f32,
    exact: bool,
}

impl Index {
    pub(super) fn build(pts: &[Pt], llts: &[Llt]) -> Index {
        let mut names: Vec<(u32, u32)> = llts
            .iter()
            .enumerate()
            .filter(|(_, l)| l.current)
            .filter_map(|(i, l)| Some((pts.binary_search_by_key(&l.pt_code, |p| p.code).ok()? as u32, i as u32)))
            .collect();
        names.sort_unstable();
        let mut builder = Builder { key_start: vec![0], doc_term_start: vec![0], ..Builder::default() };
        let mut next = 0;
        for (p, pt) in pts.iter().enumerate() {
            let p = p as u32;
            builder.first_doc_of_pt = builder.doc_pt.len();
            builder.add(p, Source::Pt, &pt.name);
            while next < names.len() && names[next].0 == p {
                let llt = names[next].1;
                builder.add(p, Source::Llt(llt), &llts[llt as usize].name);
                next += 1;
            }
        }
        builder.finish(pts.len())
    }

    /// Whether document `doc`'s normalised name is `key`; the length is
    /// compared first, since most of the touched documents are a cache miss
    /// away.
    fn is_exact(&self, doc: usize, key: &str) -> bool {
        let (start, end) = (self.key_start[doc] as usize, self.key_start[doc + 1] as usize);
        end - start == key.len() && &self.keys.as_bytes()[start..end] == key.as_bytes()
    }

    fn search(&self, mention: &str, k: usize) -> Vec<Ranked> {
        if k == 0 {
            return Vec::new();
        }
        let mut key = String::new();
        let mut terms = Vec::new();
        Analyser::default().run(mention, &mut key, &mut |family, feature| {
            if let Some(&t) = self.vocab[family].get(feature) {
                terms.push((t, family));
            }
        });
        terms.sort_unstable();
        terms.dedup();

        let mut scores = vec![0f32; self.doc_pt.len()];
        let mut touched = Vec::new();
        for &(t, family) in &terms {
            let t = t as usize;
            let weight = WEIGHTS[family] * self.idf[t];
            for p in self.post_start[t] as usize..self.post_start[t + 1] as usize {
                let doc = self.post_doc[p] as usize;
                let tf = f32::from(self.post_tf[p]);
                if scores[doc] == 0.0 {
                    touched.push(doc as u32);
                }
                scores[doc] += weight * tf * (K1 + 1.0) / (tf + self.doc_norm[doc][family]);
            }
        }

        // Each PT's best document: exact first, then score, then the first indexed.
        let mut slot = vec![u32::MAX; self.pts];
        let mut ranked: Vec<Ranked> = Vec::new();
        for doc in touched {
            let d = doc as usize;
            let candidate = Ranked { pt: self.doc_pt[d], doc, score: scores[d], exact: self.is_exact(d, &key) };
            let pt = candidate.pt as usize;
            if slot[pt] == u32::MAX {
                slot[pt] = ranked.len() as u32;
                ranked.push(candidate);
            } else {
                let best = &mut ranked[slot[pt] as usize];
                if (candidate.exact, candidate.score, Reverse(doc)) > (best.exact, best.score, Reverse(best.doc)) {
                    *best = candidate;
                }
            }
        }
        let order =
            |a: &Ranked, b: &Ranked| b.exact.cmp(&a.exact).then(b.score.total_cmp(&a.score)).then(a.pt.cmp(&b.pt));
        if ranked.len() > k {
            ranked.select_nth_unstable_by(k - 1, order);
            ranked.truncate(k);
        }
        ranked.sort_unstable_by(order);
        ranked
    }
}

/// The index under construction: per-document term lists, inverted at the
/// end. `key_start` and `doc_term_start` begin as `[0]`.
#[derive(Default)]
struct Builder {
    analyser: Analyser,
    vocab: Vocabulary,
    terms: u32,
    key: String,
    /// The current document's (term, family) features, with repeats.
    features: Vec<(u32, usize)>,
    /// Document `d`'s distinct terms and their frequencies are
    /// `doc_terms[doc_term_start[d]..doc_term_start[d + 1]]` and the same in `doc_tfs`.
    doc_terms: Vec<u32>,
    doc_tfs: Vec<u8>,
    doc_term_start: Vec<u32>,
    doc_len: Vec<[u32; FAMILIES]>,
    doc_pt: Vec<u32>,
    doc_source: Vec<Source>,
    keys: String,
    key_start: Vec<u32>,
    /// Where the current PT's documents begin, to skip a name it already has.
    first_doc_of_pt: usize,
}

impl Builder {
    fn add(&mut self, pt: u32, source: Source, name: &str) {
        let (vocab, terms, features) = (&mut self.vocab, &mut self.terms, &mut self.features);
        features.clear();
        self.analyser.run(name, &mut self.key, &mut |family, feature| {
            let t = match vocab[family].get(feature) {
                Some(&t) => t,
                None => {
                    vocab[family].insert(feature.to_string(), *terms);
                    *terms += 1;
                    *terms - 1
                }
            };
            features.push((t, family));
        });
        if self.key.is_empty() || (self.first_doc_of_pt..self.doc_pt.len()).any(|d| self.key(d) == self.key) {
            return;
        }
        let mut len = [0u32; FAMILIES];
        for &(_, family) in &self.features {
            len[family] += 1;
        }
        self.features.sort_unstable();
        for run in self.features.chunk_by(|a, b| a.0 == b.0) {
            self.doc_terms.push(run[0].0);
            self.doc_tfs.push(run.len().min(255) as u8);
        }
        self.doc_term_start.push(self.doc_terms.len() as u32);
        self.doc_len.push(len);
        self.doc_pt.push(pt);
        self.doc_source.push(source);
        self.keys.push_str(&self.key);
        self.key_start.push(self.keys.len() as u32);
    }

    fn key(&self, doc: usize) -> &str {
        &self.keys[self.key_start[doc] as usize..self.key_start[doc + 1] as usize]
    }

    fn finish(self, pts: usize) -> Index {
        let docs = self.doc_pt.len();
        let terms = self.terms as usize;
        let mut post_start = vec![0u32; terms + 1];
        for &t in &self.doc_terms {
            post_start[t as usize + 1] += 1;
        }
        let n = docs as f32;
        let idf = (0..terms)
            .map(|t| {
                let df = post_start[t + 1] as f32;
                (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
            })
            .collect();
        for t in 0..terms {
            post_start[t + 1] += post_start[t];
        }
        let mut fill = post_start.clone();
        let mut post_doc = vec![0u32; self.doc_terms.len()];
        let mut post_tf = vec![0u8; self.doc_terms.len()];
        for d in 0..docs {
            for i in self.doc_term_start[d] as usize..self.doc_term_start[d + 1] as usize {
                let slot = &mut fill[self.doc_terms[i] as usize];
                post_doc[*slot as usize] = d as u32;
                post_tf[*slot as usize] = self.doc_tfs[i];
                *slot += 1;
            }
        }

        let mut avg_len = [0f32; FAMILIES];
        for len in &self.doc_len {
            for f in 0..FAMILIES {
                avg_len[f] += len[f] as f32;
            }
        }
        // A family no document has (CJK in an English release) never scores; 1 avoids 0/0.
        let avg_len = avg_len.map(|total| if total > 0.0 { total / n } else { 1.0 });
        let doc_norm = self
            .doc_len
            .iter()
            .map(|len| std::array::from_fn(|f| K1 * (1.0 - B + B * len[f] as f32 / avg_len[f])))
            .collect();

        Index {
            vocab: self.vocab,
            idf,
            post_start,
            post_doc,
            post_tf,
            doc_norm,
            doc_pt: self.doc_pt,
            pts,
            doc_source: self.doc_source,
            keys: self.keys,
            key_start: self.key_start,
        }
    }
}

/// Cuts a text into normalised tokens, reporting each token's features.
#[derive(Default)]
struct Analyser {
    token: String,
    cjk: bool,
    /// The token between spaces, for the trigrams at its edges.
    padded: String,
    /// Byte offsets of the characters of `token` (CJK) or `padded` (words), and the end.
    bounds: Vec<usize>,
}

impl Analyser {
    /// Writes the text's normalised form (its tokens joined by single
    /// spaces) into `key` and calls `emit(family, feature)` for every
    /// feature, repeats included.
    fn run(&mut self, text: &str, key: &mut String, emit: &mut impl FnMut(usize, &str)) {
        key.clear();
        self.token.clear();
        for c in text.chars() {
            fold(c, |c| self.push(c, key, emit));
        }
        self.flush(key, emit);
    }

    fn push(&mut self, c: char, key: &mut String, emit: &mut impl FnMut(usize, &str)) {
        if is_combining(c) {
            return;
        }
        let cjk = is_cjk(c);
        if !cjk && !c.is_alphanumeric() {
            self.flush(key, emit);
            return;
        }
        if cjk != self.cjk {
            self.flush(key, emit);
            self.cjk = cjk;
        }
        self.token.push(c);
    }

    fn flush(&mut self, key: &mut String, emit: &mut impl FnMut(usize, &str)) {
        let Analyser { token, cjk, padded, bounds } = self;
        if token.is_empty() {
            return;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(token);
        let text = if *cjk {
            token.as_str()
        } else {
            emit(WORD, token);
            padded.clear();
            padded.push(' ');
            padded.push_str(token);
            padded.push(' ');
            padded.as_str()
        };
        bounds.clear();
        bounds.extend(text.char_indices().map(|(i, _)| i));
        bounds.push(text.len());
        let chars = bounds.len() - 1;
        if *cjk {
            for i in 0..chars {
                emit(CJK_UNIGRAM, &text[bounds[i]..bounds[i + 1]]);
                if i + 2 <= chars {
                    emit(CJK_BIGRAM, &text[bounds[i]..bounds[i + 2]]);
                }
            }
        } else {
            for i in 0..chars - 2 {
                emit(TRIGRAM, &text[bounds[i]..bounds[i + 3]]);
            }
        }
        token.clear();
    }
}

/// One vocabulary per feature family, so that a three-letter word and the
/// same trigram stay distinct terms; ids are shared.
type Vocabulary = [HashMap<String, u32, BuildHasherDefault<FxHasher>>; FAMILIES];

/// rustc's FxHash: a build hashes about 3 million features, where SipHash
/// took an eighth of the time. Its lack of flooding resistance does not
/// matter: only the release's own names are inserted, mentions only look up.
#[derive(Default)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Base letters of the accented lower-case letters of Latin-1 and Latin
/// Extended-A, by ranges (the ligatures are handled in [`fold`]).
const LATIN: &[(char, char, char)] = &[
    ('à', 'å', 'a'),
    ('ç', 'ç', 'c'),
    ('è', 'ë', 'e'),
    ('ì', 'ï', 'i'),
    ('ð', 'ð', 'd'),
    ('ñ', 'ñ', 'n'),
    ('ò', 'ö', 'o'),
    ('ø', 'ø', 'o'),
    ('ù', 'ü', 'u'),
    ('ý', 'ý', 'y'),
    ('ÿ', 'ÿ', 'y'),
    ('\u{100}', '\u{105}', 'a'),
    ('\u{106}', '\u{10d}', 'c'),
    ('\u{10e}', '\u{111}', 'd'),
    ('\u{112}', '\u{11b}', 'e'),
    ('\u{11c}', '\u{123}', 'g'),
    ('\u{124}', '\u{127}', 'h'),
    ('\u{128}', '\u{131}', 'i'),
    ('\u{134}', '\u{135}', 'j'),
    ('\u{136}', '\u{138}', 'k'),
    ('\u{139}', '\u{142}', 'l'),
    ('\u{143}', '\u{14b}', 'n'),
    ('\u{14c}', '\u{151}', 'o'),
    ('\u{154}', '\u{159}', 'r'),
    ('\u{15a}', '\u{161}', 's'),
    ('\u{162}', '\u{167}', 't'),
    ('\u{168}', '\u{173}', 'u'),
    ('\u{174}', '\u{175}', 'w'),
    ('\u{176}', '\u{178}', 'y'),
    ('\u{179}', '\u{17e}', 'z'),
    ('\u{17f}', '\u{17f}', 's'),
];

/// Lower-cases `c` and replaces accented letters by their base letters,
/// passing on the resulting characters.
fn fold(c: char, mut out: impl FnMut(char)) {
    for c in c.to_lowercase() {
        let pair = match c {
            'ß' => ['s', 's'],
            'æ' => ['a', 'e'],
            'œ' => ['o', 'e'],
            'ĳ' => ['i', 'j'],
            'þ' => ['t', 'h'],
            _ => {
                out(fold_letter(c));
                continue;
            }
        };
        pair.into_iter().for_each(&mut out);
    }
}

fn fold_letter(c: char) -> char {
    match c {
        // Fullwidth ASCII, common in CJK text.
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        'à'..='\u{17f}' => LATIN.iter().find(|&&(lo, hi, _)| (lo..=hi).contains(&c)).map_or(c, |&(_, _, base)| base),
        'ά' => 'α',
        'έ' => 'ε',
        'ή' => 'η',
        'ί' | 'ϊ' | 'ΐ' => 'ι',
        'ό' => 'ο',
        'ύ' | 'ϋ' | 'ΰ' => 'υ',
        'ώ' => 'ω',
        'ς' => 'σ',
        'ё' => 'е',
        _ => c,
    }
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

/// Han, kana and Hangul: scripts whose words are not separated by spaces
/// (Hangul is, but its syllable bigrams still match inflected forms better).
fn is_cjk(c: char) -> bool {
    c != '\u{30fb}' // katakana middle dot: punctuation inside the Katakana block
        && matches!(c,
            '\u{1100}'..='\u{11ff}' // Hangul Jamo
            | '\u{2e80}'..='\u{2fdf}' // CJK and Kangxi radicals
            | '\u{3040}'..='\u{30ff}' // Hiragana, Katakana
            | '\u{3130}'..='\u{318f}' // Hangul compatibility Jamo
            | '\u{31f0}'..='\u{31ff}' // Katakana phonetic extensions
            | '\u{3400}'..='\u{4dbf}' // CJK Extension A
            | '\u{4e00}'..='\u{9fff}' // CJK Unified Ideographs
            | '\u{ac00}'..='\u{d7af}' // Hangul syllables
            | '\u{f900}'..='\u{faff}' // CJK compatibility ideographs
            | '\u{ff66}'..='\u{ff9f}' // halfwidth Katakana
            | '\u{20000}'..='\u{3134f}') // CJK Extensions B–G
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyse(text: &str) -> (String, Vec<String>) {
        let (mut key, mut features) = (String::new(), Vec::new());
        Analyser::default().run(text, &mut key, &mut |family, f| features.push(format!("{family}{f}")));
        (key, features)
    }

    #[test]
    fn case_accents_and_punctuation_are_normalised() {
        assert_eq!(analyse("Ménière's DISEASE").0, "meniere s disease");
        assert_eq!(analyse("Me\u{301}nie\u{300}re").0, "meniere");
        assert_eq!(analyse("Guillain–Barré, Straße; Œdème").0, "guillain barre strasse oedeme");
        assert_eq!(analyse("ＡＢＣ１２").0, "abc12");
        assert_eq!(analyse("Ζάλη, ΙΛΙΓΓΟΣ").0, "ζαλη ιλιγγοσ");
        assert_eq!(analyse(" -- ").0, "");
    }

    #[test]
    fn words_get_padded_trigrams_and_cjk_gets_unigrams_and_bigrams() {
        let (key, features) = analyse("Rash 皮疹x");
        assert_eq!(key, "rash 皮疹 x");
        let want = ["0rash", "1 ra", "1ras", "1ash", "1sh ", "2皮", "3皮疹", "2疹", "0x", "1 x "];
        assert_eq!(features, want);
        assert_eq!(analyse("ア・イ").0, "ア イ");
    }
}
