/*
 * Vigil from C++: classify a case narrative, then print its ADR spans.
 *
 *   g++ -std=c++17 -Wall -Wextra -Werror -Iinclude -Ibindings/cpp examples/cpp/narrative.cpp \
 *       -Ltarget/release -lvigil -Wl,-rpath,"$PWD/target/release" -o narrative
 *   ./narrative tests/fixtures/models/bert-cls3 tests/fixtures/models/bert-ner-bio ["narrative"]
 *
 * ONNX Runtime is found without configuration when libonnxruntime.so sits
 * beside libvigil.so; otherwise set VIGIL_ORT_LIBRARY or Options::ort_library.
 */
#include <cstdio>
#include <exception>
#include <string>

#include "vigil.hpp"

// The en dash and the emoji make UTF-16 offsets differ from byte offsets.
static const char* const kNarrative =
    "A 67-year-old woman started amoxicillin\xE2\x80\x93" "clavulanate for sinusitis and developed a pruritic "
    "rash and facial angioedema within two days \xF0\x9F\x98\xB7; she also reported nausea. The antibiotic "
    "was stopped and the symptoms resolved.";

int main(int argc, char** argv) {
    if (argc < 3 || argc > 4) {
        std::fprintf(stderr, "usage: %s CLASSIFIER_DIR TAGGER_DIR [NARRATIVE]\n", argv[0]);
        return 2;
    }
    const std::string narrative = argc == 4 ? argv[3] : kNarrative;
    try {
        const vigil::Model classifier(argv[1]);
        const vigil::Model tagger(argv[2]);
        std::printf("vigil %s, onnx runtime %s on %s\n", std::string(vigil::version()).c_str(),
                    classifier.ort_version().c_str(), classifier.execution_provider().c_str());
        // Log the fingerprints with every result: they identify the exact model files.
        std::printf("classifier %s\ntagger     %s\n\n%s\n\n", classifier.fingerprint().c_str(),
                    tagger.fingerprint().c_str(), narrative.c_str());

        const vigil::Classification c = classifier.classify(narrative);
        const auto labels = classifier.labels();
        std::printf("top: %s (windows: %u, truncated: %s)\n", c.top_label.c_str(), c.windows,
                    c.truncated ? "yes" : "no");
        for (std::size_t i = 0; i < labels.size(); i++) {
            std::printf("  %-12s %.4f\n", labels[i].c_str(), c.scores[i]);
        }

        // First: every word gets one label, so a span never ends inside a word.
        vigil::SpanOptions options;
        options.aggregation = vigil::Aggregation::First;
        const vigil::TextSpans found = tagger.extract_spans(narrative, options);
        std::printf("\n%zu spans:\n", found.spans.size());
        for (const vigil::Span& span : found.spans) {
            std::printf("  %-5s %.3f  bytes [%zu,%zu)  utf16 [%zu,%zu)  \"%s\"\n", span.label.c_str(), span.score,
                        span.start, span.end, span.start_utf16, span.end_utf16, span.text.c_str());
        }
    } catch (const vigil::Error& e) {
        // what() starts with the code's name, e.g. "IO: ...".
        std::fprintf(stderr, "vigil error %u: %s\n", static_cast<unsigned>(e.code()), e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
