package org.abacim.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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
        // A key missing from both is the top document's to give: locate it there, not in what lies underneath.
        locs.put("", over.locations.getOrDefault("", over.origin));
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
                // A key missing from the merged mapping is the top document's to give: locate the mapping there.
                SourceLocation objectLoc = sourceLocs.get(childPath);
                if (objectLoc != null) locs.put(childPath, objectLoc);
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

    /**
     * A copy with the value at {@code path} replaced (or added), recorded as written at {@code where}. Missing
     * objects along the path are created; a list element must exist.
     */
    public ConfigDocument set(String path, JsonNode value, SourceLocation where) {
        return setAll(List.of(new Assignment(path, value, where)));
    }

    /** A value to set at a config path, and where it was written. */
    public record Assignment(String path, JsonNode value, SourceLocation where) {}

    /** {@link #set} for several values at once, copying the tree once (sweeps set every axis of a point). */
    public ConfigDocument setAll(List<Assignment> assignments) {
        ObjectNode copy = root.deepCopy();
        Map<String, SourceLocation> locs = new HashMap<>(locations);
        for (Assignment a : assignments) {
            JsonNode replaced = at(a.path());
            // Mappings the assignment creates on its way were written by it too: an unknown key among them is its.
            for (String created : setInPlace(copy, a.path(), a.value(), a.where())) locs.put(created, a.where());
            String path = a.path();
            if (replaced != null && replaced.isContainerNode()) {
                // Locations of what was inside the replaced mapping or list no longer apply.
                locs.keySet().removeIf(k -> k.startsWith(path + ".") || k.startsWith(path + "["));
            }
            locs.put(path, a.where());
        }
        return new ConfigDocument(copy, locs, origin);
    }

    /** Sets the value in place; returns the paths of the mappings and lists it had to create. */
    private static List<String> setInPlace(ObjectNode copy, String path, JsonNode value, SourceLocation where) {
        List<String> created = new ArrayList<>();
        List<String> segments = ConfigPath.segments(path);
        if (segments.isEmpty() || segments.stream().anyMatch(String::isEmpty) || ConfigPath.isIndex(segments.get(0))) {
            throw new ConfigException(where, path, null, "not a config path; expected keys joined by dots, like array.rows");
        }
        JsonNode cursor = copy;
        StringBuilder walked = new StringBuilder();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            boolean last = i == segments.size() - 1;
            String here = walked + (ConfigPath.isIndex(segment) || walked.length() == 0 ? "" : ".") + segment;
            if (ConfigPath.isIndex(segment)) {
                if (!(cursor instanceof ArrayNode list)) {
                    throw new ConfigException(where, walked.toString(), null, "is not a list in the config");
                }
                int index = ConfigPath.index(segment);
                if (index >= list.size()) {
                    throw new ConfigException(where, here, null, "index out of range; the list has " + list.size()
                            + " elements");
                }
                if (last) list.set(index, value);
                cursor = list.get(index);
            } else {
                if (!(cursor instanceof ObjectNode object)) {
                    throw new ConfigException(where, walked.toString(), null, "is not a mapping in the config");
                }
                if (last) {
                    object.set(segment, value);
                } else if (!object.has(segment)) {
                    object.set(segment, ConfigPath.isIndex(segments.get(i + 1))
                            ? JsonNodeFactory.instance.arrayNode() : JsonNodeFactory.instance.objectNode());
                    created.add(here);
                }
                cursor = object.get(segment);
            }
            walked.setLength(0);
            walked.append(here);
        }
        return created;
    }

    /**
     * Defaults for the elements of a list, as data: every mapping in the list at {@code listPath} gets the keys of
     * {@code defaults} (an object, here or in another document) it leaves out, recorded as written at
     * {@code defaultsAt} (so an error about a default names where the default was written).
     */
    /**
     * Defaults for the mapping at {@code path}, as data: the top-level keys of {@code defaults} it leaves out,
     * recorded as written at {@code defaultsAt} (for mappings whose defaults depend on their {@code kind}).
     */
    public ConfigDocument withDefaultsAt(String path, JsonNode defaults,
                                         Function<String, SourceLocation> defaultsAt) {
        JsonNode mapping = at(path);
        if (mapping == null || !mapping.isObject() || defaults == null || !defaults.isObject()) return this;
        List<Assignment> fill = new ArrayList<>();
        for (Iterator<String> keys = defaults.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!mapping.has(key)) {
                fill.add(new Assignment(ConfigPath.child(path, key), defaults.get(key).deepCopy(), defaultsAt.apply(key)));
            }
        }
        return fill.isEmpty() ? this : setAll(fill);
    }

    public ConfigDocument withElementDefaults(String listPath, JsonNode defaults, Function<String,
            SourceLocation> defaultsAt) {
        JsonNode list = at(listPath);
        if (list == null || !list.isArray() || defaults == null || !defaults.isObject()) return this;
        List<Assignment> fill = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isObject()) continue;
            for (Iterator<String> keys = defaults.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!list.get(i).has(key)) {
                    fill.add(new Assignment(ConfigPath.child(ConfigPath.element(listPath, i), key),
                            defaults.get(key).deepCopy(), defaultsAt.apply(key)));
                }
            }
        }
        return fill.isEmpty() ? this : setAll(fill);
    }

    /** The object at a top-level key as a document of its own, its locations re-rooted ("base.array.rows" → "array.rows"). */
    public ConfigDocument subDocument(String key) {
        JsonNode node = root.get(key);
        if (!(node instanceof ObjectNode object)) {
            throw new ConfigException(locate(key), key, valueText(key), "expected a mapping of keys");
        }
        Map<String, SourceLocation> locs = new HashMap<>();
        locations.forEach((k, v) -> {
            if (k.equals(key)) locs.put("", v);
            else if (k.startsWith(key + ".")) locs.put(k.substring(key.length() + 1), v);
        });
        return new ConfigDocument(object.deepCopy(), locs, locate(key));
    }

    /** A copy without the given top-level keys (locations kept), e.g. the technology's own part of a config. */
    public ConfigDocument without(Set<String> keys) {
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
