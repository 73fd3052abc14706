package org.vigil;

/** Per-call options for {@link Meddra#normalize}. Immutable. */
public final class NormalizeOptions {
    /** 100 candidates per mention, the model's threshold, every PT that passes. */
    public static final NormalizeOptions DEFAULTS = builder().build();

    /** 0: the library's (100). */
    final long candidates;
    /** NaN: the model's (vigil.json {@code threshold}, else 0.5). */
    final double threshold;
    /** 0: all. */
    final long topK;

    private NormalizeOptions(Builder b) {
        candidates = b.candidates;
        threshold = b.threshold;
        topK = b.topK;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private long candidates;
        private double threshold = Double.NaN;
        private long topK;

        private Builder() {}

        /** PTs retrieved per mention before reranking (default 100): recall against rerank time. */
        public Builder candidates(int k) {
            if (k < 1) { // 0 stands for "the library's" above, so it cannot be a value
                throw new IllegalArgumentException("candidates must be at least 1: " + k);
            }
            candidates = k;
            return this;
        }

        /** Score a PT must reach to be kept; must be in [0, 1]. */
        public Builder threshold(double value) {
            if (Double.isNaN(value)) { // NaN stands for "the model's" above, so it cannot be a value
                throw new IllegalArgumentException("threshold must be a number");
            }
            threshold = value;
            return this;
        }

        /** Keep at most {@code k} PTs per mention; 0 keeps every PT that passes. */
        public Builder topK(int k) {
            if (k < 0) {
                throw new IllegalArgumentException("topK must not be negative: " + k);
            }
            topK = k;
            return this;
        }

        public NormalizeOptions build() {
            return new NormalizeOptions(this);
        }
    }
}
