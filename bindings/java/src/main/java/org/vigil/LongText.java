package org.vigil;

/** What happens to a text longer than the model's max length. */
public enum LongText {
    /** Keep the first max-length tokens; the result says it was truncated. */
    TRUNCATE(1),
    /** Overlapping windows, scores averaged. */
    WINDOW_MEAN(2),
    /** Overlapping windows, the highest score per label: a signal anywhere counts. */
    WINDOW_MAX(3);

    final int code;

    LongText(int code) {
        this.code = code;
    }

    static LongText of(int code) {
        for (LongText policy : values()) {
            if (policy.code == code) {
                return policy;
            }
        }
        throw new IllegalStateException("unknown long-text policy " + code + " (a newer libvigil?)");
    }
}
