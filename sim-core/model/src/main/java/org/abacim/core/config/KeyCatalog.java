package org.abacim.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.abacim.core.units.Dimension;

/**
 * Every key a config record binds, read from the records themselves: the path, the type as a user writes it, the
 * unit, the default and the one-line description of its {@link Key} annotation. Nested records, lists, enums,
 * quantities, values with their own reader ({@code auto} or a number) and kind-selected variants
 * ({@code @JsonSubTypes}) are walked the way {@link ConfigBinder} binds them. docs/config.md's key tables and
 * {@code abacim keys} are made from these rows, and the defaults binding fills in come from here too.
 */
public final class KeyCatalog {
    private KeyCatalog() {}

    /**
     * One key. {@code when} names the variant it belongs to ({@code kind: numpy}), empty for every variant;
     * {@code section} is true for a mapping of keys (listed for its description); {@code doc} is null when the
     * record component has no {@link Key} (a test refuses that).
     */
    public record Row(String path, String when, String type, String unit, String defaultValue, String doc,
                      boolean section, boolean optional) {}

    /** The keys of {@code record}, bound at {@code prefix} ("" for the top of a document), in declaration order. */
    public static List<Row> rows(String prefix, Class<?> record) {
        List<Row> rows = new ArrayList<>();
        walkRecord(prefix, "", record, rows);
        return rows;
    }

    /** The keys of one record component, and its own row, as {@link #rows} lists them. */
    public static List<Row> rows(String path, RecordComponent component) {
        List<Row> rows = new ArrayList<>();
        describe(path, "", component.getGenericType(), component.getAnnotation(Key.class), rows);
        return rows;
    }

    private static void walkRecord(String prefix, String when, Class<?> record, List<Row> rows) {
        for (RecordComponent c : record.getRecordComponents()) {
            describe(ConfigPath.child(prefix, c.getName()), when, c.getGenericType(), c.getAnnotation(Key.class), rows);
        }
    }

    private static void describe(String path, String when, Type generic, Key key, List<Row> rows) {
        Class<?> raw = raw(generic);
        String doc = key == null ? null : key.doc();
        String unit = key == null ? "" : key.unit();
        String defaultValue = key == null ? "" : key.defaultValue();
        boolean optional = key != null && key.optional();
        String declaredType = key == null ? "" : key.type();
        Optional<Dimension> dimension = Dimension.of(raw);
        if (dimension.isPresent()) {
            String type = dimension.get().description().replaceFirst("^an? ", "");
            rows.add(new Row(path, when, type, dimension.get().siUnit(), defaultValue, doc, false, optional));
        } else if (raw.isAnnotationPresent(JsonSubTypes.class)) {
            JsonSubTypes.Type[] kinds = raw.getAnnotation(JsonSubTypes.class).value();
            List<String> names = Arrays.stream(kinds).map(JsonSubTypes.Type::name).toList();
            rows.add(new Row(path, when, declaredType.isEmpty() ? "a mapping with a kind" : declaredType, unit,
                    defaultValue, doc, true, optional));
            rows.add(new Row(ConfigPath.child(path, ConfigBinder.TYPE_PROPERTY), when, "one of: " + String.join(", ",
                    names), "", "", "which kind of " + path + " the other keys describe", false, false));
            for (JsonSubTypes.Type kind : kinds) {
                walkRecord(path, "kind: " + kind.name(), kind.value(), rows);
            }
        } else if (!declaredType.isEmpty() || readsItself(raw)) {
            rows.add(new Row(path, when, declaredType.isEmpty() ? "value" : declaredType, unit, defaultValue, doc,
                    false, optional));
        } else if (raw.isRecord()) {
            rows.add(new Row(path, when, "a mapping of keys", unit, defaultValue, doc, true, optional));
            walkRecord(path, when, raw, rows);
        } else {
            rows.add(new Row(path, when, typeName(generic), unit, defaultValue, doc, false, optional));
        }
    }

    /** How a user writes a value of a plain type: "a whole number", "one of: a, b", "a list of numbers". */
    static String typeName(Type generic) {
        Class<?> raw = raw(generic);
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) return "a whole number";
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) return "a number";
        if (raw == boolean.class || raw == Boolean.class) return "true or false";
        if (raw == String.class) return "text";
        if (raw.isEnum()) return "one of: " + String.join(", ", enumKeys(raw));
        if (List.class.isAssignableFrom(raw) && generic instanceof ParameterizedType p) {
            return "a list of " + typeName(p.getActualTypeArguments()[0]).replaceFirst("^an? ", "")
                    .replaceFirst("^(number|whole number|text value)$", "$1s");
        }
        if (Map.class.isAssignableFrom(raw)) return "a mapping";
        return "a value";
    }

    /** The keys an enum is written as: {@link Keyed#key()}, its {@code @JsonValue}, or its name in lower case. */
    static List<String> enumKeys(Class<?> type) {
        List<String> keys = new ArrayList<>();
        Method jsonValue = Arrays.stream(type.getMethods()).filter(m -> m.isAnnotationPresent(JsonValue.class))
                .findFirst().orElse(null);
        for (Object constant : type.getEnumConstants()) {
            if (constant instanceof Keyed keyed) {
                keys.add(keyed.key());
            } else if (jsonValue != null) {
                try {
                    keys.add(String.valueOf(jsonValue.invoke(constant)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            } else {
                keys.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
            }
        }
        return keys;
    }

    /** A record read from one value by its own creator (auto or a number, a data set's name): a leaf, not a mapping. */
    private static boolean readsItself(Class<?> type) {
        return Stream.concat(Arrays.stream(type.getDeclaredMethods()), Arrays.stream(type.getDeclaredConstructors()))
                .map(Executable.class::cast)
                .anyMatch(e -> e.isAnnotationPresent(JsonCreator.class)
                        && e.getAnnotation(JsonCreator.class).mode() == JsonCreator.Mode.DELEGATING);
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) return c;
        if (type instanceof ParameterizedType p) return (Class<?>) p.getRawType();
        return Object.class;
    }

    /**
     * The defaults {@code record} declares ({@link Key#defaultValue}), as a mapping to lay a config over: nested
     * records contribute the defaults of their own keys.
     */
    public static ObjectNode defaults(Class<?> record) {
        ObjectNode defaults = JsonNodeFactory.instance.objectNode();
        for (RecordComponent c : record.getRecordComponents()) {
            Key key = c.getAnnotation(Key.class);
            if (key != null && !key.defaultValue().isEmpty()) {
                defaults.set(c.getName(), ConfigReader.readScalar(where(record, c.getName()).toString(),
                        key.defaultValue()));
            } else if (c.getType().isRecord() && !readsItself(c.getType())) {
                ObjectNode nested = defaults(c.getType());
                if (!nested.isEmpty()) defaults.set(c.getName(), nested);
            }
        }
        return defaults;
    }

    /**
     * The defaults of {@code record} bound at {@code path} as a document, each value located at the component that
     * declares it ("default (AccuracyOptions.samples)"), so an error about a default, and {@code abacim keys}, name it.
     */
    public static ConfigDocument defaultsDocument(String path, Class<?> record) {
        // Built once per section: reflection and parsing cost ~55 µs, a tenth of loading a design point. Documents
        // are not changed in place (overlay copies), so one instance serves every caller.
        return DEFAULTS.computeIfAbsent(path + "\u0000" + record.getName(), k -> buildDefaultsDocument(path, record));
    }

    private static final Map<String, ConfigDocument> DEFAULTS = new ConcurrentHashMap<>();

    private static ConfigDocument buildDefaultsDocument(String path, Class<?> record) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        Map<String, SourceLocation> locations = new HashMap<>();
        ObjectNode parent = root;
        List<String> segments = ConfigPath.segments(path);
        for (String segment : segments) parent = parent.putObject(segment);
        parent.setAll(defaults(record));
        locate(path, record, parent, locations);
        return new ConfigDocument(root, locations, SourceLocation.of("defaults of " + record.getSimpleName()));
    }

    /** Where the default of {@code component} of {@code record} is declared, as documents and messages name it. */
    public static SourceLocation where(Class<?> record, String component) {
        return SourceLocation.of("default (" + record.getSimpleName() + "." + component + ")");
    }

    private static void locate(String path, Class<?> record, JsonNode node, Map<String, SourceLocation> locations) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String child = ConfigPath.child(path, name);
            RecordComponent component = Arrays.stream(record.getRecordComponents())
                    .filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
            Key key = component.getAnnotation(Key.class);
            if (key != null && !key.defaultValue().isEmpty()) {
                locateAll(child, node.get(name), where(record, name), locations);
            } else {
                locate(child, component.getType(), node.get(name), locations);
            }
        }
    }

    private static void locateAll(String path, JsonNode node, SourceLocation where, Map<String, SourceLocation> locations) {
        locations.put(path, where);
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> locateAll(ConfigPath.child(path, name), node.get(name), where,
                    locations));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) locateAll(ConfigPath.element(path, i), node.get(i), where, locations);
        }
    }
}
