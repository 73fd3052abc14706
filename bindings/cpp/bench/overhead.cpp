// What the C++ wrapper adds to one classify call on a short sentence: the
// raw C call (classify, read the scores, free) against vigil::Model::classify
// on the same model in the same process, interleaved so drift hits both
// alike. Prints medians; it asserts nothing.
//
//   overhead MODEL_DIR [CALLS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "vigil.hpp"

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kSentence = "Rash and itching after the second dose of amoxicillin.";

// Returns one score so the work cannot be optimised away.
double raw_call(const vigil_model* model) {
    const vigil_str text = {kSentence.data(), kSentence.size()};
    vigil_classification* result = nullptr;
    if (vigil_error* error = vigil_model_classify(model, &text, 1, &result)) {
        std::fprintf(stderr, "%s\n", vigil_error_message(error));
        std::exit(1);
    }
    double scores[8] = {};
    const std::size_t labels = std::min<std::size_t>(vigil_classification_label_count(result), 8);
    std::memcpy(scores, vigil_classification_scores(result, 0), labels * sizeof(double));
    vigil_classification_free(result);
    return scores[0];
}

double wrapped_call(const vigil::Model& model) { return model.classify(kSentence).scores[0]; }

double median_us(std::vector<double> ns) {
    std::sort(ns.begin(), ns.end());
    return ns[ns.size() / 2] / 1000.0;
}

template <class Call>
double time_ns(Call call, double& sink) {
    const auto start = Clock::now();
    sink += call();
    return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s MODEL_DIR [CALLS]\n", argv[0]);
        return 2;
    }
    const std::size_t calls = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 2000;
    vigil::Options options;
    options.intra_threads = 1;  // steadier timings
    const vigil::Model model(argv[1], options);
    const vigil_model* raw = model.native_handle();

    double sink = 0;
    for (int i = 0; i < 200; i++) {
        sink += raw_call(raw) + wrapped_call(model);
    }
    std::vector<double> raw_ns, wrapped_ns;
    for (std::size_t i = 0; i < calls; i++) {
        // Alternate which goes first, so neither always runs on a warmer cache.
        if (i % 2 == 0) {
            raw_ns.push_back(time_ns([&] { return raw_call(raw); }, sink));
            wrapped_ns.push_back(time_ns([&] { return wrapped_call(model); }, sink));
        } else {
            wrapped_ns.push_back(time_ns([&] { return wrapped_call(model); }, sink));
            raw_ns.push_back(time_ns([&] { return raw_call(raw); }, sink));
        }
    }
    // The wrapper's own work, without inference noise: copying a result out.
    const vigil_str text = {kSentence.data(), kSentence.size()};
    vigil_classification* result = nullptr;
    vigil::detail::check(vigil_model_classify(raw, &text, 1, &result));
    std::vector<double> copy_ns;
    for (std::size_t i = 0; i < calls; i++) {
        copy_ns.push_back(time_ns([&] { return vigil::detail::copy_out(result).at(0).scores[0]; }, sink));
    }
    vigil_classification_free(result);

    const double raw_us = median_us(raw_ns), wrapped_us = median_us(wrapped_ns);
    std::printf("classify overhead, one short sentence, median of %zu calls each after 200 warm-up:\n", calls);
    std::printf("  raw C call        %9.2f us\n", raw_us);
    std::printf("  vigil::Model      %9.2f us\n", wrapped_us);
    std::printf("  difference        %+9.2f us (%+.2f%%)   [checksum %.3f]\n", wrapped_us - raw_us,
                100.0 * (wrapped_us - raw_us) / raw_us, sink);
    std::printf("  copy-out alone    %9.3f us (the wrapper's own work per call)\n", median_us(copy_ns));
    return 0;
}
