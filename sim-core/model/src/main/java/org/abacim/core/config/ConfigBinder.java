package org.abacim.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.abacim.core.units.UnitException;
import org.abacim.core.units.UnitsModule;

/**
 * Binds part of a {@link ConfigDocument} to an immutable, validated record. Strict: unknown keys, missing values,
 * nulls, numbers given as strings and fractions given for integers are all errors, reported as one line with the
 * file, line, column, config path and value.
 */
public final class ConfigBinder {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new UnitsModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private static final Pattern MISSING = Pattern.compile("Missing (?:required )?creator property '([^']+)'");
    private static final Pattern NULL = Pattern.compile("Null value for creator property '([^']+)'");

    /** The key that names a polymorphic record's type ({@code kind: crossbar-block}). */
    public static final String TYPE_PROPERTY = "kind";
    private static final Pattern KNOWN_TYPES = Pattern.compile("known type ids = \\[([^\\]]*)\\]");

    private ConfigBinder() {}

    private static String message(Exception e) {
        return e.getMessage() == null ? "" : e.getMessage();
    }

    /** Binds the whole document. */
    public static <T> T bind(ConfigDocument doc, Class<T> type) {
        return bind(doc, "", doc.root(), type);
    }

    /** Binds the node found at {@code path} (which is how messages will name it) to {@code type}. */
    public static <T> T bind(ConfigDocument doc, String path, JsonNode node, Class<T> type) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            // A section written as null (or left empty) is a missing value, not an object without settings.
            throw new ConfigException(doc.locate(path), path, node == null || node.isMissingNode() ? null : "null",
                    node == null || node.isMissingNode() ? "missing required value" : "a value is required");
        }
        refuseRenamed(doc, path, node, type);
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw translate(doc, path, e);
        } catch (IllegalArgumentException e) {
            throw translate(doc, path, e);
        }
    }

    /**
     * A key the record's {@link Renamed} table lists as renamed is an error naming its new name, whether it came
     * from a file or {@code --set}: checked before binding, so it is never reported as an unknown key.
     */
    private static void refuseRenamed(ConfigDocument doc, String path, JsonNode node, Class<?> type) {
        for (Renamed r : type.getAnnotationsByType(Renamed.class)) {
            JsonNode old = node;
            for (String segment : ConfigPath.segments(r.from())) {
                old = old != null && old.isObject() ? old.get(segment) : null;
            }
            if (old != null && !old.isMissingNode()) {
                String full = ConfigPath.child(path, r.from());
                throw new ConfigException(doc.locate(full), full, null,
                        "renamed to " + r.to() + " (issue " + r.issue() + ")");
            }
        }
    }

    private static ConfigException translate(ConfigDocument doc, String basePath, Exception e) {
        String path = basePath;
        if (e instanceof JsonMappingException jme) {
            for (JsonMappingException.Reference ref : jme.getPath()) {
                path = ref.getFieldName() != null ? ConfigPath.child(path, ref.getFieldName())
                        : ConfigPath.element(path, ref.getIndex());
            }
        }
        Throwable cause = rootCause(e);
        if (cause instanceof InvalidValueException invalid) {
            String full = invalid.field() == null || invalid.field().isEmpty() ? path : ConfigPath.child(path, invalid.field());
            String written = doc.valueText(full);
            return new ConfigException(doc.locate(full), full,
                    written != null ? written : String.valueOf(invalid.value()), invalid.problem());
        }
        if (cause instanceof ConfigException config) {
            return config;
        }
        if (cause instanceof UnitException unit) {
            return new ConfigException(doc.locate(path), path, doc.valueText(path), unit.getMessage());
        }
        if (e instanceof InvalidTypeIdException typeId) {
            // Polymorphic records (a projection's kind): an unknown or missing type name, at its key.
            String full = ConfigPath.child(path, TYPE_PROPERTY);
            if (typeId.getTypeId() == null) return new ConfigException(doc.locate(full), full, null, "missing required value");
            Matcher known = KNOWN_TYPES.matcher(message(e));
            return new ConfigException(doc.locate(full), full, doc.valueText(full),
                    known.find() ? "expected one of: " + String.join(", ", new TreeSet<>(List.of(known.group(1).split(",\\s*"))))
                            : "unknown kind");
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new ConfigException(doc.locate(path), path, null,
                    "unknown key; expected one of: " + known(unknown.getKnownPropertyIds()));
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        Matcher missing = MISSING.matcher(message);
        if (missing.find()) {
            String full = endsWith(path, missing.group(1)) ? path : ConfigPath.child(path, missing.group(1));
            return new ConfigException(doc.locate(full), full, null, "missing required value");
        }
        Matcher isNull = NULL.matcher(message);
        if (isNull.find()) {
            String full = endsWith(path, isNull.group(1)) ? path : ConfigPath.child(path, isNull.group(1));
            return new ConfigException(doc.locate(full), full, "null", "a value is required");
        }
        if (e instanceof InvalidFormatException format) {
            return new ConfigException(doc.locate(path), path, doc.valueText(path),
                    "expected " + describe(format.getTargetType()));
        }
        if (e instanceof MismatchedInputException mismatch) {
            return new ConfigException(doc.locate(path), path, doc.valueText(path),
                    "expected " + describe(mismatch.getTargetType()));
        }
        if (cause instanceof IllegalArgumentException iae && iae.getMessage() != null) {
            return new ConfigException(doc.locate(path), path, doc.valueText(path), iae.getMessage());
        }
        return new ConfigException(doc.locate(path), path, doc.valueText(path),
                message.lines().findFirst().orElse("invalid value"));
    }

    private static boolean endsWith(String path, String key) {
        return path.equals(key) || path.endsWith("." + key);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            if (c instanceof InvalidValueException || c instanceof UnitException || c instanceof ConfigException) return c;
            c = c.getCause();
        }
        return c;
    }

    private static String known(Collection<Object> ids) {
        TreeSet<String> names = new TreeSet<>();
        for (Object id : ids) names.add(String.valueOf(id));
        return String.join(", ", names);
    }

    private static String describe(Class<?> type) {
        if (type == null) return "a different kind of value";
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) return "a whole number";
        if (type == double.class || type == Double.class || type == float.class) return "a number";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type == String.class) return "text";
        if (type.isEnum()) {
            TreeSet<String> names = new TreeSet<>();
            for (Object c : type.getEnumConstants()) names.add(c.toString());
            return "one of: " + String.join(", ", names);
        }
        if (type.isRecord()) return "a mapping of keys (" + type.getSimpleName().toLowerCase(Locale.ROOT) + ")";
        if (Collection.class.isAssignableFrom(type)) return "a list";
        return "a " + type.getSimpleName();
    }

    /** The mapper used for config records, for modules that read their own files with the same rules. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
