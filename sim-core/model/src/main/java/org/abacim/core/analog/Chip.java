package org.abacim.core.analog;

/**
 * One simulated chip for the array numerics: the stream its devices are drawn from, and for a calibrated ADC range
 * the full-scale column sum of the layer being programmed (NaN when not calibrated).
 *
 * @param seed key of this chip's draws (derived from the run seed, the trial and the layer)
 * @param nominal true for the chip as designed: programmed exactly, read without noise, ADCs without offset or gain error
 * @param adcFullScale the column sum the ADC's top code stands for, in units of one level step times one input
 *     step; NaN to use the technology's own range; +∞ to bypass the ADC (column sums pass through unconverted, to
 *     measure them for calibration)
 * @param everyConversion simulate every conversion even where the arithmetic collapses to the integer product
 *     (to measure ADC code statistics)
 * @param timeS the time after programming this chip is read at, in seconds (its devices' drift and 1/f noise at that
 *     time; the draws are the same at every time); NaN for the time the device model configures
 */
public record Chip(long seed, boolean nominal, double adcFullScale, boolean everyConversion, double timeS) {
    public Chip(long seed, boolean nominal, double adcFullScale, boolean everyConversion) {
        this(seed, nominal, adcFullScale, everyConversion, Double.NaN);
    }

    /** The same chip read at {@code seconds} after programming. */
    public Chip at(double seconds) {
        return new Chip(seed, nominal, adcFullScale, everyConversion, seconds);
    }

    /** Whether this chip is read at a time of its own rather than the device model's. */
    public boolean timed() {
        return !Double.isNaN(timeS);
    }

    public static Chip asDesigned() {
        return new Chip(0, true, Double.NaN, false);
    }

    public Chip withSeed(long newSeed) {
        return new Chip(newSeed, nominal, adcFullScale, everyConversion, timeS);
    }

    public Chip withFullScale(double fullScale) {
        return new Chip(seed, nominal, fullScale, everyConversion, timeS);
    }
}
