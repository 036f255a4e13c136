package org.abacim.core.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The one folder abacim caches into (data sets, trained models, unpacked native libraries): the system property
 * {@code abacim.data}, else {@code $ABACIM_DATA}, else {@code $XDG_CACHE_HOME/abacim}, else {@code ~/.cache/abacim}.
 * Tests set the property to a folder of their own, so they never touch the user's cache.
 *
 * <p>For one release after the rename from IMCSim, a cache filled before it keeps serving: {@code $IMCSIM_DATA} is
 * read when {@code $ABACIM_DATA} is not set, and {@code …/imcsim} when {@code …/abacim} does not exist yet.
 * {@code scripts/fetch-data} picks the folder by the same rule.
 */
public final class CacheFolder {
    private CacheFolder() {}

    public static Path directory() {
        return directory(System.getProperty("abacim.data"), System::getenv, System.getProperty("user.home"));
    }

    /** The rule, with the property, the environment and the home folder given (tests). */
    static Path directory(String property, Function<String, String> environment, String home) {
        if (property != null && !property.isBlank()) return Path.of(property);
        for (String variable : new String[] {"ABACIM_DATA", "IMCSIM_DATA"}) {
            String env = environment.apply(variable);
            if (env != null && !env.isBlank()) return Path.of(env);
        }
        String xdg = environment.apply("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".cache");
        Path current = cache.resolve("abacim");
        Path beforeTheRename = cache.resolve("imcsim");
        return !Files.exists(current) && Files.isDirectory(beforeTheRename) ? beforeTheRename : current;
    }
}
