package org.vigil;

import static org.vigil.Check.equal;
import static org.vigil.Check.isTrue;
import static org.vigil.Check.raises;
import static org.vigil.Check.raisesVigil;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The MedDRA dictionary on the invented releases: loading, lookups, retrieval, normalisation and its errors. */
final class MeddraTests {
    // Codes from tests/fixtures/meddra/en.
    private static final int HEADACHE = 93000001;
    private static final int HEAD_PAIN = 94000001; // a current LLT of Headache
    private static final int CEPHALALGIA = 94000004; // a non-current one
    private static final int JAUNDICE = 93000034;
    private static final int NEUROLOGICAL = 90000001;

    /** Threshold 0 passes every candidate, so top-k decides how many come back. */
    static final NormalizeOptions FOUR_EACH =
            NormalizeOptions.builder().candidates(20).threshold(0.0).topK(4).build();
    static final List<String> MENTIONS = List.of("pain in my head", "Headache", "felt sick to my stomach");

    private MeddraTests() {}

    static void register(VigilTests suite) {
        suite.test("MedDRA: counts, non-current LLTs on request, UTF-8 names", MeddraTests::open);
        suite.test("MedDRA: a missing directory is IO", () -> raisesVigil(ErrorCode.IO, "no-such-release",
                () -> Meddra.open(Fixtures.meddra("no-such-release"))));
        suite.test("MedDRA: names, LLT to PT, primary SOC, paths of Headache and Jaundice", MeddraTests::lookups);
        suite.test("MedDRA: retrieve puts the exact name first", MeddraTests::retrieve);
        suite.test("MedDRA: normalize gives top-k PTs best first with the primary SOC", MeddraTests::normalize);
        suite.test("MedDRA: a batch codes each mention as when coded alone", MeddraTests::batchAsAlone);
        suite.test("MedDRA: normalize refuses a classifier, blank mentions and bad options", MeddraTests::errors);
    }

    private static void open() {
        try (Meddra en = Fixtures.openMeddra();
                Meddra all = Meddra.open(Fixtures.meddra("en"), true);
                Meddra zh = Meddra.open(Fixtures.meddra("zh"))) {
            equal(64, en.ptCount(), "PTs");
            equal(233, en.lltCount(), "current LLTs");
            equal(0, en.skippedLlts(), "skipped LLTs");
            equal(242, all.lltCount(), "LLTs with the non-current ones");
            equal(OptionalInt.empty(), en.ptOfLlt(CEPHALALGIA), "a non-current LLT is left out by default");
            equal(OptionalInt.of(HEADACHE), all.ptOfLlt(CEPHALALGIA), "and kept on request");
            equal(31, zh.ptCount(), "Chinese PTs");
            RetrievalHit hit = zh.retrieve("拉肚子", 3).get(0);
            equal(Optional.of("腹泻"), zh.name(hit.ptCode()), "a colloquial LLT retrieves its PT");
            equal("拉肚子", hit.matchedName(), "matched name");
        }
    }

    private static void lookups() {
        try (Meddra meddra = Fixtures.openMeddra()) {
            equal(Optional.of("Headache"), meddra.name(HEADACHE), "PT name");
            equal(Optional.of("Head pain"), meddra.name(HEAD_PAIN), "LLT name");
            equal(OptionalInt.of(HEADACHE), meddra.ptOfLlt(HEAD_PAIN), "LLT to PT");
            equal(OptionalInt.of(HEADACHE), meddra.ptOfLlt(HEADACHE), "a PT is an LLT of itself");
            equal(OptionalInt.of(NEUROLOGICAL), meddra.primarySoc(HEADACHE), "primary SOC");

            List<SocPath> paths = meddra.paths(HEADACHE);
            equal(List.of(new SocPath(92000001, 91000001, NEUROLOGICAL, true)), paths, "Headache's one path");
            equal(Optional.of("Headache types"), meddra.name(paths.get(0).hlt()), "HLT name");
            equal(Optional.of("Head pain and dizziness conditions"), meddra.name(paths.get(0).hlgt()), "HLGT name");
            equal(Optional.of("Neurological and mental conditions"), meddra.name(paths.get(0).soc()), "SOC name");

            List<SocPath> jaundice = meddra.paths(JAUNDICE);
            equal(3, jaundice.size(), "Jaundice sits in 3 SOCs");
            equal(List.of(true, false, false), jaundice.stream().map(SocPath::primary).toList(), "primary first");
            equal(OptionalInt.of(jaundice.get(0).soc()), meddra.primarySoc(JAUNDICE), "primary path's SOC");

            equal(Optional.empty(), meddra.name(1), "unknown code");
            equal(OptionalInt.empty(), meddra.ptOfLlt(12345678), "unknown LLT");
            equal(OptionalInt.empty(), meddra.primarySoc(12345678), "unknown PT");
            equal(List.of(), meddra.paths(12345678), "unknown PT's paths");
        }
    }

    private static void retrieve() {
        try (Meddra meddra = Fixtures.openMeddra()) {
            List<RetrievalHit> hits = meddra.retrieve("Headache", 5);
            equal(5, hits.size(), "k hits");
            RetrievalHit first = hits.get(0);
            isTrue(first.exact(), "exact first: " + first);
            equal("Headache", first.matchedName(), "matched name");
            equal(HEADACHE, first.ptCode(), "PT");
            equal(OptionalInt.of(first.ptCode()), meddra.ptOfLlt(first.matchedCode()), "matched code is the PT's");
            for (int i = 1; i < hits.size(); i++) {
                isTrue(!hits.get(i).exact(), "only one exact hit: " + hits.get(i));
                isTrue(hits.get(i - 1).score() >= hits.get(i).score(), "best first: " + hits);
            }
            RetrievalHit alias = meddra.retrieve("head pain", 1).get(0);
            equal(new RetrievalHit(HEADACHE, alias.score(), HEAD_PAIN, "Head pain", true), alias, "an LLT's exact name");
            equal(List.of(), meddra.retrieve("Headache", 0), "k = 0");
            raisesVigil(ErrorCode.INVALID_UTF16, "mention", () -> meddra.retrieve("head \uD83D", 3));
            raises(IllegalArgumentException.class, () -> meddra.retrieve("Headache", -1), "negative k");
        }
    }

    private static void normalize() {
        try (Meddra meddra = Fixtures.openMeddra(); Model encoder = Fixtures.open("bert-cross-encoder")) {
            List<List<Coding>> all = meddra.normalize(encoder, MENTIONS, FOUR_EACH);
            equal(MENTIONS.size(), all.size(), "one list per mention");
            for (List<Coding> codings : all) {
                equal(4, codings.size(), "threshold 0 passes all, top-k keeps 4: " + codings);
                for (int i = 0; i < codings.size(); i++) {
                    Coding c = codings.get(i);
                    isTrue(i == 0 || codings.get(i - 1).score() >= c.score(), "best first: " + codings);
                    equal(OptionalInt.of(c.socCode()), meddra.primarySoc(c.ptCode()), "primary SOC of " + c);
                    equal(meddra.name(c.socCode()), Optional.of(c.socName()), "SOC name of " + c);
                    equal(meddra.name(c.ptCode()), Optional.of(c.ptName()), "PT name of " + c);
                }
            }
            // With every candidate kept, the exact name is among them and says so (alone).
            NormalizeOptions everything = NormalizeOptions.builder().candidates(20).threshold(0.0).build();
            List<Coding> exact = meddra.normalize(encoder, List.of("Headache"), everything).get(0).stream()
                    .filter(Coding::exact).toList();
            equal(List.of(HEADACHE), exact.stream().map(Coding::ptCode).toList(), "exact codings");
            // Defaults: the fixture's vigil.json threshold, 0.3.
            for (Coding c : meddra.normalize(encoder, List.of("pain in my head")).get(0)) {
                isTrue(c.score() >= 0.3, "default threshold: " + c);
            }
            equal(List.of(), meddra.normalize(encoder, List.of()), "no mentions");
        }
    }

    private static void batchAsAlone() {
        try (Meddra meddra = Fixtures.openMeddra(); Model encoder = Fixtures.open("bert-cross-encoder")) {
            List<List<Coding>> batch = meddra.normalize(encoder, MENTIONS, FOUR_EACH);
            for (int m = 0; m < MENTIONS.size(); m++) {
                List<Coding> alone = meddra.normalize(encoder, List.of(MENTIONS.get(m)), FOUR_EACH).get(0);
                equal(codes(alone), codes(batch.get(m)), "PTs of mention " + m);
                for (int i = 0; i < alone.size(); i++) {
                    Check.close(alone.get(i).score(), batch.get(m).get(i).score(), 1e-6, "mention " + m + " score " + i);
                }
            }
        }
    }

    private static List<Integer> codes(List<Coding> codings) {
        List<Integer> out = new ArrayList<>();
        codings.forEach(c -> out.add(c.ptCode()));
        return out;
    }

    private static void errors() {
        try (Meddra meddra = Fixtures.openMeddra();
                Model classifier = Fixtures.open("bert-cls2");
                Model encoder = Fixtures.open("bert-cross-encoder")) {
            raisesVigil(ErrorCode.TASK_MISMATCH, "", () -> meddra.normalize(classifier, List.of("headache")));
            raisesVigil(ErrorCode.EMPTY_TEXT, "mention 1", () -> meddra.normalize(encoder, List.of("rash", " ")));
            raisesVigil(ErrorCode.INVALID_UTF16, "mention 1",
                    () -> meddra.normalize(encoder, List.of("rash", "head \uDC00")));
            raisesVigil(ErrorCode.INVALID_ARGUMENT, "threshold", () -> meddra.normalize(encoder, List.of("rash"),
                    NormalizeOptions.builder().threshold(1.5).build()));
            raises(IllegalArgumentException.class, () -> NormalizeOptions.builder().candidates(0), "no candidates");
            raises(NullPointerException.class, () -> meddra.normalize(encoder, Arrays.asList("rash", null)), "null");
        }
    }
}
