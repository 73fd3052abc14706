package org.vigil;

import static org.vigil.Check.equal;
import static org.vigil.Check.isTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One Model shared by an 8-thread pool. */
final class ThreadTests {
    private static final int THREADS = 8;
    private static final int ROUNDS = 4;

    private ThreadTests() {}

    static void register(VigilTests suite) {
        List<String> texts = Fixtures.strings(Fixtures.list(Fixtures.cases("classify.json").get(2), "texts"))
                .stream().filter(Fixtures::scorable).collect(Collectors.toList());
        for (int sessions : new int[] {1, 3}) {
            suite.test("8 threads, " + sessions + " session(s): classify identical to serial", () -> {
                try (Model model = Model.open(Fixtures.model("bert-cls3"), Fixtures.options()
                        .longText(LongText.WINDOW_MEAN).stride(16).sessions(sessions).build())) {
                    sameAsSerial(texts, model::classify);
                }
            });
        }
        suite.test("8 threads: spans identical to serial", () -> {
            try (Model model = Fixtures.open("bert-ner-bio", LongText.WINDOW_MAX, 16.0)) {
                sameAsSerial(texts, model::extractSpans);
            }
        });
        suite.test("8 threads: rerank identical to serial", () -> {
            List<String> mentions = Fixtures.cases("rerank.json").stream().map(c -> (String) c.get("mention"))
                    .collect(Collectors.toList());
            List<String> candidates = List.of("Rash", "Tachycardia", "Nausea", "Headache", "Hepatitis");
            try (Model model = Fixtures.open("bert-cross-encoder")) {
                sameAsSerial(mentions, mention -> model.rerank(mention, candidates));
            }
        });
        suite.test("8 threads share a MedDRA dictionary and a model: normalize identical to serial", () -> {
            try (Meddra meddra = Fixtures.openMeddra(); Model model = Fixtures.open("bert-cross-encoder")) {
                sameAsSerial(MeddraTests.MENTIONS,
                        mention -> meddra.normalize(model, List.of(mention), MeddraTests.FOUR_EACH));
            }
        });
        suite.test("closing a model while 8 threads use it", ThreadTests::closeUnderLoad);
    }

    /** Every input ROUNDS times, in a different order per round, across the pool. */
    private static <R> void sameAsSerial(List<String> inputs, Function<String, R> call) throws Exception {
        Map<String, R> serial = inputs.stream().distinct().collect(Collectors.toMap(t -> t, call));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < inputs.size(); i++) {
                    String input = inputs.get((i + round * 3) % inputs.size());
                    tasks.add(() -> serial.get(input).equals(call.apply(input)));
                }
            }
            int same = 0;
            for (Future<Boolean> result : pool.invokeAll(tasks)) {
                same += result.get() ? 1 : 0;
            }
            equal(tasks.size(), same, "results identical to serial");
        } finally {
            pool.shutdown();
        }
    }

    /** Calls racing close() either finish or see IllegalStateException; none crashes, the handle is freed once. */
    private static void closeUnderLoad() throws Exception {
        int before = NativeResource.live();
        Model model = Fixtures.open("bert-cls3");
        Classification expected = model.classify("rash after amoxicillin");
        CountDownLatch running = new CountDownLatch(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                int calls = 0;
                try {
                    while (true) {
                        equal(expected, model.classify("rash after amoxicillin"), "result while racing close");
                        if (++calls == 1) {
                            running.countDown();
                        }
                    }
                } catch (IllegalStateException closed) {
                    equal("model is closed", closed.getMessage(), "exception after close");
                    return calls;
                }
            }));
        }
        isTrue(running.await(60, TimeUnit.SECONDS), "all threads running");
        model.close();
        int calls = 0;
        for (Future<Integer> worker : workers) {
            calls += worker.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        isTrue(calls >= THREADS, "calls made before close: " + calls);
        Check.raises(IllegalStateException.class, () -> model.classify("rash"), "call after close");
        model.close(); // idempotent
        equal(before, NativeResource.live(), "native handles after close");
    }
}
