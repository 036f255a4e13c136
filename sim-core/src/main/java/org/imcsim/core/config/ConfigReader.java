package org.imcsim.core.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads YAML (or JSON, which is YAML's subset) into a {@link ConfigDocument}, recording the line and column of every
 * value. Duplicate keys are errors: in YAML the second silently wins, which hides typos.
 */
public final class ConfigReader {
    private static final JsonFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConfigReader() {}

    public static ConfigDocument read(Path file) {
        String name = file.toString();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(name, reader);
        } catch (NoSuchFileException e) {
            throw ConfigException.inSource(SourceLocation.of(name), "no such file");
        } catch (IOException e) {
            throw ConfigException.inSource(SourceLocation.of(name), "cannot read: " + e.getMessage());
        }
    }

    public static ConfigDocument read(String sourceName, InputStream in) {
        try (Reader reader = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
            return read(sourceName, reader);
        } catch (IOException e) {
            throw ConfigException.inSource(SourceLocation.of(sourceName), "cannot read: " + e.getMessage());
        }
    }

    public static ConfigDocument read(String sourceName, String text) {
        try {
            return read(sourceName, new StringReader(text));
        } catch (IOException e) {
            throw ConfigException.inSource(SourceLocation.of(sourceName), "cannot read: " + e.getMessage());
        }
    }

    private static ConfigDocument read(String sourceName, Reader reader) throws IOException {
        Map<String, SourceLocation> locations = new HashMap<>();
        try (JsonParser parser = YAML.createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw ConfigException.inSource(SourceLocation.of(sourceName), "the file is empty; expected a mapping of keys");
            }
            if (first != JsonToken.START_OBJECT) {
                throw ConfigException.inSource(location(sourceName, parser.currentTokenLocation()),
                        "expected a mapping of keys at the top level, found " + describe(first));
            }
            JsonNode root = readValue(parser, "", sourceName, locations);
            return new ConfigDocument((ObjectNode) root, locations, SourceLocation.of(sourceName));
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String message = e.getOriginalMessage().lines().findFirst().orElse("malformed");
            throw ConfigException.inSource(loc == null ? SourceLocation.of(sourceName) : location(sourceName, loc),
                    "malformed YAML: " + message);
        }
    }

    /** Parses one override value as written after '=' in {@code --set path=value}, as YAML (so 256, 100 ns, [1,2]). */
    public static JsonNode readScalar(String sourceName, String text) {
        ConfigDocument wrapped = read(sourceName, "value: " + (text.isEmpty() ? "''" : text));
        return wrapped.root().get("value");
    }

    private static JsonNode readValue(JsonParser p, String path, String source, Map<String, SourceLocation> locs)
            throws IOException {
        JsonToken token = p.currentToken();
        locs.put(path, location(source, p.currentTokenLocation()));
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    SourceLocation keyLocation = location(source, p.currentTokenLocation());
                    String childPath = ConfigPath.child(path, key);
                    if (object.has(key)) {
                        throw new ConfigException(keyLocation, childPath, null,
                                "duplicate key (first given at " + locs.get(childPath) + ")");
                    }
                    p.nextToken();
                    object.set(key, readValue(p, childPath, source, locs));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                int index = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(p, ConfigPath.element(path, index++), source, locs));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                java.math.BigInteger v = p.getBigIntegerValue();
                if (v.bitLength() < 32) return NODES.numberNode(v.intValue());
                return v.bitLength() < 64 ? NODES.numberNode(v.longValue()) : NODES.numberNode(v);
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new ConfigException(location(source, p.currentTokenLocation()), path, null,
                    "unexpected " + describe(token));
        }
    }

    private static SourceLocation location(String source, JsonLocation loc) {
        return new SourceLocation(source, Math.max(0, loc.getLineNr()), Math.max(0, loc.getColumnNr()));
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "a mapping";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> token.toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
