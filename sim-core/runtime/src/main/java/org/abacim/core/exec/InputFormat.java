package org.abacim.core.exec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.abacim.core.config.Check;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.Key;
import org.abacim.core.config.KeyCatalog;
import org.abacim.core.config.Keyed;

/**
 * The number format of the activations that arrays read bit by bit (the {@code inputFormat:} section). It decides
 * which input bits are set, and so how early bit-serial zero-skipping (FORMS) can stop.
 *
 * <ul>
 *   <li>{@code calibrated}: each layer's inputs are scaled so that the largest value seen on calibration images
 *       fills the word (at 4 bits or fewer, the clip with least error) — the usual choice of quantized inference,
 *       and the densest use of the top bits.</li>
 *   <li>{@code fixed-point}: one Q-format for the whole network: {@code fractionBits} bits right of the binary
 *       point, the rest of the input word integer bits (one of them the sign for a layer whose inputs can be
 *       negative). Values beyond the word saturate; runs count them.</li>
 * </ul>
 *
 * @param kind calibrated or fixed-point
 * @param fractionBits fixed-point: bits right of the binary point, 0 to the input word's bits (ignored when calibrated)
 */
public record InputFormat(
        @Key(doc = "calibrated: each layer scaled so its largest calibration value fills the word; fixed-point: one "
                + "Qm.n for the whole network (values beyond it saturate and are counted)", defaultValue = "calibrated")
        Kind kind,
        @Key(doc = "fixed-point: bits right of the binary point, the rest of the inputBits word integer bits "
                + "(ignored when calibrated)", unit = "bits", defaultValue = "0")
        int fractionBits) {
    public InputFormat {
        Check.present("kind", kind);
        Check.between("fractionBits", fractionBits, 0, 16);
    }

    public static final InputFormat CALIBRATED = new InputFormat(Kind.CALIBRATED, 0);

    public enum Kind implements Keyed {
        CALIBRATED("calibrated"), FIXED_POINT("fixed-point");

        private final String key;

        Kind(String key) { this.key = key; }

        @JsonValue
        public String key() { return key; }

        @JsonCreator
        public static Kind parse(String text) {
            return Keyed.parse(Kind.class, text);
        }
    }

    public boolean fixedPoint() {
        return kind == Kind.FIXED_POINT;
    }

    /** How a result names the format for an input word of {@code bits} bits: {@code calibrated} or Qm.n. */
    public String describe(int bits) {
        return fixedPoint() ? "fixed-point Q" + (bits - fractionBits) + "." + fractionBits : "calibrated";
    }

    /** What an {@code inputFormat:} section that leaves a key out gets: the defaults declared above. */
    public static ConfigDocument defaults() {
        return KeyCatalog.defaultsDocument("inputFormat", InputFormat.class);
    }
}
