package org.abacim.reram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.abacim.core.analog.Chip;
import org.abacim.core.analog.DeviceData;
import org.abacim.core.analog.DeviceModel;
import org.abacim.core.tech.ProgrammedLayer;
import org.abacim.core.units.Time;
import org.junit.jupiter.api.Test;

/**
 * Where the effects of issue #33 meet: measured states with drift keys, times and wires; drift compensation through
 * access devices. Each case was a bug found in review after the features were merged.
 */
class CombinedEffectsTest {
    @Test
    void measuredStatesRefuseADriftExponentEvenWhenReadAtTheReferenceTime() {
        // time = reference (1 s in the preset): the drift model would be "none", but times later would apply ν.
        assertThatThrownBy(() -> Presets.load("isaac", "device.measured=levy-hfox-c", "device.drift.nu=0.05"))
                .hasMessageContaining("drift must be off (nu and nuSigma 0) with device.measured");
        assertThatThrownBy(() -> Presets.load("isaac", "device.measured=levy-hfox-c", "device.drift.compensate=true"))
                .hasMessageContaining("compensation needs the drift model's read at t0");
    }

    @Test
    void measuredStatesAreReadAtTheirOwnTimesBeforeTheDriftReference() {
        ReramDesign d = Presets.load("isaac", "device.measured=levy-hfox-c");
        var numerics = d.numerics().orElseThrow();
        // 10 ms is one of the data's measured times; the preset's drift reference is 1 s.
        assertThat(numerics.refusesTime(Time.of(0.01))).isNull();
        assertThat(numerics.driftReference()).contains(Time.of(0));
        int[] w = new int[128 * 4];
        Arrays.fill(w, 3);
        ProgrammedLayer layer = numerics.program(w, 128, 4, false, new Chip(7, false, Double.NaN, false).at(0.01));
        assertThat(layer).isNotNull();
        assertThat(numerics.refusesTime(Time.of(1e7))).contains("measured");
    }

    @Test
    void wiresOnMeasuredStatesAreInUnitsOfTheMeasuredStep() {
        ReramDesign d = Presets.load("isaac", "device.measured=levy-hfox-c", "wires.access=5 kOhm");
        double step = DeviceData.load("levy-hfox-c", null).cells(1 << d.parameters().array().bitsPerCell(), 0).stepSiemens();
        assertThat(d.wireModel().access()).isCloseTo(5e3 * step, within(1e-12));
    }

    @Test
    void compensationThroughAccessDevicesRestoresTheAllOnesRead() {
        // A uniform drift (no spread of ν) read through access devices: compensation scales the drifted read back to
        // the read at t0 as the column sees it, through the same access devices (not the bare conductances).
        int[] w = DriftTest.unsignedWeights(64 * 16, 5);
        Chip chip = new Chip(13, false, Double.NaN, false);
        IrDrop.WireModel access = new IrDrop.WireModel(0, 0, 0.3);
        double[] atReference = read(DriftTest.device(0.1, 0, 0.05, 0, 0, false), access, w, chip);
        double[] drifted = read(DriftTest.device(0.1, 0, 0.05, 0, 0, false), access, w, chip.at(DriftTest.YEAR));
        double[] compensated = read(DriftTest.device(0.1, 0, 0.05, 0, 0, true), access, w, chip.at(DriftTest.YEAR));
        double reference = Arrays.stream(atReference).sum();
        assertThat(Arrays.stream(drifted).sum() / reference).as("drift lowers the read").isLessThan(0.9);
        assertThat(Arrays.stream(compensated).sum() / reference).isCloseTo(1, within(1e-6));
    }

    private static double[] read(DeviceModel d, IrDrop.WireModel wires, int[] w, Chip chip) {
        ProgrammedLayer layer = new CrossbarNumerics(DriftTest.ONE_CELL, DriftTest.IDEAL, d, 64, false, wires)
                .program(w, 64, 16, false, chip);
        int[] ones = new int[64];
        Arrays.fill(ones, 1);
        return AnalogCrossbarTest.run(layer, ones, 1, 16, 1);
    }
}
