package org.vigil;

/**
 * The C ABI one to one, implemented by native/vigil_jni.c. Handles are C
 * pointers as longs; the public classes own them. Fallible calls throw
 * {@link VigilException}.
 *
 * <p>Results come back as primitive arrays, laid out as each method says,
 * for the result classes' {@code decode} to turn into objects: in arrays the
 * caller allocates where it knows the sizes (classify), else in an Object[].
 */
final class Native {
    private Native() {}

    static native String version();

    static native int abiVersion();

    static native int headerAbiVersion();

    static native long optionsNew();

    static native void optionsFree(long options);

    static native void optionsSetOrtLibrary(long options, String path);

    static native void optionsSetIntraThreads(long options, int threads);

    static native void optionsSetSessions(long options, int sessions);

    static native void optionsSetMaxTokensPerBatch(long options, int tokens);

    static native void optionsSetMaxLength(long options, int tokens);

    static native void optionsSetLongText(long options, int policy);

    static native void optionsSetStride(long options, int tokens);

    static native void optionsSetMaxTextBytes(long options, long bytes);

    static native void optionsSetExecutionProvider(long options, String name);

    static native long modelOpen(String dir, long options);

    static native void modelFree(long model);

    static native int modelTask(long model);

    static native String[] modelLabels(long model);

    static native int modelMaxLength(long model);

    static native int modelLongText(long model);

    static native int modelStride(long model);

    static native String modelFingerprint(long model);

    static native String modelOrtVersion(long model);

    static native String modelExecutionProvider(long model);

    /**
     * Fills {@code scores} (each text's scores, one per label, text after
     * text) and {@code meta} (per text: top label, truncated 0/1, windows).
     */
    static native void classify(long model, String[] texts, double[] scores, int[] meta);

    /**
     * {@code ignoreLabels} null keeps the default {"O"}. [0] int[]: per text
     * span count, windows, truncated (0/1); then per span, texts in order:
     * [1] int[] start and end in UTF-16 units, token (-1: none); [2] long[]
     * start and end in UTF-8 bytes; [3] double[] score; [4] String[] label.
     */
    static native Object[] extractSpans(long model, String[] texts, int aggregation, String[] ignoreLabels);

    static native long candidatesNew();

    static native void candidatesFree(long candidates);

    static native void candidatesAddText(long candidates, String text);

    /** Null HLT, HLGT and SOC names are absent. */
    static native void candidatesAddMeddra(
            long candidates, String ptName, String[] lltNames, String hltName, String hlgtName, String socName);

    /**
     * Threshold NaN keeps the model's; topK 0 keeps all. Best first:
     * [0] int[] per rank: input index, passes (0/1), truncated (0/1); [1] double[] score.
     */
    static native Object[] rerank(long model, String mention, long candidates, double threshold, long topK);

    /** {@link #rerank} on plain texts. */
    static native Object[] rerankTexts(long model, String mention, String[] texts, double threshold, long topK);

    static native long meddraOpen(String dir, int flags);

    static native void meddraFree(long meddra);

    static native int meddraPtCount(long meddra);

    static native int meddraLltCount(long meddra);

    static native int meddraSkippedLlts(long meddra);

    /** Null when the code is unknown. */
    static native String meddraName(long meddra, int code);

    static native int meddraLltPt(long meddra, int lltCode);

    static native int meddraPrimarySoc(long meddra, int ptCode);

    /** Every path of the PT, primary first: hlt, hlgt, soc, primary (0/1) per path. */
    static native int[] meddraPaths(long meddra, int ptCode);

    /** Best first: [0] int[] per hit: PT code, matched code, exact (0/1); [1] double[] score; [2] String[] matched name. */
    static native Object[] meddraRetrieve(long meddra, String mention, long k);

    /**
     * Candidates 0 and threshold NaN keep the library's; topK 0 keeps all.
     * [0] int[] codings per mention; then per coding, mentions in order:
     * [1] int[] PT code, SOC code, exact (0/1); [2] double[] score;
     * [3] String[] PT name; [4] String[] SOC name (null without a SOC).
     */
    static native Object[] meddraNormalize(
            long meddra, long model, String[] mentions, long candidates, double threshold, long topK);
}
