package org.abacim.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.TreeMap;
import org.abacim.core.network.Network;
import org.abacim.core.network.RecurrentGates;
import org.abacim.core.network.RecurrentSteps;
import org.abacim.core.placer.DensePlacer;
import org.abacim.core.result.Result;
import org.abacim.core.tech.ToyDesign;
import org.junit.jupiter.api.Test;

/**
 * A recurrent step's gates as one layer cost what its unrolled layers cost: the same element-wise steps, additions
 * and buffer reads, charged to the same array layer, so the same energy and time to the last digits.
 */
class RecurrentGatesCostTest {
    private static Result run(Network net) {
        ToyDesign design = new ToyDesign(32, 4, 1000);
        SimulationOptions options = new SimulationOptions(PipelineMode.INTER_LAYER, Replication.NONE, ChipCount.AUTO);
        return CostModel.evaluate(net, design, DensePlacer.place(net, design, options), options);
    }

    private static Map<String, Double> byAction(Result r) {
        Map<String, Double> sums = new TreeMap<>();
        for (Result.LedgerLine l : r.energyLedger()) sums.merge(l.component() + " " + l.action(), l.energyJ(), Double::sum);
        return sums;
    }

    private static void sameCost(RecurrentGates.Cell cell) {
        Result fused = run(RecurrentSteps.of(cell, 8, true));
        Result unrolled = run(RecurrentSteps.of(cell, 8, false));
        Map<String, Double> want = byAction(unrolled);
        Map<String, Double> got = byAction(fused);
        assertThat(got.keySet()).isEqualTo(want.keySet());
        // The toy design's activation unit and buffer price the gates (it has no partial-sum adder).
        assertThat(got.get("relu activation")).isPositive();
        assertThat(got.get("buffer buffer_read")).isPositive();
        want.forEach((line, joules) -> assertThat(got.get(line)).as(line).isCloseTo(joules, within(joules * 1e-12)));
        assertThat(fused.inference().energyJ()).isCloseTo(unrolled.inference().energyJ(), within(unrolled.inference().energyJ() * 1e-12));
        assertThat(fused.inference().latencyS()).isCloseTo(unrolled.inference().latencyS(), within(unrolled.inference().latencyS() * 1e-12));
        assertThat(fused.layers().stream().filter(l -> l.name().equals("t0_x")).findFirst().orElseThrow().energyJ())
                .as("the gates' work is charged to the step's input product, as the unrolled layers' was")
                .isCloseTo(unrolled.layers().stream().filter(l -> l.name().equals("t0_x")).findFirst().orElseThrow().energyJ(),
                        within(1e-24));
    }

    @Test
    void aFusedGruStepCostsWhatItsUnrolledLayersCost() {
        sameCost(RecurrentGates.Cell.GRU);
    }

    @Test
    void aFusedLstmStepCostsWhatItsUnrolledLayersCost() {
        sameCost(RecurrentGates.Cell.LSTM);
    }
}
