package org.abacim.core.config;

import java.util.Collections;

/** "Billion laughs" YAML for the hostile-input tests of every module: nine levels of nine aliases, 9^9 values. */
public final class BillionLaughs {
    private BillionLaughs() {}

    /** As a document of keys {@code prefix}a … {@code prefix}i, one level a line (under 400 bytes). */
    public static String document(String keyPrefix) {
        StringBuilder yaml = new StringBuilder(keyPrefix + "a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (char level = 'b'; level <= 'i'; level++) {
            yaml.append(keyPrefix).append(level).append(": &").append(level).append(" [")
                    .append(String.join(",", Collections.nCopies(9, "*" + (char) (level - 1)))).append("]\n");
        }
        return yaml.toString();
    }

    /** As one flow-style value, what a {@code --set} or a server's {@code set=} can carry. */
    public static String flow() {
        StringBuilder yaml = new StringBuilder("{a: &a [x,x,x,x,x,x,x,x,x]");
        for (char level = 'b'; level <= 'i'; level++) {
            yaml.append(", ").append(level).append(": &").append(level).append(" [")
                    .append(String.join(",", Collections.nCopies(9, "*" + (char) (level - 1)))).append("]");
        }
        return yaml.append("}").toString();
    }
}
