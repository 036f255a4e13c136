package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.abacim.core.api.Catalog;
import org.abacim.core.config.ConfigPath;
import org.abacim.core.config.KeyCatalog.Row;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.tech.Technology;
import org.abacim.experiments.run.KeyReference;
import org.junit.jupiter.api.Test;

/**
 * Keys declared once (#31 item 4): every key a design config binds is described on its record component, and
 * docs/config.md's key tables are those descriptions. A stale page fails here; regenerate it with
 * {@code mvn -B -q -pl experiments -am -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dabacim.docs.update=true verify}.
 */
class ConfigReferenceTest {
    private static final Path CONFIG_MD = Path.of("..").toAbsolutePath().normalize().resolve("docs/config.md");
    private static final boolean UPDATE = Boolean.getBoolean("abacim.docs.update");
    private static final String REGENERATE = "mvn -B -q -pl experiments -am -Dtest=ConfigReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dabacim.docs.update=true verify";

    @Test
    void everyTechnologyDeclaresItsParameterRecord() {
        assertThat(Catalog.technologies()).isNotEmpty();
        for (Technology t : Catalog.technologies()) {
            assertThat(t.parameterRecord()).as("%s: parameterRecord()", t.id()).isPresent();
        }
    }

    @Test
    void everyBoundKeyIsDescribed() {
        for (KeyReference.Section section : KeyReference.sections()) {
            assertThat(section.rows()).as(section.id()).isNotEmpty();
            for (Row r : section.rows()) {
                assertThat(r.doc()).as("%s: %s has no @Key(doc = …) on its record component", section.id(), r.path())
                        .isNotBlank();
                assertThat(r.type()).as("%s: %s: give @Key(type = …) for a value with its own reader", section.id(),
                        r.path()).isNotIn("value", "a value");
            }
        }
    }

    @Test
    void keysTheDocsNameAreInTheTables() {
        List<String> reram = KeyReference.sections().stream().filter(s -> s.id().equals("crossbar-reram"))
                .flatMap(s -> s.rows().stream()).map(Row::path).toList();
        assertThat(reram).contains("array.rows", "adc.reference.sampleRate", "device.drift.nuSigma",
                "ima.crossbar.rows", "chip.offChip.bandwidthPerLink");
        Row samples = KeyReference.topLevel().stream().filter(r -> r.path().equals("accuracy.samples")).findFirst()
                .orElseThrow();
        assertThat(samples.defaultValue()).isEqualTo("1000");
    }

    /**
     * The walk over the records agrees with what binding reads: every key a preset writes is a row, and every
     * required key of its technology is in the preset (presets are complete).
     */
    @Test
    void presetsWriteExactlyTheKeysTheTablesList() {
        for (Catalog.Preset preset : Catalog.presets()) {
            List<Row> keys = KeyReference.designKeys(preset.technology());
            Set<String> rows = keys.stream().map(Row::path).collect(Collectors.toSet());
            Set<String> written = new TreeSet<>();
            leaves("", Catalog.loadPreset(preset.name(), SourceLocation.of("test"), null).root(), written);
            assertThat(rows).as("preset %s writes keys the tables do not list", preset.name()).containsAll(written);
            List<String> required = KeyReference.technologyKeys(preset.technology()).stream()
                    .filter(r -> !r.section() && r.defaultValue().isEmpty() && r.when().isEmpty())
                    .map(Row::path).toList();
            assertThat(written).as("preset %s leaves out required keys", preset.name()).containsAll(required);
        }
    }

    private static void leaves(String path, JsonNode node, Set<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> leaves(ConfigPath.child(path, e.getKey()), e.getValue(), out));
        } else {
            out.add(path);
        }
    }

    @Test
    void docsConfigMdIsGeneratedFromTheKeys() throws IOException {
        String written = Files.readString(CONFIG_MD, StandardCharsets.UTF_8);
        String generated = KeyReference.update(written);
        if (UPDATE && !generated.equals(written)) {
            Files.writeString(CONFIG_MD, generated, StandardCharsets.UTF_8);
            written = generated;
        }
        assertThat(written).as("docs/config.md's key tables are stale; regenerate with: %s", REGENERATE)
                .isEqualTo(generated);
    }
}
