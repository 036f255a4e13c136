package org.abacim.core.analog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.abacim.core.config.Keyed;

/**
 * What column sum an ADC's top code stands for. With as many bits as the lossless rule asks, all three are the
 * same: one code per unit of column sum.
 */
public enum AdcRange implements Keyed {
    /** One code per unit of column sum; larger sums saturate at the top code (ISAAC's ADC with fewer bits). */
    CLIPPED("clipped"),
    /** The codes spread over the largest column sum the array can produce: low bits are lost, nothing clips. */
    FULL_SCALE("full-scale"),
    /** The codes spread over the largest column sum seen on calibration samples, per layer. */
    CALIBRATED("calibrated"),
    /**
     * No quantization or clipping: column sums reach the digital side unrounded (an infinitely fine converter, for
     * accuracy studies that isolate the devices; costs are still those of the ADC's bits).
     */
    IDEAL("ideal");

    private final String key;

    AdcRange(String key) { this.key = key; }

    @JsonValue
    public String key() { return key; }

    @JsonCreator
    public static AdcRange parse(String text) {
        return Keyed.parse(AdcRange.class, text);
    }
}
