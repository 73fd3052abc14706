package org.vigil;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A MedDRA release (the {@code $}-separated ASCII files: llt.asc, pt.asc,
 * mdhier.asc, ...) with its retrieval index: term lookups, BM25 retrieval of
 * PTs for a mention, and end-to-end coding of mentions with a cross-encoder.
 *
 * <p>Immutable and thread-safe: load a release once and share it between any
 * number of threads. Its lifetime works like {@link Model}'s: close it when
 * done (try-with-resources), else a Cleaner frees it; {@link #close()} never
 * waits and never frees under a running call; calls made after it throw
 * {@link IllegalStateException}. Results are plain Java values and, like the
 * counts, stay valid after close.
 *
 * <p>Codes are MedDRA's 8-digit codes, which fit an {@code int}.
 */
public final class Meddra implements AutoCloseable {
    /** {@code VIGIL_MEDDRA_INCLUDE_NONCURRENT}. */
    private static final int INCLUDE_NONCURRENT = 1;

    private final NativeResource resource;
    private final int ptCount;
    private final int lltCount;
    private final int skippedLlts;

    // The counts never change, so they are read once and stay readable after close.
    private Meddra(long handle) {
        resource = new NativeResource(this, handle, Native::meddraFree, "MedDRA dictionary");
        ptCount = Native.meddraPtCount(handle);
        lltCount = Native.meddraLltCount(handle);
        skippedLlts = Native.meddraSkippedLlts(handle);
    }

    /** Loads the release in {@code dir}, current LLTs only (what coders may pick). */
    public static Meddra open(Path dir) {
        return open(dir, false);
    }

    /**
     * Loads the release in {@code dir}; {@code includeNoncurrent} also keeps
     * the LLTs MedDRA marks non-current, so old verbatims still retrieve their PT.
     *
     * @throws VigilException IO for a missing directory, or a missing or
     *     malformed file (the message names file and line)
     */
    public static Meddra open(Path dir, boolean includeNoncurrent) {
        Objects.requireNonNull(dir, "dir");
        Vigil.ensureLoaded();
        return new Meddra(Native.meddraOpen(dir.toString(), includeNoncurrent ? INCLUDE_NONCURRENT : 0));
    }

    /** Number of preferred terms. */
    public int ptCount() {
        return ptCount;
    }

    /** Number of lowest-level terms kept (current ones unless opened with includeNoncurrent). */
    public int lltCount() {
        return lltCount;
    }

    /** LLTs left out at load because their PT is not in pt.asc. */
    public int skippedLlts() {
        return skippedLlts;
    }

    /** The name of any term (LLT, PT, HLT, HLGT or SOC); empty when the code is unknown. */
    public Optional<String> name(int code) {
        return Optional.ofNullable(resource.call(h -> Native.meddraName(h, code)));
    }

    /** The PT an LLT belongs to (a PT is an LLT of itself); empty when the LLT is unknown. */
    public OptionalInt ptOfLlt(int lltCode) {
        return known(resource.call(h -> Native.meddraLltPt(h, lltCode)));
    }

    /** The PT's primary SOC; empty when the PT is unknown or has no hierarchy. */
    public OptionalInt primarySoc(int ptCode) {
        return known(resource.call(h -> Native.meddraPrimarySoc(h, ptCode)));
    }

    /** The PT's HLT → HLGT → SOC paths, one per SOC it sits in, the primary first; empty when unknown. */
    public List<SocPath> paths(int ptCode) {
        return SocPath.decode(resource.call(h -> Native.meddraPaths(h, ptCode)));
    }

    /**
     * The {@code k} best PTs for a mention by BM25 over PT and LLT names,
     * best first: an LLT match retrieves its PT, and an exact name (case and
     * accents folded) ranks first.
     */
    public List<RetrievalHit> retrieve(String mention, int k) {
        Objects.requireNonNull(mention, "mention");
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative: " + k);
        }
        return RetrievalHit.decode(resource.call(h -> Native.meddraRetrieve(h, mention, k)));
    }

    /** {@link #normalize(Model, List, NormalizeOptions)} with default options. */
    public List<List<Coding>> normalize(Model crossEncoder, List<String> mentions) {
        return normalize(crossEncoder, mentions, NormalizeOptions.DEFAULTS);
    }

    /**
     * Codes each mention to PTs: retrieves candidates, reranks them with the
     * cross-encoder (every mention's pairs batched together) and keeps those
     * over the threshold, best first, with their primary SOC. One list per
     * mention, in input order.
     *
     * @throws VigilException TASK_MISMATCH unless {@code crossEncoder} is a
     *     cross-encoder, EMPTY_TEXT for a blank mention, ...
     */
    public List<List<Coding>> normalize(Model crossEncoder, List<String> mentions, NormalizeOptions options) {
        String[] texts = mentions.toArray(new String[0]);
        // Both handles held for the call, so closing either on another thread waits for it.
        return Coding.decode(resource.call(m -> crossEncoder.call(h -> Native.meddraNormalize(
                m, h, texts, options.candidates, options.threshold, options.topK))));
    }

    /** Releases the dictionary; see the class comment for calls still running. Idempotent. */
    @Override
    public void close() {
        resource.close();
    }

    // The C ABI says "unknown" with code 0, which no MedDRA term has.
    private static OptionalInt known(int code) {
        return code == 0 ? OptionalInt.empty() : OptionalInt.of(code);
    }
}
