package org.vigil;

import java.util.Objects;

/** One candidate's place in a {@link Ranking}. Immutable. */
public final class RankedCandidate<C> {
    private final C candidate;
    private final int index;
    private final double score;
    private final boolean passes;
    private final boolean truncated;

    RankedCandidate(C candidate, int index, double score, boolean passes, boolean truncated) {
        this.candidate = candidate;
        this.index = index;
        this.score = score;
        this.passes = passes;
        this.truncated = truncated;
    }

    /** The candidate as passed in. */
    public C candidate() {
        return candidate;
    }

    /** Its position in the input list. */
    public int index() {
        return index;
    }

    /** The positive label's probability. */
    public double score() {
        return score;
    }

    /** Whether the score reaches the threshold. */
    public boolean passes() {
        return passes;
    }

    /** Whether the candidate text was cut to fit the model's max length. */
    public boolean truncated() {
        return truncated;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RankedCandidate<?> r
                && candidate.equals(r.candidate)
                && index == r.index
                && Double.compare(score, r.score) == 0
                && passes == r.passes
                && truncated == r.truncated;
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, score);
    }

    @Override
    public String toString() {
        return "RankedCandidate[#" + index + " " + candidate + " " + score + (passes ? " passes" : "") + "]";
    }
}
