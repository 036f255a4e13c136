package org.abacim.core.analog;

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
    /** Bit-serial input cycles until no input of a conversion group (fragment) has a set bit left, summed. */
    public long groupCycles;
    /** Conversion groups (fragment × input vector) counted in {@link #groupCycles}. */
    public long groups;
    /** The same for whole arrays: cycles until no input of the array's rows has a set bit left. */
    public long arrayCycles;
    public long arrayReads;
    /** Values of the layer's input feature map quantized, and how many lay beyond the input word (saturated). */
    public long quantizedValues;
    public long saturatedValues;

    public void add(ActivityCounter o) {
        inputs += o.inputs;
        zeroInputs += o.zeroInputs;
        digits += o.digits;
        nonZeroDigits += o.nonZeroDigits;
        conversions += o.conversions;
        saturatedConversions += o.saturatedConversions;
        codeSum += o.codeSum;
        maxColumnSum = Math.max(maxColumnSum, o.maxColumnSum);
        groupCycles += o.groupCycles;
        groups += o.groups;
        arrayCycles += o.arrayCycles;
        arrayReads += o.arrayReads;
        quantizedValues += o.quantizedValues;
        saturatedValues += o.saturatedValues;
    }

    /**
     * Counts zero-skipping cycles for {@code positions} input vectors of {@code rows} values ([positions × rows]):
     * for each group of {@code groupRows} consecutive rows (within arrays of {@code arrayRows}) and for each array,
     * the cycles of {@code dacBits} bits each until the largest input has no set bit left.
     */
    public void countCycles(int[] inputs, int positions, int rows, int groupRows, int arrayRows, int inputBits,
                            int dacBits) {
        long mask = inputBits >= 32 ? 0xFFFF_FFFFL : (1L << inputBits) - 1;
        for (int p = 0; p < positions; p++) {
            int base = p * rows;
            for (int a0 = 0; a0 < rows; a0 += arrayRows) {
                int a1 = Math.min(rows, a0 + arrayRows);
                long arrayOr = 0;
                for (int g0 = a0; g0 < a1; g0 += groupRows) {
                    long or = 0;
                    for (int r = g0; r < Math.min(a1, g0 + groupRows); r++) or |= inputs[base + r] & mask;
                    groupCycles += cycles(or, dacBits);
                    groups++;
                    arrayOr |= or;
                }
                arrayCycles += cycles(arrayOr, dacBits);
                arrayReads++;
            }
        }
    }

    /** Cycles of {@code dacBits} bits, least significant first, until {@code bits} has no set bit left. */
    static int cycles(long bits, int dacBits) {
        int length = 64 - Long.numberOfLeadingZeros(bits);
        return (length + dacBits - 1) / dacBits;
    }

    /** Mean zero-skipping cycles per conversion group; NaN when none was counted. */
    public double meanGroupCycles() { return groups == 0 ? Double.NaN : (double) groupCycles / groups; }

    /** Mean zero-skipping cycles per array read; NaN when none was counted. */
    public double meanArrayCycles() { return arrayReads == 0 ? Double.NaN : (double) arrayCycles / arrayReads; }

    /** Fraction of row-cycles whose input digit was non-zero (what a 1-bit DAC actually drives). */
    public double digitDensity() { return digits == 0 ? 0 : (double) nonZeroDigits / digits; }

    public double zeroInputFraction() { return inputs == 0 ? 0 : (double) zeroInputs / inputs; }

    public double saturationFraction() { return conversions == 0 ? 0 : (double) saturatedConversions / conversions; }

    public double inputSaturationFraction() { return quantizedValues == 0 ? 0 : (double) saturatedValues / quantizedValues; }

    public double meanCode() { return conversions == 0 ? 0 : (double) codeSum / conversions; }
}
