package org.vigil;

/** What a model does, from its config: which of Model's calls it accepts. */
public enum Task {
    /** {@link Model#classify}. */
    SEQUENCE_CLASSIFICATION(1),
    /** {@link Model#extractSpans}. */
    TOKEN_CLASSIFICATION(2),
    /** {@link Model#rerank} and {@link Model#rerankCandidates}. */
    CROSS_ENCODER(3);

    final int code;

    Task(int code) {
        this.code = code;
    }

    static Task of(int code) {
        for (Task task : values()) {
            if (task.code == code) {
                return task;
            }
        }
        throw new IllegalStateException("unknown task code " + code + " (a newer libvigil?)");
    }
}
