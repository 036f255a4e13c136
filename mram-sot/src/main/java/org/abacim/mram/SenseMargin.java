package org.abacim.mram;

import java.util.Arrays;
import org.apache.commons.math3.special.Erf;

/**
 * How often a dual-row read senses the wrong bit. With two rows open a bit line carries the current of two MTJs in
 * parallel, G = 1/R_a + 1/R_b, at one of three nominal levels: 2·G_P (both cells 1, parallel), G_P + G_AP (one),
 * 2·G_AP (none). A sense-amplifier reference midway between two levels reads AND or OR; two references read XOR.
 * Each cell's resistance spreads device to device (normal, relative σ: R_P's own, and for R_AP = R_P·(1 + TMR) R_P's
 * and the TMR's share combined), and the amplifier adds a normal input offset. The chance that a read lands on the
 * wrong side of a reference is integrated numerically over both cells' resistances (G = 1/R is skewed: a normal
 * approximation in G underestimates the upward tail by half at 10 % spread — checked against sampled cells), with
 * the amplifier's offset as a normal tail inside. These are the sense-margin errors a bit-wise engine makes in its
 * popcounts.
 *
 * @param conductanceP nominal G_P = 1/R_P, siemens
 * @param conductanceAp nominal G_AP = 1/R_AP, siemens
 * @param spreadP relative σ of one cell's R_P
 * @param spreadAp relative σ of one cell's R_AP
 * @param sigmaAmp σ of the amplifier offset in conductance (offset current / read voltage), siemens
 */
public record SenseMargin(double conductanceP, double conductanceAp, double spreadP, double spreadAp, double sigmaAmp) {

    /** The logic functions one read gives, by where the references sit. */
    public enum Logic { AND, OR, XOR }

    /** Grid points per cell over ±8σ of its resistance. */
    private static final int GRID = 801;

    public static SenseMargin of(SotMramParams.CellParams cell, SotMramParams.ReadParams read,
                                 SotMramParams.SenseAmpParams amp) {
        // R_AP = R_P (1 + TMR): its relative spread has R_P's and the TMR's share of it.
        double tmrShare = cell.tmrSigma() * cell.tmr() / (1 + cell.tmr());
        double spreadAp = Math.sqrt(cell.resistanceSigma() * cell.resistanceSigma() + tmrShare * tmrShare);
        return new SenseMargin(1 / cell.resistanceP().ohms(), 1 / cell.resistanceAp().ohms(), cell.resistanceSigma(),
                spreadAp, amp.offset().amperes() / read.voltage().volts());
    }

    /** Nominal bit-line conductance with {@code ones} of the two open cells holding 1 (parallel, low resistance). */
    public double level(int ones) {
        return ones * conductanceP + (2 - ones) * conductanceAp;
    }

    /** The reference between the levels of {@code ones} and {@code ones + 1} cells holding 1: their midpoint. */
    public double reference(int ones) {
        return 0.5 * (level(ones) + level(ones + 1));
    }

    /** The logic value a correct read gives with {@code ones} of the two cells holding 1. */
    public static boolean ideal(Logic logic, int ones) {
        return switch (logic) {
            case AND -> ones == 2;
            case OR -> ones >= 1;
            case XOR -> ones == 1;
        };
    }

    /** Probability that a read of {@code logic} with {@code ones} cells holding 1 returns the wrong bit. */
    public double errorProbability(Logic logic, int ones) {
        if (ones < 0 || ones > 2) throw new IllegalArgumentException("ones must be 0, 1 or 2");
        if (errorFree()) return 0;
        double low = reference(0);  // between none and one
        double high = reference(1); // between one and two
        // P(G > t) for both references at once, integrated over the two cells.
        double[] cellA = ones >= 1 ? cell(conductanceP, spreadP) : cell(conductanceAp, spreadAp);
        double[] cellB = ones == 2 ? cell(conductanceP, spreadP) : cell(conductanceAp, spreadAp);
        double aboveLow = 0;
        double aboveHigh = 0;
        for (int a = 0; a < GRID; a++) {
            double wa = cellA[GRID + a];
            if (wa == 0) continue;
            for (int b = 0; b < GRID; b++) {
                double w = wa * cellB[GRID + b];
                if (w == 0) continue;
                double gSum = cellA[a] + cellB[b];
                aboveLow += w * above(low, gSum);
                aboveHigh += w * above(high, gSum);
            }
        }
        return switch (logic) {
            case AND -> ones == 2 ? 1 - aboveHigh : aboveHigh;
            case OR -> ones == 0 ? aboveLow : 1 - aboveLow;
            case XOR -> ones == 1 ? (1 - aboveLow) + aboveHigh : aboveLow - aboveHigh;
        };
    }

    /**
     * One cell's conductance on a grid of its resistance R = R0 (1 + spread·z), z over ±8 (kept where R stays
     * positive): {@code [0, GRID)} the conductances, {@code [GRID, 2·GRID)} their normal weights (summing to 1).
     */
    private static double[] cell(double g0, double spread) {
        double[] out = new double[2 * GRID];
        if (spread == 0) {
            Arrays.fill(out, 0, GRID, g0);
            out[GRID + GRID / 2] = 1;
            return out;
        }
        double zMin = Math.max(-8, -0.95 / spread);
        double step = (8 - zMin) / (GRID - 1);
        double total = 0;
        for (int i = 0; i < GRID; i++) {
            double z = zMin + i * step;
            out[i] = g0 / (1 + spread * z);
            out[GRID + i] = Math.exp(-0.5 * z * z);
            total += out[GRID + i];
        }
        for (int i = 0; i < GRID; i++) out[GRID + i] /= total;
        return out;
    }

    /** P(g + offset > t) with the amplifier's normal offset. */
    private double above(double t, double g) {
        if (sigmaAmp == 0) return g > t ? 1 : 0;
        return 0.5 * Erf.erfc((t - g) / (sigmaAmp * Math.sqrt(2)));
    }

    /** Whether no read can go wrong (no spread at all). */
    public boolean errorFree() {
        return spreadP == 0 && spreadAp == 0 && sigmaAmp == 0;
    }
}
