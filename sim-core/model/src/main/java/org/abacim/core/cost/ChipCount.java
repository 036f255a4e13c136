package org.abacim.core.cost;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/** {@code chips: auto} (as many as the network needs) or a fixed number of chips. */
public record ChipCount(int fixed) {
    public static final ChipCount AUTO = new ChipCount(0);

    public ChipCount {
        if (fixed < 0) throw new IllegalArgumentException("expected auto or a whole number of chips, 1 or more");
    }

    public boolean isAuto() { return fixed == 0; }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ChipCount parse(JsonNode node) {
        if (node.isTextual() && node.asText().equals("auto")) return AUTO;
        if (node.isIntegralNumber() && node.asLong() >= 1 && node.asLong() <= 1_000_000) {
            return new ChipCount(node.asInt());
        }
        throw new IllegalArgumentException("expected auto or a whole number of chips, 1 or more");
    }

    @JsonValue
    public Object json() { return isAuto() ? "auto" : fixed; }

    @Override public String toString() { return isAuto() ? "auto" : String.valueOf(fixed); }
}
