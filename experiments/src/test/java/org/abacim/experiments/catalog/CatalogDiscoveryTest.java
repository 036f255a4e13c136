package org.abacim.experiments.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.abacim.core.api.Catalog;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.DesignInfo;
import org.abacim.core.tech.Technology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Technologies are found, not listed: a module that names its class in META-INF/services is in the catalog with no
 * Java file outside it changed. The toy technology here is registered only through a service file this test writes.
 */
class CatalogDiscoveryTest {
    @TempDir
    Path dir;

    /** A technology that exists only in this test: found through its service file alone. */
    public static final class ToyTechnology implements Technology {
        @Override public String id() { return "toy-test-only"; }

        @Override public String description() { return "a test-only technology"; }

        @Override public Design configure(DesignInfo info, ConfigDocument parameters) {
            throw new UnsupportedOperationException("not built in this test");
        }

        @Override public Map<String, String> presets() { return Map.of(); }
    }

    @Test
    void theBuiltInTechnologiesAreFoundInOrderOfId() {
        assertThat(Catalog.technologies()).extracting(Technology::id)
                .containsExactly("crossbar-reram", "mram-sot", "sram-capram");
    }

    @Test
    void aModuleWithAServiceFileIsFoundWithoutAnyRegistrationLine() throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(Technology.class.getName()), ToyTechnology.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            assertThat(Catalog.discover(loader)).extracting(Technology::id)
                    .containsExactly("crossbar-reram", "mram-sot", "sram-capram", "toy-test-only");
        }
    }

    @Test
    void twoTechnologiesWithOneIdAreABuildErrorNamingBoth() throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(Technology.class.getName()), "org.abacim.reram.CrossbarReramTechnology\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            // The same class on the path twice is one provider to ServiceLoader; a second class with the id is not.
            assertThat(Catalog.discover(loader)).hasSize(3);
        }
        Files.writeString(services.resolve(Technology.class.getName()), SecondReram.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            assertThatThrownBy(() -> Catalog.discover(loader)).hasMessageContaining("crossbar-reram")
                    .hasMessageContaining(SecondReram.class.getName());
        }
    }

    /** A second technology claiming an id that is taken. */
    public static final class SecondReram implements Technology {
        @Override public String id() { return "crossbar-reram"; }

        @Override public String description() { return "a duplicate"; }

        @Override public Design configure(DesignInfo info, ConfigDocument parameters) {
            throw new UnsupportedOperationException();
        }

        @Override public Map<String, String> presets() { return Map.of(); }
    }
}
