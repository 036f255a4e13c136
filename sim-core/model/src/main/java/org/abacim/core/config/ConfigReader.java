package org.abacim.core.config;

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
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.abacim.core.io.IoErrors;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Reads YAML (or JSON, which is YAML's subset) into a {@link ConfigDocument}, recording the line and column of every
 * value. Duplicate keys are errors: in YAML the second silently wins, which hides typos.
 */
public final class ConfigReader {
    private static final JsonFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConfigReader() {}

    /** Config files larger than this are refused before they are read: configs are kilobytes. */
    public static final long MAX_BYTES = 16L << 20;

    /** Mappings and lists nested deeper than this are refused: configs nest a few levels. */
    public static final int MAX_DEPTH = 64;

    /**
     * Values that aliases ({@code *name}) may repeat in one file, counted node by node: a config repeats a block a
     * few times, while a "billion laughs" document (nine levels of nine aliases each) asks for 9^9 values from a few
     * hundred bytes. Checked before each copy is made, so such a file is refused without growing the heap.
     */
    public static final long MAX_ALIAS_VALUES = 100_000;

    /**
     * The folder a config's relative paths resolve against, as the user named it. Never made absolute: a result
     * that prints a path it read must read the same on every checkout and machine.
     */
    public static Path folderOf(Path file) {
        Path parent = file.getParent();
        return parent == null ? Path.of("") : parent;
    }

    public static ConfigDocument read(Path file) {
        String name = file.toString();
        try {
            if (Files.isDirectory(file)) throw ConfigException.inSource(SourceLocation.of(name), "is a folder, not a config file");
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw ConfigException.inSource(SourceLocation.of(name), "is " + size + " bytes; a config may have at most "
                        + MAX_BYTES + " (16 MiB)");
            }
            return read(name, Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw ConfigException.inSource(SourceLocation.of(name), "no such file");
        } catch (IOException e) {
            throw ConfigException.inSource(SourceLocation.of(name), "cannot read: " + IoErrors.reason(e));
        }
    }

    /** Decodes UTF-8 strictly: a byte that is not UTF-8 is an error at its line and column, not a Java exception. */
    static ConfigDocument read(String sourceName, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String text;
        try {
            text = decoder.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            int bad = firstInvalidUtf8(bytes);
            int line = 1;
            int column = 1;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    column = 1;
                } else if ((bytes[i] & 0xC0) != 0x80) {
                    column++;
                }
            }
            throw ConfigException.inSource(new SourceLocation(sourceName, line, column), String.format(
                    Locale.ROOT, "byte 0x%02X is not UTF-8 text; save the config as UTF-8", bytes[bad] & 0xFF));
        }
        return read(sourceName, text);
    }

    /** Index of the first byte that does not start or continue a valid UTF-8 sequence. */
    private static int firstInvalidUtf8(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            int n = c < 0x80 ? 0 : c >= 0xC2 && c < 0xE0 ? 1 : c >= 0xE0 && c < 0xF0 ? 2 : c >= 0xF0 && c < 0xF5 ? 3 : -1;
            if (n < 0 || i + n >= b.length) return i; // not a lead byte, or a sequence cut short
            for (int k = 1; k <= n; k++) if ((b[i + k] & 0xC0) != 0x80) return i;
            i += n + 1;
        }
        return Math.max(0, b.length - 1);
    }

    public static ConfigDocument read(String sourceName, InputStream in) {
        try (in) {
            return read(sourceName, in.readAllBytes());
        } catch (IOException e) {
            throw ConfigException.inSource(SourceLocation.of(sourceName), "cannot read: " + IoErrors.reason(e));
        }
    }

    public static ConfigDocument read(String sourceName, String text) {
        try {
            // A byte-order mark is not part of the config (editors on some systems write one).
            String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
            return read(sourceName, new StringReader(body), scalarAnchors(body));
        } catch (IOException e) {
            throw ConfigException.inSource(SourceLocation.of(sourceName), "cannot read: " + IoErrors.reason(e));
        }
    }

    /**
     * Where scalars carry an anchor ({@code rows: &r 256}): Jackson's streaming parser reports anchors of mappings and
     * lists but not of scalars, so the YAML events are read once more for them, keyed by line and column.
     */
    private static Map<Long, String> scalarAnchors(String text) {
        Map<Long, String> out = new HashMap<>();
        if (text.indexOf('&') < 0) return out;
        try {
            for (Event e : new Yaml().parse(new StringReader(text))) {
                if (e instanceof ScalarEvent scalar && scalar.getAnchor() != null) {
                    out.put(position(e.getStartMark().getLine() + 1, e.getStartMark().getColumn() + 1), scalar.getAnchor());
                }
            }
        } catch (RuntimeException malformed) {
            // Jackson's pass reports the error with its location.
        }
        return out;
    }

    private static long position(long line, long column) {
        return line << 32 | column;
    }

    private static ConfigDocument read(String sourceName, Reader reader, Map<Long, String> scalarAnchors)
            throws IOException {
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
            JsonNode root = readValue(parser, "", sourceName, locations,
                    new Anchors(new HashMap<>(), new HashMap<>(), scalarAnchors, new long[1]), 0);
            if (parser.nextToken() != null) {
                throw ConfigException.inSource(location(sourceName, parser.currentTokenLocation()),
                        "a second YAML document; a config is one document (remove the '---' and what follows, or merge it)");
            }
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

    private static JsonNode readValue(JsonParser p, String path, String source, Map<String, SourceLocation> locs,
                                      Anchors anchors, int depth) throws IOException {
        JsonToken token = p.currentToken();
        locs.put(path, location(source, p.currentTokenLocation()));
        if (depth > MAX_DEPTH) {
            throw new ConfigException(location(source, p.currentTokenLocation()), path, null,
                    "nested deeper than " + MAX_DEPTH + " levels");
        }
        if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            // A YAML alias (*name) repeats the value its anchor (&name) marked.
            JsonNode anchored = anchors.values().get(p.getText());
            if (anchored == null) {
                throw new ConfigException(location(source, p.currentTokenLocation()), path, "*" + p.getText(),
                        "no anchor &" + p.getText() + " before this alias");
            }
            long size = anchors.sizes().get(p.getText());
            long total = anchors.copied()[0] + size;
            if (total > MAX_ALIAS_VALUES) {
                throw new ConfigException(location(source, p.currentTokenLocation()), path, "*" + p.getText(),
                        String.format(Locale.ROOT, "aliases would repeat %,d values here (this one %,d); "
                                + "a file's aliases may repeat at most %,d — nested aliases that multiply "
                                + "(a 'billion laughs' document) are refused", total, size, MAX_ALIAS_VALUES));
            }
            anchors.copied()[0] = total;
            return anchored.deepCopy();
        }
        JsonLocation at = p.currentTokenLocation();
        String anchor = p instanceof YAMLParser yaml ? yaml.getCurrentAnchor() : null;
        if (anchor == null) anchor = anchors.scalars().get(position(at.getLineNr(), at.getColumnNr()));
        JsonNode value = readPlain(p, token, path, source, locs, anchors, depth);
        if (anchor != null) {
            anchors.values().put(anchor, value);
            anchors.sizes().put(anchor, countValues(value));
        }
        return value;
    }

    private static JsonNode readPlain(JsonParser p, JsonToken token, String path, String source,
                                      Map<String, SourceLocation> locs, Anchors anchors, int depth)
            throws IOException {
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
                    object.set(key, readValue(p, childPath, source, locs, anchors, depth + 1));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                int index = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(p, ConfigPath.element(path, index++), source, locs, anchors, depth + 1));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                BigInteger v = p.getBigIntegerValue();
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

    /**
     * Values marked with an anchor so far (and how many values each holds, itself included), where scalars carry
     * one, and how many values aliases have repeated so far in this file.
     */
    private record Anchors(Map<String, JsonNode> values, Map<String, Long> sizes, Map<Long, String> scalars,
                           long[] copied) {}

    /** The values in a tree, itself included. Bounded: a tree here is the file's text or bounded alias copies. */
    private static long countValues(JsonNode node) {
        long n = 1;
        for (JsonNode child : node) n += countValues(child);
        return n;
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
            default -> token.toString().toLowerCase(Locale.ROOT);
        };
    }
}
