package org.abacim.core.analog;

import java.util.Arrays;

/**
 * A device fitted from measured conductance states ({@link DeviceData}): for each programmed level and each time after
 * programming at which it was read, the mean and σ of the reached conductance, in siemens, and how many samples they
 * rest on (0 when a summary file does not say).
 *
 * <p>Between measured times, mean and σ are interpolated linearly in log time (ReRAM relaxation moves a level's mean
 * and widens its spread by a roughly constant amount per decade of time); between t = 0 and the first later time,
 * linearly in time. Times outside the measured span are refused, never extrapolated.
 *
 * @param source the file or built-in set the data came from
 * @param times the times after programming, in seconds, ascending
 * @param mean [time][level] mean conductance, siemens
 * @param sigma [time][level] σ of the conductance across cells, siemens
 * @param count [time][level] samples behind each (0: not given)
 */
public record MeasuredDevice(String source, double[] times, double[][] mean, double[][] sigma, int[][] count) {
    /** Fewer samples than this per level (and time) are refused: σ from n samples has a relative error ≈ 1/√(2(n−1)), 24 % at 10. */
    public static final int MIN_SAMPLES = 10;

    public MeasuredDevice {
        if (times.length == 0 || mean.length != times.length || sigma.length != times.length) {
            throw new IllegalArgumentException("one row of means and σs per time");
        }
    }

    /** Programmed levels measured. */
    public int levels() { return mean[0].length; }

    /** Per level mean and σ at {@code seconds} after programming: {mean[], sigma[]}, siemens. */
    public double[][] at(double seconds) {
        double first = times[0];
        double last = times[times.length - 1];
        if (!(seconds >= first && seconds <= last)) {
            throw new IllegalArgumentException("the data were measured from " + first + " s to " + last
                    + " s after programming; " + seconds + " s is outside (no extrapolation)");
        }
        int i = 0;
        while (i < times.length - 1 && times[i + 1] <= seconds) i++;
        if (times[i] == seconds || i == times.length - 1) {
            return new double[][] {mean[i].clone(), sigma[i].clone()};
        }
        double t0 = times[i];
        double t1 = times[i + 1];
        double f = t0 == 0 ? seconds / t1 : Math.log(seconds / t0) / Math.log(t1 / t0);
        int n = levels();
        double[] m = new double[n];
        double[] s = new double[n];
        for (int l = 0; l < n; l++) {
            m[l] = mean[i][l] + f * (mean[i + 1][l] - mean[i][l]);
            s[l] = sigma[i][l] + f * (sigma[i + 1][l] - sigma[i][l]);
        }
        return new double[][] {m, s};
    }

    /**
     * The measured level that design level {@code level} of {@code designLevels} maps to: evenly spaced from level 0
     * with the widest whole stride, ⌊(measured − 1) / (design − 1)⌋ (a 2-bit cell on 32 levels takes 0, 10, 20, 30).
     * A whole stride keeps the design's levels evenly spaced in the measured ones; rounding to the nearest (0, 10, 21,
     * 31) would make the steps 10, 11, 10 and show up as a systematic error of a few percent in every cell.
     */
    public int measuredLevel(int level, int designLevels) {
        return level * ((levels() - 1) / (designLevels - 1));
    }

    /**
     * The cells of a design with {@code designLevels} levels per cell at {@code seconds} after programming: design
     * level l takes measured level {@link #measuredLevel}; G_min is the lowest used level's mean and the level step
     * ΔG = (mean of the top used level − G_min) / (designLevels − 1), both at the first measured time (right after
     * programming, what the design is set up for: the reference column and the ADC's scale), while each cell's mean
     * and σ are those at {@code seconds}. Nothing is compensated: a later sag of the means is a gain error, as with
     * {@link DeviceModel.Drift}.
     *
     * @throws IllegalArgumentException when the data have fewer levels than the design, the time is outside the
     *     measured span, or the used levels' means do not rise from bottom to top
     */
    public Cells cells(int designLevels, double seconds) {
        if (designLevels < 2 || designLevels > levels()) {
            throw new IllegalArgumentException("the data have " + levels() + " levels; a cell of " + designLevels
                    + " levels cannot map onto them (use fewer bits per cell or data with more levels)");
        }
        double[][] at = at(seconds);
        int[] map = new int[designLevels];
        for (int l = 0; l < designLevels; l++) map[l] = measuredLevel(l, designLevels);
        double[] programmed = mean[0];
        double gMin = programmed[map[0]];
        double step = (programmed[map[designLevels - 1]] - gMin) / (designLevels - 1);
        if (!(step > 0)) {
            throw new IllegalArgumentException("the top level's mean (" + programmed[map[designLevels - 1]]
                    + " S) is not above the bottom level's (" + gMin + " S)");
        }
        double[] m = new double[designLevels];
        double[] s = new double[designLevels];
        for (int l = 0; l < designLevels; l++) {
            m[l] = at[0][map[l]] / step;
            s[l] = at[1][map[l]] / step;
        }
        return new Cells(map, gMin, step, m, s);
    }

    /**
     * Per design level, the measured level it maps to and its conductance in level steps ΔG: mean (G_min included)
     * and σ. {@link #draw} gives one cell's conductance from a standard normal draw, clipped at 0.
     */
    public record Cells(int[] measuredLevel, double gMinSiemens, double stepSiemens, double[] meanSteps,
                        double[] sigmaSteps) {
        /**
         * What the reference column subtracts, in level steps: the lowest used level's mean at this time (its cells
         * are level-0 cells and relax like them; {@link #gMinSiemens} is the same level right after programming).
         */
        public double gMinSteps() { return meanSteps[0]; }

        /** A cell programmed to {@code level}: its conductance in level steps, from the standard normal {@code n}. */
        public double draw(int level, double n) {
            return Math.max(0, meanSteps[level] + sigmaSteps[level] * n);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeasuredDevice d && source.equals(d.source) && Arrays.equals(times, d.times)
                && Arrays.deepEquals(mean, d.mean) && Arrays.deepEquals(sigma, d.sigma) && Arrays.deepEquals(count, d.count);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(times) * 31 + Arrays.deepHashCode(mean); }

    @Override
    public String toString() { return "MeasuredDevice[" + source + ", " + levels() + " levels, " + times.length + " times]"; }
}
