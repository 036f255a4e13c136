package org.abacim.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.abacim.core.data.Dataset;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.network.Shape;
import org.abacim.core.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache keys follow content, never names: a changed input is a new key, an unchanged one the same. */
class ModelCacheTest {
    @TempDir
    Path dir;

    private static Dataset data(float pixel) {
        return new Dataset("d", new Shape(1, 1, 2), new float[][] {{0, pixel}, {1, 1}}, new int[] {0, 1}, 2);
    }

    @Test
    void theKeyFollowsTheDataTheModelBytesTheConfigAndTheTrainingNotTheirNames() throws Exception {
        String base = new ModelCache.Key().data(data(0.5f)).hex();
        assertThat(new ModelCache.Key().data(data(0.5f)).hex()).isEqualTo(base);
        assertThat(new ModelCache.Key().data(data(0.25f)).hex()).isNotEqualTo(base);

        Path a = Files.write(dir.resolve("a.npz"), new byte[] {1, 2, 3});
        Path b = Files.write(dir.resolve("b.npz"), new byte[] {1, 2, 3});
        Path c = Files.write(dir.resolve("c.npz"), new byte[] {1, 2, 4});
        // Same bytes under another name: same key; another file under the old name: another key.
        assertThat(new ModelCache.Key().file(a).hex()).isEqualTo(new ModelCache.Key().file(b).hex());
        String before = new ModelCache.Key().file(a).hex();
        Files.write(a, new byte[] {9});
        assertThat(new ModelCache.Key().file(a).hex()).isNotEqualTo(before);
        assertThat(new ModelCache.Key().file(b).hex()).isNotEqualTo(new ModelCache.Key().file(c).hex());

        ObjectMapper json = new ObjectMapper();
        // Key order does not matter; values do.
        assertThat(new ModelCache.Key().config(json.readTree("{\"a\": 1, \"b\": {\"c\": 2}}")).hex())
                .isEqualTo(new ModelCache.Key().config(json.readTree("{\"b\": {\"c\": 2}, \"a\": 1}")).hex());
        assertThat(new ModelCache.Key().config(json.readTree("{\"a\": 1}")).hex())
                .isNotEqualTo(new ModelCache.Key().config(json.readTree("{\"a\": 2}")).hex());

        // Training settings decide the key; the thread count does not (training is the same on any).
        assertThat(new ModelCache.Key().training(TrainConfig.adam(3, 1, 1)).hex())
                .isEqualTo(new ModelCache.Key().training(TrainConfig.adam(3, 1, 2)).hex())
                .isNotEqualTo(new ModelCache.Key().training(TrainConfig.adam(4, 1, 1)).hex());
        assertThat(new ModelCache.Key().network(NetworkZoo.lenet5()).hex())
                .isNotEqualTo(new ModelCache.Key().network(NetworkZoo.find("vgg8").orElseThrow()).hex());
    }

    @Test
    void testsNeverUseTheUsersCache() {
        assertThat(ModelCache.directory().toString()).contains("target").contains("test-model-cache");
    }
}
