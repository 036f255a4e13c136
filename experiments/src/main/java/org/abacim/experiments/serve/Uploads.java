package org.abacim.experiments.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.SourceLocation;
import java.util.ArrayList;

/**
 * Models a student sent from disk: one folder, each file streamed to a hidden temporary file inside it (bytes counted
 * as they arrive, whatever the request's Content-Length says or whether it is chunked), then renamed to its name in
 * one step — a file is there whole or not at all. A file over {@code fileLimit} bytes, or one that would take the
 * folder over {@code quota}, is refused (HTTP 413) as soon as its bytes pass the limit, and its temporary file is
 * removed. A name already taken is refused (HTTP 409): an upload never replaces another. The folder is removed when
 * the server stops if it was a temporary one.
 */
final class Uploads implements AutoCloseable {
    static final long DEFAULT_FILE_LIMIT = 64L << 20;
    static final long DEFAULT_QUOTA = 512L << 20;

    private final Path folder;
    private final boolean temporary;
    private final long fileLimit;
    private final long quota;
    /** Bytes in the folder and in uploads under way (reserved as they arrive). */
    private long used;

    Uploads(Path folder, long fileLimit, long quota) {
        this.fileLimit = fileLimit;
        this.quota = quota;
        try {
            this.temporary = folder == null;
            this.folder = (temporary ? Files.createTempDirectory("abacim-serve-") : Files.createDirectories(folder))
                    .toAbsolutePath().normalize();
            try (var files = Files.list(this.folder)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f)) used += Files.size(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path folder() {
        return folder;
    }

    static String mebibytes(long bytes) {
        return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    private static ConfigException refused(String problem) {
        return ConfigException.inSource(SourceLocation.of("request"), problem);
    }

    /** Checks {@code name}: a plain file name of a model file (a weight map's manifest and .npz keep their names). */
    static void checkName(String name) {
        if (!Inputs.plain(name)) {
            throw ConfigException.inSource(SourceLocation.of("request"), "name=" + Guard.shown(name)
                    + ": expected the model's plain file name (letters, digits, '.', '_', '-', ' ')");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (!(lower.endsWith(".onnx") || lower.endsWith(".json") || lower.endsWith(".npz") || lower.endsWith(".csv"))) {
            throw ConfigException.inSource(SourceLocation.of("request"), name
                    + ": expected an ONNX model (.onnx), a weight map (.json manifest and its .npz) or a NeuroSim network (.csv)");
        }
    }

    /**
     * Keeps the bytes of {@code in} as {@code name}; returns the name. Never holds the file in memory: it is copied
     * in 64 KiB pieces.
     */
    String save(String name, InputStream in) throws IOException {
        checkName(name);
        Path target = folder.resolve(name);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) throw taken(name);
        Path tmp = folder.resolve(".upload-" + Guard.random(12) + ".part");
        long reserved = 0;
        boolean kept = false;
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[64 << 10];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    if (reserved + n > fileLimit) {
                        throw new TooLarge("refused: " + name + " is larger than the server's limit of "
                                + mebibytes(fileLimit) + " per file (abacim serve --upload-limit)");
                    }
                    reserve(n, name);
                    reserved += n;
                    out.write(buffer, 0, n);
                }
            }
            synchronized (this) {
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) throw taken(name);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            kept = true;
            return name;
        } catch (IOException e) {
            // A connection that broke mid-file, a full disk: the student's to retry, not a bug of the server's.
            throw new Guard.Refused(400, "refused: " + name + " did not arrive whole (the connection broke, or the"
                    + " server's disk is full); nothing of it was kept");
        } finally {
            if (!kept) {
                Files.deleteIfExists(tmp);
                synchronized (this) {
                    used -= reserved;
                }
            }
        }
    }

    /** A new hidden folder inside the upload folder for a compress job to write its model into (then {@link #keep}). */
    Path staging() throws IOException {
        return Files.createDirectory(folder.resolve(".keep-" + Guard.random(12)));
    }

    /** Removes a folder {@link #staging} made, with what is left in it. */
    void removeStaging(Path staging) {
        try (var files = Files.walk(staging)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A hidden folder left behind is not an upload: it is never named by a request, nor counted.
        }
    }

    /**
     * Keeps a weight map a compress job wrote (its {@code .npz} and manifest, in a folder {@link #staging} made) under
     * the same file names in the upload folder, as a model sent from disk is kept: each file within the per-file
     * limit, both together within the quota, each renamed into place in one step (the weights first, the manifest
     * last, so a manifest never names weights that are not there). The same config and seed write the same bytes: a
     * name already taken by identical bytes is reused; by other bytes, the job is refused (HTTP 409's rule: a kept
     * model never replaces another, and nothing of it is kept). Returns the manifest's name, the network to use.
     */
    String keep(Path npz, Path manifest) throws IOException {
        List<Path> files = List.of(npz, manifest);
        for (Path f : files) checkName(f.getFileName().toString());
        synchronized (this) {
            long needed = 0;
            boolean[] there = new boolean[files.size()];
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                String name = f.getFileName().toString();
                long size = Files.size(f);
                if (size > fileLimit) {
                    throw new TooLarge("refused: the kept model's " + name + " is larger than the server's limit of "
                            + mebibytes(fileLimit) + " per file (abacim serve --upload-limit); nothing of it was kept");
                }
                Path target = folder.resolve(name);
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) || Files.mismatch(f, target) != -1) {
                        throw new Guard.Refused(409, "refused: a model named " + name + " is in the upload folder"
                                + " already, with other bytes (a kept model never replaces another); change the"
                                + " config's out to keep this one under another name");
                    }
                    there[i] = true;
                } else {
                    needed += size;
                }
            }
            if (used + needed > quota) {
                throw new TooLarge("refused: the kept model " + manifest.getFileName() + " would take the upload folder"
                        + " over the server's quota of " + mebibytes(quota) + " (abacim serve --uploads-quota); nothing"
                        + " of it was kept");
            }
            List<Path> moved = new ArrayList<>();
            boolean whole = false;
            try {
                for (int i = 0; i < files.size(); i++) {
                    if (there[i]) continue;
                    Path target = folder.resolve(files.get(i).getFileName().toString());
                    Files.move(files.get(i), target, StandardCopyOption.ATOMIC_MOVE);
                    moved.add(target);
                }
                used += needed;
                whole = true;
            } finally {
                // The manifest did not follow its weights (a full disk): neither stays.
                if (!whole) for (Path m : moved) Files.deleteIfExists(m);
            }
        }
        return manifest.getFileName().toString();
    }

    private synchronized void reserve(long n, String name) {
        if (used + n > quota) {
            throw new TooLarge("refused: " + name + " would take the upload folder over the server's quota of "
                    + mebibytes(quota) + " (abacim serve --uploads-quota)");
        }
        used += n;
    }

    private static Guard.Refused taken(String name) {
        return new Guard.Refused(409, "refused: a model named " + name + " was uploaded already (an upload never"
                + " replaces another); rename the file to send it again");
    }

    /** An upload over a limit: HTTP 413. */
    static final class TooLarge extends Guard.Refused {
        TooLarge(String message) {
            super(413, message);
        }
    }

    @Override
    public void close() {
        if (!temporary) return;
        try (var files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is the operating system's to clear.
        }
    }
}
