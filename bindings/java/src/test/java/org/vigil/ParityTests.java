package org.vigil;

import static org.vigil.Check.close;
import static org.vigil.Check.equal;
import static org.vigil.Fixtures.list;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The shared transformers references, one test per reference case. */
final class ParityTests {
    private static final double TOLERANCE = 1e-5;

    private ParityTests() {}

    static void register(VigilTests suite) {
        for (Map<String, Object> c : Fixtures.cases("classify.json")) {
            suite.test("classify parity: " + c.get("model") + " " + c.get("policy") + " stride=" + c.get("stride"),
                    () -> classify(c));
        }
        for (Map<String, Object> c : Fixtures.cases("spans.json")) {
            suite.test("spans parity: " + c.get("model") + " " + c.get("aggregation") + " stride=" + c.get("stride")
                    + " ignore=" + c.get("ignore_labels"), () -> spans(c));
        }
        for (Map<String, Object> c : Fixtures.cases("rerank.json")) {
            suite.test("rerank parity: " + c.get("model") + " " + (c.containsKey("records") ? "records" : "plain")
                    + " \"" + c.get("mention") + "\"", () -> rerank(c));
        }
    }

    /** The case's texts and expected outputs, blank texts left out. */
    private static List<Integer> scorable(Map<String, Object> c) {
        List<String> texts = Fixtures.strings(list(c, "texts"));
        return IntStream.range(0, texts.size()).filter(i -> Fixtures.scorable(texts.get(i))).boxed()
                .collect(Collectors.toList());
    }

    private static void classify(Map<String, Object> c) {
        LongText policy = LongText.valueOf(((String) c.get("policy")).toUpperCase(Locale.ROOT));
        List<String> texts = Fixtures.strings(list(c, "texts"));
        List<Map<String, Object>> outputs = list(c, "outputs");
        List<Integer> keep = scorable(c);
        try (Model model = Fixtures.open((String) c.get("model"), policy, (Double) c.get("stride"))) {
            List<Classification> got = model.classify(keep.stream().map(texts::get).collect(Collectors.toList()));
            equal(keep.size(), got.size(), "results");
            for (int k = 0; k < keep.size(); k++) {
                Map<String, Object> want = outputs.get(keep.get(k));
                Classification result = got.get(k);
                String where = "text " + keep.get(k);
                List<Double> scores = list(want, "scores");
                equal(scores.size(), result.scores().length, where + " score count");
                for (int j = 0; j < scores.size(); j++) {
                    close(scores.get(j), result.score(j), TOLERANCE, where + " score " + j);
                }
                equal(want.get("top_label"), result.topLabel(), where + " top label");
                equal(want.get("truncated"), result.truncated(), where + " truncated");
                equal(((Double) want.get("windows")).intValue(), result.windows(), where + " windows");
            }
        }
    }

    private static void spans(Map<String, Object> c) {
        Double stride = (Double) c.get("stride");
        LongText policy = stride == null ? LongText.TRUNCATE : LongText.WINDOW_MAX;
        Aggregation aggregation = Aggregation.valueOf(((String) c.get("aggregation")).toUpperCase(Locale.ROOT));
        SpanOptions options = SpanOptions.builder().aggregation(aggregation)
                .ignoreLabels(Fixtures.strings(list(c, "ignore_labels"))).build();
        List<String> texts = Fixtures.strings(list(c, "texts"));
        List<List<Map<String, Object>>> outputs = list(c, "outputs");
        List<Integer> keep = scorable(c);
        try (Model model = Fixtures.open((String) c.get("model"), policy, stride)) {
            List<TextSpans> got = model.extractSpans(
                    keep.stream().map(texts::get).collect(Collectors.toList()), options);
            for (int k = 0; k < keep.size(); k++) {
                String text = texts.get(keep.get(k));
                List<Map<String, Object>> want = outputs.get(keep.get(k));
                List<Span> spans = got.get(k).spans();
                String where = "text " + keep.get(k);
                equal(want.size(), spans.size(), where + " span count " + spans);
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                for (int s = 0; s < spans.size(); s++) {
                    Span span = spans.get(s);
                    Map<String, Object> e = want.get(s);
                    String at = where + " span " + s;
                    equal(e.get("label"), span.label(), at + " label");
                    close((Double) e.get("score"), span.score(), TOLERANCE, at + " score");
                    equal(((Double) e.get("start_utf16")).intValue(), span.start(), at + " start");
                    equal(((Double) e.get("end_utf16")).intValue(), span.end(), at + " end");
                    equal(((Double) e.get("start_utf8")).longValue(), span.startUtf8(), at + " start (UTF-8)");
                    equal(((Double) e.get("end_utf8")).longValue(), span.endUtf8(), at + " end (UTF-8)");
                    // Both offset kinds must cut out the same characters.
                    String byBytes = new String(Arrays.copyOfRange(utf8, (int) span.startUtf8(), (int) span.endUtf8()),
                            StandardCharsets.UTF_8);
                    equal(byBytes, span.text(), at + " text");
                    if (e.get("index") != null) {
                        equal(((Double) e.get("index")).intValue(), span.token().orElse(-1), at + " token");
                    }
                }
            }
        }
    }

    private static void rerank(Map<String, Object> c) {
        String mention = (String) c.get("mention");
        List<Double> want = list(c, "scores");
        Ranking<?> ranking;
        try (Model model = Fixtures.open((String) c.get("model"))) {
            if (c.containsKey("records")) {
                List<MeddraRecord> records = new ArrayList<>();
                for (Map<String, Object> r : Fixtures.<Map<String, Object>>list(c, "records")) {
                    records.add(MeddraRecord.builder((String) r.get("pt_name"))
                            .lltNames(Fixtures.strings(list(r, "llt_names")))
                            .hltName((String) r.get("hlt_name"))
                            .hlgtName((String) r.get("hlgt_name"))
                            .socName((String) r.get("soc_name"))
                            .build());
                }
                Ranking<MeddraRecord> ranked = model.rerankCandidates(mention, records, RerankOptions.DEFAULTS);
                for (RankedCandidate<MeddraRecord> r : ranked) {
                    equal(records.get(r.index()), r.candidate(), "candidate echoed");
                }
                ranking = ranked;
            } else {
                List<String> plain = Fixtures.strings(list(c, "plain"));
                Ranking<String> ranked = model.rerank(mention, plain);
                for (RankedCandidate<String> r : ranked) {
                    equal(plain.get(r.index()), r.candidate(), "candidate echoed");
                }
                ranking = ranked;
            }
        }
        equal(want.size(), ranking.size(), "ranked count");
        for (RankedCandidate<?> r : ranking) {
            close(want.get(r.index()), r.score(), TOLERANCE, "candidate " + r.index() + " score");
        }
        List<Integer> order = IntStream.range(0, want.size()).boxed()
                .sorted(Comparator.comparing((Integer i) -> -want.get(i)).thenComparing(i -> i))
                .collect(Collectors.toList());
        equal(order, ranking.candidates().stream().map(RankedCandidate::index).collect(Collectors.toList()),
                "rank order");
    }
}
