package org.abacim.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.SourceLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model alone reads built-in networks and NeuroSim files, and names the module a model file needs. */
class NetworkSourceTest {
    @TempDir Path dir;

    @Test
    void builtInNetworksNeedNothingElse() {
        assertThat(NetworkSource.resolve("vgg16", SourceLocation.of("test"), null).name()).isEqualTo("vgg16");
    }

    @Test
    void aModelFileWithoutTheMappingModuleIsOneLineNamingIt() throws Exception {
        Path model = Files.writeString(dir.resolve("net.onnx"), "not read");
        assertThatThrownBy(() -> NetworkSource.resolve(model.toString(), SourceLocation.of("design.yaml:3:10"), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("design.yaml:3:10")
                .hasMessageContaining("needs the mapping module (org.abacim:mapping) on the class path");
    }

    @Test
    void anUnknownNameListsTheBuiltIns() {
        assertThatThrownBy(() -> NetworkSource.resolve("vgg17", SourceLocation.of("--network vgg17"), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown network; built in: ")
                .hasMessageContaining("vgg16");
    }
}
