package org.vigil;

/** How token labels become entities, with transformers' token-classification semantics. */
public enum Aggregation {
    /** One entity per token, labelled with its full tag. */
    NONE(1),
    /** Consecutive tokens of one group merged; score is their mean. */
    SIMPLE(2),
    /** Word-level: each word takes its first token's label. */
    FIRST(3),
    /** Word-level: each word takes the label of its averaged token scores. */
    AVERAGE(4),
    /** Word-level: each word takes its highest-scoring token's label. */
    MAX(5);

    final int code;

    Aggregation(int code) {
        this.code = code;
    }
}
