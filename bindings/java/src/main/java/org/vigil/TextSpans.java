package org.vigil;

import java.util.List;

/** The entities of one text, ordered by start. Immutable. */
public final class TextSpans {
    private final List<Span> spans;
    private final int windows;
    private final boolean truncated;

    private TextSpans(Span[] spans, int windows, boolean truncated) {
        this.spans = List.of(spans);
        this.windows = windows;
        this.truncated = truncated;
    }

    /** From {@link Native#extractSpans}'s arrays, for the texts they came from. */
    static List<TextSpans> decode(String[] texts, Object[] flat) {
        int[] perText = (int[]) flat[0];
        int[] offsets = (int[]) flat[1];
        long[] utf8 = (long[]) flat[2];
        double[] scores = (double[]) flat[3];
        String[] labels = (String[]) flat[4];
        TextSpans[] out = new TextSpans[texts.length];
        int k = 0;
        for (int t = 0; t < texts.length; t++) {
            Span[] spans = new Span[perText[3 * t]];
            for (int i = 0; i < spans.length; i++, k++) {
                spans[i] = new Span(labels[k], scores[k], offsets[3 * k], offsets[3 * k + 1], utf8[2 * k],
                        utf8[2 * k + 1], offsets[3 * k + 2], texts[t]);
            }
            out[t] = new TextSpans(spans, perText[3 * t + 1], perText[3 * t + 2] != 0);
        }
        return List.of(out);
    }

    public List<Span> spans() {
        return spans;
    }

    /** Windows read. */
    public int windows() {
        return windows;
    }

    /** Whether the text lost tokens to truncation (truncate policy only). */
    public boolean truncated() {
        return truncated;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TextSpans t && spans.equals(t.spans) && windows == t.windows && truncated == t.truncated;
    }

    @Override
    public int hashCode() {
        return spans.hashCode();
    }

    @Override
    public String toString() {
        return "TextSpans" + spans + (truncated ? " (truncated)" : "") + " windows=" + windows;
    }
}
