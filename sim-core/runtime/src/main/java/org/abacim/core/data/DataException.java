package org.abacim.core.data;

/** A data file that is missing, truncated or not what it claims to be; the message says which and how to fix it. */
public final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }
}
