package org.abacim.core.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** I/O errors told to a user: the file once, and the reason in words rather than an exception's name. */
public final class IoErrors {
    private IoErrors() {}

    /** Why {@code e} happened, without the file name (callers name the file once). */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file or folder";
        if (e instanceof FileAlreadyExistsException) return "already exists";
        if (e instanceof NotDirectoryException) return "not a folder";
        if (e instanceof FileSystemException fs) return fs.getReason() != null ? fs.getReason() : "cannot be used";
        if (e instanceof CharacterCodingException) return "not UTF-8 text";
        return e.getMessage() != null ? e.getMessage() : "input/output error";
    }

    /**
     * An I/O error that names the file it concerns: a full disk or a broken encoding reported by a stream or a
     * channel carries no file name, and the user needs one.
     */
    public static IOException naming(Path file, IOException e) {
        if (e instanceof FileSystemException) return e;
        FileSystemException named = new FileSystemException(file.toString(), null, reason(e));
        named.initCause(e);
        return named;
    }

    /** "FILE: reason". */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException fs && fs.getFile() != null) return fs.getFile() + ": " + reason(e);
        return reason(e);
    }
}
