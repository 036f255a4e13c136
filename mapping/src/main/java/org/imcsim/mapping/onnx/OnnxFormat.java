package org.imcsim.mapping.onnx;

import java.nio.file.Path;
import java.util.List;
import org.imcsim.core.api.NetworkFormat;
import org.imcsim.core.data.DataException;
import org.imcsim.core.network.Network;
import org.imcsim.core.network.NetworkException;

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
