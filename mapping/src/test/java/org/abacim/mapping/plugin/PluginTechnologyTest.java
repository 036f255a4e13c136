package org.abacim.mapping.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.abacim.core.arch.Action;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.cost.CostModel;
import org.abacim.core.cost.SimulationOptions;
import org.abacim.core.network.Input;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.Shape;
import org.abacim.core.placement.Placement;
import org.abacim.core.result.Result;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.DesignInfo;
import org.abacim.core.tech.TechnologyContractTest;
import org.abacim.core.tensor.Tensor;
import org.abacim.core.placer.DensePlacer;
import org.junit.jupiter.api.Test;

/**
 * The plug-in rule: a technology defined entirely in test code — its own action, timing hook and placement
 * constraint — is configured from YAML, placed by the unchanged placer, costed by the unchanged engine, and passes the
 * same contract tests as the shipped technologies.
 */
class PluginTechnologyTest extends TechnologyContractTest {
    private static final SpikingTechnology TECHNOLOGY = new SpikingTechnology();

    static Design spiking(int rows, int cols) {
        String yaml = "rows: " + rows + "\ncols: " + cols + "\narraysPerGroup: 4\ngroups: 64\nspikeWindow: 50 ns\n"
                + "integrate: 0.2 pJ\nrowDrive: 0.05 pJ\narrayArea: " + (rows * cols * 1e-6) + " mm^2\n";
        return TECHNOLOGY.configure(new DesignInfo(TECHNOLOGY.id(), "spiking", "", "test"),
                ConfigReader.read("spiking.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))));
    }

    @Override protected Design design() { return spiking(16, 8); }

    @Override protected Design designWithArraySize(int rows, int cols) { return spiking(rows, cols); }

    /** A 64 → 20 fully connected layer with the given weights ([20][64], PyTorch's layout). */
    private static Network fc(float[] w) {
        Network shapes = Network.of("fc-net", "", "test", List.of(new Input("input", Shape.vector(64)),
                new Linear("fc", "input", 64, 20, false)));
        return shapes.withParams(Map.of("fc", new LayerParams.Dense(new Tensor(new int[] {20, 64}, w), null)));
    }

    @Test
    void itsOwnActionTimingAndConstraintRunThroughTheUnchangedPlacerAndEngine() {
        Design d = design();
        float[] w = new float[20 * 64];
        java.util.Arrays.fill(w, 1f);
        Network net = fc(w);
        Placement placement = DensePlacer.place(net, d, SimulationOptions.defaults());
        Result r = CostModel.evaluate(net, d, placement, SimulationOptions.defaults());

        // 64 rows in arrays of 16 and 20 columns in arrays of 8: 4 × 3 = 12 arrays, run two at a time.
        Result.LayerLine layer = r.layers().get(0);
        assertThat(layer.arrays()).isEqualTo(12);
        assertThat(layer.timeS()).isEqualTo(6 * 50e-9, org.assertj.core.data.Offset.offset(1e-18));
        // The ledger names the technology's own action: one integration per used column per array per multiply.
        double integrations = r.energyLedger().stream().filter(l -> l.action().equals("spike_integrate"))
                .mapToDouble(Result.LedgerLine::count).sum();
        assertThat(integrations).isEqualTo(4 * (8 + 8 + 4));
        assertThat(Action.declared()).contains(SpikingTechnology.SPIKE_INTEGRATE);
    }

    @Test
    void itsPlacementConstraintRefusesWhatItsArraysCannotHold() {
        float[] w = new float[20 * 64];
        w[3] = -0.5f;
        Network net = fc(w);
        assertThatThrownBy(() -> DensePlacer.place(net, design(), SimulationOptions.defaults()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("layer fc: weight 3 is negative (-0.5); spiking arrays store only non-negative");
        assertThat(DensePlacer.fits(net, design())).isFalse();
    }

    @Test
    void anActionNameMeansOneThing() {
        assertThatThrownBy(() -> Action.declare("SPIKE_INTEGRATE", "something else"))
                .hasMessageContaining("already declared");
        assertThat(Action.declare("SPIKE_INTEGRATE", SpikingTechnology.SPIKE_INTEGRATE.meaning()))
                .isSameAs(SpikingTechnology.SPIKE_INTEGRATE);
    }
}
