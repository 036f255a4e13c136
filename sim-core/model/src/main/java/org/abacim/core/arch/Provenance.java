package org.abacim.core.arch;

/**
 * Where a component's numbers come from, as a result reports it (issue #30): {@code published} — a table row used as
 * given (a paper's figure, or a preset's stated assumption); {@code scaled} — a published figure carried to another
 * operating point (process node and supply, or ADC resolution), {@code scaling} saying from what to what and by which
 * model; {@code estimated} — priced by an estimator from design parameters, with no published figure behind it.
 */
public record Provenance(Kind kind, String scaling) {
    /** The three kinds, with the key a result prints. */
    public enum Kind {
        PUBLISHED("published"), SCALED("scaled"), ESTIMATED("estimated");

        private final String key;

        Kind(String key) { this.key = key; }

        public String key() { return key; }
    }

    /** A table row used as given. */
    public static final Provenance PUBLISHED = new Provenance(Kind.PUBLISHED, null);

    public Provenance {
        if (kind == null) throw new IllegalArgumentException("provenance needs a kind");
        if ((kind == Kind.SCALED) != (scaling != null && !scaling.isBlank())) {
            throw new IllegalArgumentException("a scaled figure says how it was scaled, and only a scaled one does");
        }
    }

    /** A figure scaled as {@code how} says (e.g. "32 nm, 1 V → 22 nm, 1 V by Stillmaker and Baas 2017"). */
    public static Provenance scaled(String how) { return new Provenance(Kind.SCALED, how); }

    /** This provenance with one more scaling step after its own ({@code published} becomes {@code scaled}). */
    public Provenance andScaled(String how) {
        return scaled(kind == Kind.SCALED ? scaling + "; " + how : how);
    }
}
