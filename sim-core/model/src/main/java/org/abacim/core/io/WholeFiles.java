package org.abacim.core.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files written whole or not at all: the content goes to a temporary file beside the target, which is renamed into
 * place once complete, so a process killed mid-write (or a disk that fills) leaves the old file or the new one,
 * never half of one.
 */
public final class WholeFiles {
    private WholeFiles() {}

    /** Writes what {@code writer} writes to the path it is given, then renames it to {@code file}. */
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    public static void write(Path file, Writer writer) throws IOException {
        Path tmp = createTemporary(file);
        try {
            writer.write(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw IoErrors.naming(file, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, tmp -> Files.write(tmp, bytes));
    }

    /**
     * A new, empty temporary file beside {@code file}, hidden, with the permissions of any file the user creates
     * (not {@code Files.createTempFile}'s owner-only ones, which the rename would carry into the result).
     */
    private static Path createTemporary(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        for (int attempt = 0; ; attempt++) {
            Path tmp = folder.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException taken) {
                if (attempt == 100) throw taken;
            } catch (IOException e) {
                throw IoErrors.naming(file, e);
            }
        }
    }
}
