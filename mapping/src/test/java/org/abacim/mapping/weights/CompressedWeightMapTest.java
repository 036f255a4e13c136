package org.abacim.mapping.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.abacim.core.data.DataException;
import org.abacim.core.network.Input;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.Shape;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A compressed weight map round-trips, and a manifest that disagrees with its weights is refused (issue #6). */
class CompressedWeightMapTest {
    @TempDir
    Path dir;

    static final Network SHAPES = Network.of("fc", "test", "test", List.of(new Input("input", Shape.vector(4)),
            new Linear("fc", "input", 4, 2, false)));

    static Network with(float... w) {
        return SHAPES.withParams(Map.of("fc", new LayerParams.Dense(new Tensor(new int[] {2, 4}, w), null)));
    }

    private void roundTrip(Network net, LayerCompression c) {
        Path manifest = WeightMap.write(net, "fc", dir.resolve("m.npz"), null, Map.of("fc", c));
        WeightMap.Loaded loaded = WeightMap.read(manifest);
        WeightMap.validate(loaded, WeightMap.apply(loaded, SHAPES), manifest.toString());
    }

    @Test
    void aConsistentCompressedMapPasses() {
        // Ternary with step 0.5, filter-row pruning mask, fragments of 2 rows each of one sign.
        Network net = with(0.5f, 0.5f, 0, -0.5f, 0, 0, -0.5f, -0.5f);
        roundTrip(net, new LayerCompression(2, 0.5, "irregular", new float[] {1, 1, 0, 1, 0, 0, 1, 1}, 2, "test"));
        WeightMap.Loaded loaded = WeightMap.read(dir.resolve("m.json"));
        assertThat(loaded.manifest().at("/compression/fc/quantization/levels").asInt()).isEqualTo(3);
        assertThat(loaded.tensors().get("fc.signs").data()).containsExactly(1, -1, 1, -1);
    }

    @Test
    void aPrunedWeightThatIsNotZeroIsRefused() {
        Network net = with(0.5f, 0.5f, 0.25f, -0.5f, 0, 0, -0.5f, -0.5f);
        assertThatThrownBy(() -> roundTrip(net, new LayerCompression(0, 0, "irregular",
                new float[] {1, 1, 0, 1, 0, 0, 1, 1}, 0, "test")))
                .isInstanceOf(DataException.class).hasMessageContaining("layer fc: weight 2 is 0.25 but the mask prunes it");
    }

    @Test
    void aWeightOffTheLevelsIsRefused() {
        Network net = with(0.5f, 0.3f, 0, -0.5f, 0, 0, -0.5f, -0.5f);
        assertThatThrownBy(() -> roundTrip(net, new LayerCompression(2, 0.5, null, null, 0, "test")))
                .isInstanceOf(DataException.class).hasMessageContaining("weight 1 = 0.3 is not one of the 2-bit levels");
    }

    @Test
    void aFragmentThatMixesSignsIsRefused() {
        Network net = with(0.5f, -0.5f, 0, 0, 0, 0, 0, 0);
        assertThatThrownBy(() -> roundTrip(net, new LayerCompression(0, 0, null, null, 2, "test")))
                .isInstanceOf(DataException.class).hasMessageContaining("fragment 0 of column 0 mixes signs");
    }
}
