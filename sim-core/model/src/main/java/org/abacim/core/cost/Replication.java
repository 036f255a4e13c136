package org.abacim.core.cost;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.abacim.core.config.Keyed;

/** Whether layers get extra copies of their weights to balance the pipeline. */
public enum Replication implements Keyed {
    /** ISAAC: copy layers so that no stage is slower than it must be, within the chips' array budget. */
    BALANCED("balanced"),
    /** One copy of every layer. */
    NONE("none");

    private final String key;

    Replication(String key) { this.key = key; }

    @JsonValue
    public String key() { return key; }

    @JsonCreator
    public static Replication parse(String text) {
        return Keyed.parse(Replication.class, text);
    }

    @Override public String toString() { return key; }
}
