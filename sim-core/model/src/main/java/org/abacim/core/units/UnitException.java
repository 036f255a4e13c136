package org.abacim.core.units;

/** A value that is not a well-formed quantity of the expected dimension. The message says what was expected. */
public final class UnitException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnitException(String message) {
        super(message);
    }
}
