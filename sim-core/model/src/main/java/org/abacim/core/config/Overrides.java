package org.abacim.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** {@code --set array.rows=256}: each override is parsed as YAML and set at its path, checked later like the file. */
public final class Overrides {
    private Overrides() {}

    public static ConfigDocument apply(ConfigDocument base, List<String> assignments) {
        ConfigDocument result = base;
        for (String assignment : assignments) {
            result = apply(result, assignment);
        }
        return result;
    }

    private static ConfigDocument apply(ConfigDocument base, String assignment) {
        return apply(base, assignment, SourceLocation.of("--set " + assignment));
    }

    /**
     * One {@code PATH=VALUE} override written at {@code where} (a file's line, such as a sweep's {@code presetSets}
     * entry): errors about it, then and later, name that place.
     */
    public static ConfigDocument apply(ConfigDocument base, String assignment, SourceLocation where) {
        String sourceName = where.toString();
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw ConfigException.inSource(where, "expected PATH=VALUE, like array.rows=256");
        }
        String path = assignment.substring(0, eq).trim();
        if (ConfigPath.segments(path).size() > ConfigReader.MAX_DEPTH) {
            throw ConfigException.inSource(where, "the path has more than " + ConfigReader.MAX_DEPTH
                    + " keys; config paths are a few keys long, like array.rows");
        }
        if (path.equals("preset")) {
            // The preset is read before the overrides are applied: setting it here would relabel the design only.
            throw new ConfigException(where, "preset", null, "choose the preset with --preset NAME or the config's "
                    + "preset: key, not --set");
        }
        JsonNode value = ConfigReader.readScalar(sourceName, assignment.substring(eq + 1).trim());
        return base.set(path, value, where);
    }
}
