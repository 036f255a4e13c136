package org.abacim.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.abacim.core.units.Time;
import org.junit.jupiter.api.Test;

class ConfigTest {
    /** A small config record of the shape technologies use. */
    record Array(int rows, int bitsPerCell, Time readCycle) {
        Array {
            Check.between("bitsPerCell", bitsPerCell, 1, 8);
            Check.positive("rows", rows);
        }
    }

    record Root(String name, Array array, List<Integer> sizes) {}

    private static final String BASE = """
            name: base
            array:
              rows: 128
              bitsPerCell: 2
              readCycle: 100 ns
            sizes: [1, 2, 3]
            """;

    private static ConfigDocument base() {
        return ConfigReader.read("base.yaml", BASE);
    }

    @Test
    void recordsTheLineAndColumnOfEveryValue() {
        ConfigDocument doc = base();
        assertThat(doc.locate("array.bitsPerCell")).hasToString("base.yaml:4:16");
        assertThat(doc.locate("sizes[1]")).hasToString("base.yaml:6:12");
        assertThat(doc.locate("array.missing")).hasToString("base.yaml:3:3");
    }

    @Test
    void bindsAValidDocument() {
        Root root = ConfigBinder.bind(base(), Root.class);
        assertThat(root.array().readCycle().nanoseconds()).isCloseTo(100, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(root.sizes()).containsExactly(1, 2, 3);
    }

    @Test
    void outOfRangeValueIsReportedWithFileLinePathAndValue() {
        ConfigDocument doc = ConfigReader.read("isaac.yaml", BASE.replace("bitsPerCell: 2", "bitsPerCell: 0"));
        assertThatThrownBy(() -> ConfigBinder.bind(doc, Root.class)).isInstanceOf(ConfigException.class)
                .hasMessage("isaac.yaml:4:16 array.bitsPerCell = 0: must be between 1 and 8");
    }

    @Test
    void unknownKeyListsTheKnownOnes() {
        ConfigDocument doc = ConfigReader.read("c.yaml", BASE + "extra: 1\n");
        assertThatThrownBy(() -> ConfigBinder.bind(doc, Root.class))
                .hasMessage("c.yaml:7:8 extra: unknown key; expected one of: array, name, sizes");
    }

    @Test
    void missingValueIsAnError() {
        ConfigDocument doc = ConfigReader.read("c.yaml", BASE.replace("  readCycle: 100 ns\n", ""));
        assertThatThrownBy(() -> ConfigBinder.bind(doc, Root.class))
                .hasMessage("c.yaml:3:3 array.readCycle: missing required value");
    }

    @Test
    void bareNumberForAQuantityNamesTheUnit() {
        ConfigDocument doc = ConfigReader.read("c.yaml", BASE.replace("100 ns", "100"));
        assertThatThrownBy(() -> ConfigBinder.bind(doc, Root.class))
                .hasMessage("c.yaml:5:14 array.readCycle = 100: a bare number is not a time; give its unit, like '100 ns'");
    }

    @Test
    void wrongTypesAreRefusedNotCoerced() {
        assertThatThrownBy(() -> ConfigBinder.bind(ConfigReader.read("c.yaml", BASE.replace("rows: 128", "rows: 12.5")), Root.class))
                .hasMessage("c.yaml:3:9 array.rows = 12.5: expected a whole number");
        assertThatThrownBy(() -> ConfigBinder.bind(ConfigReader.read("c.yaml", BASE.replace("rows: 128", "rows: '128'")), Root.class))
                .hasMessage("c.yaml:3:9 array.rows = '128': expected a whole number");
    }

    @Test
    void duplicateKeysAndMalformedYamlAreErrors() {
        assertThatThrownBy(() -> ConfigReader.read("d.yaml", "a: 1\nb: 2\na: 3\n"))
                .hasMessage("d.yaml:3:1 a: duplicate key (first given at d.yaml:1:4)");
        assertThatThrownBy(() -> ConfigReader.read("m.yaml", "a: [1, 2\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("m.yaml:1:9: malformed YAML");
        assertThatThrownBy(() -> ConfigReader.read("e.yaml", "")).hasMessage("e.yaml: the file is empty; expected a mapping of keys");
    }

    @Test
    void overlayKeepsTheLocationOfWhoeverSetTheValue() {
        ConfigDocument user = ConfigReader.read("user.yaml", "array:\n  rows: 64\n");
        ConfigDocument merged = base().overlay(user);
        assertThat(merged.at("array.rows").asInt()).isEqualTo(64);
        assertThat(merged.at("array.bitsPerCell").asInt()).isEqualTo(2);
        assertThat(merged.locate("array.rows")).hasToString("user.yaml:2:9");
        assertThat(merged.locate("array.bitsPerCell")).hasToString("base.yaml:4:16");
    }

    @Test
    void overridesAreValidatedLikeTheFileAndNameTheirSource() {
        ConfigDocument doc = Overrides.apply(base(), List.of("array.rows=256", "sizes[1]=7", "array.readCycle=50 ns"));
        Root root = ConfigBinder.bind(doc, Root.class);
        assertThat(root.array().rows()).isEqualTo(256);
        assertThat(root.sizes()).containsExactly(1, 7, 3);
        assertThat(root.array().readCycle().nanoseconds()).isCloseTo(50, org.assertj.core.data.Offset.offset(1e-9));
        ConfigDocument bad = Overrides.apply(base(), List.of("array.bitsPerCell=9"));
        assertThatThrownBy(() -> ConfigBinder.bind(bad, Root.class))
                .hasMessage("--set array.bitsPerCell=9 array.bitsPerCell = 9: must be between 1 and 8");
        assertThatThrownBy(() -> Overrides.apply(base(), List.of("rows"))).hasMessageContaining("expected PATH=VALUE");
        assertThatThrownBy(() -> Overrides.apply(base(), List.of("sizes[9]=1"))).hasMessageContaining("index out of range");
    }
}
