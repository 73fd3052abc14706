package org.vigil;

import java.util.ArrayList;
import java.util.List;

/** One HLT → HLGT → SOC path of a PT, by code; {@code primary} marks the PT's primary SOC. */
public record SocPath(int hlt, int hlgt, int soc, boolean primary) {
    /** From {@link Native#meddraPaths}'s array. */
    static List<SocPath> decode(int[] fields) {
        List<SocPath> out = new ArrayList<>(fields.length / 4);
        for (int i = 0; i < fields.length; i += 4) {
            out.add(new SocPath(fields[i], fields[i + 1], fields[i + 2], fields[i + 3] != 0));
        }
        return List.copyOf(out);
    }
}
