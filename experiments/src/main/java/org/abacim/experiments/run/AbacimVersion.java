package org.abacim.experiments.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version Maven wrote into the jar, with the model-format version that decides cached and resumed results. */
public final class AbacimVersion {
    private AbacimVersion() {}

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String project() {
        Properties p = new Properties();
        try (InputStream in = AbacimVersion.class.getResourceAsStream("/org/abacim/experiments/version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "(unknown version)");
    }

    /** What results are comparable by: the project version and the model format. */
    public static String results() {
        return project() + " (model format " + ModelCache.FORMAT_VERSION + ")";
    }
}
