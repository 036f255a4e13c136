package org.imcsim.experiments.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.imcsim.core.config.ConfigDocument;
import org.imcsim.core.config.ConfigException;

/** Typed reads with the file, line, path and value in every error. */
public record TypedReader(ConfigDocument doc) {
    public JsonNode need(String path) {
        JsonNode n = doc.at(path);
        if (n == null || n.isNull()) throw new ConfigException(doc.locate(path), path, null, "missing required value");
        return n;
    }

    public String text(String path) {
        JsonNode n = need(path);
        if (!n.isTextual()) throw new ConfigException(doc.locate(path), path, doc.valueText(path), "expected text");
        return n.asText();
    }

    public int integer(String path, long min, long max) {
        JsonNode n = need(path);
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            throw new ConfigException(doc.locate(path), path, doc.valueText(path),
                    "expected a whole number from " + min + " to " + max);
        }
        return n.asInt();
    }

    public double number(String path, double min, double max) {
        JsonNode n = need(path);
        if (!n.isNumber() || n.asDouble() < min || n.asDouble() > max) {
            throw new ConfigException(doc.locate(path), path, doc.valueText(path),
                    "expected a number from " + min + " to " + max);
        }
        return n.asDouble();
    }

    /** Whether {@code path} holds a value. */
    public boolean has(String path) {
        JsonNode n = doc.at(path);
        return n != null && !n.isNull();
    }

    /** A list of text values, or an empty list when absent. */
    public java.util.List<String> texts(String path) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (!has(path)) return out;
        JsonNode l = list(path);
        for (int i = 0; i < l.size(); i++) out.add(text(path + "[" + i + "]"));
        return out;
    }

    public JsonNode list(String path) {
        JsonNode n = need(path);
        if (!n.isArray()) throw new ConfigException(doc.locate(path), path, doc.valueText(path), "expected a list");
        return n;
    }

    public void onlyKeys(String path, Set<String> allowed) {
        JsonNode n = path.isEmpty() ? doc.root() : doc.at(path);
        if (n == null) return;
        if (!n.isObject()) throw new ConfigException(doc.locate(path), path, doc.valueText(path), "expected a mapping of keys");
        n.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                String full = path.isEmpty() ? k : path + "." + k;
                throw new ConfigException(doc.locate(full), full, null,
                        "unknown key; expected one of: " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        });
    }
}
