package org.vigil;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * An open model directory (model.onnx, config.json, tokenizer.json).
 *
 * <p>Thread-safe: share one Model between any number of threads. Close it
 * when done (try-with-resources); a Model dropped unclosed is released by a
 * Cleaner. {@link #close()} does not wait: calls already running finish
 * normally and the native model is freed when the last one returns; calls
 * made after it throw {@link IllegalStateException}. Results are plain Java
 * objects and stay valid after close.
 */
public final class Model implements AutoCloseable {
    private final NativeResource resource;
    private final Task task;
    private final List<String> labels;
    private final int maxLength;
    private final LongText longText;
    private final int stride;
    private final String fingerprint;
    private final String ortVersion;
    private final String executionProvider;

    // The model's fixed facts are read once here, so they stay readable after close.
    private Model(long handle) {
        resource = new NativeResource(this, handle, Native::modelFree, "model");
        task = Task.of(Native.modelTask(handle));
        labels = List.of(Native.modelLabels(handle));
        maxLength = Native.modelMaxLength(handle);
        longText = LongText.of(Native.modelLongText(handle));
        stride = Native.modelStride(handle);
        fingerprint = Native.modelFingerprint(handle);
        ortVersion = Native.modelOrtVersion(handle);
        executionProvider = Native.modelExecutionProvider(handle);
    }

    /** Opens {@code dir} with default options. */
    public static Model open(Path dir) {
        return open(dir, Options.DEFAULTS);
    }

    /** @throws VigilException IO for a missing directory, MODEL_INVALID, RUNTIME_UNAVAILABLE, ... */
    public static Model open(Path dir, Options options) {
        Objects.requireNonNull(dir, "dir");
        Vigil.ensureLoaded();
        long nativeOptions = Native.optionsNew();
        try {
            options.applyTo(nativeOptions);
            return new Model(Native.modelOpen(dir.toString(), nativeOptions));
        } finally {
            Native.optionsFree(nativeOptions);
        }
    }

    public Task task() {
        return task;
    }

    /** Label names in label-id order. */
    public List<String> labels() {
        return labels;
    }

    /** Tokens per sequence (window) after any cap from the options. */
    public int maxLength() {
        return maxLength;
    }

    public LongText longText() {
        return longText;
    }

    /** Tokens shared by consecutive windows. */
    public int stride() {
        return stride;
    }

    /** "sha256:..." over the model's files: log it with results to identify the exact model. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The ONNX Runtime in use, e.g. "1.31.1 (git 6af1a93)". */
    public String ortVersion() {
        return ortVersion;
    }

    /** The execution provider in use ("cpu"). */
    public String executionProvider() {
        return executionProvider;
    }

    /** Classifies one text. */
    public Classification classify(String text) {
        return classify(new String[] {text}).get(0);
    }

    /** Classifies a batch in one call (batched and padded inside); results in input order. */
    public List<Classification> classify(List<String> texts) {
        return classify(texts.toArray(new String[0]));
    }

    private List<Classification> classify(String[] texts) {
        double[] scores = new double[texts.length * labels.size()];
        int[] meta = new int[texts.length * 3];
        call(h -> {
            Native.classify(h, texts, scores, meta);
            return null;
        });
        return Classification.decode(labels, scores, meta);
    }

    /** Entities of one text with default options. */
    public TextSpans extractSpans(String text) {
        return extractSpans(text, SpanOptions.DEFAULTS);
    }

    public TextSpans extractSpans(String text, SpanOptions options) {
        return extractSpans(new String[] {text}, options).get(0);
    }

    /** Entities of each text, in input order. */
    public List<TextSpans> extractSpans(List<String> texts, SpanOptions options) {
        return extractSpans(texts.toArray(new String[0]), options);
    }

    private List<TextSpans> extractSpans(String[] texts, SpanOptions options) {
        return TextSpans.decode(texts,
                call(h -> Native.extractSpans(h, texts, options.aggregation.code, options.ignoreLabels)));
    }

    /** Ranks plain candidate texts against a mention with default options. */
    public Ranking<String> rerank(String mention, List<String> candidates) {
        return rerank(mention, candidates, RerankOptions.DEFAULTS);
    }

    public Ranking<String> rerank(String mention, List<String> candidates, RerankOptions options) {
        Objects.requireNonNull(mention, "mention");
        String[] texts = candidates.toArray(new String[0]);
        return Ranking.decode(Arrays.asList(texts),
                call(h -> Native.rerankTexts(h, mention, texts, options.threshold, options.topK)));
    }

    /** Ranks texts and MedDRA records (mixed as needed) against a mention. */
    public <C extends Candidate> Ranking<C> rerankCandidates(
            String mention, List<C> candidates, RerankOptions options) {
        Objects.requireNonNull(mention, "mention");
        List<C> originals = List.copyOf(candidates);
        long list = Native.candidatesNew();
        try {
            for (Candidate candidate : originals) {
                if (candidate instanceof MeddraRecord r) {
                    Native.candidatesAddMeddra(list, r.ptName(), r.lltNames().toArray(new String[0]),
                            r.hltName().orElse(null), r.hlgtName().orElse(null), r.socName().orElse(null));
                } else {
                    Native.candidatesAddText(list, ((TextCandidate) candidate).text());
                }
            }
            return Ranking.decode(originals,
                    call(h -> Native.rerank(h, mention, list, options.threshold, options.topK)));
        } finally {
            Native.candidatesFree(list);
        }
    }

    /** Releases the model; see the class comment for calls still running. Idempotent. */
    @Override
    public void close() {
        resource.close();
    }

    // Every native call on the model goes through here (see NativeResource.call).
    // Package-private so the benchmark and Meddra.normalize can make raw calls on this same model.
    <T> T call(LongFunction<T> body) {
        return resource.call(body);
    }
}
