package org.abacim.reram;

import org.abacim.core.units.Length;
import org.abacim.core.units.Resistance;

/**
 * Copper resistivity with size effects, and the aspect ratio of the wire, by wire width: NeuroSim's table
 * (DNN_NeuroSim V1.4, Inference_pytorch/NeuroSIM/Param.cpp, "1.4 update: wirewidth"; facts and source in
 * docs/reference/wire-resistance.md). A cell segment of a line at feature size F, as wide as F, AR·F tall and
 * {@code pitch}·F long, has R = ρ(F)·pitch·F / (F · AR·F) = ρ(F)·pitch / (AR·F). Barrier liner and temperature
 * corrections (which NeuroSim applies to its metal layers) are left out.
 */
public final class WireResistivity {
    private WireResistivity() {}

    /** Lower edge of each width band in nm, its aspect ratio and resistivity in Ω·m. */
    private static final double[][] TABLE = {
            {175, 1.6, 2.01e-8}, {110, 1.6, 2.20e-8}, {105, 1.7, 2.21e-8}, {80, 1.7, 2.37e-8}, {56, 1.8, 2.63e-8},
            {40, 1.9, 2.97e-8}, {32, 2.0, 3.25e-8}, {22, 2.0, 3.95e-8}, {20, 2.0, 4.17e-8}, {15, 2.0, 4.98e-8},
            {12, 2.0, 5.8e-8}, {10, 2.0, 6.61e-8}, {8, 3.0, 7.87e-8}};

    /** Narrowest wire the table covers. */
    public static final double MIN_WIDTH_NM = 8;

    /** {aspect ratio, resistivity in Ω·m} of a copper wire {@code width} wide (at least 8 nm). */
    public static double[] of(Length width) {
        double nm = width.meters() * 1e9;
        for (double[] row : TABLE) if (nm >= row[0] - 1e-9) return new double[] {row[1], row[2]};
        throw new IllegalArgumentException("no copper resistivity below " + MIN_WIDTH_NM + " nm (was " + width + ")");
    }

    /** One cell segment of a line of feature size {@code node}, {@code pitch} feature sizes long. */
    public static Resistance segment(Length node, double pitch) {
        double[] ar = of(node);
        return Resistance.of(ar[1] * pitch / (ar[0] * node.meters()));
    }
}
