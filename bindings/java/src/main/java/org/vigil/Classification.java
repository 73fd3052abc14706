package org.vigil;

import java.util.Arrays;
import java.util.List;

/** One text's scores. Immutable; independent of the model once returned. */
public final class Classification {
    private final List<String> labels;
    private final double[] scores;
    private final int top;
    private final boolean truncated;
    private final int windows;

    private Classification(List<String> labels, double[] scores, int top, boolean truncated, int windows) {
        this.labels = labels;
        this.scores = scores;
        this.top = top;
        this.truncated = truncated;
        this.windows = windows;
    }

    /** From {@link Native#classify}'s arrays; {@code labels} is the model's list, shared. */
    static List<Classification> decode(List<String> labels, double[] scores, int[] meta) {
        int width = labels.size();
        Classification[] out = new Classification[meta.length / 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Classification(labels, Arrays.copyOfRange(scores, i * width, (i + 1) * width),
                    meta[3 * i], meta[3 * i + 1] != 0, meta[3 * i + 2]);
        }
        return List.of(out);
    }

    /** The model's labels, in label-id order. */
    public List<String> labels() {
        return labels;
    }

    /** One score per label, in label-id order (a copy). */
    public double[] scores() {
        return scores.clone();
    }

    public double score(int label) {
        return scores[label];
    }

    /** @throws IllegalArgumentException for a label the model does not have */
    public double score(String label) {
        int index = labels.indexOf(label);
        if (index < 0) {
            throw new IllegalArgumentException("no label " + label + " in " + labels);
        }
        return scores[index];
    }

    /** The top label's index (ties go to the lowest id). */
    public int topIndex() {
        return top;
    }

    public String topLabel() {
        return labels.get(top);
    }

    /** Whether the text lost tokens to truncation (truncate policy only): judged on its start. */
    public boolean truncated() {
        return truncated;
    }

    /** How many windows were run. */
    public int windows() {
        return windows;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Classification c
                && labels.equals(c.labels)
                && Arrays.equals(scores, c.scores)
                && top == c.top
                && truncated == c.truncated
                && windows == c.windows;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(scores) + top;
    }

    @Override
    public String toString() {
        return "Classification[" + topLabel() + ", scores=" + Arrays.toString(scores) + ", truncated=" + truncated
                + ", windows=" + windows + "]";
    }
}
