package org.abacim.core.analog;

import org.abacim.core.config.Check;

/**
 * A column ADC as the numerics see it: its resolution, how its range is set, and the static errors each converter
 * instance draws once per simulated chip (offset in LSB, relative gain error).
 */
public record AdcModel(int bits, AdcRange range, double offsetSigmaLsb, double gainSigma) {
    public AdcModel {
        Check.between("bits", bits, 1, 24);
        Check.present("range", range);
        Check.that(offsetSigmaLsb >= 0 && offsetSigmaLsb <= 64, "offsetSigma", offsetSigmaLsb, "an LSB count from 0 to 64");
        Check.that(gainSigma >= 0 && gainSigma <= 1, "gainSigma", gainSigma, "a relative σ between 0 and 1");
    }

    public static AdcModel ideal(int bits) {
        return new AdcModel(bits, AdcRange.CLIPPED, 0, 0);
    }

    public long maxCode() { return (1L << bits) - 1; }

    public boolean errorFree() { return offsetSigmaLsb == 0 && gainSigma == 0; }
}
