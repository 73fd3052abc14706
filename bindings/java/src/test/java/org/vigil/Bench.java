package org.vigil;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The cost of the binding on one classify call of a short sentence, in one
 * process: the plain C call (timed in C) against raw JNI calls (three ways
 * of reading the string) and the idiomatic Model.classify. The variants run
 * round-robin on the same native model (another model's ORT session would
 * be cold in cache every other call), so drift hits them alike; medians of
 * 2000 after 200 warm-up. Printed, not asserted: timings depend on the machine.
 *
 * <p>Run by test.sh: java ... org.vigil.Bench PATH/TO/libvigil_bench_jni.so
 */
public final class Bench {
    private static final int WARMUP = 1000;
    private static final int CALLS = 2000;
    private static final String[] NAMES = {
        "C: vigil_model_classify, UTF-8 in C memory",
        "JNI raw: GetStringRegion + classify_utf16",
        "JNI raw: GetStringCritical held over the call",
        "JNI raw: GetStringUTFChars + classify (UTF-8)",
        "Model.classify(String): the binding",
    };

    private Bench() {}

    static native long cClassifyNanos(long model, byte[] utf8);

    static native int classify(long model, String text, int access);

    static native double accessNanos(String text, int access, int iterations);

    public static void main(String[] args) {
        System.load(Path.of(args[0]).toAbsolutePath().toString());
        String sentence = "Rash and fever after the first dose of amoxicillin.";
        byte[] utf8 = sentence.getBytes(StandardCharsets.UTF_8);
        long[][] nanos = new long[NAMES.length][CALLS];
        try (Model model = Fixtures.open("bert-cls3")) {
            int top = model.classify(sentence).topIndex();
            // Each variant returns its own time: the C one is timed in C, the others around the Java call.
            List<LongSupplier> variants = new ArrayList<>();
            variants.add(() -> model.call(h -> cClassifyNanos(h, utf8)));
            for (int access = 0; access < 3; access++) {
                int a = access;
                variants.add(() -> timed(top, () -> model.call(h -> classify(h, sentence, a))));
            }
            variants.add(() -> timed(top, () -> model.classify(sentence).topIndex()));
            for (int i = -WARMUP; i < CALLS; i++) {
                // Rotated each round: the first call of a round runs measurably slower.
                for (int k = 0; k < NAMES.length; k++) {
                    int v = Math.floorMod(i + k, NAMES.length);
                    long ns = variants.get(v).getAsLong();
                    if (i >= 0) {
                        nanos[v][i] = ns;
                    }
                }
            }
        }
        long base = median(nanos[0]);
        System.out.printf("one classify call, bert-cls3, \"%s\": median of %d after %d warm-up%n",
                sentence, CALLS, WARMUP);
        for (int v = 0; v < NAMES.length; v++) {
            long m = median(nanos[v]);
            System.out.printf("  %-48s %8.1f us  (%+6.2f us vs C)%n", NAMES[v], m / 1e3, (m - base) / 1e3);
        }
        System.out.println("string access alone, mean ns (region / critical / UTF chars):");
        String[] strings = {sentence, "Rash 😷 and fever after the first dose of amoxicillin.", "rash ".repeat(20_000)};
        String[] labels = {"51 chars, Latin-1", "52 chars, with an emoji", "100000 chars, Latin-1"};
        for (int s = 0; s < strings.length; s++) {
            int n = strings[s].length() > 1000 ? 2_000 : 200_000;
            System.out.printf("  %-24s %10.1f / %10.1f / %10.1f%n", labels[s], accessNanos(strings[s], 0, n),
                    accessNanos(strings[s], 1, n), accessNanos(strings[s], 2, n));
        }
    }

    /** Nanoseconds of {@code call}, which must answer {@code top}. */
    private static long timed(int top, IntSupplier call) {
        long start = System.nanoTime();
        int got = call.getAsInt();
        long ns = System.nanoTime() - start;
        Check.equal(top, got, "top label");
        return ns;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
