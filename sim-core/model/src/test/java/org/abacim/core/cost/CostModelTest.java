package org.abacim.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.abacim.core.network.Activation;
import org.abacim.core.network.Input;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.Shape;
import org.abacim.core.placement.LayerPlacement;
import org.abacim.core.placement.Placement;
import org.abacim.core.placement.TileClass;
import org.abacim.core.result.Result;
import org.abacim.core.tech.ToyDesign;
import org.junit.jupiter.api.Test;

/** The engine on a network and design small enough to cost by hand (see ToyDesign for the prices). */
class CostModelTest {
    private final ToyDesign design = new ToyDesign(4, 2);

    /** fc1: 4 → 2 on one full 4×2 array, ReLU, fc2: 2 → 2 on half an array. */
    private final Network net = Network.of("toy", "", "test", List.of(
            new Input("input", Shape.vector(4)),
            new Linear("fc1", "input", 4, 2, false),
            new Activation("relu", "fc1", Activation.Kind.RELU, 0),
            new Linear("fc2", "relu", 2, 2, false)));

    private Placement placement(int fc1Copies) {
        return new Placement(List.of(
                new LayerPlacement("fc1", 4, 2, 1, 1, 1, 1, List.of(new TileClass(4, 2, 1)), 1, fc1Copies, fc1Copies, 0),
                new LayerPlacement("fc2", 2, 2, 1, 1, 1, 1, List.of(new TileClass(2, 2, 1)), 1, 1, 1, fc1Copies)),
                1, 2, List.of(), "by hand");
    }

    @Test
    void energyIsTheLedgerOfHandCountedActions() {
        Result r = CostModel.evaluate(net, design, placement(1), SimulationOptions.defaults());
        // fc1: 4 rows × 2 input cycles × 1 pJ + 2 columns × 2 cycles × 2 pJ + 8 bits read + 4 bits written × 0.1 pJ
        //      + ReLU on 2 values × 0.5 pJ = 8 + 8 + 0.8 + 0.4 + 1 = 18.2 pJ
        // fc2: 2 × 2 × 1 + 2 × 2 × 2 + (4 + 4) × 0.1 = 12.8 pJ
        assertThat(r.layers().get(0).energyJ()).isCloseTo(18.2e-12, within(1e-18));
        assertThat(r.layers().get(1).energyJ()).isCloseTo(12.8e-12, within(1e-18));
        assertThat(r.inference().energyJ()).isCloseTo(31.0e-12, within(1e-18));
        assertThat(r.inference().energyBreakdownJ()).containsOnlyKeys("dac", "adc", "buffer", "relu");
        assertThat(r.inference().energyBreakdownJ().get("adc")).isCloseTo(16e-12, within(1e-18));
        assertThat(r.layers().get(0).adcConversions()).isEqualTo(4);
        double ledgerSum = r.energyLedger().stream().mapToDouble(Result.LedgerLine::energyJ).sum();
        assertThat(ledgerSum).isCloseTo(r.inference().energyJ(), within(1e-18));
    }

    @Test
    void interLayerPipelineRunsAtTheSlowestStageAndLayerByLayerAtTheSum() {
        Result pipelined = CostModel.evaluate(net, design, placement(1), SimulationOptions.defaults());
        // Each multiply is 2 input cycles of 1 µs; fc2 (fully connected) waits for all of fc1.
        assertThat(pipelined.inference().fps()).isCloseTo(1 / 2e-6, within(1e-3));
        assertThat(pipelined.inference().latencyS()).isCloseTo(4e-6, within(1e-15));
        Result serial = CostModel.evaluate(net, design, placement(1),
                new SimulationOptions(PipelineMode.LAYER_BY_LAYER, Replication.NONE, ChipCount.AUTO));
        assertThat(serial.inference().fps()).isCloseTo(1 / 4e-6, within(1e-3));
        assertThat(serial.inference().latencyS()).isCloseTo(4e-6, within(1e-15));
        assertThat(serial.inference().energyJ()).isEqualTo(pipelined.inference().energyJ());
    }

    @Test
    void peakAndPerChipFiguresComeFromTheHierarchy() {
        Result r = CostModel.evaluate(net, design, placement(1), SimulationOptions.defaults());
        // 2 arrays of 4×2 one-bit weights, 2 µs per multiply: 2 × 8 MACs / 2 µs = 8 GMAC/s = 16 GOPS... ×1e-9 scale
        assertThat(r.peak().gops()).isCloseTo(2 * 2 * 8 / 2e-6 / 1e9, within(1e-12));
        // Area: buffer 0.1 + relu 0.001 + 2 groups × (adc 0.01 + 4 dacs × 0.001) mm²
        assertThat(r.area().totalMm2()).isCloseTo(0.1 + 0.001 + 2 * (0.01 + 0.004), within(1e-12));
        assertThat(r.power().totalW()).isCloseTo(1e-3 * (2 + 0.1 + 2 * (1 + 4 * 0.5)), within(1e-12));
        assertThat(r.inference().utilization()).isCloseTo(r.inference().gops() / r.peak().gops(), within(1e-12));
    }

    @Test
    void replicationDividesTheStageButNotTheWork() {
        Result one = CostModel.evaluate(net, design, placement(1), SimulationOptions.defaults());
        Result two = CostModel.evaluate(net, design, placement(2), SimulationOptions.defaults());
        // Only one multiply per inference here, so a second copy of fc1 cannot speed it up; arrays double.
        assertThat(two.inference().fps()).isEqualTo(one.inference().fps());
        assertThat(two.layers().get(0).arrays()).isEqualTo(2);
        assertThat(two.inference().energyJ()).isEqualTo(one.inference().energyJ());
    }
}
