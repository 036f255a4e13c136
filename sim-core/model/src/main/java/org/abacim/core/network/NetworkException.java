package org.abacim.core.network;

/** A network that cannot be built: shapes that do not fit, unknown inputs, repeated names. */
public final class NetworkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NetworkException(String message) {
        super(message);
    }
}
