package org.vigil;

import java.util.ArrayList;
import java.util.List;

/**
 * A PT a mention was coded to.
 *
 * @param ptCode the PT
 * @param ptName its name
 * @param socCode its primary SOC (0 when the PT has no hierarchy)
 * @param socName that SOC's name (null when there is none)
 * @param score the cross-encoder's probability
 * @param exact whether the mention equals one of the PT's names (case and accents folded)
 */
public record Coding(int ptCode, String ptName, int socCode, String socName, double score, boolean exact) {
    /** From {@link Native#meddraNormalize}'s arrays: one list per mention. */
    static List<List<Coding>> decode(Object[] flat) {
        int[] perMention = (int[]) flat[0];
        int[] perCoding = (int[]) flat[1];
        double[] scores = (double[]) flat[2];
        String[] ptNames = (String[]) flat[3];
        String[] socNames = (String[]) flat[4];
        List<List<Coding>> out = new ArrayList<>(perMention.length);
        int k = 0;
        for (int count : perMention) {
            List<Coding> codings = new ArrayList<>(count);
            for (int i = 0; i < count; i++, k++) {
                codings.add(new Coding(perCoding[3 * k], ptNames[k], perCoding[3 * k + 1], socNames[k], scores[k],
                        perCoding[3 * k + 2] != 0));
            }
            out.add(List.copyOf(codings));
        }
        return List.copyOf(out);
    }
}
