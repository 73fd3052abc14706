package org.vigil;

import java.util.Objects;

/** A candidate given as plain text, scored as is. */
public record TextCandidate(String text) implements Candidate {
    public TextCandidate {
        Objects.requireNonNull(text, "text");
    }
}
