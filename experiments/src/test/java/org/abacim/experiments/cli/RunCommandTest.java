package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonResultHasTheDocumentedKeys() throws Exception {
        Cli cli = Cli.run("run", "--preset", "isaac", "--network", "resnet18", "--format", "json");
        assertThat(cli.code()).as(cli.err()).isZero();
        JsonNode r = JSON.readTree(cli.out());
        assertThat(r.get("chips").asInt()).isEqualTo(1);
        for (String path : List.of("/area/total_mm2", "/area/breakdown_mm2/adc", "/power/total_W", "/power/breakdown_W/adc",
                "/peak/gops", "/peak/gops_per_mm2", "/peak/gops_per_W", "/peak/storage_mb_per_mm2",
                "/inference/fps", "/inference/latency_s", "/inference/energy_J", "/inference/energy_breakdown_J/adc",
                "/inference/gops", "/inference/tops_per_W", "/inference/utilization")) {
            assertThat(r.at(path).isNumber()).as(path).isTrue();
            assertThat(r.at(path).asDouble()).as(path).isPositive();
        }
        JsonNode layer = r.get("layers").get(0);
        for (String key : List.of("name", "arrays", "replication", "cycles", "adc_conversions", "energy_J")) {
            assertThat(layer.has(key)).as(key).isTrue();
        }
        assertThat(r.get("layers")).hasSize(21);
        assertThat(r.get("energy_ledger").get(0).get("source").asText()).contains("ISAAC Table I");
        // The ledger adds up to the reported energy.
        double sum = 0;
        for (JsonNode line : r.get("energy_ledger")) sum += line.get("energy_J").asDouble();
        assertThat(sum).isCloseTo(r.at("/inference/energy_J").asDouble(), org.assertj.core.data.Percentage.withPercentage(1e-9));
    }

    @Test
    void vgg16SpreadsOverSeveralChipsAndPaysForCrossingThem() throws Exception {
        Cli cli = Cli.run("run", "experiments/configs/isaac-vgg16.yaml".replace("experiments/", ""), "--format", "json");
        assertThat(cli.code()).as(cli.err()).isZero();
        JsonNode r = JSON.readTree(cli.out());
        // 138 M weights × 8 cells need 4.2 chips' worth of 264 M cells before tiling losses.
        assertThat(r.get("chips").asInt()).isGreaterThanOrEqualTo(5);
        assertThat(r.at("/inference/offchip_bits").asDouble()).isPositive();
        assertThat(r.at("/inference/energy_breakdown_J/offchip_link").asDouble()).isPositive();
    }

    @Test
    void sameConfigGivesByteIdenticalJson() {
        String first = Cli.run("run", "--preset", "isaac", "--network", "vgg8", "--format", "json").out();
        String second = Cli.run("run", "--preset", "isaac", "--network", "vgg8", "--format", "json").out();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void setOverridesAnyValueAndTheResultFollows() throws Exception {
        JsonNode base = JSON.readTree(Cli.run("run", "--preset", "isaac", "--network", "vgg8", "--format", "json").out());
        Cli cli = Cli.run("run", "--preset", "isaac", "--network", "vgg8", "--format", "json", "--set", "adc.bits=6");
        assertThat(cli.code()).as(cli.err()).isZero();
        JsonNode lossy = JSON.readTree(cli.out());
        assertThat(lossy.at("/area/breakdown_mm2/adc").asDouble()).isLessThan(base.at("/area/breakdown_mm2/adc").asDouble());
        assertThat(lossy.at("/inference/energy_J").asDouble()).isLessThan(base.at("/inference/energy_J").asDouble());
    }

    @Test
    void neuroSimNetworkFileRunsFromAConfigRelativePath() {
        Cli cli = Cli.run("run", "configs/isaac-256x256-layer-by-layer.yaml");
        assertThat(cli.code()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("isaac × VGG8", "layer-by-layer pipeline", "layer8");
    }

    @Test
    void tableAndCsvFormatsAndOutputDirectory(@TempDir Path dir) throws Exception {
        Cli table = Cli.run("run", "--preset", "isaac", "--network", "lenet5", "--network", "alexnet", "--out", dir.toString());
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).contains("isaac × lenet5", "isaac × alexnet", "Per chip", "throughput");
        assertThat(dir.resolve("isaac-alexnet.json")).exists();
        assertThat(Files.readString(dir.resolve("isaac-lenet5.csv"))).startsWith("design,network,layer,");
        Cli csv = Cli.run("run", "--preset", "isaac", "--network", "lenet5", "--format", "csv");
        List<String> lines = csv.out().lines().toList();
        assertThat(lines).hasSize(1 + 5 + 1);
        assertThat(lines.get(lines.size() - 1)).startsWith("isaac,lenet5,total,");
    }

    @Test
    void anOnnxModelIsCostedFromItsShapes() throws Exception {
        Path model = org.abacim.core.data.Datasets.directory()
                .resolve("onnx-testdata/usr/share/libonnx-testdata/data/pytorch-converted/test_Conv2d_groups/model.onnx");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(model), "ONNX test data not fetched");
        Cli cli = Cli.run("run", "--preset", "isaac", "--network", model.toString(), "--format", "json");
        assertThat(cli.code()).as(cli.err()).isZero();
        JsonNode r = JSON.readTree(cli.out());
        assertThat(r.at("/network/description").asText()).isEqualTo("imported from ONNX");
        assertThat(r.get("layers")).hasSize(1);
        assertThat(r.at("/inference/energy_J").asDouble()).isPositive();
    }

    @Test
    void listingsAndHelpWork() {
        assertThat(Cli.run("presets").out()).contains("isaac", "crossbar-reram", "ISCA 2016");
        assertThat(Cli.run("networks").out()).contains("vgg16", "resnet18-cifar", "Simonyan");
        assertThat(Cli.run("--version").out()).startsWith("abacim ").contains("matrix products: " + org.abacim.core.blas.Gemm.kernel());
        for (String command : List.of("run", "presets", "networks")) {
            Cli help = Cli.run(command, "--help");
            assertThat(help.code()).isZero();
            assertThat(help.out()).contains("Usage: abacim " + command);
        }
    }
}
