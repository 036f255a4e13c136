package org.abacim.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the cache is, including the one-release fallback to a cache filled before the rename from IMCSim. */
class CacheFolderTest {
    @TempDir Path home;

    private Path folder(String property, Map<String, String> environment) {
        return CacheFolder.directory(property, environment::get, home.toString());
    }

    @Test
    void thePropertyThenTheNewVariableThenTheOldOne() {
        Map<String, String> both = Map.of("ABACIM_DATA", "/new", "IMCSIM_DATA", "/old");
        assertThat(folder("/prop", both)).isEqualTo(Path.of("/prop"));
        assertThat(folder(null, both)).isEqualTo(Path.of("/new"));
        assertThat(folder(null, Map.of("IMCSIM_DATA", "/old"))).isEqualTo(Path.of("/old"));
    }

    @Test
    void anOldCacheServesUntilTheNewFolderExists() throws Exception {
        Path cache = home.resolve(".cache");
        assertThat(folder(null, Map.of())).isEqualTo(cache.resolve("abacim")); // neither exists: the new name
        Files.createDirectories(cache.resolve("imcsim"));
        assertThat(folder(null, Map.of())).isEqualTo(cache.resolve("imcsim"));
        Files.createDirectories(cache.resolve("abacim"));
        assertThat(folder(null, Map.of())).isEqualTo(cache.resolve("abacim"));
        assertThat(folder(null, Map.of("XDG_CACHE_HOME", "/xdg"))).isEqualTo(Path.of("/xdg/abacim"));
    }
}
