package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code attention:} section from the command line, on the ViT fixture (2 blocks, 17 tokens, 2 heads of 16
 * features; docs/design/attention-costs.md): both choices priced and reported, bad values refused in one line.
 */
class AttentionCostsTest {
    private static final String VIT = "../mapping/src/test/resources/onnx/sequence/vit_timm-opset17.onnx";
    private static final double YEAR_S = 365.25 * 24 * 3600;

    @TempDir
    Path dir;

    private static JsonNode json(String... args) throws Exception {
        Cli run = Cli.run(args);
        assertThat(run.code()).as(run.err()).isZero();
        return new ObjectMapper().readTree(run.out());
    }

    private static JsonNode isaac(String products) throws Exception {
        return json("run", "--preset", "isaac", "--network", VIT, "--set", "attention.products=" + products,
                "--set", "attention.kvCacheTokens=1024", "--format", "json");
    }

    @Test
    void onTheVitBothChoicesArePricedAndWritingIntoReramCostsMoreTimeEnergyAndLifetime() throws Exception {
        JsonNode digital = isaac("digital");
        JsonNode arrays = isaac("arrays");
        JsonNode a = digital.get("attention");
        assertThat(a.get("products").asText()).isEqualTo("digital");
        // 2 blocks × 2 products × 2 heads × 17 × 16 × 17 multiply-accumulates, not in the weights' count.
        assertThat(a.get("product_macs").asLong()).isEqualTo(2L * 2 * 2 * 17 * 16 * 17);
        assertThat(digital.at("/network/macs").asLong()).isEqualTo(303936);
        assertThat(a.get("energy_share").asDouble()).isBetween(0.0, 1.0);
        assertThat(a.get("energy_share").asDouble()).isCloseTo(a.get("energy_J").asDouble()
                / digital.at("/inference/energy_J").asDouble(), within(1e-12));
        assertThat(a.has("operand_arrays")).isFalse();
        JsonNode o = arrays.at("/attention/operand_arrays");
        // Every product writes its second operand: 4 products × 2 heads × 17 × 16 16-bit values in 8 cells each.
        assertThat(o.get("cells_written").asDouble()).isEqualTo(4 * 2 * 17 * 16 * 8);
        assertThat(o.get("write_energy_J").asDouble()).isCloseTo(17408 * 1.38e-12, within(1e-18));
        assertThat(o.get("endurance_cycles").asDouble()).isEqualTo(1e9);
        assertThat(o.get("lifetime_years").asDouble()).isCloseTo(
                1e9 / arrays.at("/inference/fps").asDouble() / YEAR_S, within(1e-12));
        assertThat(arrays.at("/inference/energy_J").asDouble()).isGreaterThan(digital.at("/inference/energy_J").asDouble());
        assertThat(arrays.at("/inference/latency_s").asDouble()).isGreaterThan(digital.at("/inference/latency_s").asDouble());
        assertThat(arrays.at("/attention/latency_share").asDouble())
                .isGreaterThan(digital.at("/attention/latency_share").asDouble());
        // The KV cache: 2 blocks × (K and V) × 32 features × 16 bits a token, against 168 tiles of 64 KB of eDRAM.
        JsonNode kv = a.get("kv_cache");
        assertThat(kv.get("bits_per_token").asDouble()).isEqualTo(2 * 2 * 32 * 16);
        assertThat(kv.get("size_bits").asDouble()).isEqualTo(2 * 2 * 32 * 16 * 1024);
        assertThat(kv.get("fits").asBoolean()).isTrue();
    }

    @Test
    void theTableAndTheCsvSayWhatAttentionTook() {
        Cli table = Cli.run("run", "--preset", "sot-mram", "--network", VIT);
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).contains("GMAC in products of two activations", "Attention (products of two "
                + "activations on the digital unit)", "% of the energy", "% of the latency");
        Cli csv = Cli.run("run", "--preset", "sot-mram", "--network", VIT, "--format", "csv");
        assertThat(csv.out().lines().filter(l -> l.startsWith("sot-mram,sequence/vit_timm-opset17.onnx,attention,digital,36992,")))
                .hasSize(1);
        assertThat(csv.out()).contains(",product,", ",layer norm,", ",softmax,", ",erf,");
    }

    @Test
    void aBadValueIsOneLineNamingFileLineColumnAndExitCode2() throws Exception {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, "preset: isaac\nnetwork: lenet5\nattention:\n  products: sideways\n");
        Cli run = Cli.run("run", config.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err().strip()).endsWith("c.yaml:4:13 attention.products = sideways: expected digital or arrays");
        Cli tokens = Cli.run("run", "--preset", "isaac", "--network", "lenet5", "--set", "attention.kvCacheTokens=-5");
        assertThat(tokens.code()).isEqualTo(2);
        assertThat(tokens.err()).contains("attention.kvCacheTokens = -5").doesNotContain("Exception");
        // A KV cache asked of a network without attention is refused where it was asked.
        Files.writeString(config, "preset: isaac\nnetwork: lenet5\nattention: { kvCacheTokens: 64 }\n");
        Cli noAttention = Cli.run("run", config.toString());
        assertThat(noAttention.code()).isEqualTo(2);
        assertThat(noAttention.err().strip()).contains("c.yaml:3:").contains("has no product of two activations");
    }

    @Test
    void aCnnIsCostedAsBeforeWhateverTheAttentionSection() throws Exception {
        JsonNode plain = json("run", "--preset", "isaac", "--network", "lenet5", "--format", "json");
        JsonNode arrays = json("run", "--preset", "isaac", "--network", "lenet5", "--set", "attention.products=arrays",
                "--format", "json");
        assertThat(plain.has("attention")).isFalse();
        assertThat(arrays).isEqualTo(plain);
    }
}
