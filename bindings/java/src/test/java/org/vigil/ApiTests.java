package org.vigil;

import static org.vigil.Check.equal;
import static org.vigil.Check.isTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Everything besides parity, errors, threads and lifetimes: version, options, info, per-call options. */
final class ApiTests {
    private ApiTests() {}

    static void register(VigilTests suite) {
        suite.test("version and ABI match include/vigil.h", ApiTests::version);
        suite.test("Java enums match the header's constants", ApiTests::constants);
        suite.test("every option setter reaches the model", ApiTests::everyOption);
        suite.test("default options: model's own limits, labels from config.json", ApiTests::defaults);
        suite.test("loading again from the same folder is a no-op, from another refused", ApiTests::loading);
        suite.test("an empty batch gives an empty list", ApiTests::emptyBatch);
        suite.test("UTF-16 offsets index Java strings (emoji, accents, CJK)", ApiTests::utf16Offsets);
        suite.test("span options: NONE keeps full tags and token indices", ApiTests::spanOptions);
        suite.test("rerank options: default threshold from vigil.json, threshold, top-k, ties", ApiTests::rerankOptions);
        suite.test("text and MedDRA candidates mixed score as when alone", ApiTests::mixedCandidates);
    }

    private static Map<String, Integer> defines(String prefix) throws IOException {
        Matcher m = Pattern.compile("#define VIGIL_" + prefix + "(\\w+) (\\d+)")
                .matcher(Files.readString(Fixtures.ROOT.resolve("include/vigil.h")));
        Map<String, Integer> out = new TreeMap<>();
        while (m.find()) {
            out.put(m.group(1), Integer.valueOf(m.group(2)));
        }
        return out;
    }

    private static void version() throws IOException {
        Map<String, Integer> v = defines("VERSION_");
        equal(v.get("MAJOR") + "." + v.get("MINOR") + "." + v.get("PATCH"), Vigil.version(), "version");
        equal(defines("").get("ABI_VERSION"), Vigil.abiVersion(), "ABI version");
    }

    private static <E extends Enum<E>> void sameAs(Map<String, Integer> header, E[] values, Function<E, Integer> code)
            throws IOException {
        Map<String, Integer> java = new TreeMap<>();
        for (E e : values) {
            java.put(e.name(), code.apply(e));
        }
        equal(header, java, values[0].getDeclaringClass().getSimpleName());
    }

    private static void constants() throws IOException {
        // UNKNOWN is the binding's own (codes added later); the rest must be the header's exactly.
        ErrorCode[] codes = Arrays.stream(ErrorCode.values()).filter(c -> c != ErrorCode.UNKNOWN)
                .toArray(ErrorCode[]::new);
        sameAs(defines("ERROR_"), codes, ErrorCode::value);
        sameAs(defines("TASK_"), Task.values(), t -> t.code);
        sameAs(defines("LONG_TEXT_"), LongText.values(), p -> p.code);
        sameAs(defines("AGGREGATION_"), Aggregation.values(), a -> a.code);
    }

    private static void everyOption() {
        Options options = Fixtures.options()
                .intraThreads(1)
                .sessions(2)
                .maxTokensPerBatch(256)
                .maxLength(32)
                .longText(LongText.WINDOW_MEAN)
                .stride(8)
                .maxTextBytes(100)
                .executionProvider("cpu")
                .build();
        try (Model model = Model.open(Fixtures.model("bert-cls3"), options)) {
            equal(32, model.maxLength(), "max length");
            equal(LongText.WINDOW_MEAN, model.longText(), "long text");
            equal(8, model.stride(), "stride");
            equal("cpu", model.executionProvider(), "execution provider");
            Classification c = model.classify("rash ".repeat(19)); // 95 bytes: under the cap
            isTrue(c.windows() > 1, "32-token windows on a 19-word text: " + c.windows());
            Check.raisesVigil(ErrorCode.INPUT_TOO_LARGE, "", () -> model.classify("rash ".repeat(21)));
        }
    }

    @SuppressWarnings("unchecked")
    private static void defaults() {
        Map<String, Object> config = (Map<String, Object>) Fixtures.read(Fixtures.model("bert-cls3").resolve("config.json"));
        Map<String, Object> id2label = (Map<String, Object>) config.get("id2label");
        List<Object> labels = new ArrayList<>();
        for (int i = 0; i < id2label.size(); i++) {
            labels.add(id2label.get(String.valueOf(i)));
        }
        try (Model model = Fixtures.open("bert-cls3")) {
            equal(Task.SEQUENCE_CLASSIFICATION, model.task(), "task");
            equal(labels, model.labels(), "labels");
            equal(((Double) config.get("max_position_embeddings")).intValue(), model.maxLength(), "max length");
            equal(LongText.WINDOW_MAX, model.longText(), "default policy");
            equal(model.maxLength() / 4, model.stride(), "default stride");
            isTrue(model.fingerprint().matches("sha256:[0-9a-f]{64}"), model.fingerprint());
            // build.sh ships ORT under its versioned name, which is where the release comes from.
            String release = Fixtures.ortLibrary().toRealPath().getFileName().toString().replaceFirst(".*\\.so\\.", "");
            isTrue(model.ortVersion().startsWith(release + " "), model.ortVersion() + " vs " + release);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        try (Model tagger = Fixtures.open("bert-ner-bio"); Model encoder = Fixtures.open("bert-cross-encoder")) {
            equal(Task.TOKEN_CLASSIFICATION, tagger.task(), "tagger task");
            equal(Task.CROSS_ENCODER, encoder.task(), "encoder task");
        }
    }

    private static void loading() {
        Path dir = Path.of(System.getProperty(Vigil.LIBRARY_PATH_PROPERTY));
        Vigil.load(dir);
        Check.raises(IllegalStateException.class, () -> Vigil.load(Fixtures.ROOT), "load from elsewhere");
    }

    private static void emptyBatch() {
        try (Model model = Fixtures.open("bert-cls2"); Model tagger = Fixtures.open("bert-ner-bio")) {
            equal(List.of(), model.classify(List.of()), "classify");
            equal(List.of(), tagger.extractSpans(List.of(), SpanOptions.DEFAULTS), "spans");
        }
    }

    private static void utf16Offsets() {
        List<String> texts = List.of(
                "😷 rash and 🤢 nausea after ibuprofen",
                "Patiënte développa une hépatite après amoxicilline",
                "服用阿莫西林后出现皮疹 and rash 💊");
        SpanOptions keepAll = SpanOptions.builder().ignoreLabels(List.of()).build();
        int checked = 0;
        try (Model model = Fixtures.open("bert-ner-bio", LongText.WINDOW_MAX, 16.0)) {
            List<TextSpans> got = model.extractSpans(texts, keepAll);
            for (int t = 0; t < texts.size(); t++) {
                byte[] utf8 = texts.get(t).getBytes(StandardCharsets.UTF_8);
                for (Span span : got.get(t).spans()) {
                    String byBytes = new String(
                            Arrays.copyOfRange(utf8, (int) span.startUtf8(), (int) span.endUtf8()), StandardCharsets.UTF_8);
                    equal(byBytes, texts.get(t).substring(span.start(), span.end()), "text " + t + " " + span);
                    checked++;
                }
            }
        }
        isTrue(checked > 10, "only " + checked + " spans checked");
    }

    private static void spanOptions() {
        String text = "Severe rash and nausea after amoxicillin";
        try (Model model = Fixtures.open("bert-ner-bio")) {
            TextSpans simple = model.extractSpans(text);
            TextSpans none = model.extractSpans(text, SpanOptions.builder().aggregation(Aggregation.NONE).build());
            isTrue(!none.spans().isEmpty(), "NONE finds tokens");
            for (Span span : none.spans()) {
                isTrue(span.label().matches("[BI]-\\w+"), "full tag: " + span.label());
                isTrue(span.token().isPresent(), "token index under NONE");
            }
            for (Span span : simple.spans()) {
                isTrue(!span.label().contains("-") && !span.label().equals("O"), "entity group: " + span.label());
                isTrue(span.token().isEmpty(), "no token index when aggregated");
            }
            // Ignoring nothing brings back the O tokens the default hides.
            TextSpans all = model.extractSpans(text, SpanOptions.builder()
                    .aggregation(Aggregation.NONE).ignoreLabels(List.of()).build());
            isTrue(all.spans().stream().anyMatch(s -> s.label().equals("O")), "O kept when nothing is ignored");
            isTrue(all.spans().size() > none.spans().size(), "more spans with nothing ignored");
        }
    }

    private static void rerankOptions() {
        List<String> texts = List.of("Rash", "Nausea", "Rash", "Headache", "Rash");
        try (Model model = Fixtures.open("bert-cross-encoder")) {
            Ranking<String> all = model.rerank("itchy red rash", texts);
            equal(List.of(0, 2, 4), all.candidates().stream().filter(r -> r.candidate().equals("Rash"))
                    .map(RankedCandidate::index).collect(java.util.stream.Collectors.toList()), "ties keep input order");
            for (RankedCandidate<String> r : all) {
                equal(r.score() >= 0.3, r.passes(), "vigil.json threshold 0.3 for " + r);
            }
            Ranking<String> top = model.rerank("itchy red rash", texts, RerankOptions.builder().topK(2).build());
            equal(all.candidates().subList(0, 2), top.candidates(), "top 2");
            Ranking<String> strict = model.rerank("itchy red rash", texts, RerankOptions.builder().threshold(1.0).build());
            isTrue(strict.candidates().stream().noneMatch(RankedCandidate::passes), "nothing reaches 1.0");
            equal(0, model.rerank("rash", List.of()).size(), "empty list");
        }
    }

    private static void mixedCandidates() {
        MeddraRecord tachycardia = MeddraRecord.builder("Tachycardia")
                .lltNames(List.of("Heart racing", "Pulse fast")).socName("Cardiac disorders").build();
        MeddraRecord nausea = MeddraRecord.builder("Nausea").hltName("").build(); // empty = absent
        try (Model model = Fixtures.open("bert-cross-encoder")) {
            List<Candidate> mixed = List.of(Candidate.text("Palpitations"), tachycardia, nausea);
            Ranking<Candidate> ranking = model.rerankCandidates("felt my heart racing", mixed, RerankOptions.DEFAULTS);
            double[] scores = new double[mixed.size()];
            for (RankedCandidate<Candidate> r : ranking) {
                scores[r.index()] = r.score();
                equal(mixed.get(r.index()), r.candidate(), "candidate echoed");
            }
            equal(model.rerank("felt my heart racing", List.of("Palpitations")).get(0).score(), scores[0], "text");
            Ranking<MeddraRecord> records = model.rerankCandidates(
                    "felt my heart racing", List.of(tachycardia, nausea), RerankOptions.DEFAULTS);
            for (RankedCandidate<MeddraRecord> r : records) {
                equal(scores[r.index() + 1], r.score(), "record " + r.candidate());
            }
            isTrue(scores[1] != scores[2], "records render differently");
        }
    }
}
