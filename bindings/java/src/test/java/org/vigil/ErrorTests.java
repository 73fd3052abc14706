package org.vigil;

import static org.vigil.Check.raises;
import static org.vigil.Check.raisesVigil;

import java.util.Arrays;
import java.util.List;

/** Failures surface as VigilException with the C ABI's code, or as the usual Java exceptions. */
final class ErrorTests {
    private ErrorTests() {}

    static void register(VigilTests suite) {
        suite.test("a missing model directory is IO", () -> raisesVigil(ErrorCode.IO, "no-such-model",
                () -> Model.open(Fixtures.model("no-such-model"), Fixtures.options().build())));
        suite.test("a blank text is EMPTY_TEXT naming its index", ErrorTests::emptyText);
        suite.test("each task refuses the others' calls with TASK_MISMATCH", ErrorTests::taskMismatch);
        suite.test("options the library refuses fail the open", ErrorTests::badOptions);
        suite.test("an unpaired surrogate is INVALID_UTF16 on every path", ErrorTests::unpairedSurrogates);
        suite.test("null and negative arguments are the usual Java exceptions", ErrorTests::javaArguments);
    }

    private static void emptyText() {
        try (Model model = Fixtures.open("bert-cls2")) {
            for (String blank : new String[] {"", "   \t\n "}) {
                raisesVigil(ErrorCode.EMPTY_TEXT, "text 1", () -> model.classify(List.of("fine text", blank)));
            }
        }
    }

    private static void taskMismatch() {
        try (Model tagger = Fixtures.open("bert-ner-bio");
                Model classifier = Fixtures.open("bert-cls2");
                Model encoder = Fixtures.open("bert-cross-encoder")) {
            raisesVigil(ErrorCode.TASK_MISMATCH, "", () -> tagger.classify("rash"));
            raisesVigil(ErrorCode.TASK_MISMATCH, "TokenClassification", () -> classifier.extractSpans("rash"));
            raisesVigil(ErrorCode.TASK_MISMATCH, "", () -> classifier.rerank("rash", List.of("Rash")));
            raisesVigil(ErrorCode.TASK_MISMATCH, "", () -> encoder.classify("rash"));
        }
    }

    private static void badOptions() {
        raisesVigil(ErrorCode.INVALID_ARGUMENT, "sessions",
                () -> Model.open(Fixtures.model("bert-cls2"), Fixtures.options().sessions(0).build()));
        raisesVigil(ErrorCode.PROVIDER_UNAVAILABLE, "cuda",
                () -> Model.open(Fixtures.model("bert-cls2"), Fixtures.options().executionProvider("cuda").build()));
        raisesVigil(ErrorCode.INVALID_ARGUMENT, "stride", () -> Model.open(Fixtures.model("bert-cls3"),
                Fixtures.options().maxLength(16).stride(16).build()));
        // C would stop reading at the NUL and see "cpu": the glue refuses it instead.
        raisesVigil(ErrorCode.INVALID_ARGUMENT, "NUL", () -> Model.open(Fixtures.model("bert-cls2"),
                Fixtures.options().executionProvider("cpu\0cuda").build()));
        try (Model encoder = Fixtures.open("bert-cross-encoder")) {
            raisesVigil(ErrorCode.INVALID_ARGUMENT, "threshold", () -> encoder.rerank("x", List.of("Rash"),
                    RerankOptions.builder().threshold(1.5).build()));
        }
    }

    private static void unpairedSurrogates() {
        String bad = "rash \uD83D after dose";
        try (Model classifier = Fixtures.open("bert-cls2");
                Model tagger = Fixtures.open("bert-ner-bio");
                Model encoder = Fixtures.open("bert-cross-encoder")) {
            // The UTF-16 entry points check in the library; the UTF-8 ones are checked by the glue.
            raisesVigil(ErrorCode.INVALID_UTF16, "text 1", () -> classifier.classify(List.of("fine", bad)));
            raisesVigil(ErrorCode.INVALID_UTF16, "text 0", () -> tagger.extractSpans(bad));
            raisesVigil(ErrorCode.INVALID_UTF16, "ignore label 0", () -> tagger.extractSpans("rash",
                    SpanOptions.builder().ignoreLabels(List.of("\uDC00")).build()));
            raisesVigil(ErrorCode.INVALID_UTF16, "mention", () -> encoder.rerank(bad, List.of("Rash")));
            raisesVigil(ErrorCode.INVALID_UTF16, "candidate 1", () -> encoder.rerank("rash", List.of("Rash", bad)));
            raisesVigil(ErrorCode.INVALID_UTF16, "llt name 0", () -> encoder.rerankCandidates("rash",
                    List.of(MeddraRecord.builder("Rash").lltNames(List.of(bad)).build()), RerankOptions.DEFAULTS));
            // A valid pair is fine anywhere.
            classifier.classify("rash \uD83D\uDE37 after dose");
        }
    }

    private static void javaArguments() {
        try (Model model = Fixtures.open("bert-cls2")) {
            raises(NullPointerException.class, () -> model.classify(Arrays.asList("fine", null)), "null text");
            raises(NullPointerException.class, () -> model.classify((String) null), "null text");
            raises(IllegalArgumentException.class, () -> Options.builder().sessions(-1), "negative sessions");
            raises(IllegalArgumentException.class, () -> RerankOptions.builder().threshold(Double.NaN), "NaN threshold");
            raises(IllegalArgumentException.class, () -> model.classify("rash").score("no-such-label"), "label");
        }
    }
}
