// Vigil for C++17: a header-only wrapper over the C ABI in include/vigil.h.
//
//   vigil::Model model("models/adr-classifier");
//   vigil::Classification c = model.classify("Rash after amoxicillin.");
//   vigil::Meddra meddra("meddra/en");  // codes mentions with a cross-encoder Model
//
// Ownership: every C handle lives in a std::unique_ptr whose deleter is the
// matching vigil_*_free, so nothing leaks when an exception unwinds. Results
// are plain values copied out of the C result before it is freed: they
// outlive the Model and borrow nothing. Errors are thrown as vigil::Error.
// Threading: the members of Model and Meddra are const and may be called from
// any number of threads on one object; Candidates is for one thread at a time.
//
// Everything is inline or a template, so the header compiles alone and may be
// included from any number of translation units of one program.

#ifndef VIGIL_HPP
#define VIGIL_HPP

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "vigil.h"

namespace vigil {

// ---- errors ----------------------------------------------------------------

// The C ABI's stable VIGIL_ERROR_* codes. A newer library may return a code
// not listed here; it still round-trips through the underlying integer.
enum class ErrorCode : std::uint32_t {
    InvalidArgument = VIGIL_ERROR_INVALID_ARGUMENT,
    InvalidUtf8 = VIGIL_ERROR_INVALID_UTF8,
    Io = VIGIL_ERROR_IO,
    ModelInvalid = VIGIL_ERROR_MODEL_INVALID,
    TokenizerInvalid = VIGIL_ERROR_TOKENIZER_INVALID,
    ModelMismatch = VIGIL_ERROR_MODEL_MISMATCH,
    RuntimeUnavailable = VIGIL_ERROR_RUNTIME_UNAVAILABLE,
    ProviderUnavailable = VIGIL_ERROR_PROVIDER_UNAVAILABLE,
    Inference = VIGIL_ERROR_INFERENCE,
    TaskMismatch = VIGIL_ERROR_TASK_MISMATCH,
    EmptyText = VIGIL_ERROR_EMPTY_TEXT,
    InputTooLarge = VIGIL_ERROR_INPUT_TOO_LARGE,
    NonFinite = VIGIL_ERROR_NON_FINITE,
    Panic = VIGIL_ERROR_PANIC,
    InvalidUtf16 = VIGIL_ERROR_INVALID_UTF16,
};

// What every failing call throws. what() is the library's message, which
// starts with the code's name ("IO: ...").
class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ErrorCode code() const noexcept { return code_; }

private:
    ErrorCode code_;
};

// ---- enumerations ----------------------------------------------------------

enum class Task : std::uint32_t {
    SequenceClassification = VIGIL_TASK_SEQUENCE_CLASSIFICATION,
    TokenClassification = VIGIL_TASK_TOKEN_CLASSIFICATION,
    CrossEncoder = VIGIL_TASK_CROSS_ENCODER,
};

// What happens to a text longer than max_length tokens.
enum class LongText : std::uint32_t {
    Truncate = VIGIL_LONG_TEXT_TRUNCATE,
    WindowMean = VIGIL_LONG_TEXT_WINDOW_MEAN,
    WindowMax = VIGIL_LONG_TEXT_WINDOW_MAX,
};

// transformers' token-classification aggregation strategies.
enum class Aggregation : std::uint32_t {
    None = VIGIL_AGGREGATION_NONE,
    Simple = VIGIL_AGGREGATION_SIMPLE,
    First = VIGIL_AGGREGATION_FIRST,
    Average = VIGIL_AGGREGATION_AVERAGE,
    Max = VIGIL_AGGREGATION_MAX,
};

// ---- options (plain structs: an unset field keeps the library's default) ---

struct Options {
    std::optional<std::string> ort_library;        // path to libonnxruntime, tried first
    std::optional<std::uint32_t> intra_threads;    // ONNX Runtime threads per session
    std::optional<std::uint32_t> sessions;         // graph runs that may proceed at once
    std::optional<std::uint32_t> max_tokens_per_batch;
    std::optional<std::uint32_t> max_length;       // caps the model's own limit
    std::optional<LongText> long_text;
    std::optional<std::uint32_t> stride;           // tokens shared by consecutive windows
    std::optional<std::size_t> max_text_bytes;     // longer texts: InputTooLarge
    std::optional<std::string> execution_provider; // "cpu" (others: ProviderUnavailable)
};

struct SpanOptions {
    std::optional<Aggregation> aggregation;                  // default Simple
    std::optional<std::vector<std::string>> ignore_labels;  // default {"O"}; empty keeps all
};

struct RerankOptions {
    std::optional<double> threshold;   // default: the model's (vigil.json, else 0.5)
    std::optional<std::size_t> top_k;  // default: every candidate
};

struct MeddraOptions {
    bool include_noncurrent = false;  // keep the LLTs the release flags non-current
};

struct NormalizeOptions {
    std::optional<std::size_t> candidates;  // PTs retrieved per mention; default 100
    std::optional<double> threshold;        // default: the model's (vigil.json, else 0.5)
    std::optional<std::size_t> top_k;       // default: every PT that passes
};

// ---- results (values: they borrow nothing and outlive their Model) --------

struct Classification {
    std::vector<double> scores;  // one per label, in label-id order
    std::size_t top = 0;         // index of the best label (ties: lowest id)
    std::string top_label;
    bool truncated = false;      // lost tokens (truncate policy only)
    std::uint32_t windows = 0;   // windows run over the text
};

struct Span {
    std::string label;  // entity group, or the full tag under Aggregation::None
    double score = 0;
    std::size_t start = 0, end = 0;              // UTF-8 bytes, half-open
    std::size_t start_utf16 = 0, end_utf16 = 0;  // UTF-16 code units, half-open
    std::optional<std::size_t> token;            // token index in its window (None only)
    std::string text;                            // the covered text, UTF-8
};

struct TextSpans {
    std::vector<Span> spans;  // ordered by start
    bool truncated = false;
    std::uint32_t windows = 0;
};

struct RankedCandidate {
    std::size_t index = 0;  // position in the input list
    double score = 0;       // probability of the positive label
    bool passes = false;    // score reaches the threshold
    bool truncated = false; // candidate text was cut to fit max_length
};

// A MedDRA term to rerank, rendered by the model's template. Empty names are
// absent (as in the C ABI).
struct MeddraRecord {
    std::string pt_name;
    std::vector<std::string> llt_names;
    std::string hlt_name, hlgt_name, soc_name;
};

// One HLT -> HLGT -> SOC path of a PT (one per SOC the PT sits in).
struct SocPath {
    std::uint32_t hlt_code = 0, hlgt_code = 0, soc_code = 0;
    bool primary = false;  // the PT's primary SOC
};

// A PT retrieved by BM25 over the dictionary's PT and LLT names.
struct Hit {
    std::uint32_t pt_code = 0;
    double score = 0;               // BM25 score of matched_name
    std::uint32_t matched_code = 0; // the LLT (or the PT itself) whose name matched best
    std::string matched_name;
    bool exact = false;             // matched_name equals the mention (case and accents folded)
};

// A PT a mention was coded to.
struct Coding {
    std::uint32_t pt_code = 0;
    std::string pt_name;
    std::optional<std::uint32_t> soc_code;  // the PT's primary SOC; none without hierarchy
    double score = 0;                       // the cross-encoder's probability
    bool exact = false;                     // the mention equals one of the PT's names
};

// ---- plumbing --------------------------------------------------------------

namespace detail {

// A unique_ptr deleter calling the C ABI's free function F (which accepts
// NULL). One Owned alias per C handle type; a new handle type is one line.
template <auto F>
struct Free {
    template <class T>
    void operator()(T* handle) const noexcept { F(handle); }
};
template <class T, auto F>
using Owned = std::unique_ptr<T, Free<F>>;

using ErrorPtr = Owned<vigil_error, vigil_error_free>;
using OptionsPtr = Owned<vigil_options, vigil_options_free>;
using ModelPtr = Owned<vigil_model, vigil_model_free>;
using ClassificationPtr = Owned<vigil_classification, vigil_classification_free>;
using SpanOptionsPtr = Owned<vigil_span_options, vigil_span_options_free>;
using SpansPtr = Owned<vigil_spans, vigil_spans_free>;
using CandidatesPtr = Owned<vigil_candidates, vigil_candidates_free>;
using RerankOptionsPtr = Owned<vigil_rerank_options, vigil_rerank_options_free>;
using RankingPtr = Owned<vigil_ranking, vigil_ranking_free>;
using MeddraPtr = Owned<vigil_meddra, vigil_meddra_free>;
using HitsPtr = Owned<vigil_hits, vigil_hits_free>;
using NormalizeOptionsPtr = Owned<vigil_normalize_options, vigil_normalize_options_free>;
using CodingsPtr = Owned<vigil_codings, vigil_codings_free>;

// Turns a C error into a thrown Error; the unique_ptr frees the C error even
// if building the exception throws.
inline void check(vigil_error* raw) {
    ErrorPtr error(raw);
    if (error) {
        throw Error(static_cast<ErrorCode>(vigil_error_code(error.get())), vigil_error_message(error.get()));
    }
}

// Calls a C function whose last parameter is an out-handle and owns the result.
template <class Ptr, class Fn, class... Args>
Ptr fetch(Fn fn, Args... args) {
    typename Ptr::pointer raw = nullptr;
    check(fn(args..., &raw));
    return Ptr(raw);
}

// The _new functions return NULL only when they could not allocate.
template <class Ptr>
Ptr created(typename Ptr::pointer raw) {
    if (raw == nullptr) {
        throw std::bad_alloc();
    }
    return Ptr(raw);
}

inline std::string copy(const char* s) { return s != nullptr ? std::string(s) : std::string(); }
inline std::string copy(vigil_str s) { return s.ptr != nullptr ? std::string(s.ptr, s.len) : std::string(); }

// MedDRA codes are never 0: the C ABI's 0 means "none".
inline std::optional<std::uint32_t> code(std::uint32_t c) noexcept {
    return c != 0 ? std::optional<std::uint32_t>(c) : std::nullopt;
}

inline vigil_str view(std::string_view s) noexcept { return {s.data(), s.size()}; }

// char16_t and uint16_t share size and representation; the library only
// reads the units.
static_assert(sizeof(char16_t) == sizeof(std::uint16_t), "UTF-16 code units must be 16 bits");
inline vigil_str16 view(std::u16string_view s) noexcept {
    return {reinterpret_cast<const std::uint16_t*>(s.data()), s.size()};
}

// Paths go to C as NUL-terminated strings: an embedded NUL would silently cut
// them short, so it is refused instead.
inline const char* c_string(const std::string& s, const char* what) {
    if (s.find('\0') != std::string::npos) {
        throw Error(ErrorCode::InvalidArgument, std::string("INVALID_ARGUMENT: ") + what + " contains a NUL byte");
    }
    return s.c_str();
}

// The C entry points for each text encoding, keyed by the C view type.
template <class CView>
struct Entry;
template <>
struct Entry<vigil_str> {
    static constexpr auto classify = vigil_model_classify;
    static constexpr auto extract_spans = vigil_model_extract_spans;
};
template <>
struct Entry<vigil_str16> {
    static constexpr auto classify = vigil_model_classify_utf16;
    static constexpr auto extract_spans = vigil_model_extract_spans_utf16;
};

// A batch of texts: any range whose elements convert to View and are not
// temporaries that the view would outlive (std::vector<std::string>,
// std::vector<std::u16string_view>, an array of const char*, ...).
template <class Range>
using Element = decltype(*std::begin(std::declval<const Range&>()));

template <class Range, class View, class = void>
struct IsBatchOf : std::false_type {};
template <class Range, class View>
struct IsBatchOf<Range, View, std::void_t<Element<Range>>>
    : std::bool_constant<std::is_convertible_v<Element<Range>, View> &&
                         !std::is_convertible_v<const Range&, View> &&
                         (std::is_reference_v<Element<Range>> ||
                          std::is_trivially_copyable_v<std::remove_cv_t<Element<Range>>>)> {};

// UTF-8 for narrow strings, UTF-16 for char16_t strings; void: not a batch.
template <class Range>
using ViewOf = std::conditional_t<IsBatchOf<Range, std::string_view>::value, std::string_view,
                                  std::conditional_t<IsBatchOf<Range, std::u16string_view>::value,
                                                     std::u16string_view, void>>;
template <class Range>
using IfBatch = std::enable_if_t<!std::is_void_v<ViewOf<Range>>>;

template <class View, class Range>
auto views(const Range& texts) {
    std::vector<decltype(view(View()))> out;
    for (const auto& text : texts) {
        out.push_back(view(View(text)));
    }
    return out;
}

inline std::vector<Classification> copy_out(const vigil_classification* result) {
    const std::size_t n = vigil_classification_count(result);
    const std::size_t labels = vigil_classification_label_count(result);
    std::vector<Classification> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; i++) {
        const double* scores = vigil_classification_scores(result, i);
        out.push_back(Classification{std::vector<double>(scores, scores + labels),
                                     vigil_classification_top(result, i),
                                     copy(vigil_classification_top_label(result, i)),
                                     vigil_classification_truncated(result, i),
                                     vigil_classification_windows(result, i)});
    }
    return out;
}

inline std::vector<TextSpans> copy_out(const vigil_spans* result) {
    const std::size_t texts = vigil_spans_text_count(result);
    std::vector<TextSpans> out;
    out.reserve(texts);
    for (std::size_t t = 0; t < texts; t++) {
        TextSpans entities{{}, vigil_spans_truncated(result, t), vigil_spans_windows(result, t)};
        const std::size_t n = vigil_spans_count(result, t);
        entities.spans.reserve(n);
        for (std::size_t i = 0; i < n; i++) {
            const std::int64_t token = vigil_spans_token(result, t, i);
            entities.spans.push_back(Span{copy(vigil_spans_label(result, t, i)),
                                          vigil_spans_score(result, t, i),
                                          vigil_spans_start(result, t, i),
                                          vigil_spans_end(result, t, i),
                                          vigil_spans_start_utf16(result, t, i),
                                          vigil_spans_end_utf16(result, t, i),
                                          token < 0 ? std::nullopt
                                                    : std::optional<std::size_t>(static_cast<std::size_t>(token)),
                                          copy(vigil_spans_text(result, t, i))});
        }
        out.push_back(std::move(entities));
    }
    return out;
}

inline std::vector<RankedCandidate> copy_out(const vigil_ranking* ranking) {
    const std::size_t n = vigil_ranking_count(ranking);
    std::vector<RankedCandidate> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; i++) {
        out.push_back(RankedCandidate{vigil_ranking_index(ranking, i), vigil_ranking_score(ranking, i),
                                      vigil_ranking_passes(ranking, i), vigil_ranking_truncated(ranking, i)});
    }
    return out;
}

inline std::vector<Hit> copy_out(const vigil_hits* hits) {
    const std::size_t n = vigil_hits_count(hits);
    std::vector<Hit> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; i++) {
        out.push_back(Hit{vigil_hits_pt(hits, i), vigil_hits_score(hits, i), vigil_hits_matched_code(hits, i),
                          copy(vigil_hits_matched_name(hits, i)), vigil_hits_exact(hits, i)});
    }
    return out;
}

// One list of codings per mention, in input order.
inline std::vector<std::vector<Coding>> copy_out(const vigil_codings* codings) {
    std::vector<std::vector<Coding>> out(vigil_codings_mention_count(codings));
    for (std::size_t m = 0; m < out.size(); m++) {
        const std::size_t n = vigil_codings_count(codings, m);
        out[m].reserve(n);
        for (std::size_t i = 0; i < n; i++) {
            out[m].push_back(Coding{vigil_codings_pt(codings, m, i), copy(vigil_codings_pt_name(codings, m, i)),
                                    code(vigil_codings_soc(codings, m, i)), vigil_codings_score(codings, m, i),
                                    vigil_codings_exact(codings, m, i)});
        }
    }
    return out;
}

inline OptionsPtr to_c(const Options& o) {
    auto c = created<OptionsPtr>(vigil_options_new());
    if (o.ort_library) check(vigil_options_set_ort_library(c.get(), c_string(*o.ort_library, "ort_library")));
    if (o.intra_threads) check(vigil_options_set_intra_threads(c.get(), *o.intra_threads));
    if (o.sessions) check(vigil_options_set_sessions(c.get(), *o.sessions));
    if (o.max_tokens_per_batch) check(vigil_options_set_max_tokens_per_batch(c.get(), *o.max_tokens_per_batch));
    if (o.max_length) check(vigil_options_set_max_length(c.get(), *o.max_length));
    if (o.long_text) check(vigil_options_set_long_text(c.get(), static_cast<std::uint32_t>(*o.long_text)));
    if (o.stride) check(vigil_options_set_stride(c.get(), *o.stride));
    if (o.max_text_bytes) check(vigil_options_set_max_text_bytes(c.get(), *o.max_text_bytes));
    if (o.execution_provider) {
        check(vigil_options_set_execution_provider(c.get(), c_string(*o.execution_provider, "execution_provider")));
    }
    return c;
}

// Per-call options: all defaults pass NULL, which costs no allocation.
inline SpanOptionsPtr to_c(const SpanOptions& o) {
    if (!o.aggregation && !o.ignore_labels) {
        return nullptr;
    }
    auto c = created<SpanOptionsPtr>(vigil_span_options_new());
    if (o.aggregation) check(vigil_span_options_set_aggregation(c.get(), static_cast<std::uint32_t>(*o.aggregation)));
    if (o.ignore_labels) {
        const auto labels = views<std::string_view>(*o.ignore_labels);
        check(vigil_span_options_set_ignore_labels(c.get(), labels.data(), labels.size()));
    }
    return c;
}

inline RerankOptionsPtr to_c(const RerankOptions& o) {
    if (!o.threshold && !o.top_k) {
        return nullptr;
    }
    auto c = created<RerankOptionsPtr>(vigil_rerank_options_new());
    if (o.threshold) check(vigil_rerank_options_set_threshold(c.get(), *o.threshold));
    if (o.top_k) check(vigil_rerank_options_set_top_k(c.get(), *o.top_k));
    return c;
}

inline NormalizeOptionsPtr to_c(const NormalizeOptions& o) {
    if (!o.candidates && !o.threshold && !o.top_k) {
        return nullptr;
    }
    auto c = created<NormalizeOptionsPtr>(vigil_normalize_options_new());
    if (o.candidates) check(vigil_normalize_options_set_candidates(c.get(), *o.candidates));
    if (o.threshold) check(vigil_normalize_options_set_threshold(c.get(), *o.threshold));
    if (o.top_k) check(vigil_normalize_options_set_top_k(c.get(), *o.top_k));
    return c;
}

}  // namespace detail

// ---- library ---------------------------------------------------------------

// "MAJOR.MINOR.PATCH" of the loaded library (static storage).
inline std::string_view version() { return vigil_version(); }

// The ABI the loaded library implements; VIGIL_ABI_VERSION is what this header expects.
inline std::uint32_t abi_version() { return vigil_abi_version(); }

// ---- candidates to rerank --------------------------------------------------

// A list of plain texts and MedDRA records, copied in as they are added.
// Move-only; one thread at a time.
class Candidates {
public:
    Candidates() : handle_(detail::created<detail::CandidatesPtr>(vigil_candidates_new())) {}

    Candidates& add_text(std::string_view text) {
        detail::check(vigil_candidates_add_text(handle_.get(), detail::view(text)));
        return *this;
    }

    Candidates& add_meddra(const MeddraRecord& record) {
        const auto llts = detail::views<std::string_view>(record.llt_names);
        detail::check(vigil_candidates_add_meddra(handle_.get(), detail::view(record.pt_name), llts.data(),
                                                  llts.size(), detail::view(record.hlt_name),
                                                  detail::view(record.hlgt_name), detail::view(record.soc_name)));
        return *this;
    }

    // The C handle, for calls this header does not wrap; owned by this object.
    const vigil_candidates* native_handle() const noexcept { return handle_.get(); }

private:
    detail::CandidatesPtr handle_;
};

// ---- model -----------------------------------------------------------------

// An open model directory (model.onnx, config.json, tokenizer.json, ...).
// Move-only. Every member is const and safe to call from many threads at
// once; share a Model by reference or std::shared_ptr<const Model>. A
// moved-from Model throws Error(InvalidArgument) from its tasks.
class Model {
public:
    explicit Model(const std::string& dir, const Options& options = {})
        : handle_(detail::fetch<detail::ModelPtr>(vigil_model_open, detail::c_string(dir, "dir"),
                                                  detail::to_c(options).get())) {}

    // ---- what the model is and how it was opened ----
    Task task() const noexcept { return static_cast<Task>(vigil_model_task(handle_.get())); }
    std::vector<std::string> labels() const {
        std::vector<std::string> out(vigil_model_label_count(handle_.get()));
        for (std::size_t i = 0; i < out.size(); i++) {
            out[i] = detail::copy(vigil_model_label(handle_.get(), i));
        }
        return out;
    }
    std::uint32_t max_length() const noexcept { return vigil_model_max_length(handle_.get()); }
    LongText long_text() const noexcept { return static_cast<LongText>(vigil_model_long_text(handle_.get())); }
    std::uint32_t stride() const noexcept { return vigil_model_stride(handle_.get()); }
    // "sha256:<hex>" over the model's files: log it with every result.
    std::string fingerprint() const { return detail::copy(vigil_model_fingerprint(handle_.get())); }
    std::string ort_version() const { return detail::copy(vigil_model_ort_version(handle_.get())); }
    std::string execution_provider() const { return detail::copy(vigil_model_execution_provider(handle_.get())); }

    // ---- sequence classification ----
    Classification classify(std::string_view text) const { return classify_one(detail::view(text)); }
    Classification classify(std::u16string_view text) const { return classify_one(detail::view(text)); }
    template <class Range, class = detail::IfBatch<Range>>
    std::vector<Classification> classify(const Range& texts) const {
        const auto views = detail::views<detail::ViewOf<Range>>(texts);
        return classify_c(views.data(), views.size());
    }
    std::vector<Classification> classify(std::initializer_list<std::string_view> texts) const {
        return classify<decltype(texts)>(texts);
    }
    std::vector<Classification> classify(std::initializer_list<std::u16string_view> texts) const {
        return classify<decltype(texts)>(texts);
    }

    // ---- ADR spans (token-classification models) ----
    TextSpans extract_spans(std::string_view text, const SpanOptions& options = {}) const {
        return spans_one(detail::view(text), options);
    }
    TextSpans extract_spans(std::u16string_view text, const SpanOptions& options = {}) const {
        return spans_one(detail::view(text), options);
    }
    template <class Range, class = detail::IfBatch<Range>>
    std::vector<TextSpans> extract_spans(const Range& texts, const SpanOptions& options = {}) const {
        const auto views = detail::views<detail::ViewOf<Range>>(texts);
        return spans_c(views.data(), views.size(), options);
    }
    std::vector<TextSpans> extract_spans(std::initializer_list<std::string_view> texts,
                                         const SpanOptions& options = {}) const {
        return extract_spans<decltype(texts)>(texts, options);
    }
    std::vector<TextSpans> extract_spans(std::initializer_list<std::u16string_view> texts,
                                         const SpanOptions& options = {}) const {
        return extract_spans<decltype(texts)>(texts, options);
    }

    // ---- cross-encoder reranking, best first (ties keep input order) ----
    std::vector<RankedCandidate> rerank(std::string_view mention, const Candidates& candidates,
                                        const RerankOptions& options = {}) const {
        return detail::copy_out(detail::fetch<detail::RankingPtr>(vigil_model_rerank, handle_.get(),
                                                                  detail::view(mention), candidates.native_handle(),
                                                                  detail::to_c(options).get())
                                    .get());
    }
    template <class Range, class = std::enable_if_t<detail::IsBatchOf<Range, std::string_view>::value>>
    std::vector<RankedCandidate> rerank(std::string_view mention, const Range& texts,
                                        const RerankOptions& options = {}) const {
        const auto views = detail::views<std::string_view>(texts);
        return detail::copy_out(detail::fetch<detail::RankingPtr>(vigil_model_rerank_texts, handle_.get(),
                                                                  detail::view(mention), views.data(), views.size(),
                                                                  detail::to_c(options).get())
                                    .get());
    }
    std::vector<RankedCandidate> rerank(std::string_view mention, std::initializer_list<std::string_view> texts,
                                        const RerankOptions& options = {}) const {
        return rerank<decltype(texts)>(mention, texts, options);
    }

    // The C handle, for calls this header does not wrap; owned by this Model.
    const vigil_model* native_handle() const noexcept { return handle_.get(); }

private:
    // CView is vigil_str or vigil_str16; it picks the C entry point.
    template <class CView>
    std::vector<Classification> classify_c(const CView* texts, std::size_t n) const {
        return detail::copy_out(
            detail::fetch<detail::ClassificationPtr>(detail::Entry<CView>::classify, handle_.get(), texts, n).get());
    }
    template <class CView>
    Classification classify_one(CView text) const {
        return std::move(classify_c(&text, 1).at(0));
    }
    template <class CView>
    std::vector<TextSpans> spans_c(const CView* texts, std::size_t n, const SpanOptions& options) const {
        return detail::copy_out(detail::fetch<detail::SpansPtr>(detail::Entry<CView>::extract_spans, handle_.get(),
                                                                texts, n, detail::to_c(options).get())
                                    .get());
    }
    template <class CView>
    TextSpans spans_one(CView text, const SpanOptions& options) const {
        return std::move(spans_c(&text, 1, options).at(0));
    }

    detail::ModelPtr handle_;
};

// ---- MedDRA dictionary -----------------------------------------------------

// A MedDRA release (the `$`-separated ASCII files of one language's
// directory), indexed for retrieval. Immutable: every member is const and safe
// to call from many threads at once; share one by reference or
// std::shared_ptr<const Meddra>. Move-only. Lookups answer std::nullopt (or
// nothing) for an unknown code; a moved-from Meddra answers nothing to lookups
// and throws Error(InvalidArgument) from retrieve and normalize.
class Meddra {
public:
    explicit Meddra(const std::string& dir, const MeddraOptions& options = {})
        : handle_(detail::fetch<detail::MeddraPtr>(
              vigil_meddra_open, detail::c_string(dir, "dir"),
              options.include_noncurrent ? std::uint32_t{VIGIL_MEDDRA_INCLUDE_NONCURRENT} : std::uint32_t{0})) {}

    // ---- what the release holds ----
    std::size_t pt_count() const noexcept { return vigil_meddra_pt_count(handle_.get()); }
    std::size_t llt_count() const noexcept { return vigil_meddra_llt_count(handle_.get()); }
    // LLTs left out at load because their PT is not in pt.asc.
    std::size_t skipped_llts() const noexcept { return vigil_meddra_skipped_llts(handle_.get()); }

    // ---- lookups by code ----
    // The name of any term: LLT, PT, HLT, HLGT or SOC.
    std::optional<std::string> name(std::uint32_t code) const {
        const char* found = vigil_meddra_name(handle_.get(), code);
        return found != nullptr ? std::optional<std::string>(found) : std::nullopt;
    }
    // The PT an LLT belongs to (a PT's code is also its own LLT's).
    std::optional<std::uint32_t> llt_pt(std::uint32_t llt_code) const noexcept {
        return detail::code(vigil_meddra_llt_pt(handle_.get(), llt_code));
    }
    // The PT's primary SOC; none also for a PT without hierarchy.
    std::optional<std::uint32_t> primary_soc(std::uint32_t pt_code) const noexcept {
        return detail::code(vigil_meddra_primary_soc(handle_.get(), pt_code));
    }
    // The PT's HLT -> HLGT -> SOC paths, the primary one first.
    std::vector<SocPath> paths(std::uint32_t pt_code) const {
        std::vector<SocPath> out(vigil_meddra_path_count(handle_.get(), pt_code));
        for (std::size_t i = 0; i < out.size(); i++) {
            SocPath& path = out[i];
            vigil_meddra_path(handle_.get(), pt_code, i, &path.hlt_code, &path.hlgt_code, &path.soc_code,
                              &path.primary);
        }
        return out;
    }

    // ---- retrieval: the k PTs whose names best match, an exact name first ----
    std::vector<Hit> retrieve(std::string_view mention, std::size_t k) const {
        return detail::copy_out(
            detail::fetch<detail::HitsPtr>(vigil_meddra_retrieve, handle_.get(), detail::view(mention), k).get());
    }

    // ---- normalisation: retrieve, rerank with the cross-encoder `model`,
    // keep the PTs over the threshold, best first, with their primary SOC ----
    std::vector<Coding> normalize(const Model& model, std::string_view mention,
                                  const NormalizeOptions& options = {}) const {
        const vigil_str text = detail::view(mention);
        return std::move(normalize_c(model, &text, 1, options).at(0));
    }
    // One list per mention, in input order; every mention's pairs are reranked in one batch.
    template <class Range, class = std::enable_if_t<detail::IsBatchOf<Range, std::string_view>::value>>
    std::vector<std::vector<Coding>> normalize(const Model& model, const Range& mentions,
                                               const NormalizeOptions& options = {}) const {
        const auto views = detail::views<std::string_view>(mentions);
        return normalize_c(model, views.data(), views.size(), options);
    }
    std::vector<std::vector<Coding>> normalize(const Model& model, std::initializer_list<std::string_view> mentions,
                                               const NormalizeOptions& options = {}) const {
        return normalize<decltype(mentions)>(model, mentions, options);
    }

    // The C handle, for calls this header does not wrap; owned by this Meddra.
    const vigil_meddra* native_handle() const noexcept { return handle_.get(); }

private:
    std::vector<std::vector<Coding>> normalize_c(const Model& model, const vigil_str* mentions, std::size_t n,
                                                 const NormalizeOptions& options) const {
        return detail::copy_out(detail::fetch<detail::CodingsPtr>(vigil_meddra_normalize, handle_.get(),
                                                                  model.native_handle(), mentions, n,
                                                                  detail::to_c(options).get())
                                    .get());
    }

    detail::MeddraPtr handle_;
};

}  // namespace vigil

#endif  // VIGIL_HPP
