package org.abacim.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A key a record declares renamed is refused with its new name, from a file or {@code --set}, not as unknown. */
class RenamedKeysTest {
    record Array(int rows, int cols) {}

    record Organization(int macrosPerChip) {}

    @Renamed(from = "macro.rows", to = "array.rows", issue = "#30")
    @Renamed(from = "macro.cols", to = "array.cols", issue = "#30")
    @Renamed(from = "macrosPerChip", to = "organization.macrosPerChip", issue = "#30")
    record Params(Array array, Organization organization) {}

    private static final String BASE = """
            array:
              rows: 512
              cols: 128
            organization:
              macrosPerChip: 1
            """;

    @Test
    void theNewKeysBind() {
        Params p = ConfigBinder.bind(Overrides.apply(ConfigReader.read("p.yaml", BASE), List.of("array.rows=256")),
                Params.class);
        assertThat(p.array().rows()).isEqualTo(256);
    }

    @Test
    void anOldKeyInAFileNamesItsNewName() {
        ConfigDocument doc = ConfigReader.read("c.yaml", BASE + "macro:\n  rows: 256\n");
        assertThatThrownBy(() -> ConfigBinder.bind(doc, Params.class)).isInstanceOf(ConfigException.class)
                .hasMessage("c.yaml:7:9 macro.rows: renamed to array.rows (issue #30)");
        ConfigDocument top = ConfigReader.read("c.yaml", BASE + "macrosPerChip: 4\n");
        assertThatThrownBy(() -> ConfigBinder.bind(top, Params.class))
                .hasMessage("c.yaml:6:16 macrosPerChip: renamed to organization.macrosPerChip (issue #30)");
    }

    @Test
    void anOldKeyInASetNamesItsNewName() {
        ConfigDocument doc = Overrides.apply(ConfigReader.read("p.yaml", BASE), List.of("macro.cols=64"));
        assertThatThrownBy(() -> ConfigBinder.bind(doc, Params.class))
                .hasMessage("--set macro.cols=64 macro.cols: renamed to array.cols (issue #30)");
    }

    @Test
    void aRecordBoundBelowTheRootChecksItsOwnPaths() {
        ConfigDocument doc = ConfigReader.read("c.yaml", "design:\n  macro:\n    cols: 64\n");
        assertThatThrownBy(() -> ConfigBinder.bind(doc, "design", doc.at("design"), Params.class))
                .hasMessage("c.yaml:3:11 design.macro.cols: renamed to array.cols (issue #30)");
    }

    @Test
    void otherUnknownKeysAreStillUnknown() {
        ConfigDocument doc = ConfigReader.read("c.yaml", BASE + "macro:\n  depth: 2\n");
        assertThatThrownBy(() -> ConfigBinder.bind(doc, Params.class))
                .hasMessageStartingWith("c.yaml:7:3 macro: unknown key; expected one of: array, organization");
    }
}
