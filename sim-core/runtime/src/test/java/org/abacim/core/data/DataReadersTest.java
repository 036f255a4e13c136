package org.abacim.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataReadersTest {
    @TempDir
    Path dir;

    private static byte[] idx(int rank, int[] dims, int values, int declaredMagic) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(declaredMagic == 0 ? 0x0800 | rank : declaredMagic);
        for (int d : dims) out.writeInt(d);
        for (int i = 0; i < values; i++) out.writeByte(i * 7);
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] data, boolean gzip) throws IOException {
        Path p = dir.resolve(name + (gzip ? ".gz" : ""));
        try (OutputStream os = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            os.write(data);
        }
        return p;
    }

    @Test
    void idxImagesAndLabelsRawAndGzipped() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path images = write("img" + gz, idx(3, new int[] {5, 2, 3}, 30, 0), gz);
            byte[] labelBytes = idx(1, new int[] {5}, 0, 0);
            byte[] labels = java.util.Arrays.copyOf(labelBytes, labelBytes.length + 5);
            for (int i = 0; i < 5; i++) labels[labelBytes.length + i] = (byte) (i % 3);
            Dataset d = Idx.read("t", images, write("lab" + gz, labels, gz), 3);
            assertThat(d.size()).isEqualTo(5);
            assertThat(d.shape()).isEqualTo(new org.abacim.core.network.Shape(1, 2, 3));
            assertThat(d.images()[1][0]).isEqualTo((6 * 7 & 0xff) / 255f);
            assertThat(d.labels()).containsExactly(0, 1, 2, 0, 1);
        }
    }

    @Test
    void damagedIdxFilesAreClearErrorsWithoutHugeAllocations() throws IOException {
        Path truncated = write("t", java.util.Arrays.copyOf(idx(3, new int[] {5, 2, 3}, 30, 0), 30), false);
        Path labels = write("l", idx(1, new int[] {5}, 5, 0), false);
        assertThatThrownBy(() -> Idx.read("t", truncated, labels, 10)).isInstanceOf(DataException.class)
                .hasMessageContaining("truncated");
        Path absurd = write("a", idx(3, new int[] {1 << 20, 1 << 12, 1 << 12}, 0, 0), false);
        assertThatThrownBy(() -> Idx.read("t", absurd, labels, 10)).hasMessageContaining("refusing");
        Path wrongMagic = write("m", idx(3, new int[] {5, 2, 3}, 30, 0x0D03), false);
        assertThatThrownBy(() -> Idx.read("t", wrongMagic, labels, 10)).hasMessageContaining("not an IDX file of unsigned bytes");
        Path gzTruncated = write("g", java.util.Arrays.copyOf(idx(3, new int[] {5, 2, 3}, 30, 0), 25), true);
        assertThatThrownBy(() -> Idx.read("t", gzTruncated, labels, 10)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> Idx.read("t", dir.resolve("none"), labels, 10)).hasMessageContaining("no such file");
    }

    @Test
    void cifar10BinaryRecords() throws IOException {
        byte[] two = new byte[2 * Cifar10.RECORD];
        two[0] = 3;
        two[1] = (byte) 255;
        two[Cifar10.RECORD] = 9;
        Path batch = write("data_batch_1.bin", two, false);
        Dataset d = Cifar10.read("cifar", List.of(batch));
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.labels()).containsExactly(3, 9);
        assertThat(d.images()[0][0]).isEqualTo(1f);
        assertThat(d.shape()).isEqualTo(new org.abacim.core.network.Shape(3, 32, 32));
        Path cut = write("cut.bin", java.util.Arrays.copyOf(two, Cifar10.RECORD + 100), false);
        assertThatThrownBy(() -> Cifar10.read("c", List.of(cut))).hasMessageContaining("not a whole number of 3073-byte");
        two[0] = 12;
        Path badLabel = write("bad.bin", two, false);
        assertThatThrownBy(() -> Cifar10.read("c", List.of(badLabel))).hasMessageContaining("label 12");
    }

    @Test
    void mnistDigitsFromTheNpmPackageSplitByClass() {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        Dataset[] d = Datasets.load("mnist");
        assertThat(d[0].size() + d[1].size()).isEqualTo(10_000);
        assertThat(d[1].size()).isBetween(1990, 2010);
        int[] perClass = new int[10];
        for (int y : d[1].labels()) perClass[y]++;
        for (int c : perClass) assertThat(c).isBetween(170, 230);
        float max = 0;
        for (float v : d[0].images()[0]) max = Math.max(max, v);
        assertThat(max).isBetween(0.5f, 1f);
    }

    @Test
    void fashionMnistFromTheDebianPackage() {
        assumeTrue(Datasets.available("fashion-mnist"), "Fashion-MNIST not fetched (scripts/fetch-data fashion-mnist)");
        Dataset[] d = Datasets.load("fashion-mnist");
        assertThat(d[0].size()).isEqualTo(60_000);
        assertThat(d[1].size()).isEqualTo(10_000);
    }

    @Test
    void unknownOrMissingDataSetsSayHowToGetThem() {
        assertThatThrownBy(() -> Datasets.load("imagenet")).hasMessageContaining("unknown data set 'imagenet'");
    }
}
