package org.vigil;

import java.util.ArrayList;
import java.util.List;

/**
 * A PT retrieved for a mention.
 *
 * @param ptCode the PT
 * @param score its BM25 score
 * @param matchedCode the LLT (or the PT itself) whose name matched best
 * @param matchedName that name
 * @param exact whether that name equals the mention (case and accents folded)
 */
public record RetrievalHit(int ptCode, double score, int matchedCode, String matchedName, boolean exact) {
    /** From {@link Native#meddraRetrieve}'s arrays. */
    static List<RetrievalHit> decode(Object[] flat) {
        int[] perHit = (int[]) flat[0];
        double[] scores = (double[]) flat[1];
        String[] names = (String[]) flat[2];
        List<RetrievalHit> out = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            out.add(new RetrievalHit(perHit[3 * i], scores[i], perHit[3 * i + 1], names[i], perHit[3 * i + 2] != 0));
        }
        return List.copyOf(out);
    }
}
