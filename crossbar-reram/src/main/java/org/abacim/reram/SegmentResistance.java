package org.abacim.reram;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import org.abacim.core.units.Resistance;

/**
 * {@code wordLine: auto} (copper of the process's feature size, one cell pitch long: {@link WireResistivity}) or a
 * resistance per cell segment with its unit ({@code 1.5 Ohm}).
 */
public record SegmentResistance(Resistance fixed) {
    public static final SegmentResistance AUTO = new SegmentResistance(null);

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static SegmentResistance parse(JsonNode node) {
        if (node.isTextual() && node.asText().strip().equals("auto")) return AUTO;
        if (node.isTextual()) return new SegmentResistance(Resistance.parse(node.asText()));
        throw new IllegalArgumentException("expected auto or a resistance with its unit, like 1.5 Ohm");
    }

    public static SegmentResistance of(Resistance r) { return new SegmentResistance(r); }

    public boolean isAuto() { return fixed == null; }

    @JsonValue
    public String json() { return isAuto() ? "auto" : fixed.toString(); }

    @Override
    public String toString() { return json(); }
}
