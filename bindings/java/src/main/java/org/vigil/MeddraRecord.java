package org.vigil;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A MedDRA preferred term with its lowest-level terms and hierarchy, which
 * a cross-encoder's template renders into one candidate text. Immutable;
 * build with {@link #builder(String)} (a builder, so fields such as codes
 * can be added without breaking callers).
 */
public final class MeddraRecord implements Candidate {
    private final String ptName;
    private final List<String> lltNames;
    private final String hltName;
    private final String hlgtName;
    private final String socName;

    private MeddraRecord(Builder b) {
        ptName = b.ptName;
        lltNames = b.lltNames;
        hltName = b.hltName;
        hlgtName = b.hlgtName;
        socName = b.socName;
    }

    public static Builder builder(String ptName) {
        return new Builder(ptName);
    }

    public String ptName() {
        return ptName;
    }

    public List<String> lltNames() {
        return lltNames;
    }

    public Optional<String> hltName() {
        return Optional.ofNullable(hltName);
    }

    public Optional<String> hlgtName() {
        return Optional.ofNullable(hlgtName);
    }

    public Optional<String> socName() {
        return Optional.ofNullable(socName);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeddraRecord r
                && ptName.equals(r.ptName)
                && lltNames.equals(r.lltNames)
                && Objects.equals(hltName, r.hltName)
                && Objects.equals(hlgtName, r.hlgtName)
                && Objects.equals(socName, r.socName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ptName, lltNames, hltName, hlgtName, socName);
    }

    @Override
    public String toString() {
        return "MeddraRecord[" + ptName + ", llts=" + lltNames + "]";
    }

    public static final class Builder {
        private final String ptName;
        private List<String> lltNames = List.of();
        private String hltName;
        private String hlgtName;
        private String socName;

        private Builder(String ptName) {
            this.ptName = Objects.requireNonNull(ptName, "ptName");
        }

        public Builder lltNames(List<String> names) {
            lltNames = List.copyOf(names);
            return this;
        }

        /** Null or empty: absent. */
        public Builder hltName(String name) {
            hltName = name;
            return this;
        }

        /** Null or empty: absent. */
        public Builder hlgtName(String name) {
            hlgtName = name;
            return this;
        }

        /** Null or empty: absent. */
        public Builder socName(String name) {
            socName = name;
            return this;
        }

        public MeddraRecord build() {
            return new MeddraRecord(this);
        }
    }
}
