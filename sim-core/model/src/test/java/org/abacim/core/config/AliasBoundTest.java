package org.abacim.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** YAML aliases repeat values; how many they may repeat in one file is bounded, checked before each copy. */
class AliasBoundTest {
    @Test
    void aBillionLaughsDocumentIsRefusedAtTheAliasThatCrossesTheLimit() {
        String yaml = BillionLaughs.document("");
        assertThat(yaml.length()).isLessThan(400);
        // Levels b–e repeat 74,718 values in all; f's first alias (*e, 66,430 values) crosses 100,000.
        assertThatThrownBy(() -> ConfigReader.read("laughs.yaml", yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("laughs.yaml:6:8 f[0] = *e")
                .hasMessageContaining("repeat 141,148 values")
                .hasMessageContaining("at most 100,000");
    }

    @Test
    void aBillionLaughsValueGivenAfterSetIsRefusedToo() {
        // A --set value is YAML too: the same levels, written in flow style.
        String nested = BillionLaughs.flow();
        assertThatThrownBy(() -> ConfigReader.readScalar("--set x", nested))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("at most 100,000");
    }

    @Test
    void aliasesThatRepeatABlockAFewTimesStillRead() {
        String yaml = """
                base: &base {rows: 128, columns: 128, cell: {bits: 2}}
                a: *base
                b: [*base, *base, *base]
                """;
        ConfigDocument doc = ConfigReader.read("ok.yaml", yaml);
        assertThat(doc.root().get("b").get(2).get("cell").get("bits").asInt()).isEqualTo(2);
        assertThat(doc.root().get("a").get("rows").asInt()).isEqualTo(128);
    }
}
