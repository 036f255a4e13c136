package org.abacim.experiments.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.io.WholeFiles;

/**
 * The folder a command writes into ({@code --out DIR}). Every file goes inside it, named from text that may come from
 * a config or a model (a design name, an ONNX file's name) made into one plain file name; every file is written
 * whole or not at all (a temporary file beside it, then an atomic rename), so a killed run leaves no half file.
 */
public final class OutputFolder {
    private final Path dir;

    private OutputFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens (creating) {@code dir}; {@code option} names where it was given ({@code --out}) for the error when it is
     * a file, cannot be created or cannot be written.
     */
    public static OutputFolder open(Path dir, String option) {
        SourceLocation where = SourceLocation.of(option + " " + dir);
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw ConfigException.inSource(where, "is a file; expected a folder to write into");
        }
        try {
            Files.createDirectories(absolute);
        } catch (FileSystemException e) {
            throw ConfigException.inSource(where, "cannot create the folder: " + reason(e));
        } catch (IOException e) {
            throw ConfigException.inSource(where, "cannot create the folder: " + e.getMessage());
        }
        if (!Files.isWritable(absolute)) {
            throw ConfigException.inSource(where, "the folder is not writable");
        }
        return new OutputFolder(absolute);
    }

    public Path path() { return dir; }

    /**
     * Refuses a symbolic link at {@code file} (a name a command writes or reads inside its output folder): a link
     * planted there would carry the write, or the read, to wherever it points. Callers also open such files with
     * {@link java.nio.file.LinkOption#NOFOLLOW_LINKS}, so a link made after this check is refused by the open.
     */
    public static void refuseLink(Path file) {
        if (Files.isSymbolicLink(file)) {
            throw ConfigException.inSource(SourceLocation.of(file.toString()), "is a symbolic link; files in an output "
                    + "folder are never written or read through links: remove it, or choose another --out");
        }
    }

    /**
     * One plain file name from any text: characters other than letters, digits, '.', '_', '+' and '-' become '_',
     * and a leading '.' does too, so the name can neither leave the folder nor hide in it.
     */
    public static String plainName(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean plain = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '+' || c == '-');
            b.append(plain && !(i == 0 && c == '.') ? c : '_');
        }
        String name = b.length() == 0 ? "_" : b.toString();
        return name.length() > 200 ? name.substring(0, 200) : name;
    }

    /** The file {@code name} (made plain) inside the folder. */
    public Path file(String name) {
        Path file = dir.resolve(plainName(name)).normalize();
        if (!file.getParent().equals(dir)) throw new IllegalStateException("not inside " + dir + ": " + file);
        return file;
    }

    /** Writes {@code text} (UTF-8) to {@code name} whole or not at all; returns the file. */
    public Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code name} whole or not at all; returns the file. */
    public Path write(String name, byte[] bytes) throws IOException {
        Path file = file(name);
        writeWhole(file, bytes);
        return file;
    }

    /** Writes {@code bytes} to {@code file} through a temporary file beside it and an atomic rename. */
    public static void writeWhole(Path file, byte[] bytes) throws IOException {
        WholeFiles.write(file, bytes);
    }

    private static String reason(FileSystemException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }
}
