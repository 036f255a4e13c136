package org.abacim.core.placement;

/** {@code count} arrays of one layer copy that use {@code rows} rows and {@code cols} weight columns. */
public record TileClass(int rows, int cols, long count) {
    public TileClass {
        if (rows <= 0 || cols <= 0 || count <= 0) throw new IllegalArgumentException("tile class must be positive");
    }
}
