package org.abacim.mapping.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.abacim.core.data.DataException;
import org.abacim.core.data.Datasets;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxImporterTest {
    @TempDir
    Path dir;

    private static Path suite(String test) {
        Path p = Datasets.directory().resolve("onnx-testdata/usr/share/libonnx-testdata/data/" + test + "/model.onnx");
        assumeTrue(Files.isRegularFile(p), "ONNX test data not fetched (scripts/fetch-data onnx-testdata)");
        return p;
    }

    @Test
    void aPytorchExportBecomesIrLayersWithWeights() {
        Network net = OnnxImporter.read(suite("pytorch-converted/test_Conv2d_depthwise_strided"));
        Conv2d conv = (Conv2d) net.nodes().get(1).layer();
        assertThat(conv.groups()).isEqualTo(conv.inChannels());
        assertThat(conv.strideH()).isEqualTo(2);
        assertThat(net.hasParams()).isTrue();
    }

    @Test
    void corruptAndTruncatedFilesAreClearErrors() throws Exception {
        Path bad = dir.resolve("bad.onnx");
        Files.write(bad, new byte[] {8, 7, 18, (byte) 0xff, (byte) 0xff, 1, 2});
        assertThatThrownBy(() -> OnnxImporter.read(bad)).isInstanceOf(DataException.class).hasMessageContaining("not an ONNX model");
        byte[] good = Files.readAllBytes(suite("pytorch-converted/test_Conv2d"));
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, java.util.Arrays.copyOf(good, good.length / 2));
        assertThatThrownBy(() -> OnnxImporter.read(cut)).isInstanceOf(DataException.class).hasMessageContaining("cut.onnx");
        assertThatThrownBy(() -> OnnxImporter.read(dir.resolve("none.onnx"))).hasMessageContaining("no such file");
    }

    @Test
    void anUnsupportedOpNamesTheOpAndTheNode() {
        assertThatThrownBy(() -> OnnxImporter.read(suite("pytorch-converted/test_ELU"))).isInstanceOf(NetworkException.class)
                .hasMessageContaining("(op Elu) is not supported; supported ops: Conv, Gemm");
    }
}
