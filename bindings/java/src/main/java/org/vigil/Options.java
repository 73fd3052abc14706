package org.vigil;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a model is opened. Immutable; build with {@link #builder()}. Unset
 * values keep the library's defaults; values are checked by the library
 * when the model opens.
 */
public final class Options {
    /** Every value at its default. */
    public static final Options DEFAULTS = builder().build();

    private final Path ortLibrary;
    private final Integer intraThreads;
    private final Integer sessions;
    private final Integer maxTokensPerBatch;
    private final Integer maxLength;
    private final LongText longText;
    private final Integer stride;
    private final Long maxTextBytes;
    private final String executionProvider;

    private Options(Builder b) {
        ortLibrary = b.ortLibrary;
        intraThreads = b.intraThreads;
        sessions = b.sessions;
        maxTokensPerBatch = b.maxTokensPerBatch;
        maxLength = b.maxLength;
        longText = b.longText;
        stride = b.stride;
        maxTextBytes = b.maxTextBytes;
        executionProvider = b.executionProvider;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sets what was set here on a native options object. */
    void applyTo(long options) {
        if (ortLibrary != null) {
            Native.optionsSetOrtLibrary(options, ortLibrary.toString());
        }
        if (intraThreads != null) {
            Native.optionsSetIntraThreads(options, intraThreads);
        }
        if (sessions != null) {
            Native.optionsSetSessions(options, sessions);
        }
        if (maxTokensPerBatch != null) {
            Native.optionsSetMaxTokensPerBatch(options, maxTokensPerBatch);
        }
        if (maxLength != null) {
            Native.optionsSetMaxLength(options, maxLength);
        }
        if (longText != null) {
            Native.optionsSetLongText(options, longText.code);
        }
        if (stride != null) {
            Native.optionsSetStride(options, stride);
        }
        if (maxTextBytes != null) {
            Native.optionsSetMaxTextBytes(options, maxTextBytes);
        }
        if (executionProvider != null) {
            Native.optionsSetExecutionProvider(options, executionProvider);
        }
    }

    public static final class Builder {
        private Path ortLibrary;
        private Integer intraThreads;
        private Integer sessions;
        private Integer maxTokensPerBatch;
        private Integer maxLength;
        private LongText longText;
        private Integer stride;
        private Long maxTextBytes;
        private String executionProvider;

        private Builder() {}

        /** libonnxruntime.so, tried before every other location (else: beside libvigil.so, VIGIL_ORT_LIBRARY). */
        public Builder ortLibrary(Path path) {
            ortLibrary = Objects.requireNonNull(path, "path");
            return this;
        }

        /** ONNX Runtime intra-op threads per session; 0 lets it choose. */
        public Builder intraThreads(int threads) {
            intraThreads = nonNegative(threads, "intraThreads");
            return this;
        }

        /** How many calls may run the graph at once (default 1). */
        public Builder sessions(int count) {
            sessions = nonNegative(count, "sessions");
            return this;
        }

        /** Upper bound on batch rows × padded length per graph run (default 8192). */
        public Builder maxTokensPerBatch(int tokens) {
            maxTokensPerBatch = nonNegative(tokens, "maxTokensPerBatch");
            return this;
        }

        /** Caps tokens per sequence below the model's own limit. */
        public Builder maxLength(int tokens) {
            maxLength = nonNegative(tokens, "maxLength");
            return this;
        }

        /** Default: the model's vigil.json, else {@link LongText#WINDOW_MAX}. */
        public Builder longText(LongText policy) {
            longText = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Tokens shared by consecutive windows (default: a quarter of max length). */
        public Builder stride(int tokens) {
            stride = nonNegative(tokens, "stride");
            return this;
        }

        /** Longest accepted text in UTF-8 bytes (default 1 MiB); longer is INPUT_TOO_LARGE. */
        public Builder maxTextBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxTextBytes must not be negative: " + bytes);
            }
            maxTextBytes = bytes;
            return this;
        }

        /** "cpu", "cuda" or "tensorrt"; one this build lacks is PROVIDER_UNAVAILABLE, never a silent fallback. */
        public Builder executionProvider(String name) {
            executionProvider = Objects.requireNonNull(name, "name");
            return this;
        }

        public Options build() {
            return new Options(this);
        }

        // The C ABI takes unsigned values; a negative int would wrap to a huge one.
        private static int nonNegative(int value, String what) {
            if (value < 0) {
                throw new IllegalArgumentException(what + " must not be negative: " + value);
            }
            return value;
        }
    }
}
