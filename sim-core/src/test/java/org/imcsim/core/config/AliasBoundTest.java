package org.imcsim.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** YAML aliases repeat values; how many they may repeat in one file is bounded, checked before each copy. */
class AliasBoundTest {
    /** Nine levels of nine aliases each: 9^9 values from under 400 bytes. */
    static String billionLaughs() {
        StringBuilder yaml = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (char level = 'b'; level <= 'i'; level++) {
            String previous = "*" + (char) (level - 1);
            yaml.append(level).append(": &").append(level).append(" [")
                    .append(String.join(",", java.util.Collections.nCopies(9, previous))).append("]\n");
        }
        return yaml.toString();
    }

    @Test
    void aBillionLaughsDocumentIsRefusedAtTheAliasThatCrossesTheLimit() {
        String yaml = billionLaughs();
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
        String nested = "{a: &a [x,x,x,x,x,x,x,x,x], b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b],"
                + " d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c], e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d], f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e],"
                + " g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]}";
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
