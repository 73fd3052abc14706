package org.vigil;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Candidates best first (equal scores keep the input order). Immutable. */
public final class Ranking<C> implements Iterable<RankedCandidate<C>> {
    private final List<RankedCandidate<C>> candidates;

    private Ranking(List<RankedCandidate<C>> candidates) {
        this.candidates = candidates;
    }

    /** From {@link Native#rerank}'s arrays; {@code originals} are the caller's candidates, in input order. */
    static <C> Ranking<C> decode(List<C> originals, Object[] flat) {
        int[] perRank = (int[]) flat[0];
        double[] scores = (double[]) flat[1];
        List<RankedCandidate<C>> out = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            int index = perRank[3 * i];
            out.add(new RankedCandidate<>(originals.get(index), index, scores[i], perRank[3 * i + 1] != 0,
                    perRank[3 * i + 2] != 0));
        }
        return new Ranking<>(List.copyOf(out));
    }

    public List<RankedCandidate<C>> candidates() {
        return candidates;
    }

    public int size() {
        return candidates.size();
    }

    public RankedCandidate<C> get(int rank) {
        return candidates.get(rank);
    }

    @Override
    public Iterator<RankedCandidate<C>> iterator() {
        return candidates.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ranking<?> r && candidates.equals(r.candidates);
    }

    @Override
    public int hashCode() {
        return candidates.hashCode();
    }

    @Override
    public String toString() {
        return "Ranking" + candidates;
    }
}
