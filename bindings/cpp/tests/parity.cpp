// The shared reference fixtures (transformers' outputs) through the C++
// binding: one test case per reference case, for classify, spans and rerank.
#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "runner.hpp"

namespace {

// Scores and probabilities must match transformers this closely.
constexpr double kTolerance = 1e-5;

vigil::LongText long_text_of(const std::string& policy) {
    if (policy == "truncate") return vigil::LongText::Truncate;
    if (policy == "window_mean") return vigil::LongText::WindowMean;
    if (policy == "window_max") return vigil::LongText::WindowMax;
    throw std::runtime_error("unknown policy " + policy);
}

vigil::Aggregation aggregation_of(const std::string& name) {
    if (name == "none") return vigil::Aggregation::None;
    if (name == "simple") return vigil::Aggregation::Simple;
    if (name == "first") return vigil::Aggregation::First;
    if (name == "average") return vigil::Aggregation::Average;
    if (name == "max") return vigil::Aggregation::Max;
    throw std::runtime_error("unknown aggregation " + name);
}

std::string stride_suffix(const json::Value& c) {
    return c["stride"].is_null() ? "" : " stride=" + std::to_string(c["stride"].index());
}

void check_classify_case(const json::Value& c) {
    vigil::Options options;
    options.ort_library = runner::paths().ort_library;  // the explicit path, as a host may pass it
    options.long_text = long_text_of(c["policy"].string());
    if (!c["stride"].is_null()) {
        options.stride = static_cast<std::uint32_t>(c["stride"].index());
    }
    const vigil::Model model(runner::model_dir(c["model"].string()), options);
    CHECK_EQ(model.max_length(), c["max_length"].index());
    const auto labels = model.labels();

    const auto scorable = runner::scorable(c);
    std::vector<std::string> texts;
    std::vector<std::u16string> texts16;
    for (const auto& [index, text] : scorable) {
        texts.push_back(text);
        texts16.push_back(runner::utf16(text));
    }
    const auto got = model.classify(texts);
    const auto got16 = model.classify(texts16);
    CHECK_EQ(got.size(), texts.size());
    CHECK_EQ(got16.size(), texts.size());
    for (std::size_t i = 0; i < got.size(); i++) {
        const json::Value& want = c["outputs"].array().at(scorable[i].first);
        const auto& scores = want["scores"].array();
        CHECK_EQ(got[i].scores.size(), scores.size());
        for (std::size_t j = 0; j < scores.size(); j++) {
            CHECK_NEAR(got[i].scores[j], scores[j].number(), kTolerance);
        }
        CHECK_EQ(got[i].top_label, want["top_label"].string());
        CHECK_EQ(labels.at(got[i].top), got[i].top_label);
        CHECK_EQ(got[i].truncated, want["truncated"].boolean());
        CHECK_EQ(got[i].windows, want["windows"].index());
        // The same text as UTF-16 is the same input: the very same answer.
        CHECK(got16[i].scores == got[i].scores);
        CHECK_EQ(got16[i].top, got[i].top);
    }
}

void check_spans_case(const json::Value& c) {
    // No ort_library here: ONNX Runtime is found beside libvigil.so.
    vigil::Options options;
    options.long_text = c["stride"].is_null() ? vigil::LongText::Truncate : vigil::LongText::WindowMax;
    if (!c["stride"].is_null()) {
        options.stride = static_cast<std::uint32_t>(c["stride"].index());
    }
    const vigil::Model model(runner::model_dir(c["model"].string()), options);
    vigil::SpanOptions span_options;
    span_options.aggregation = aggregation_of(c["aggregation"].string());
    if (c.has("ignore_labels")) {
        span_options.ignore_labels.emplace();
        for (const auto& label : c["ignore_labels"].array()) {
            span_options.ignore_labels->push_back(label.string());
        }
    }

    const auto scorable = runner::scorable(c);
    std::vector<std::string> texts;
    std::vector<std::u16string> texts16;
    for (const auto& [index, text] : scorable) {
        texts.push_back(text);
        texts16.push_back(runner::utf16(text));
    }
    const auto got = model.extract_spans(texts, span_options);
    const auto got16 = model.extract_spans(texts16, span_options);
    CHECK_EQ(got.size(), texts.size());
    CHECK_EQ(got16.size(), texts.size());
    for (std::size_t i = 0; i < got.size(); i++) {
        const auto& want = c["outputs"].array().at(scorable[i].first).array();
        CHECK_EQ(got[i].truncated, c["truncated"].array().at(scorable[i].first).boolean());
        CHECK_EQ(got[i].spans.size(), want.size());
        CHECK_EQ(got16[i].spans.size(), want.size());
        for (std::size_t k = 0; k < want.size(); k++) {
            const vigil::Span& span = got[i].spans[k];
            const vigil::Span& span16 = got16[i].spans[k];
            const json::Value& w = want[k];
            CHECK_EQ(span.label, w["label"].string());
            CHECK_NEAR(span.score, w["score"].number(), kTolerance);
            CHECK_EQ(span.start, w["start_utf8"].index());
            CHECK_EQ(span.end, w["end_utf8"].index());
            CHECK_EQ(span.start_utf16, w["start_utf16"].index());
            CHECK_EQ(span.end_utf16, w["end_utf16"].index());
            CHECK(span.token == (w.has("index") ? std::optional<std::size_t>(w["index"].index()) : std::nullopt));
            // Byte offsets index the std::string; UTF-16 offsets the std::u16string.
            CHECK_EQ(span.text, texts[i].substr(span.start, span.end - span.start));
            CHECK(texts16[i].substr(span16.start_utf16, span16.end_utf16 - span16.start_utf16) ==
                  runner::utf16(span16.text));
            CHECK_EQ(span16.label, span.label);
            CHECK_EQ(span16.score, span.score);
            CHECK_EQ(span16.start, span.start);
            CHECK_EQ(span16.start_utf16, span.start_utf16);
            CHECK_EQ(span16.end_utf16, span.end_utf16);
        }
    }
}

std::string optional_name(const json::Value& v) { return v.is_null() ? std::string() : v.string(); }

void check_rerank_case(const json::Value& c) {
    const vigil::Model model(runner::model_dir(c["model"].string()));
    const std::string mention = c["mention"].string();
    std::vector<double> want;
    for (const auto& score : c["scores"].array()) {
        want.push_back(score.number());
    }

    std::vector<vigil::RankedCandidate> ranked;
    if (c.has("records")) {
        vigil::Candidates candidates;
        for (const auto& r : c["records"].array()) {
            vigil::MeddraRecord record;
            record.pt_name = r["pt_name"].string();
            for (const auto& llt : r["llt_names"].array()) {
                record.llt_names.push_back(llt.string());
            }
            record.hlt_name = optional_name(r["hlt_name"]);
            record.hlgt_name = optional_name(r["hlgt_name"]);
            record.soc_name = optional_name(r["soc_name"]);
            candidates.add_meddra(record);
        }
        ranked = model.rerank(mention, candidates);
    } else {
        std::vector<std::string> plain;
        for (const auto& text : c["plain"].array()) {
            plain.push_back(text.string());
        }
        ranked = model.rerank(mention, plain);
    }

    // Best first; equal scores keep the input order.
    std::vector<std::size_t> order(want.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return want[a] > want[b]; });
    CHECK_EQ(ranked.size(), want.size());
    for (std::size_t k = 0; k < ranked.size(); k++) {
        CHECK_EQ(ranked[k].index, order[k]);
        CHECK_NEAR(ranked[k].score, want[ranked[k].index], kTolerance);
    }
}

}  // namespace

TEST_CASES(classify_references) {
    const json::Value doc = runner::reference("classify");
    for (const auto& c : doc["cases"].array()) {
        runner::add("classify " + c["model"].string() + " " + c["policy"].string() + stride_suffix(c),
                    [c] { check_classify_case(c); });
    }
}

TEST_CASES(spans_references) {
    const json::Value doc = runner::reference("spans");
    for (const auto& c : doc["cases"].array()) {
        const std::string ignore = c.has("ignore_labels") && c["ignore_labels"].array().empty() ? " keep-all" : "";
        runner::add("spans " + c["model"].string() + " " + c["aggregation"].string() + stride_suffix(c) + ignore,
                    [c] { check_spans_case(c); });
    }
}

TEST_CASES(rerank_references) {
    const json::Value doc = runner::reference("rerank");
    for (const auto& c : doc["cases"].array()) {
        runner::add("rerank " + c["model"].string() + (c.has("records") ? " records" : " plain") + " \"" +
                        c["mention"].string() + "\"",
                    [c] { check_rerank_case(c); });
    }
}
