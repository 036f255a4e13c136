package org.abacim.mapping.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.tensor.Tensor;
import org.abacim.core.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightMapTest {
    @TempDir
    Path dir;

    @Test
    void aSavedModelLoadsBackToTheSameOutputs() {
        Network net = Trainer.initialize(NetworkZoo.resnet18(true), 2);
        Path manifest = WeightMap.write(net, "resnet18-cifar", dir.resolve("r.npz"), null);
        Network back = WeightMap.apply(WeightMap.read(manifest), NetworkZoo.resnet18(true));
        float[] x = new float[3 * 32 * 32];
        for (int i = 0; i < x.length; i++) x[i] = (i % 17) / 17f;
        assertThat(new FloatEngine(back).forward(x)).containsExactly(new FloatEngine(net).forward(x));
        assertThat(WeightMap.read(dir.resolve("r.npz")).network()).isEqualTo("resnet18-cifar");
    }

    @Test
    void pytorchNamesAreMappedByTheManifest() throws Exception {
        Network net = Trainer.initialize(NetworkZoo.lenet5(), 3);
        Map<String, Tensor> torch = new LinkedHashMap<>();
        String[][] names = {{"features.0", "conv1"}, {"features.3", "conv2"}, {"classifier.0", "fc1"},
                {"classifier.2", "fc2"}, {"classifier.4", "fc3"}};
        StringBuilder map = new StringBuilder();
        for (String[] n : names) {
            LayerParams.Dense d = (LayerParams.Dense) net.params(n[1]);
            torch.put(n[0] + ".weight", d.weight());
            torch.put(n[0] + ".bias", d.bias());
            map.append(String.format("\"%s.weight\": {\"layer\": \"%s\", \"param\": \"weight\"}, ", n[0], n[1]));
            map.append(String.format("\"%s.bias\": {\"layer\": \"%s\", \"param\": \"bias\"}, ", n[0], n[1]));
        }
        Npz.write(dir.resolve("torch.npz"), torch);
        Files.writeString(dir.resolve("torch.json"), "{\"format\": \"abacim-weights/1\", \"network\": \"lenet5\", "
                + "\"tensors\": {" + map.substring(0, map.length() - 2) + "}}");
        Network back = WeightMap.apply(WeightMap.read(dir.resolve("torch.json")), NetworkZoo.lenet5());
        assertThat(((LayerParams.Dense) back.params("fc2")).weight()).isEqualTo(((LayerParams.Dense) net.params("fc2")).weight());
    }

    @Test
    void missingTensorsWrongShapesAndBadManifestsAreErrors() throws Exception {
        Map<String, Tensor> only = new LinkedHashMap<>();
        only.put("conv1.weight", Tensor.zeros(6, 1, 5, 5));
        Npz.write(dir.resolve("m.npz"), only);
        Files.writeString(dir.resolve("m.json"), "{\"format\": \"abacim-weights/1\", \"network\": \"lenet5\"}");
        assertThatThrownBy(() -> WeightMap.apply(WeightMap.read(dir.resolve("m.json")), NetworkZoo.lenet5()))
                .isInstanceOf(NetworkException.class).hasMessageContaining("no tensor for layer conv2 (weight)");
        only.put("conv1.weight", Tensor.zeros(6, 1, 3, 3));
        for (String l : new String[] {"conv2", "fc1", "fc2", "fc3"}) {
            var shape = switch (l) {
                case "conv2" -> new int[] {16, 6, 5, 5};
                case "fc1" -> new int[] {120, 400};
                case "fc2" -> new int[] {84, 120};
                default -> new int[] {10, 84};
            };
            only.put(l + ".weight", Tensor.zeros(shape));
        }
        Npz.write(dir.resolve("m.npz"), only);
        assertThatThrownBy(() -> WeightMap.apply(WeightMap.read(dir.resolve("m.json")), NetworkZoo.lenet5()))
                .hasMessageContaining("layer conv1: weight of shape [6, 1, 3, 3], expected [6, 1, 5, 5]");
        Files.writeString(dir.resolve("bad.json"), "{\"format\": \"something\"}");
        assertThatThrownBy(() -> WeightMap.read(dir.resolve("bad.json"))).hasMessageContaining("format must be");
        Files.writeString(dir.resolve("broken.json"), "{\"format\": ");
        assertThatThrownBy(() -> WeightMap.read(dir.resolve("broken.json"))).hasMessageContaining("not a JSON model manifest");
    }
}
