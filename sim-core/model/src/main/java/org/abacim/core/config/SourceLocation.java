package org.abacim.core.config;

import java.io.Serializable;

/** Where a config value was written: a file (or "--set …") with 1-based line and column; 0 when unknown. */
public record SourceLocation(String source, int line, int column) implements Serializable {
    public static SourceLocation of(String source) {
        return new SourceLocation(source, 0, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ":" + column : source;
    }
}
