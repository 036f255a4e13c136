package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.abacim.core.data.Npy;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "Bring your model" example, run as written on a model in the form PyTorch 2's default exporter writes
 * (opset 18, weights in a {@code .onnx.data} file beside it; {@code scripts/make-pytorch2-fixtures}), with only the
 * sample and chip counts made small.
 */
class BringYourModelTest {
    private static final Path FIXTURES = Path.of("../mapping/src/test/resources/onnx/pytorch2");
    private static final String EXPORT = "resnet18-dynamo-opset18";

    @TempDir
    Path dir;

    /** README's mynet.yaml block, as README shows it. */
    private static String readmeConfig() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("# mynet.yaml");
        assertThat(start).as("README has the mynet.yaml example").isPositive();
        return readme.substring(start, readme.indexOf("```", start));
    }

    /** The class PyTorch picked for each fixture image (the argmax of its saved output). */
    private static int[] pyTorchsClasses() throws Exception {
        Path file = FIXTURES.resolve(EXPORT + ".output.npy");
        Tensor out;
        try (InputStream in = Files.newInputStream(file)) {
            out = Npy.read(in, file.toString(), Files.size(file));
        }
        int classes = out.dim(1);
        int[] picked = new int[out.dim(0)];
        for (int i = 0; i < picked.length; i++) {
            for (int k = 1; k < classes; k++) {
                if (out.data()[i * classes + k] > out.data()[i * classes + picked[i]]) picked[i] = k;
            }
        }
        return picked;
    }

    /** mynet.onnx (the export), the weights file it names, and two test images with their labels. */
    private Path exported() throws Exception {
        Files.copy(FIXTURES.resolve(EXPORT + ".onnx"), dir.resolve("mynet.onnx"));
        Files.copy(FIXTURES.resolve(EXPORT + ".onnx.data"), dir.resolve(EXPORT + ".onnx.data"));
        Files.copy(FIXTURES.resolve(EXPORT + ".input.npy"), dir.resolve("x_test.npy"));
        Files.write(dir.resolve("y_test.npy"), HostileDataTest.int64Npy(pyTorchsClasses()));
        Path config = dir.resolve("mynet.yaml");
        Files.writeString(config, readmeConfig().replace("samples: 1000", "samples: 2").replace("trials: 10", "trials: 1"));
        return config;
    }

    @Test
    void readmesExampleRunsOnAPyTorch2Export() throws Exception {
        Cli cli = Cli.run("run", exported().toString(), "--format", "json");
        assertThat(cli.code()).as(cli.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(cli.out());
        assertThat(result.at("/accuracy/samples").asInt()).isEqualTo(2);
        assertThat(result.at("/accuracy/trials").size()).as("one chip").isEqualTo(1);
        // Labelled with PyTorch's own choices: the imported model's float pass makes the same ones.
        assertThat(result.at("/accuracy/reference").asDouble()).isEqualTo(1.0);
        assertThat(result.at("/inference/energy_J").asDouble()).isPositive();
    }

    @Test
    void withoutItsWeightsFileTheRunStopsWithOneLineNamingIt() throws Exception {
        Path config = exported();
        Files.delete(dir.resolve(EXPORT + ".onnx.data"));
        Cli cli = Cli.run("run", config.toString(), "--format", "json");
        assertThat(cli.code()).as(cli.err()).isEqualTo(2);
        assertThat(cli.err().strip().lines().toList()).as(cli.err()).hasSize(1);
        assertThat(cli.err()).startsWith("abacim: ").doesNotContain("Exception")
                .contains("mynet.onnx").contains("'" + EXPORT + ".onnx.data', which is not beside the model");
    }
}
