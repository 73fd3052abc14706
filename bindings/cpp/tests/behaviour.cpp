// The binding's own promises: what a model reports, errors as vigil::Error
// with their codes, one model shared by 8 threads, results and handles freed
// in any order, UTF-16 overloads, and the per-call options.
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "runner.hpp"

namespace {

const char* const kNarrative = "Severe hepatotoxicity requiring hospitalisation after valproate was started.";

bool same(const vigil::Classification& a, const vigil::Classification& b) {
    return a.scores == b.scores && a.top == b.top && a.top_label == b.top_label && a.truncated == b.truncated &&
           a.windows == b.windows;
}

bool same(const vigil::TextSpans& a, const vigil::TextSpans& b) {
    if (a.spans.size() != b.spans.size() || a.truncated != b.truncated || a.windows != b.windows) return false;
    for (std::size_t i = 0; i < a.spans.size(); i++) {
        const vigil::Span &x = a.spans[i], &y = b.spans[i];
        if (x.label != y.label || x.score != y.score || x.start != y.start || x.end != y.end ||
            x.start_utf16 != y.start_utf16 || x.end_utf16 != y.end_utf16 || x.token != y.token || x.text != y.text) {
            return false;
        }
    }
    return true;
}

}  // namespace

using runner::contains;
using runner::starts_with;

TEST(versions) {
    const std::string expected = std::to_string(VIGIL_VERSION_MAJOR) + "." + std::to_string(VIGIL_VERSION_MINOR) +
                                 "." + std::to_string(VIGIL_VERSION_PATCH);
    CHECK_EQ(vigil::version(), expected);
    CHECK_EQ(vigil::abi_version(), static_cast<std::uint32_t>(VIGIL_ABI_VERSION));
}

TEST(model_reports_how_it_was_opened) {
    vigil::Options options;
    options.ort_library = runner::paths().ort_library;
    options.execution_provider = "cpu";
    options.long_text = vigil::LongText::Truncate;
    options.max_length = 64;
    options.stride = 8;
    options.intra_threads = 1;
    options.sessions = 2;
    options.max_tokens_per_batch = 1024;
    options.max_text_bytes = 4096;
    const vigil::Model model(runner::model_dir("bert-cls2"), options);
    CHECK(model.task() == vigil::Task::SequenceClassification);
    CHECK(model.labels() == (std::vector<std::string>{"non_causal", "causal"}));
    CHECK_EQ(model.max_length(), 64u);
    CHECK(model.long_text() == vigil::LongText::Truncate);
    CHECK_EQ(model.stride(), 8u);
    CHECK_EQ(model.execution_provider(), "cpu");
    CHECK(starts_with(model.ort_version(), "1."));
    const std::string fingerprint = model.fingerprint();
    CHECK(starts_with(fingerprint, "sha256:"));
    CHECK_EQ(fingerprint.size(), 7u + 64u);
    CHECK_EQ(fingerprint.find_first_not_of("0123456789abcdef", 7), std::string::npos);
    CHECK(model.native_handle() != nullptr);

    CHECK(vigil::Model(runner::model_dir("bert-ner-bio")).task() == vigil::Task::TokenClassification);
    CHECK(vigil::Model(runner::model_dir("bert-cross-encoder")).task() == vigil::Task::CrossEncoder);
    // Defaults come from the library: window_max for long texts.
    CHECK(vigil::Model(runner::model_dir("bert-cls3")).long_text() == vigil::LongText::WindowMax);
}

TEST(options_are_checked_when_a_model_opens) {
    const std::string dir = runner::model_dir("bert-cls2");
    auto with = [](auto set) {
        vigil::Options options;
        set(options);
        return options;
    };
    CHECK_THROWS(vigil::Model(dir, with([](auto& o) { o.execution_provider = "cuda"; })), ProviderUnavailable);
    CHECK_THROWS(vigil::Model(dir, with([](auto& o) { o.execution_provider = "bogus"; })), InvalidArgument);
    CHECK_THROWS(vigil::Model(dir, with([](auto& o) { o.sessions = 0; })), InvalidArgument);
    const auto e = CHECK_THROWS(vigil::Model(dir, with([](auto& o) {
                                    o.max_length = 16;
                                    o.stride = 16;
                                })),
                                InvalidArgument);
    CHECK(contains(e.what(), "stride"));
    // An embedded NUL would cut a C path short; the binding refuses it.
    CHECK_THROWS(vigil::Model(dir + std::string("\0x", 2)), InvalidArgument);
}

TEST(errors_are_exceptions_with_codes) {
    const std::string missing = runner::model_dir("no-such-model");
    try {
        vigil::Model model(missing);
        runner::fail(__FILE__, __LINE__, "opened a missing directory");
    } catch (const std::runtime_error& e) {  // vigil::Error is a std::runtime_error
        const auto* error = dynamic_cast<const vigil::Error*>(&e);
        CHECK(error != nullptr);
        CHECK(error->code() == vigil::ErrorCode::Io);
        CHECK(starts_with(e.what(), "IO: "));
        CHECK(contains(e.what(), "no-such-model"));
    }
}

TEST(invalid_input_is_refused_and_the_model_stays_usable) {
    vigil::Options options;
    options.max_text_bytes = 64;
    const vigil::Model model(runner::model_dir("bert-cls2"), options);
    const std::string bad_utf8 = "caf\xc3\xa9 \xff"
                                 "bad";
    auto e = CHECK_THROWS(model.classify({std::string_view("Rash after the infusion."), bad_utf8}), InvalidUtf8);
    CHECK(contains(e.what(), "text 1"));
    CHECK_THROWS(model.classify(""), EmptyText);
    e = CHECK_THROWS(model.classify({"Rash.", " \t\r\n "}), EmptyText);
    CHECK(contains(e.what(), "text 1"));
    const char16_t lone[] = {u'r', u'a', u's', u'h', static_cast<char16_t>(0xD83D)};
    CHECK_THROWS(model.classify(std::u16string_view(lone, 5)), InvalidUtf16);
    CHECK_THROWS(model.classify(std::string(65, 'a')), InputTooLarge);
    CHECK_EQ(model.classify("Rash after the infusion.").scores.size(), 2u);

    const vigil::Model reranker(runner::model_dir("bert-cross-encoder"));
    CHECK_THROWS(reranker.rerank("  ", {"Rash"}), EmptyText);
    vigil::RerankOptions too_high;
    too_high.threshold = 1.5;
    CHECK_THROWS(reranker.rerank("rash", {"Rash"}, too_high), InvalidArgument);
}

TEST(tasks_refuse_each_others_calls) {
    const vigil::Model classifier(runner::model_dir("bert-cls2"));
    const vigil::Model tagger(runner::model_dir("bert-ner-bio"));
    const vigil::Model reranker(runner::model_dir("bert-cross-encoder"));
    CHECK_THROWS(tagger.classify("rash"), TaskMismatch);
    CHECK_THROWS(reranker.classify("rash"), TaskMismatch);
    const auto e = CHECK_THROWS(classifier.extract_spans("rash"), TaskMismatch);
    CHECK(contains(e.what(), "TokenClassification"));
    CHECK_THROWS(classifier.rerank("rash", {"Rash"}), TaskMismatch);
}

TEST(eight_threads_share_one_model) {
    // The windowed references: long texts make several graph runs per call.
    const json::Value doc = runner::reference("classify");
    std::vector<std::string> texts;
    for (const auto& c : doc["cases"].array()) {
        if (c["policy"].string() == "window_mean" && texts.empty()) {
            for (const auto& [index, text] : runner::scorable(c)) {
                texts.push_back(text);
            }
        }
    }
    CHECK(texts.size() > 8);
    vigil::Options options;
    options.long_text = vigil::LongText::WindowMean;
    options.stride = 16;
    options.sessions = 3;
    const vigil::Model classifier(runner::model_dir("bert-cls3"), options);
    const vigil::Model tagger(runner::model_dir("bert-ner-bio"));

    const std::size_t n = texts.size(), rounds = 3, threads = 8;
    std::vector<vigil::Classification> serial_classes;
    std::vector<vigil::TextSpans> serial_spans;
    for (const auto& text : texts) {
        serial_classes.push_back(classifier.classify(text));
        serial_spans.push_back(tagger.extract_spans(text));
    }

    struct Worker {
        std::vector<vigil::Classification> classes;  // [round * n + text]
        std::vector<vigil::TextSpans> spans;
        std::exception_ptr error;
    };
    std::vector<Worker> workers(threads);
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; t++) {
        pool.emplace_back([&, t] {
            Worker& w = workers[t];
            try {
                w.classes.resize(rounds * n);
                w.spans.resize(rounds * n);
                for (std::size_t r = 0; r < rounds; r++) {
                    // Each thread starts at a different text, so the threads
                    // work on different inputs at the same moment.
                    for (std::size_t k = 0; k < n; k++) {
                        const std::size_t i = (k + t + r) % n;
                        w.classes[r * n + i] = classifier.classify(texts[i]);
                        w.spans[r * n + i] = tagger.extract_spans(texts[i]);
                    }
                }
            } catch (...) {
                w.error = std::current_exception();
            }
        });
    }
    for (auto& thread : pool) {
        thread.join();
    }
    std::size_t differ = 0;
    for (const Worker& w : workers) {
        if (w.error) std::rethrow_exception(w.error);
        for (std::size_t r = 0; r < rounds; r++) {
            for (std::size_t i = 0; i < n; i++) {
                differ += !same(w.classes[r * n + i], serial_classes[i]);
                differ += !same(w.spans[r * n + i], serial_spans[i]);
            }
        }
    }
    CHECK_EQ(differ, 0u);
}

TEST(results_outlive_their_model_and_inputs) {
    vigil::Classification classification;
    vigil::TextSpans spans;
    std::vector<vigil::RankedCandidate> ranked;
    {
        const vigil::Model classifier(runner::model_dir("bert-cls3"));
        classification = classifier.classify(kNarrative);
        std::string text = "\xF0\x9F\x98\xB7 rash and nausea after ibuprofen, then severe angioedema.";
        const vigil::Model tagger(runner::model_dir("bert-ner-bio"));
        vigil::SpanOptions keep_all;
        keep_all.ignore_labels.emplace();
        spans = tagger.extract_spans(text, keep_all);
        text.assign(text.size(), '#');  // the input is gone too
        const vigil::Model reranker(runner::model_dir("bert-cross-encoder"));
        vigil::Candidates candidates;
        candidates.add_text("Rash").add_meddra({"Tachycardia", {"Heart racing"}, "", "", "Cardiac disorders"});
        ranked = reranker.rerank("felt my heart racing", candidates);
    }  // models, candidates and the text freed here, in reverse order
    const vigil::Model fresh(runner::model_dir("bert-cls3"));
    CHECK(same(classification, fresh.classify(kNarrative)));
    CHECK_EQ(classification.top_label, fresh.labels().at(classification.top));
    CHECK(spans.spans.size() > 3);
    const std::string original = "\xF0\x9F\x98\xB7 rash and nausea after ibuprofen, then severe angioedema.";
    for (const auto& span : spans.spans) {
        CHECK_EQ(span.text, original.substr(span.start, span.end - span.start));
    }
    CHECK_EQ(ranked.size(), 2u);
    CHECK(ranked[0].score >= ranked[1].score);
}

TEST(models_move_and_a_moved_from_model_throws) {
    vigil::Model first(runner::model_dir("bert-cls2"));
    const vigil::Classification before = first.classify(kNarrative);
    vigil::Model second = std::move(first);
    CHECK(same(second.classify(kNarrative), before));
    // The moved-from model holds nothing: tasks throw, accessors are empty.
    const auto e = CHECK_THROWS(first.classify(kNarrative), InvalidArgument);
    CHECK(contains(e.what(), "model"));
    CHECK(first.native_handle() == nullptr);
    CHECK(first.labels().empty());
    CHECK(first.fingerprint().empty());
    // Move-assignment releases the model it replaces (LeakSanitizer checks).
    first = vigil::Model(runner::model_dir("bert-cls3"));
    second = std::move(first);
    CHECK_EQ(second.labels().size(), 3u);
    // Shared across owners through std::shared_ptr<const Model>.
    const auto shared = std::make_shared<const vigil::Model>(std::move(second));
    CHECK_EQ(shared->classify(kNarrative).scores.size(), 3u);
}

TEST(batches_of_any_text_range) {
    const vigil::Model model(runner::model_dir("bert-cls3"));
    const std::vector<std::string> owned = {kNarrative, "Rash after the second dose.", "No events."};
    const char* const pointers[] = {kNarrative, "Rash after the second dose.", "No events."};
    const std::vector<std::u16string> wide = {runner::utf16(kNarrative), u"Rash after the second dose.",
                                              u"No events."};
    const auto from_strings = model.classify(owned);
    const auto from_pointers = model.classify(pointers);
    const auto from_list = model.classify({kNarrative, "Rash after the second dose.", "No events."});
    const auto from_wide = model.classify(wide);
    CHECK_EQ(from_strings.size(), 3u);
    for (std::size_t i = 0; i < 3; i++) {
        CHECK(same(from_strings[i], from_pointers[i]));
        CHECK(same(from_strings[i], from_list[i]));
        CHECK(same(from_strings[i], from_wide[i]));
        // Batching does not change a text's answer beyond float noise.
        const auto alone = model.classify(owned[i]);
        for (std::size_t j = 0; j < alone.scores.size(); j++) {
            CHECK_NEAR(alone.scores[j], from_strings[i].scores[j], 1e-6);
        }
    }
    CHECK(model.classify(std::vector<std::string>{}).empty());
}

TEST(utf16_offsets_index_the_utf16_string) {
    const vigil::Model tagger(runner::model_dir("bert-ner-bio"));
    const std::string text = "rash \xF0\x9F\x98\xB7 after dose and hives \xE2\x80\x94 then nausea";
    const std::u16string text16 = runner::utf16(text);
    vigil::SpanOptions keep_all;
    keep_all.ignore_labels.emplace();
    const auto spans16 = tagger.extract_spans(text16, keep_all);
    const auto spans8 = tagger.extract_spans(text, keep_all);
    CHECK(same(spans16, spans8));
    std::size_t past_emoji = 0;
    for (const auto& span : spans16.spans) {
        CHECK(text16.substr(span.start_utf16, span.end_utf16 - span.start_utf16) == runner::utf16(span.text));
        CHECK_EQ(text.substr(span.start, span.end - span.start), span.text);
        past_emoji += span.start > 9;
    }
    CHECK(past_emoji > 0);  // some spans lie where the two offsets differ
    const auto batch = tagger.extract_spans({text16, std::u16string_view(u"hives after penicillin")}, keep_all);
    CHECK_EQ(batch.size(), 2u);
    CHECK(same(batch[0], spans8));
}

TEST(span_options_choose_aggregation_and_ignored_labels) {
    const vigil::Model tagger(runner::model_dir("bert-ner-bio"));
    const std::string text = "A 54-year-old woman developed a severe rash and angioedema after amoxicillin.";
    const auto defaults = tagger.extract_spans(text);  // Simple, "O" ignored
    vigil::SpanOptions keep_all;
    keep_all.ignore_labels.emplace();
    const auto everything = tagger.extract_spans(text, keep_all);
    CHECK(everything.spans.size() > defaults.spans.size());
    bool any_o = false;
    for (const auto& span : everything.spans) any_o |= span.label == "O";
    CHECK(any_o);
    for (const auto& span : defaults.spans) {
        CHECK(span.label != "O");
        CHECK(!span.token.has_value());
    }
    vigil::SpanOptions tokens;
    tokens.aggregation = vigil::Aggregation::None;
    const auto tagged = tagger.extract_spans(text, tokens);
    CHECK(!tagged.spans.empty());
    for (const auto& span : tagged.spans) {
        CHECK(span.token.has_value());
        CHECK(starts_with(span.label, "B-") || starts_with(span.label, "I-"));
    }
    CHECK_EQ(defaults.windows, 1u);
}

TEST(rerank_threshold_top_k_and_ties) {
    const vigil::Model model(runner::model_dir("bert-cross-encoder"));
    const std::vector<std::string> texts = {"Rash", "Nausea", "Rash", "Headache", "Rash"};
    const auto all = model.rerank("itchy red rash", texts);
    CHECK_EQ(all.size(), texts.size());
    std::vector<std::size_t> rash;
    for (const auto& r : all) {
        if (texts[r.index] == "Rash") rash.push_back(r.index);
        CHECK_EQ(r.passes, r.score >= 0.3);  // the fixture's vigil.json threshold
        CHECK(!r.truncated);
    }
    CHECK(rash == (std::vector<std::size_t>{0, 2, 4}));  // ties keep the input order
    vigil::RerankOptions top2;
    top2.top_k = 2;
    const auto top = model.rerank("itchy red rash", texts, top2);
    CHECK_EQ(top.size(), 2u);
    CHECK(top[0].index == all[0].index && top[1].index == all[1].index);
    vigil::RerankOptions strict;
    strict.threshold = 1.0;
    for (const auto& r : model.rerank("itchy red rash", texts, strict)) CHECK(!r.passes);
    CHECK(model.rerank("rash", std::vector<std::string>{}).empty());
    // Plain texts and MedDRA records mix in one list.
    vigil::Candidates mixed;
    mixed.add_meddra({"Tachycardia", {"Heart racing", "Pulse fast"}, "Rate disorders", "", "Cardiac disorders"})
        .add_text("Rash")
        .add_meddra({"Nausea", {}, "", "", ""});
    const auto ranked = model.rerank("felt my heart racing", mixed);
    CHECK_EQ(ranked.size(), 3u);
    for (std::size_t i = 1; i < ranked.size(); i++) CHECK(ranked[i - 1].score >= ranked[i].score);
}
