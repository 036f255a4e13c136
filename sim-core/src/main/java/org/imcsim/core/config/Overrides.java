package org.imcsim.core.config;

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
        String sourceName = "--set " + assignment;
        SourceLocation where = SourceLocation.of(sourceName);
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw ConfigException.inSource(where, "expected PATH=VALUE, like array.rows=256");
        }
        String path = assignment.substring(0, eq).trim();
        JsonNode value = ConfigReader.readScalar(sourceName, assignment.substring(eq + 1).trim());
        return base.set(path, value, where);
    }
}
