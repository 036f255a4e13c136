package org.imcsim.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --set array.rows=256}: each override becomes a one-value document laid over the config. */
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
        List<String> segments = ConfigPath.segments(path);
        if (segments.isEmpty() || segments.stream().anyMatch(String::isEmpty)) {
            throw new ConfigException(where, path, null, "not a config path; expected keys joined by dots");
        }
        // Build the override as a document of its own; list elements are replaced inside a copy of the list.
        ObjectNode overlay = JsonNodeFactory.instance.objectNode();
        JsonNode baseCursor = base.root();
        ObjectNode cursor = overlay;
        StringBuilder walked = new StringBuilder();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            boolean last = i == segments.size() - 1;
            if (ConfigPath.isIndex(segment)) {
                throw new ConfigException(where, path, null, "a list index must follow a key, like layers[2]");
            }
            String next = last ? null : segments.get(i + 1);
            walked.append(walked.length() == 0 ? "" : ".").append(segment);
            JsonNode baseChild = baseCursor == null ? null : baseCursor.get(segment);
            if (last) {
                cursor.set(segment, value);
            } else if (ConfigPath.isIndex(next)) {
                if (!(baseChild instanceof ArrayNode list)) {
                    throw new ConfigException(where, walked.toString(), null, "is not a list in the config");
                }
                int index = ConfigPath.index(next);
                if (index >= list.size()) {
                    throw new ConfigException(where, walked + next, null,
                            "index out of range; the list has " + list.size() + " elements");
                }
                ArrayNode copy = list.deepCopy();
                boolean elementIsLast = i + 1 == segments.size() - 1;
                if (elementIsLast) {
                    copy.set(index, value);
                } else {
                    // Descend into the element: apply the rest of the path to it as a sub-override.
                    ConfigDocument element = new ConfigDocument(
                            copy.get(index) instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode(),
                            Map.of(), where);
                    String rest = String.join(".", segments.subList(i + 2, segments.size()));
                    ConfigDocument updated = apply(element, rest + "=" + assignment.substring(eq + 1).trim());
                    copy.set(index, updated.root());
                }
                cursor.set(segment, copy);
                break;
            } else {
                ObjectNode child = JsonNodeFactory.instance.objectNode();
                cursor.set(segment, child);
                cursor = child;
                baseCursor = baseChild;
            }
        }
        Map<String, SourceLocation> locations = new HashMap<>();
        String top = segments.get(0);
        locations.put(path, where);
        locations.put(top, where);
        return base.overlay(new ConfigDocument(overlay, locations, base.origin()));
    }
}
