package org.abacim.mapping.weights;

import org.abacim.core.data.Npy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.abacim.core.data.DataException;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    /** A .npy as NumPy writes it, with any header dict and raw data. */
    static byte[] npy(String dict, byte[] data) {
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(header.length() & 0xff);
        out.write(header.length() >> 8);
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static Tensor read(byte[] bytes) {
        return Npy.read(new ByteArrayInputStream(bytes), "x.npy", bytes.length);
    }

    @Test
    void roundTripsFloat32InCOrder() {
        Tensor t = new Tensor(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f});
        byte[] bytes = Npy.write(t);
        assertThat((bytes.length - 4 * t.size()) % 64).isZero(); // NumPy aligns the data to 64 bytes
        assertThat(new String(bytes, 10, 60, StandardCharsets.ISO_8859_1)).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
        assertThat(read(bytes)).isEqualTo(t);
        assertThat(read(Npy.write(new Tensor(new int[] {4}, new float[] {1, 2, 3, 4}))).shape()).containsExactly(4);
    }

    @Test
    void readsOtherDtypesByteOrdersAndFortranOrder() {
        ByteBuffer f8 = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putDouble(1.5).putDouble(-2);
        assertThat(read(npy("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", f8.array())).data())
                .containsExactly(1.5f, -2f);
        ByteBuffer i8 = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(3).putLong(-4).putLong(5);
        assertThat(read(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", i8.array())).data())
                .containsExactly(3f, -4f, 5f);
        assertThat(read(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", new byte[] {(byte) 255, 7})).data())
                .containsExactly(255f, 7f);
        assertThat(read(npy("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", new byte[] {1, 0})).data())
                .containsExactly(1f, 0f);
        // Column-major [[1, 2, 3], [4, 5, 6]] is stored 1 4 2 5 3 6.
        ByteBuffer f4 = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[] {1, 4, 2, 5, 3, 6}) f4.putFloat(v);
        assertThat(read(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", f4.array())).data())
                .containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void damagedFilesAreClearErrors() {
        byte[] good = Npy.write(new Tensor(new int[] {10}, new float[10]));
        assertThatThrownBy(() -> read(java.util.Arrays.copyOf(good, good.length - 8))).isInstanceOf(DataException.class)
                .hasMessageContaining("truncated; shape (10,) needs 40 bytes of data, the file has 32");
        assertThatThrownBy(() -> read(java.util.Arrays.copyOf(good, 20))).hasMessageContaining("truncated header");
        assertThatThrownBy(() -> read("PK\u0003\u0004 not numpy".getBytes(StandardCharsets.ISO_8859_1)))
                .hasMessageContaining("not a .npy file");
        // A header claiming 10^12 values is refused before allocating anything.
        assertThatThrownBy(() -> read(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", new byte[8])))
                .hasMessageContaining("too many values");
        assertThatThrownBy(() -> read(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000000,), }", new byte[8])))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> read(npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8])))
                .hasMessageContaining("dtype <c8 is not supported");
        assertThatThrownBy(() -> read(npy("{'descr': '<f4'}", new byte[8]))).hasMessageContaining("malformed .npy header");
    }

    @Test
    void npzRoundTripIsReproducibleAndCorruptZipsAreErrors() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("conv1.weight", new Tensor(new int[] {2, 1, 1, 1}, new float[] {0.5f, -1}));
        tensors.put("conv1.bias", new Tensor(new int[] {2}, new float[] {3, 4}));
        Path a = dir.resolve("a.npz");
        Path b = dir.resolve("b.npz");
        Npz.write(a, tensors);
        Npz.write(b, tensors);
        assertThat(Npz.read(a)).isEqualTo(tensors);
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
        Path cut = dir.resolve("cut.npz");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(a), 100));
        assertThatThrownBy(() -> Npz.read(cut)).isInstanceOf(DataException.class).hasMessageContaining("cut.npz");
        assertThatThrownBy(() -> Npz.read(dir.resolve("none.npz"))).hasMessageContaining("no such file");
    }
}
