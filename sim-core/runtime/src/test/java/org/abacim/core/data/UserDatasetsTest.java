package org.abacim.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.abacim.core.network.Shape;
import org.abacim.core.data.Npy;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data sets users bring, read from generated files: CIFAR-10's binary folder, image folders, NumPy arrays. */
class UserDatasetsTest {
    @TempDir
    Path dir;

    private static final DatasetSpec.Normalize NONE = DatasetSpec.Normalize.IDENTITY;

    /** {@code records} CIFAR-10 records: label r % 10, every pixel byte of channel c equal to r + c. */
    private static byte[] cifarRecords(int records) {
        byte[] bytes = new byte[records * Cifar10.RECORD];
        for (int r = 0; r < records; r++) {
            bytes[r * Cifar10.RECORD] = (byte) (r % 10);
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 1024; p++) bytes[r * Cifar10.RECORD + 1 + c * 1024 + p] = (byte) (r + c);
            }
        }
        return bytes;
    }

    @Test
    void cifar10FolderGivesBothSplitsNormalizedPerChannel() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        Files.write(folder.resolve("data_batch_1.bin"), cifarRecords(20));
        Files.write(folder.resolve("data_batch_2.bin"), cifarRecords(10));
        Files.write(folder.resolve("test_batch.bin"), cifarRecords(12));
        DatasetSpec spec = new DatasetSpec.Cifar10Folder("cifar-10-batches-bin",
                new DatasetSpec.Normalize(List.of(0.5, 0.25, 0.0), List.of(0.5, 0.25, 1.0)));
        Dataset[] data = UserDatasets.read(spec, dir);
        assertThat(data[0].size()).isEqualTo(30);
        assertThat(data[1].size()).isEqualTo(12);
        assertThat(data[1].shape()).isEqualTo(new Shape(3, 32, 32));
        assertThat(data[1].labels()[11]).isEqualTo(1);
        float[] image = data[1].images()[3]; // pixels 3, 4, 5 of 255 in R, G, B
        assertThat(image[0]).isCloseTo((3 / 255f - 0.5f) / 0.5f, within(1e-6f));
        assertThat(image[1024]).isCloseTo((4 / 255f - 0.25f) / 0.25f, within(1e-6f));
        assertThat(image[2048]).isCloseTo(5 / 255f, within(1e-6f));
    }

    @Test
    void cifar10WithoutTrainingBatchesHasOnlyATestSplit() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("c"));
        Files.write(folder.resolve("test_batch.bin"), cifarRecords(3));
        Dataset[] data = UserDatasets.read(new DatasetSpec.Cifar10Folder("c", NONE), dir);
        assertThat(data[0]).isNull();
        assertThat(data[1].size()).isEqualTo(3);
        assertThatThrownBy(() -> UserDatasets.read(new DatasetSpec.Cifar10Folder("missing", NONE), dir))
                .isInstanceOf(DataException.class).hasMessageContaining("missing: no such folder");
        Files.delete(folder.resolve("test_batch.bin"));
        assertThatThrownBy(() -> UserDatasets.read(new DatasetSpec.Cifar10Folder("c", NONE), dir))
                .hasMessageContaining("test_batch.bin: no such file");
    }

    private static void image(Path file, int w, int h, String format, int type) throws Exception {
        BufferedImage im = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) im.setRGB(x, y, (x * 255 / Math.max(1, w - 1)) << 16 | (y * 255 / Math.max(1, h - 1)) << 8 | 128);
        }
        Files.createDirectories(file.getParent());
        assertThat(ImageIO.write(im, format, file.toFile())).isTrue();
    }

    @Test
    void imageFolderClassesAreSortedSubFoldersAndImagesAreResizedCroppedAndRgb() throws Exception {
        Path val = dir.resolve("val");
        image(val.resolve("b-dog/1.png"), 64, 48, "png", BufferedImage.TYPE_INT_RGB);
        image(val.resolve("a-cat/1.PNG"), 40, 40, "png", BufferedImage.TYPE_INT_RGB);
        image(val.resolve("a-cat/2.jpg"), 50, 80, "jpg", BufferedImage.TYPE_INT_RGB);
        image(val.resolve("a-cat/3.png"), 32, 32, "png", BufferedImage.TYPE_BYTE_GRAY);
        Files.writeString(val.resolve("a-cat/notes.txt"), "not an image");
        DatasetSpec.ImageFolder spec = new DatasetSpec.ImageFolder("val", "none", 24, 16, NONE);
        Dataset[] data = UserDatasets.read(spec, dir);
        assertThat(data[0]).isNull();
        Dataset test = data[1];
        assertThat(test.shape()).isEqualTo(new Shape(3, 16, 16));
        assertThat(test.labels()).containsExactly(0, 0, 0, 1);
        assertThat(test.classes()).isEqualTo(2);
        // The 40×40 PNG: blue is 128 everywhere; red grows left to right, symmetric about the centre crop.
        float[] cat = test.images()[0];
        assertThat(cat[2 * 256 + 5 * 16 + 7]).isCloseTo(128 / 255f, within(1e-6f));
        assertThat(cat[0 * 256 + 8 * 16 + 7] + cat[0 * 256 + 8 * 16 + 8]).isCloseTo(1f, within(0.02f));
        assertThat(cat[0 * 256 + 8 * 16 + 0]).isLessThan(cat[0 * 256 + 8 * 16 + 15]);
        // A grey image becomes three equal planes.
        float[] grey = test.images()[2];
        assertThat(grey[5]).isEqualTo(grey[256 + 5]).isEqualTo(grey[512 + 5]);
    }

    @Test
    void imageFolderMistakesAreOneLine() throws Exception {
        assertThatThrownBy(() -> UserDatasets.read(new DatasetSpec.ImageFolder("nowhere", "none", 8, 8, NONE), dir))
                .isInstanceOf(DataException.class).hasMessageContaining("nowhere: no such folder");
        Files.createDirectories(dir.resolve("flat"));
        assertThatThrownBy(() -> UserDatasets.read(new DatasetSpec.ImageFolder("flat", "none", 8, 8, NONE), dir))
                .hasMessageContaining("no class sub-folders");
        Files.createDirectories(dir.resolve("bad/x"));
        Files.write(dir.resolve("bad/x/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        // Images are decoded when they are used: the broken one is named then.
        Dataset bad = UserDatasets.read(new DatasetSpec.ImageFolder("bad", "none", 8, 8, NONE), dir)[1];
        assertThatThrownBy(bad::images).isInstanceOf(DataException.class).hasMessageContaining("broken.png");
    }

    @Test
    void anImageFolderDecodesOnlyTheImagesADrawTakesAndTheDrawIsTheDecodedSetsDraw() throws Exception {
        Path val = dir.resolve("lazy");
        for (int i = 0; i < 10; i++) {
            image(val.resolve("a/" + i + ".png"), 20 + i, 20, "png", BufferedImage.TYPE_INT_RGB);
            image(val.resolve("b/" + i + ".png"), 20, 20 + i, "png", BufferedImage.TYPE_INT_RGB);
        }
        // One more class of one file that cannot be decoded: a stratified draw of 3 of 21 takes none of it.
        Files.createDirectories(val.resolve("c"));
        Files.write(val.resolve("c/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        DatasetSpec.ImageFolder spec = new DatasetSpec.ImageFolder("lazy", "none", 12, 8, NONE);
        Dataset lazy = UserDatasets.read(spec, dir)[1];
        assertThat(lazy.size()).isEqualTo(21);
        Dataset draw = lazy.sample(3, 7, Dataset.Purpose.SCORING);
        assertThat(draw.labels()).doesNotContain(2);
        // The same images as the same draw from the set decoded whole (here without the broken class).
        Files.delete(val.resolve("c/broken.png"));
        Files.delete(val.resolve("c"));
        Dataset whole = UserDatasets.read(spec, dir)[1];
        float[][] all = whole.images();
        assertThat(java.util.Arrays.stream(all).allMatch(java.util.Objects::nonNull)).as("every image decoded").isTrue();
        Dataset eager = new Dataset(whole.name(), whole.shape(), all, whole.labels(), whole.classes())
                .sample(3, 7, Dataset.Purpose.SCORING);
        assertThat(eager.labels()).containsExactly(draw.labels());
        for (int i = 0; i < 3; i++) assertThat(draw.images()[i]).containsExactly(eager.images()[i]);
    }

    /** A .npy of unsigned bytes, as NumPy writes {@code np.save(f, a.astype(np.uint8))}. */
    private static byte[] uint8Npy(int[] shape, byte[] values) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) dims.append(d).append(", ");
        String header = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + dims.toString().replaceFirst(", $", shape.length == 1 ? "," : "") + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.writeBytes(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(values);
        return out.toByteArray();
    }

    @Test
    void numpyArraysInEitherLayoutGiveTheSameImages() throws Exception {
        // Two 2-channel 2×3 images; NCHW values v = 100·i + 10·c + (3·y + x) as float32.
        float[] nchw = new float[2 * 2 * 2 * 3];
        float[] nhwc = new float[nchw.length];
        for (int i = 0; i < 2; i++) for (int c = 0; c < 2; c++) for (int y = 0; y < 2; y++) for (int x = 0; x < 3; x++) {
            float v = 100 * i + 10 * c + 3 * y + x;
            nchw[((i * 2 + c) * 2 + y) * 3 + x] = v;
            nhwc[((i * 2 + y) * 3 + x) * 2 + c] = v;
        }
        Files.write(dir.resolve("a.npy"), Npy.write(new Tensor(new int[] {2, 2, 2, 3}, nchw)));
        Files.write(dir.resolve("b.npy"), Npy.write(new Tensor(new int[] {2, 2, 3, 2}, nhwc)));
        Files.write(dir.resolve("y.npy"), uint8Npy(new int[] {2}, new byte[] {4, 1}));
        DatasetSpec.Arrays none = new DatasetSpec.Arrays("none", "none");
        Dataset a = UserDatasets.read(new DatasetSpec.NumpyArrays(new DatasetSpec.Arrays("a.npy", "y.npy"), none,
                DatasetSpec.Layout.NCHW, NONE), dir)[1];
        Dataset b = UserDatasets.read(new DatasetSpec.NumpyArrays(new DatasetSpec.Arrays("b.npy", "y.npy"), none,
                DatasetSpec.Layout.NHWC, NONE), dir)[1];
        assertThat(a.shape()).isEqualTo(new Shape(2, 2, 3));
        assertThat(b.shape()).isEqualTo(a.shape());
        assertThat(a.images()[1]).containsExactly(b.images()[1]);
        assertThat(a.images()[1][6]).isEqualTo(110f); // image 1, channel 1, y 0, x 0: float32 values as they are
        assertThat(a.labels()).containsExactly(4, 1);
        assertThat(a.classes()).isEqualTo(5);
    }

    @Test
    void numpyUint8ImagesAreScaledAndMistakesNamed() throws Exception {
        Files.write(dir.resolve("x.npy"), uint8Npy(new int[] {3, 2, 2}, new byte[] {0, (byte) 255, 51, 102, 0, 0, 0, 0, 1, 1, 1, 1}));
        Files.write(dir.resolve("y.npy"), uint8Npy(new int[] {3}, new byte[] {0, 1, 2}));
        DatasetSpec.Arrays none = new DatasetSpec.Arrays("none", "none");
        Dataset d = UserDatasets.read(new DatasetSpec.NumpyArrays(new DatasetSpec.Arrays("x.npy", "y.npy"), none,
                DatasetSpec.Layout.NCHW, NONE), dir)[1];
        assertThat(d.shape()).isEqualTo(new Shape(1, 2, 2));
        assertThat(d.images()[0]).containsExactly(new float[] {0f, 1f, 0.2f, 0.4f}, within(1e-6f));

        Files.write(dir.resolve("short.npy"), uint8Npy(new int[] {2}, new byte[] {0, 1}));
        assertThatThrownBy(() -> UserDatasets.read(new DatasetSpec.NumpyArrays(new DatasetSpec.Arrays("x.npy", "short.npy"),
                none, DatasetSpec.Layout.NCHW, NONE), dir)).isInstanceOf(DataException.class)
                .hasMessageContaining("short.npy: labels of shape [2]; expected one label per image (3)");
        Files.write(dir.resolve("float.npy"), Npy.write(new Tensor(new int[] {3}, new float[] {0, 1, 2})));
        assertThatThrownBy(() -> UserDatasets.read(new DatasetSpec.NumpyArrays(new DatasetSpec.Arrays("x.npy", "float.npy"),
                none, DatasetSpec.Layout.NCHW, NONE), dir)).hasMessageContaining("float.npy: labels of dtype float32");
        Files.write(dir.resolve("flat.npy"), uint8Npy(new int[] {12}, new byte[12]));
        assertThatThrownBy(() -> UserDatasets.read(new DatasetSpec.NumpyArrays(new DatasetSpec.Arrays("flat.npy", "y.npy"),
                none, DatasetSpec.Layout.NCHW, NONE), dir)).hasMessageContaining("expected N×C×H×W");
        assertThatThrownBy(() -> UserDatasets.read(new DatasetSpec.NumpyArrays(new DatasetSpec.Arrays("x.npy", "y.npy"),
                none, DatasetSpec.Layout.NCHW, new DatasetSpec.Normalize(List.of(0.1, 0.2), List.of(1.0))), dir))
                .hasMessageContaining("normalize gives 2 means and 1 standard deviations for images of 1 channels");
    }

    @Test
    void numpyTokenIdsNByFAreVectorsTakenAsTheyAre() throws Exception {
        // Three sequences of 4 token ids as uint8: ids, not pixels — no 1/255.
        Files.write(dir.resolve("ids.npy"), uint8Npy(new int[] {3, 4}, new byte[] {0, 7, 49, 3, 1, 1, 2, 2, 9, 8, 7, 6}));
        Files.write(dir.resolve("y.npy"), uint8Npy(new int[] {3}, new byte[] {0, 1, 2}));
        DatasetSpec.Arrays none = new DatasetSpec.Arrays("none", "none");
        Dataset d = UserDatasets.read(new DatasetSpec.NumpyArrays(new DatasetSpec.Arrays("ids.npy", "y.npy"), none,
                DatasetSpec.Layout.NCHW, NONE), dir)[1];
        assertThat(d.shape()).isEqualTo(Shape.vector(4));
        assertThat(d.images()[0]).containsExactly(0f, 7f, 49f, 3f);
        assertThat(d.images()[2]).containsExactly(9f, 8f, 7f, 6f);
    }
}
