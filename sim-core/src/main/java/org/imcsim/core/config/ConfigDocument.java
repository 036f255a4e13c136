package org.imcsim.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A config tree together with where each of its values was written, so that an error found when binding the
 * merged tree (preset + config + overrides) can still point at the file and line the user must change.
 */
public final class ConfigDocument {
    private final ObjectNode root;
    private final Map<String, SourceLocation> locations;
    private final SourceLocation origin;

    public ConfigDocument(ObjectNode root, Map<String, SourceLocation> locations, SourceLocation origin) {
        this.root = root;
        this.locations = new HashMap<>(locations);
        this.origin = origin;
    }

    public static ConfigDocument empty(String source) {
        return new ConfigDocument(JsonNodeFactory.instance.objectNode(), Map.of(), SourceLocation.of(source));
    }

    public ObjectNode root() { return root; }

    public SourceLocation origin() { return origin; }

    /**
     * Where the value at a config path was written. For a path that is not there (a missing value), the nearest
     * enclosing object's location; failing that, the document's origin.
     */
    public SourceLocation locate(String path) {
        String p = path == null ? "" : path;
        while (true) {
            SourceLocation loc = locations.get(p);
            if (loc != null) return loc;
            if (p.isEmpty()) return origin;
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }

    /** The text of the value at a path as written (for messages), or null when there is none. */
    public String valueText(String path) {
        JsonNode node = at(path);
        if (node == null || node.isMissingNode()) return null;
        if (node.isTextual()) {
            // Quote text that looks like a number, so "expected a whole number" is not puzzling.
            return node.asText().matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?") ? "'" + node.asText() + "'" : node.asText();
        }
        if (node.isValueNode()) return node.toString();
        return node.isObject() ? "{…}" : "[…]";
    }

    /** The node at a dotted path such as "array.rows" or "layers[2].kernel", or null. */
    public JsonNode at(String path) {
        JsonNode node = root;
        for (String segment : ConfigPath.segments(path)) {
            if (node == null) return null;
            node = ConfigPath.isIndex(segment) ? node.get(ConfigPath.index(segment)) : node.get(segment);
        }
        return node;
    }

    /** A new document: this one with {@code over} laid on top (objects merge key by key; anything else replaces). */
    public ConfigDocument overlay(ConfigDocument over) {
        ObjectNode merged = root.deepCopy();
        Map<String, SourceLocation> locs = new HashMap<>(locations);
        mergeInto(merged, over.root, "", locs, over.locations);
        return new ConfigDocument(merged, locs, over.origin);
    }

    private static void mergeInto(ObjectNode target, ObjectNode source, String path,
                                  Map<String, SourceLocation> locs, Map<String, SourceLocation> sourceLocs) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String childPath = ConfigPath.child(path, e.getKey());
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode existingObject && e.getValue() instanceof ObjectNode sourceObject) {
                SourceLocation objectLoc = sourceLocs.get(childPath);
                if (objectLoc != null) locs.putIfAbsent(childPath, objectLoc);
                mergeInto(existingObject, sourceObject, childPath, locs, sourceLocs);
            } else {
                locs.keySet().removeIf(k -> k.equals(childPath) || k.startsWith(childPath + ".")
                        || k.startsWith(childPath + "["));
                target.set(e.getKey(), e.getValue().deepCopy());
                sourceLocs.forEach((k, v) -> {
                    if (k.equals(childPath) || k.startsWith(childPath + ".") || k.startsWith(childPath + "[")) {
                        locs.put(k, v);
                    }
                });
            }
        }
    }

    /** A copy without the given top-level keys (locations kept), e.g. the technology's own part of a config. */
    public ConfigDocument without(java.util.Set<String> keys) {
        ObjectNode copy = root.deepCopy();
        copy.remove(keys);
        return new ConfigDocument(copy, locations, origin);
    }

    /** A copy with a top-level key set to text, recording where that came from (e.g. "--network vgg16"). */
    public ConfigDocument with(String key, String text, SourceLocation where) {
        ObjectNode copy = root.deepCopy();
        copy.put(key, text);
        Map<String, SourceLocation> locs = new HashMap<>(locations);
        locs.put(key, where);
        return new ConfigDocument(copy, locs, origin);
    }
}
