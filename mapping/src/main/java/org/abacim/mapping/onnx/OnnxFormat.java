package org.abacim.mapping.onnx;

import java.nio.file.Path;
import java.util.List;
import org.abacim.core.api.NetworkFormat;
import org.abacim.core.data.DataException;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;

/** ONNX models ({@code .onnx}) as a network source, registered in {@code META-INF/services}. */
public final class OnnxFormat implements NetworkFormat {
    @Override
    public List<String> extensions() {
        return List.of(".onnx");
    }

    @Override
    public Network read(Path file) {
        return OnnxImporter.read(file);
    }

    @Override
    public boolean describesTheFile(RuntimeException e) {
        return e instanceof NetworkException || e instanceof DataException;
    }
}
