package org.imcsim.core.analog;

/**
 * What a layer's arrays saw while real inputs ran through them: inputs and how many were zero, input digits applied
 * to rows and how many were non-zero (row drives), conversions and the codes they produced. Counts are exact
 * integers, so the totals do not depend on how images were split among threads.
 */
public final class ActivityCounter {
    public long inputs;
    public long zeroInputs;
    public long digits;
    public long nonZeroDigits;
    public long conversions;
    public long saturatedConversions;
    public long codeSum;
    /** Largest column sum (before the ADC) seen, in units of one level step times one input step. */
    public double maxColumnSum;

    public void add(ActivityCounter o) {
        inputs += o.inputs;
        zeroInputs += o.zeroInputs;
        digits += o.digits;
        nonZeroDigits += o.nonZeroDigits;
        conversions += o.conversions;
        saturatedConversions += o.saturatedConversions;
        codeSum += o.codeSum;
        maxColumnSum = Math.max(maxColumnSum, o.maxColumnSum);
    }

    /** Fraction of row-cycles whose input digit was non-zero (what a 1-bit DAC actually drives). */
    public double digitDensity() { return digits == 0 ? 0 : (double) nonZeroDigits / digits; }

    public double zeroInputFraction() { return inputs == 0 ? 0 : (double) zeroInputs / inputs; }

    public double saturationFraction() { return conversions == 0 ? 0 : (double) saturatedConversions / conversions; }

    public double meanCode() { return conversions == 0 ? 0 : (double) codeSum / conversions; }
}
