package org.vigil;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One entity. {@link #start()} and {@link #end()} index the Java string that
 * was passed in: {@code text.substring(span.start(), span.end())}.
 */
public final class Span {
    private final String label;
    private final double score;
    private final int start;
    private final int end;
    private final long startUtf8;
    private final long endUtf8;
    private final int token;
    private final String text;

    /** {@code source}: the input string the UTF-16 offsets index. */
    Span(String label, double score, int start, int end, long startUtf8, long endUtf8, int token, String source) {
        this.label = label;
        this.score = score;
        this.start = start;
        this.end = end;
        this.startUtf8 = startUtf8;
        this.endUtf8 = endUtf8;
        this.token = token;
        this.text = source.substring(start, end);
    }

    /** The entity group, or the full tag under {@link Aggregation#NONE}. */
    public String label() {
        return label;
    }

    public double score() {
        return score;
    }

    /** Start in UTF-16 units: a Java string index. */
    public int start() {
        return start;
    }

    /** End in UTF-16 units (exclusive). */
    public int end() {
        return end;
    }

    /** Start in UTF-8 bytes, for systems that index the UTF-8 encoding. */
    public long startUtf8() {
        return startUtf8;
    }

    /** End in UTF-8 bytes (exclusive). */
    public long endUtf8() {
        return endUtf8;
    }

    /** The covered text. */
    public String text() {
        return text;
    }

    /** The token's index in its window, under {@link Aggregation#NONE} only. */
    public OptionalInt token() {
        return token < 0 ? OptionalInt.empty() : OptionalInt.of(token);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Span s
                && label.equals(s.label)
                && Double.compare(score, s.score) == 0
                && start == s.start
                && end == s.end
                && startUtf8 == s.startUtf8
                && endUtf8 == s.endUtf8
                && token == s.token
                && text.equals(s.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, score, start, end);
    }

    @Override
    public String toString() {
        return "Span[" + label + " " + score + " [" + start + "," + end + ") \"" + text + "\"]";
    }
}
