package org.vigil;

import static org.vigil.Check.equal;
import static org.vigil.Check.isTrue;

import java.util.Arrays;
import java.util.List;

/** Results outlive their model; the Cleaner frees what hosts forget to close. */
final class LifetimeTests {
    private LifetimeTests() {}

    static void register(VigilTests suite) {
        suite.test("results and model facts stay usable after close", LifetimeTests::resultsOutliveModel);
        suite.test("hits and codings stay usable after the dictionary and model are closed",
                LifetimeTests::codingsOutliveDictionary);
        suite.test("a model dropped unclosed is freed by the Cleaner", LifetimeTests::cleaner);
    }

    private static void resultsOutliveModel() {
        Model classifier = Fixtures.open("bert-cls3");
        Model tagger = Fixtures.open("bert-ner-bio");
        Model encoder = Fixtures.open("bert-cross-encoder");
        String text = "Severe rash after amoxicillin";
        Classification c = classifier.classify(text);
        TextSpans s = tagger.extractSpans(text);
        Ranking<String> r = encoder.rerank("itchy rash", List.of("Rash", "Nausea"));
        String fingerprint = classifier.fingerprint();
        classifier.close();
        tagger.close();
        encoder.close();
        equal(classifier.labels().get(c.topIndex()), c.topLabel(), "top label after close");
        Check.close(1.0, Arrays.stream(c.scores()).sum(), 1e-9, "softmax scores after close");
        isTrue(!s.spans().isEmpty(), "spans found");
        for (Span span : s.spans()) {
            equal(text.substring(span.start(), span.end()), span.text(), "span text after close");
        }
        equal(2, r.size(), "ranking after close");
        equal(fingerprint, classifier.fingerprint(), "fingerprint after close");
    }

    private static void codingsOutliveDictionary() {
        int before = NativeResource.live();
        Meddra meddra = Fixtures.openMeddra();
        Model encoder = Fixtures.open("bert-cross-encoder");
        List<RetrievalHit> hits = meddra.retrieve("Headache", 3);
        List<List<Coding>> codings = meddra.normalize(encoder, MeddraTests.MENTIONS, MeddraTests.FOUR_EACH);
        meddra.close();
        encoder.close();
        equal("Headache", hits.get(0).matchedName(), "hit after close");
        equal(4, codings.get(0).size(), "codings after close");
        isTrue(codings.get(1).stream().allMatch(c -> c.ptName() != null && c.socName() != null),
                "names after close: " + codings.get(1));
        equal(64, meddra.ptCount(), "counts after close");
        IllegalStateException e = Check.raises(IllegalStateException.class, () -> meddra.retrieve("Headache", 3),
                "retrieve after close");
        equal("MedDRA dictionary is closed", e.getMessage(), "message");
        Check.raises(IllegalStateException.class, () -> meddra.name(93000001), "lookup after close");
        meddra.close(); // idempotent
        equal(before, NativeResource.live(), "native handles after close");
    }

    // In its own method, so no local variable of the caller keeps the model reachable.
    private static Classification useAndDrop() {
        return Fixtures.open("bert-cls2").classify("rash after amoxicillin");
    }

    private static void cleaner() throws InterruptedException {
        int before = NativeResource.live();
        Classification kept = useAndDrop();
        for (int i = 0; i < 500 && NativeResource.live() != before; i++) { // up to 5 s on a loaded machine
            System.gc();
            Thread.sleep(10);
        }
        equal(before, NativeResource.live(), "native handles after GC");
        equal(2, kept.scores().length, "result from the collected model");
    }
}
