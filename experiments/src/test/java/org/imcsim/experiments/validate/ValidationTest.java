package org.imcsim.experiments.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.imcsim.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validation catalogue: every reproduced row within its tolerance (CI fails when one leaves it). */
class ValidationTest {
    @TempDir
    Path dir;

    static final Path CATALOGUE = Path.of("validation", "catalogue.yaml");

    @Test
    void everyReproducedRowOfTheCatalogueIsWithinItsTolerance() {
        List<Validation.Outcome> outcomes = Validation.run(Validation.read(CATALOGUE), false, 2);
        assertThat(outcomes).hasSizeGreaterThanOrEqualTo(20);
        for (Validation.Outcome o : outcomes) {
            assertThat(o.ok()).as("%s: published %s %s, simulated %s (%.2f %%, tolerance %s %%)", o.row().figure(),
                    o.row().published(), o.row().unit(), o.simulated(), o.errorPercent(), o.row().tolerancePercent())
                    .isTrue();
        }
        // The rows the issue names are there, of the kinds the catalogue claims.
        assertThat(outcomes).extracting(o -> o.row().id()).contains("isaac-tile-power", "isaac-chip-area", "isaac-peak",
                "forms-adc-energy", "forms-vs-isaac-area-efficiency", "capram-peak", "capram-efficiency", "capram-area",
                "sot-mram-lenet5-energy", "admm-vgg16-power", "admm-vgg16-area", "admm-resnet18-power",
                "admm-resnet18-area", "admm-lenet5-crossbars");
        String page = Validation.markdown(outcomes, "imcsim validate");
        assertThat(page).contains("| ISAAC tile power | Shafiee et al., ISCA 2016, Table I [paper] | 330.0 mW | 329.8 mW | -0.06 % | ±1 % |");
    }

    @Test
    void metricsReadPathsSelectorsAndArithmetic() throws Exception {
        JsonNode r = new ObjectMapper().readTree("""
                {"a": {"b": 3, "c": [ {"k": "x", "v": 2}, {"k": "y", "v": 5} ]}}""");
        assertThat(Expression.evaluate("/a/b * 2 + 1", n -> r)).isEqualTo(7);
        assertThat(Expression.evaluate("run:/a/c[k=y]/v / run:/a/b", n -> r)).isCloseTo(5.0 / 3, within(1e-12));
        assertThat(Expression.evaluate("(/a/c[0]/v - 4) / 2", n -> r)).isEqualTo(-1);
        assertThat(Expression.evaluate("1e-3 * 2", n -> r)).isEqualTo(0.002);
        assertThatThrownBy(() -> Expression.evaluate("/a/missing", n -> r)).hasMessage("no value at /a/missing");
        assertThatThrownBy(() -> Expression.evaluate("/a/c[k=z]/v", n -> r)).hasMessageContaining("no element matches");
        assertThatThrownBy(() -> Expression.evaluate("/a/b +", n -> r)).hasMessageContaining("at column 7");
    }

    @Test
    void aBadCatalogueIsAOneLineErrorNamingTheKey() throws Exception {
        Path bad = dir.resolve("c.yaml");
        Files.writeString(bad, """
                rows:
                  - id: x
                    figure: "f"
                    source: "s"
                    published: 1
                    unit: W
                    tolerance: 1
                    kind: roll-up
                    runs: { a: { preset: isaac, network: lenet5 } }
                    metric: "b:/power/total_W"
                """);
        assertThatThrownBy(() -> Validation.read(bad)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("c.yaml:10:").hasMessageContaining("rows[0].metric")
                .hasMessageContaining("no run named 'b' (runs: a)");
        Files.writeString(bad, Files.readString(bad).replace("kind: roll-up", "kind: guessed").replace("b:/", "a:/"));
        assertThatThrownBy(() -> Validation.read(bad)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("rows[0].kind = guessed: expected roll-up, fitted, prediction or not-reproduced");
    }
}
