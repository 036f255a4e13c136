package org.abacim.core.analog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/** {@code bits: auto} (the lossless resolution for the array, e.g. by ISAAC's rule) or a fixed ADC resolution in bits. */
public record AdcBits(int fixed) {
    public static final AdcBits AUTO = new AdcBits(0);

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static AdcBits parse(JsonNode node) {
        if (node.isTextual() && node.asText().equals("auto")) return AUTO;
        if (node.isIntegralNumber() && node.asInt() >= 1 && node.asInt() <= 16) return new AdcBits(node.asInt());
        throw new IllegalArgumentException("expected auto or a resolution from 1 to 16 bits");
    }

    public boolean isAuto() { return fixed == 0; }

    @JsonValue
    public Object json() { return isAuto() ? "auto" : fixed; }
}
