package org.abacim.core.config;

/**
 * Thrown by a config record's compact constructor when one of its fields is out of range. The binder adds the file,
 * line and the full config path; the record only knows its own field name.
 */
public final class InvalidValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final Object value;
    private final String problem;

    public InvalidValueException(String field, Object value, String problem) {
        super(field + " = " + value + ": " + problem);
        this.field = field;
        this.value = value;
        this.problem = problem;
    }

    public String field() { return field; }

    public Object value() { return value; }

    public String problem() { return problem; }
}
