package org.abacim.core.api;

import java.nio.file.Path;
import java.util.List;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;

/**
 * A model file format a network can be read from, found through {@code ServiceLoader}: the model reads built-in
 * networks and NeuroSim network files itself; the mapping module adds ONNX models and weight maps, which need its
 * importers (and the runtime's file readers).
 */
public interface NetworkFormat {
    /** File name endings this format reads, lower case with the dot ({@code ".onnx"}). */
    List<String> extensions();

    /** The network in {@code file} with its weights; a broken file throws the format's own exception. */
    Network read(Path file);

    /**
     * Whether {@code e}, thrown by {@link #read}, is about the file's content (then a config naming the file gets
     * it as one line at the place the file was named) rather than a fault of the program.
     */
    default boolean describesTheFile(RuntimeException e) {
        return e instanceof NetworkException;
    }
}
