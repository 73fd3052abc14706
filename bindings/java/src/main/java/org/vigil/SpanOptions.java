package org.vigil;

import java.util.List;
import java.util.Objects;

/** Per-call options for {@link Model#extractSpans}. Immutable. */
public final class SpanOptions {
    /** SIMPLE aggregation, "O" ignored. */
    public static final SpanOptions DEFAULTS = builder().build();

    final Aggregation aggregation;
    /** Null: the library's default, {"O"}. */
    final String[] ignoreLabels;

    private SpanOptions(Builder b) {
        aggregation = b.aggregation;
        ignoreLabels = b.ignoreLabels == null ? null : b.ignoreLabels.toArray(new String[0]);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Aggregation aggregation = Aggregation.SIMPLE;
        private List<String> ignoreLabels;

        private Builder() {}

        public Builder aggregation(Aggregation value) {
            aggregation = Objects.requireNonNull(value, "aggregation");
            return this;
        }

        /** Labels to leave out (entity groups; full tags under NONE); empty keeps everything. */
        public Builder ignoreLabels(List<String> labels) {
            ignoreLabels = List.copyOf(labels);
            return this;
        }

        public SpanOptions build() {
            return new SpanOptions(this);
        }
    }
}
