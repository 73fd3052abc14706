package org.vigil;

/** Something to rerank against a mention: a plain text or a MedDRA record. */
public sealed interface Candidate permits TextCandidate, MeddraRecord {
    static TextCandidate text(String text) {
        return new TextCandidate(text);
    }
}
