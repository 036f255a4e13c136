package org.abacim.reram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.abacim.core.analog.AdcModel;
import org.abacim.core.analog.AdcRange;
import org.abacim.core.analog.Chip;
import org.abacim.core.analog.DeviceData;
import org.abacim.core.analog.DeviceModel;
import org.abacim.core.analog.MeasuredDevice;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.units.Resistance;
import org.abacim.core.units.Time;
import org.junit.jupiter.api.Test;

/** Crossbar cells drawn from measured conductance states (device.measured). */
class MeasuredCrossbarTest {
    private static final ArrayGeometry G = new ArrayGeometry(64, 8, 8, 2, 8, 1, CrossbarEncoding.OFFSET_UNIT_COLUMN);
    private static final int LOSSLESS = ReramDesign.losslessAdcBits(64, 1, 2, CrossbarEncoding.OFFSET_UNIT_COLUMN);

    /** The measured states {@code m} taken {@code seconds} after programming. */
    private static CrossbarNumerics numerics(MeasuredDevice m, double seconds) {
        DeviceModel d = new DeviceModel(Resistance.of(1e4), Resistance.of(1.7e5),
                new DeviceModel.Variation(DeviceModel.VariationKind.LOGNORMAL, 0), 0, 0, 0,
                new DeviceModel.Drift(Time.of(1), Time.of(1), 0, 0, 0, Time.of(250e-9), false), m.source(), Time.of(seconds),
                "test");
        return new CrossbarNumerics(G, new AdcModel(LOSSLESS, AdcRange.CLIPPED, 0, 0), d, 64, false, m);
    }

    @Test
    void evenlySpacedMeasuredStatesWithoutSpreadComputeTheExactProduct() {
        // Four levels 1, 2, 3, 4 µS, no spread: G_min 1 µS, ΔG 1 µS, every cell exactly its level above G_min.
        MeasuredDevice m = DeviceData.parse("even.csv", List.of("mean_uS,std_uS", "1,0", "2,0", "3,0", "4,0"));
        CrossbarNumerics n = numerics(m, 0);
        SplittableRandom r = new SplittableRandom(3);
        int[] w = CrossbarNumericsTest.weights(r, 100 * 5, 8, CrossbarEncoding.OFFSET_UNIT_COLUMN);
        int[] x = CrossbarNumericsTest.inputs(r, 100, 8, false);
        double[] y = AnalogCrossbarTest.run(n.program(w, 100, 5, false, new Chip(5, false, Double.NaN, false)), x, 1, 5, 1);
        assertThat(y).containsExactly(AnalogCrossbarTest.asDoubles(CrossbarNumericsTest.exact(w, 100, 5, x)));
        assertThat(n.exact()).isFalse();
    }

    @Test
    void drawsAreKeyedByChipSameChipSameCellsOtherChipOtherCells() {
        MeasuredDevice m = DeviceData.load("levy-hfox-c", null);
        CrossbarNumerics n = numerics(m, 1e5);
        SplittableRandom r = new SplittableRandom(4);
        int[] w = CrossbarNumericsTest.weights(r, 100 * 5, 8, CrossbarEncoding.OFFSET_UNIT_COLUMN);
        int[] x = CrossbarNumericsTest.inputs(r, 100, 8, false);
        double[] a = AnalogCrossbarTest.run(n.program(w, 100, 5, false, new Chip(9, false, Double.NaN, false)), x, 1, 5, 1);
        double[] b = AnalogCrossbarTest.run(n.program(w, 100, 5, false, new Chip(9, false, Double.NaN, false)), x, 1, 5, 1);
        double[] c = AnalogCrossbarTest.run(n.program(w, 100, 5, false, new Chip(10, false, Double.NaN, false)), x, 1, 5, 1);
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }
}
