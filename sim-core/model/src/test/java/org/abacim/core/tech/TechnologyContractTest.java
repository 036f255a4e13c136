package org.abacim.core.tech;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.abacim.core.arch.Action;
import org.abacim.core.arch.Component;
import org.abacim.core.arch.Ledger;
import org.abacim.core.cost.CostModel;
import org.abacim.core.cost.SimulationOptions;
import org.abacim.core.network.Input;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.Shape;
import org.abacim.core.placement.LayerPlacement;
import org.abacim.core.placement.Placement;
import org.abacim.core.placement.TileClass;
import org.abacim.core.result.Result;
import org.junit.jupiter.api.Test;

/**
 * The contract every technology passes (shipped in sim-core's test jar): costs are finite and non-negative, area
 * grows with the array, a full array's multiply costs energy and time, results are deterministic, and where the
 * technology models its arithmetic, an ideal array computes the exact integer product.
 */
public abstract class TechnologyContractTest {
    /** The technology's reference design (its main preset). */
    protected abstract Design design();

    /** The same design with arrays of the given size. */
    protected abstract Design designWithArraySize(int rows, int cols);

    @Test
    void componentCostsAreFiniteAndNonNegative() {
        for (Component c : design().hierarchy().components()) {
            assertThat(c.power().watts()).as(c.name() + " power").isFinite().isGreaterThanOrEqualTo(0);
            assertThat(c.area().squareMeters()).as(c.name() + " area").isFinite().isGreaterThanOrEqualTo(0);
            c.actions().forEach((action, energy) ->
                    assertThat(energy.joules()).as(c.name() + " " + action).isFinite().isGreaterThanOrEqualTo(0));
        }
        assertThat(design().hierarchy().area().squareMeters()).isPositive();
        assertThat(design().hierarchy().power().watts()).isPositive();
    }

    @Test
    void areaGrowsWithTheArray() {
        Design small = designWithArraySize(64, 64);
        Design large = designWithArraySize(256, 256);
        assertThat(large.hierarchy().area().squareMeters()).isGreaterThan(small.hierarchy().area().squareMeters());
    }

    @Test
    void aFullArrayMultiplyCostsEnergyAndTime() {
        Design d = design();
        ArrayGeometry g = d.geometry();
        Ledger ledger = new Ledger();
        int cols = g.weightsPerRow() * g.cellsPerWeight();
        d.arrayModel().countMvm(g.rows(), cols, 1, ledger);
        assertThat(ledger.energyJ()).isPositive();
        assertThat(d.arrayModel().mvmSeconds(g.rows(), cols)).isPositive();
        Ledger half = new Ledger();
        d.arrayModel().countMvm(Math.max(1, g.rows() / 2), cols, 1, half);
        assertThat(half.energyJ()).isLessThanOrEqualTo(ledger.energyJ());
        assertThat(ledger.count(Action.ADC_CONVERT)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void resultsAreDeterministic() {
        Design d = design();
        Network net = oneArrayNetwork(d.geometry());
        Placement placement = oneArrayPlacement(d.geometry());
        Result first = CostModel.evaluate(net, d, placement, SimulationOptions.defaults());
        Result second = CostModel.evaluate(net, design(), placement, SimulationOptions.defaults());
        assertThat(second).isEqualTo(first);
        assertThat(first.inference().energyJ()).isPositive();
        assertThat(first.peak().gops()).isPositive();
    }

    @Test
    void idealNumericsAreBitExact() {
        Design d = design();
        if (d.numerics().isEmpty()) return; // a cost-only technology: nothing to check
        MvmNumerics n = d.numerics().get();
        ArrayGeometry g = d.geometry();
        java.util.SplittableRandom r = new java.util.SplittableRandom(17);
        int rows = g.rows() * 2 + 3;
        int cols = g.weightsPerRow() + 1;
        int wMax = (1 << (Math.min(g.weightBits(), 12) - 1)) - 1;
        int xMax = (1 << Math.min(g.inputBits(), 12)) - 1;
        int[] w = new int[rows * cols];
        int[] x = new int[rows];
        boolean unsigned = g.signEncoding().unsignedOnly();
        for (int i = 0; i < w.length; i++) w[i] = unsigned ? r.nextInt(wMax + 1) : r.nextInt(2 * wMax + 1) - wMax;
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(xMax + 1);
        long[] expected = new long[cols];
        for (int i = 0; i < rows; i++) for (int c = 0; c < cols; c++) expected[c] += (long) w[i * cols + c] * x[i];
        assertThat(n.exact()).as("the preset's ADC is lossless").isTrue();
        assertThat(n.multiply(w, rows, cols, x, false)).containsExactly(expected);
        // Programmed on a chip (the preset's devices, every conversion simulated) it is still exact.
        double[] out = new double[cols];
        n.program(w, rows, cols, false, new org.abacim.core.analog.Chip(3, false, Double.NaN, true))
                .multiply(x, 1, out, new java.util.SplittableRandom(1), new org.abacim.core.analog.ActivityCounter());
        for (int c = 0; c < cols; c++) assertThat(out[c]).as("column " + c).isEqualTo((double) expected[c]);
    }

    /** A fully connected layer that fills exactly one array (per sign). */
    public static Network oneArrayNetwork(ArrayGeometry g) {
        return Network.of("one-array", "one full array", "contract test", List.of(
                new Input("input", Shape.vector(g.rows())),
                new Linear("fc", "input", g.rows(), g.weightsPerRow(), false)));
    }

    public static Placement oneArrayPlacement(ArrayGeometry g) {
        int signArrays = g.signEncoding().arraysPerMatrix();
        LayerPlacement fc = new LayerPlacement("fc", g.rows(), g.weightsPerRow(), 1, 1, 1, 1,
                List.of(new TileClass(g.rows(), g.weightsPerRow() * g.cellsPerWeight(), signArrays)), signArrays, 1, 1, 0);
        return new Placement(List.of(fc), 1, 1, List.of(), "one array");
    }
}
