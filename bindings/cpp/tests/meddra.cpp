// The MedDRA dictionary on the invented releases in tests/fixtures/meddra:
// opening, lookups, retrieval, normalisation with the cross-encoder, errors,
// results that outlive their objects, moves, and one dictionary and one
// cross-encoder shared by 8 threads.
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "runner.hpp"

using runner::contains;
using runner::starts_with;

namespace {

// Codes of the English fixture (tests/fixtures/meddra/en).
constexpr std::uint32_t kHeadache = 93000001, kHeadPain = 94000001, kJaundice = 93000034;
constexpr std::uint32_t kNeurological = 90000001;  // Headache's only SOC
constexpr std::uint32_t kUnknown = 12345678;
const char* const kMentions[] = {"pain in my head", "Headache", "felt sick to my stomach"};

// Threshold 0 passes every candidate; top_k keeps the best 4.
vigil::NormalizeOptions top4() {
    vigil::NormalizeOptions options;
    options.candidates = 20;
    options.threshold = 0.0;
    options.top_k = 4;
    return options;
}

bool same(const vigil::Hit& a, const vigil::Hit& b) {
    return a.pt_code == b.pt_code && a.score == b.score && a.matched_code == b.matched_code &&
           a.matched_name == b.matched_name && a.exact == b.exact;
}

bool same(const vigil::Coding& a, const vigil::Coding& b) {
    return a.pt_code == b.pt_code && a.pt_name == b.pt_name && a.soc_code == b.soc_code && a.score == b.score &&
           a.exact == b.exact;
}

template <class T>
bool same(const std::vector<T>& a, const std::vector<T>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); i++) {
        if (!same(a[i], b[i])) return false;
    }
    return true;
}

}  // namespace

TEST(meddra_opens_a_release_and_a_missing_one_is_io) {
    const vigil::Meddra meddra(runner::meddra_dir("en"));
    CHECK_EQ(meddra.pt_count(), 64u);
    CHECK_EQ(meddra.llt_count(), 233u);  // the current LLTs only
    CHECK_EQ(meddra.skipped_llts(), 0u);
    CHECK(meddra.native_handle() != nullptr);
    vigil::MeddraOptions all;
    all.include_noncurrent = true;
    CHECK_EQ(vigil::Meddra(runner::meddra_dir("en"), all).llt_count(), 242u);

    const auto e = CHECK_THROWS(vigil::Meddra(runner::meddra_dir("no-such-release")), Io);
    CHECK(starts_with(e.what(), "IO: "));
    CHECK(contains(e.what(), "no-such-release"));
    CHECK_THROWS(vigil::Meddra(runner::meddra_dir("en") + std::string("\0x", 2)), InvalidArgument);
}

TEST(meddra_lookups_follow_codes_and_the_hierarchy) {
    const vigil::Meddra meddra(runner::meddra_dir("en"));
    CHECK(meddra.name(kHeadache) == "Headache");
    CHECK(meddra.name(kHeadPain) == "Head pain");
    CHECK(meddra.llt_pt(kHeadPain) == kHeadache);
    CHECK(meddra.llt_pt(kHeadache) == kHeadache);  // a PT is an LLT of itself
    CHECK(meddra.primary_soc(kHeadache) == kNeurological);

    const auto headache = meddra.paths(kHeadache);
    CHECK_EQ(headache.size(), 1u);
    CHECK(headache[0].primary);
    CHECK_EQ(headache[0].soc_code, kNeurological);
    CHECK(meddra.name(headache[0].hlt_code).has_value() && meddra.name(headache[0].hlgt_code).has_value());
    CHECK(meddra.name(headache[0].soc_code) == "Neurological and mental conditions");

    const auto jaundice = meddra.paths(kJaundice);
    CHECK_EQ(jaundice.size(), 3u);
    CHECK(jaundice[0].primary && !jaundice[1].primary && !jaundice[2].primary);  // the primary path first
    CHECK(meddra.name(jaundice[0].soc_code) == "Digestive tract conditions");
    CHECK(meddra.primary_soc(kJaundice) == jaundice[0].soc_code);

    CHECK(!meddra.name(kUnknown) && !meddra.llt_pt(kUnknown) && !meddra.primary_soc(kUnknown));
    CHECK(meddra.paths(kUnknown).empty());
}

TEST(meddra_retrieve_puts_the_exact_name_first) {
    const vigil::Meddra meddra(runner::meddra_dir("en"));
    const auto hits = meddra.retrieve("Headache", 5);
    CHECK_EQ(hits.size(), 5u);
    CHECK_EQ(hits[0].pt_code, kHeadache);
    CHECK_EQ(hits[0].matched_code, kHeadache);
    CHECK_EQ(hits[0].matched_name, "Headache");
    CHECK(hits[0].exact);
    for (std::size_t i = 1; i < hits.size(); i++) {
        CHECK(!hits[i].exact);
        CHECK(meddra.llt_pt(hits[i].matched_code) == hits[i].pt_code);
        CHECK(i == 1 || hits[i - 1].score >= hits[i].score);
    }
    // Case folded, and an LLT's name retrieves its PT.
    const auto head_pain = meddra.retrieve("head PAIN", 1);
    CHECK_EQ(head_pain.size(), 1u);
    CHECK(head_pain[0].pt_code == kHeadache && head_pain[0].matched_code == kHeadPain && head_pain[0].exact);
    CHECK(meddra.retrieve("Headache", 0).empty());
    CHECK(meddra.retrieve("qqqq", 5).empty());  // no word or character trigram in common with any name

    const vigil::Meddra zh(runner::meddra_dir("zh"));
    const auto diarrhoea = zh.retrieve("拉肚子", 1);
    CHECK_EQ(diarrhoea.size(), 1u);
    CHECK(diarrhoea[0].exact);
    CHECK_EQ(diarrhoea[0].matched_name, "拉肚子");
    CHECK(zh.name(diarrhoea[0].pt_code) == "腹泻");
}

TEST(meddra_normalize_keeps_top_k_best_first_with_the_primary_soc) {
    const vigil::Meddra meddra(runner::meddra_dir("en"));
    const vigil::Model reranker(runner::model_dir("bert-cross-encoder"));
    const auto batch = meddra.normalize(reranker, kMentions, top4());
    CHECK_EQ(batch.size(), 3u);
    for (std::size_t m = 0; m < batch.size(); m++) {
        const auto& codings = batch[m];
        CHECK_EQ(codings.size(), 4u);
        for (std::size_t i = 0; i < codings.size(); i++) {
            CHECK(codings[i].soc_code.has_value());
            CHECK(codings[i].soc_code == meddra.primary_soc(codings[i].pt_code));
            CHECK(meddra.name(codings[i].pt_code) == codings[i].pt_name);
            CHECK(i == 0 || codings[i - 1].score >= codings[i].score);
        }
        // A batch codes each mention as when it is coded alone.
        const auto alone = meddra.normalize(reranker, kMentions[m], top4());
        CHECK_EQ(alone.size(), codings.size());
        for (std::size_t i = 0; i < alone.size(); i++) {
            CHECK_EQ(alone[i].pt_code, codings[i].pt_code);
            CHECK_NEAR(alone[i].score, codings[i].score, 1e-6);
        }
    }
    // Unset options keep the model's threshold (vigil.json: 0.3).
    vigil::NormalizeOptions ten;
    ten.candidates = 10;
    const auto passing = meddra.normalize(reranker, "pain in my head", ten);
    CHECK(!passing.empty() && passing.size() < 10);
    for (const auto& coding : passing) CHECK(coding.score >= 0.3);
    CHECK(meddra.normalize(reranker, std::vector<std::string>{}).empty());
}

TEST(meddra_normalize_refuses_bad_calls) {
    const vigil::Meddra meddra(runner::meddra_dir("en"));
    const vigil::Model classifier(runner::model_dir("bert-cls2"));
    const vigil::Model reranker(runner::model_dir("bert-cross-encoder"));
    CHECK_THROWS(meddra.normalize(classifier, "headache"), TaskMismatch);
    const auto e = CHECK_THROWS(meddra.normalize(reranker, {"rash", " "}), EmptyText);
    CHECK(contains(e.what(), "mention 1"));
    vigil::NormalizeOptions none;
    none.candidates = 0;
    CHECK_THROWS(meddra.normalize(reranker, "rash", none), InvalidArgument);
    vigil::NormalizeOptions too_high;
    too_high.threshold = 1.5;
    CHECK_THROWS(meddra.normalize(reranker, "rash", too_high), InvalidArgument);
}

TEST(meddra_results_outlive_the_dictionary_and_the_model) {
    std::vector<vigil::Hit> hits;
    std::vector<vigil::SocPath> paths;
    std::vector<std::vector<vigil::Coding>> codings;
    {
        const vigil::Meddra meddra(runner::meddra_dir("en"));
        const vigil::Model reranker(runner::model_dir("bert-cross-encoder"));
        hits = meddra.retrieve("Headache", 3);
        paths = meddra.paths(kJaundice);
        codings = meddra.normalize(reranker, kMentions, top4());
    }  // the model, then the dictionary, freed here
    CHECK_EQ(hits.at(0).matched_name, "Headache");
    CHECK_EQ(paths.size(), 3u);
    const vigil::Meddra again(runner::meddra_dir("en"));
    const vigil::Model reranker(runner::model_dir("bert-cross-encoder"));
    CHECK(same(codings, again.normalize(reranker, kMentions, top4())));
}

TEST(meddra_moves_and_a_moved_from_dictionary_throws) {
    vigil::Meddra first(runner::meddra_dir("en"));
    vigil::Model reranker(runner::model_dir("bert-cross-encoder"));
    const auto before = first.retrieve("Headache", 3);
    vigil::Meddra second = std::move(first);
    CHECK(same(second.retrieve("Headache", 3), before));
    // The moved-from dictionary holds nothing: calls throw, lookups are empty.
    CHECK_THROWS(first.retrieve("Headache", 3), InvalidArgument);
    CHECK_THROWS(first.normalize(reranker, "Headache"), InvalidArgument);
    CHECK(first.native_handle() == nullptr);
    CHECK_EQ(first.pt_count(), 0u);
    CHECK(!first.name(kHeadache) && first.paths(kHeadache).empty());
    // So does normalising with a moved-from model.
    const vigil::Model moved = std::move(reranker);
    CHECK_THROWS(second.normalize(reranker, "Headache"), InvalidArgument);
    CHECK_EQ(second.normalize(moved, "Headache", top4()).size(), 4u);
    // Move-assignment releases the dictionary it replaces (LeakSanitizer checks).
    first = vigil::Meddra(runner::meddra_dir("zh"));
    second = std::move(first);
    CHECK_EQ(second.pt_count(), 31u);
    const auto shared = std::make_shared<const vigil::Meddra>(std::move(second));
    CHECK(shared->name(kHeadache) == "头痛");
}

TEST(meddra_eight_threads_share_one_dictionary_and_cross_encoder) {
    const vigil::Meddra meddra(runner::meddra_dir("en"));
    const vigil::Model reranker(runner::model_dir("bert-cross-encoder"));
    const auto serial = meddra.normalize(reranker, kMentions, top4());
    const auto serial_hits = meddra.retrieve("felt sick to my stomach", 10);

    constexpr std::size_t threads = 8, rounds = 3;
    struct Worker {
        std::size_t differ = 0;
        std::exception_ptr error;
    };
    std::vector<Worker> workers(threads);
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; t++) {
        pool.emplace_back([&, t] {
            Worker& w = workers[t];
            try {
                for (std::size_t r = 0; r < rounds; r++) {
                    w.differ += !same(meddra.normalize(reranker, kMentions, top4()), serial);
                    w.differ += !same(meddra.retrieve("felt sick to my stomach", 10), serial_hits);
                }
            } catch (...) {
                w.error = std::current_exception();
            }
        });
    }
    for (auto& thread : pool) {
        thread.join();
    }
    for (const Worker& w : workers) {
        if (w.error) std::rethrow_exception(w.error);
        CHECK_EQ(w.differ, 0u);
    }
}
