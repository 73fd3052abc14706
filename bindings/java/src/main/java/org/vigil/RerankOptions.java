package org.vigil;

/** Per-call options for reranking. Immutable. */
public final class RerankOptions {
    /** The model's threshold, every candidate returned. */
    public static final RerankOptions DEFAULTS = builder().build();

    /** NaN: the model's (vigil.json {@code threshold}, else 0.5). */
    final double threshold;
    /** 0: all. */
    final long topK;

    private RerankOptions(Builder b) {
        threshold = b.threshold;
        topK = b.topK;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private double threshold = Double.NaN;
        private long topK;

        private Builder() {}

        /** Score a candidate must reach to {@link RankedCandidate#passes() pass}; must be in [0, 1]. */
        public Builder threshold(double value) {
            if (Double.isNaN(value)) { // NaN stands for "the model's" below, so it cannot be a value
                throw new IllegalArgumentException("threshold must be a number");
            }
            threshold = value;
            return this;
        }

        /** Keep only the best {@code k}; 0 keeps all. */
        public Builder topK(int k) {
            if (k < 0) {
                throw new IllegalArgumentException("topK must not be negative: " + k);
            }
            topK = k;
            return this;
        }

        public RerankOptions build() {
            return new RerankOptions(this);
        }
    }
}
