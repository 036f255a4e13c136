package org.imcsim.core.io;

import java.nio.file.Path;

/**
 * The one folder IMCSim caches into (data sets, trained models, unpacked native libraries): the system property
 * {@code imcsim.data}, else {@code $IMCSIM_DATA}, else {@code $XDG_CACHE_HOME/imcsim}, else {@code ~/.cache/imcsim}.
 * Tests set the property to a folder of their own, so they never touch the user's cache.
 */
public final class CacheFolder {
    private CacheFolder() {}

    public static Path directory() {
        String property = System.getProperty("imcsim.data");
        if (property != null && !property.isBlank()) return Path.of(property);
        String env = System.getenv("IMCSIM_DATA");
        if (env != null && !env.isBlank()) return Path.of(env);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("imcsim");
    }
}
