package org.imcsim.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files written whole or not at all: the content goes to a temporary file beside the target, which is renamed into
 * place once complete, so a process killed mid-write leaves the old file or the new one, never half of one.
 */
public final class WholeFiles {
    private WholeFiles() {}

    /** Writes what {@code writer} writes to the path it is given, then renames it to {@code file}. */
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    public static void write(Path file, Writer writer) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        try {
            writer.write(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, tmp -> Files.write(tmp, bytes));
    }
}
