package org.abacim.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.abacim.core.analog.AdcBits;
import org.abacim.core.cost.PipelineMode;
import org.abacim.core.units.Time;
import org.junit.jupiter.api.Test;

/** Keys declared once: the rows a record's {@link Key} annotations give, and the defaults binding fills in. */
class KeyCatalogTest {
    record Inner(@Key(doc = "a time") Time cycle, @Key(doc = "retries", defaultValue = "3") int retries) {}

    record Outer(
            @Key(doc = "rows of one array") int rows,
            @Key(doc = "the pipeline", defaultValue = "layer-by-layer") PipelineMode pipeline,
            @Key(doc = "the ADC's bits", type = "auto or a whole number", unit = "bits") AdcBits bits,
            @Key(doc = "the inner part") Inner inner,
            @Key(doc = "sizes", unit = "bits") List<Integer> sizes,
            boolean forgotten) {}

    private static KeyCatalog.Row row(String path) {
        return KeyCatalog.rows("", Outer.class).stream().filter(r -> r.path().equals(path)).findFirst().orElseThrow();
    }

    @Test
    void eachComponentIsARowWithTheTypeAUserWrites() {
        assertThat(KeyCatalog.rows("", Outer.class)).extracting(KeyCatalog.Row::path).containsExactly(
                "rows", "pipeline", "bits", "inner", "inner.cycle", "inner.retries", "sizes", "forgotten");
        assertThat(row("rows").type()).isEqualTo("a whole number");
        assertThat(row("pipeline").type()).isEqualTo("one of: inter-layer, layer-by-layer");
        assertThat(row("bits").type()).isEqualTo("auto or a whole number");
        assertThat(row("bits").unit()).isEqualTo("bits");
        assertThat(row("inner").section()).isTrue();
        assertThat(row("inner.cycle").type()).isEqualTo("time");
        assertThat(row("inner.cycle").unit()).isEqualTo("s");
        assertThat(row("sizes").type()).isEqualTo("a list of whole numbers");
        assertThat(row("inner.retries").defaultValue()).isEqualTo("3");
    }

    @Test
    void aComponentWithoutKeyHasNoDescription() {
        // The experiments' ConfigReferenceTest refuses such a row for every record a design config binds.
        assertThat(row("forgotten").doc()).isNull();
        assertThat(row("rows").doc()).isEqualTo("rows of one array");
    }

    @Test
    void defaultsAreDataLocatedWhereTheyAreDeclared() {
        ConfigDocument defaults = KeyCatalog.defaultsDocument("part", Outer.class);
        assertThat(defaults.root().toString()).isEqualTo("{\"part\":{\"pipeline\":\"layer-by-layer\",\"inner\":{\"retries\":3}}}");
        assertThat(defaults.locate("part.inner.retries")).hasToString("default (Inner.retries)");
        ConfigDocument user = ConfigReader.read("c.yaml", "part:\n  rows: 4\n  inner: { cycle: 1 ns }\n");
        ConfigDocument merged = defaults.overlay(user);
        assertThat(merged.locate("part.rows")).hasToString("c.yaml:2:9");
        assertThat(merged.locate("part.pipeline")).hasToString("default (Outer.pipeline)");
        // A key missing everywhere is the user's to give.
        assertThat(merged.locate("part.bits")).hasToString("c.yaml:2:3");
        assertThatThrownBy(() -> ConfigBinder.bind(merged, "part", merged.at("part"), Outer.class))
                .isInstanceOf(ConfigException.class).hasMessageContaining("part.bits");
    }
}
