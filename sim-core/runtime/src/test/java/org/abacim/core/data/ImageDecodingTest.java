package org.abacim.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.abacim.core.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image files decode as torchvision's default path (PIL's {@code convert('RGB')}, antialiased bilinear
 * {@code Resize}, {@code CenterCrop}) decodes them, against PIL's own values: the images and .npy files under
 * {@code images/pil} were written by {@code scripts/make-image-fixtures} (PIL 9.4). Hostile files are refused in one
 * line naming the file.
 */
public class ImageDecodingTest {
    @TempDir
    Path dir;

    private static final DatasetSpec.Normalize NONE = DatasetSpec.Normalize.IDENTITY;

    /** One line of fixtures.tsv: an image, PIL's mode for it, its group (exact or jpeg), its resize:crop pairs. */
    record Fixture(Path file, String mode, String group, List<int[]> sizes) {
        String stem() {
            String name = file.getFileName().toString();
            return name.substring(0, name.lastIndexOf('.'));
        }

        Path npy(String suffix) {
            return file.resolveSibling(stem() + suffix + ".npy");
        }
    }

    static Path fixtures() {
        try {
            return Path.of(ImageDecodingTest.class.getResource("/images/pil/fixtures.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Fixture> fixtureList() throws Exception {
        List<Fixture> out = new ArrayList<>();
        for (String line : Files.readAllLines(fixtures().resolve("fixtures.tsv"))) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] f = line.split("\t");
            List<int[]> sizes = new ArrayList<>();
            for (String s : f[3].split(" ")) {
                String[] rc = s.split(":");
                sizes.add(new int[] {Integer.parseInt(rc[0]), Integer.parseInt(rc[1])});
            }
            out.add(new Fixture(fixtures().resolve(f[0]), f[1], f[2], sizes));
        }
        return out;
    }

    /** A uint8 .npy written by the fixture script, as its values 0..255. */
    static float[] npy(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            Npy.Array a = Npy.readArray(in, file.toString(), Files.size(file));
            assertThat(a.kind()).isEqualTo('u');
            return a.tensor().data();
        }
    }

    /** Differences in units of 1/255: {mean, worst}. */
    static double[] errors(float[] ours, float[] pil) {
        assertThat(ours).hasSameSizeAs(pil);
        double sum = 0;
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            double d = Math.abs(ours[i] - pil[i]);
            sum += d;
            worst = Math.max(worst, d);
        }
        return new double[] {sum / ours.length, worst};
    }

    static float[] bytes(byte[] b) {
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) f[i] = b[i] & 0xff;
        return f;
    }

    /** C×H×W planes in [0, 1] as H×W×C values 0..255 (the fixture's layout), exactly: v = round(255 × p). */
    static float[] hwc(float[] planes, int side) {
        float[] out = new float[planes.length];
        int plane = side * side;
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane; p++) {
                float v = planes[c * plane + p] * 255f;
                assertThat(Math.abs(v - Math.round(v))).as("a whole number of 255ths").isLessThan(1e-3f);
                out[p * 3 + c] = Math.round(v);
            }
        }
        return out;
    }

    @Test
    void everyLosslessModeIsMadeRgbExactlyAsPilConvertsIt() throws Exception {
        List<String> report = new ArrayList<>();
        int checked = 0;
        for (Fixture f : fixtureList()) {
            if (!f.group().equals("exact")) continue;
            double[] e = errors(bytes(ImageDecoding.rgb(f.file())), npy(f.npy(".rgb")));
            if (e[1] != 0) {
                report.add(f.file().getFileName() + " (PIL mode " + f.mode() + "): mean " + e[0] + " worst " + e[1]);
            }
            checked++;
        }
        assertThat(checked).isEqualTo(21);
        assertThat(report).as("lossless images whose RGB differs from PIL's").isEmpty();
    }

    @Test
    void resizeAndCropOfLosslessImagesEqualTorchvisionsPilPathExactly() throws Exception {
        List<String> report = new ArrayList<>();
        int checked = 0;
        for (Fixture f : fixtureList()) {
            if (!f.group().equals("exact")) continue;
            for (int[] rc : f.sizes()) {
                float[] ours = hwc(ImageDecoding.decode(f.file(), rc[0], rc[1]), rc[1]);
                double[] e = errors(ours, npy(f.npy(".r" + rc[0] + "-c" + rc[1])));
                if (e[1] != 0) {
                    report.add(f.file().getFileName() + " " + rc[0] + ":" + rc[1] + ": mean " + e[0] + " worst "
                            + e[1]);
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(45);
        assertThat(report).as("resized images that differ from PIL's (in 255ths)").isEmpty();
    }

    @Test
    void jpegsDecodeAndResizeWithinOne255thOfPilOnAverage() throws Exception {
        StringBuilder measured = new StringBuilder();
        double worstMean = 0;
        for (Fixture f : fixtureList()) {
            if (!f.group().equals("jpeg")) continue;
            double[] e = errors(bytes(ImageDecoding.rgb(f.file())), npy(f.npy(".rgb")));
            measured.append(String.format(Locale.ROOT, "%s decode mean %.3f worst %.0f; ", f.file().getFileName(), e[0],
                    e[1]));
            worstMean = Math.max(worstMean, e[0]);
            for (int[] rc : f.sizes()) {
                float[] ours = hwc(ImageDecoding.decode(f.file(), rc[0], rc[1]), rc[1]);
                double[] r = errors(ours, npy(f.npy(".r" + rc[0] + "-c" + rc[1])));
                measured.append(String.format(Locale.ROOT, "%d:%d mean %.3f worst %.0f; ", rc[0], rc[1], r[0], r[1]));
                worstMean = Math.max(worstMean, r[0]);
            }
        }
        System.out.println("JPEG vs PIL (255ths): " + measured);
        assertThat(worstMean).as("JPEG vs PIL, in 255ths: " + measured).isLessThanOrEqualTo(1.0);
    }

    @Test
    void aGreyLevelOf96StaysNinetySixInEveryChannel() throws Exception {
        // The fixture's top-left block is grey 96 (PIL mode L); Java's getRGB would give 160 (a gamma conversion).
        byte[] rgb = ImageDecoding.rgb(fixtures().resolve("l-40x64.png"));
        assertThat(new int[] {rgb[0] & 0xff, rgb[1] & 0xff, rgb[2] & 0xff}).containsExactly(96, 96, 96);
        // And a grey PNG written by ImageIO: 96 everywhere → 96/255 after resizing, in each plane.
        BufferedImage grey = new BufferedImage(30, 20, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) grey.getRaster().setSample(x, y, 0, 96);
        }
        Path file = dir.resolve("grey.png");
        assertThat(ImageIO.write(grey, "png", file.toFile())).isTrue();
        float[] image = ImageDecoding.decode(file, 12, 10);
        for (float v : image) assertThat(v).isEqualTo(96 / 255f);
    }

    @Test
    void anEmbeddedColourProfileIsIgnoredAsPilIgnoresIt() throws Exception {
        // A Lab profile in an RGB JPEG and PNG: Java's JPEG reader would convert the JPEG's values through it (a mean
        // error of 53/255 measured); PIL, and so torchvision, keeps the values as they are stored.
        double[] jpeg = errors(bytes(ImageDecoding.rgb(fixtures().resolve("rgb-icc-36x24.jpg"))),
                npy(fixtures().resolve("rgb-icc-36x24.rgb.npy")));
        assertThat(jpeg[0]).as("mean error in 255ths, worst %s", jpeg[1]).isLessThanOrEqualTo(1.0);
        assertThat(ImageDecoding.rgb(fixtures().resolve("rgb-icc-30x20.png")))
                .containsExactly(toBytes(npy(fixtures().resolve("rgb-icc-30x20.rgb.npy"))));
    }

    @Test
    void cmykAndYcckJpegsAreMadeRgbAsPilMakesThem() throws Exception {
        // Java's ImageIO cannot read either as an image; PIL reads both as Adobe-inverted CMYK (libjpeg having made
        // the YCCK one CMYK), then applies its CMYK → RGB.
        for (String name : List.of("cmyk-40x30", "ycck-40x30")) {
            double[] e = errors(bytes(ImageDecoding.rgb(fixtures().resolve(name + ".jpg"))),
                    npy(fixtures().resolve(name + ".rgb.npy")));
            assertThat(e[0]).as("%s: mean error in 255ths, worst %s", name, e[1]).isLessThanOrEqualTo(1.0);
        }
    }

    static byte[] toBytes(float[] values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) values[i];
        return b;
    }

    @Test
    void aTruncatedJpegIsRefusedInOneLine() throws Exception {
        byte[] whole = Files.readAllBytes(fixtures().resolve("rgb-64x48.jpg"));
        Path cut = dir.resolve("cut.jpg");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> ImageDecoding.decode(cut, 16, 16)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(cut + ": a truncated JPEG image").hasMessageNotContaining("\n");
        // Without its last two bytes (the EOI marker) too.
        Path noEnd = dir.resolve("no-end.jpg");
        Files.write(noEnd, java.util.Arrays.copyOf(whole, whole.length - 2));
        assertThatThrownBy(() -> ImageDecoding.decode(noEnd, 16, 16)).isInstanceOf(DataException.class)
                .hasMessageContaining(noEnd + ": a truncated JPEG image");
        // Truncated PNG, BMP and TIFF files are refused too (PIL: "image file is truncated").
        for (String name : List.of("rgb-58x40.png", "p-45x30.png", "rgb-40x30.bmp", "rgb-33x25.tif")) {
            byte[] whole2 = Files.readAllBytes(fixtures().resolve(name));
            Path half = dir.resolve("cut-" + name);
            Files.write(half, java.util.Arrays.copyOf(whole2, whole2.length / 2));
            assertThatThrownBy(() -> ImageDecoding.decode(half, 16, 16)).isInstanceOf(DataException.class)
                    .hasMessageStartingWith(half + ": ").hasMessageNotContaining("\n");
        }
        Path cutBmp = dir.resolve("cut-rgb-40x30.bmp");
        assertThatThrownBy(() -> ImageDecoding.decode(cutBmp, 16, 16))
                .hasMessage(cutBmp + ": a truncated BMP image (its data ends early); expected a whole file");
    }

    /** The first bytes of a lossless WebP file (enough for its signature). */
    private static final byte[] WEBP = {'R', 'I', 'F', 'F', 26, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'L', 13, 0,
        0, 0, 0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, (byte) 0x88, (byte) 0x88, (byte) 0xfe, 0x07, 0};

    @Test
    void webpFilesAndOddNetpbmFilesAreRefusedNotSkipped() throws Exception {
        Path val = dir.resolve("val");
        Files.createDirectories(val.resolve("cat"));
        Files.copy(fixtures().resolve("rgb-61x38.png"), val.resolve("cat/1.png"));
        Files.write(val.resolve("cat/2.webp"), WEBP);
        DatasetSpec.ImageFolder spec = new DatasetSpec.ImageFolder("val", "none", 16, 16, NONE);
        assertThatThrownBy(() -> UserDatasets.read(spec, dir)).isInstanceOf(DataException.class)
                .hasMessage(val.resolve("cat/2.webp") + ": WebP is not supported; convert it to PNG");
        Files.delete(val.resolve("cat/2.webp"));
        // Binary PPM and PGM decode (fixtures); plain-text Netpbm and maxvals other than 255 are refused when drawn.
        Files.writeString(val.resolve("cat/3.PPM"), "P3 1 1 255\n0 0 0\n");
        Dataset plain = UserDatasets.read(spec, dir)[1];
        assertThatThrownBy(plain::images).isInstanceOf(DataException.class).hasMessage(val.resolve("cat/3.PPM")
                + ": a Netpbm image of kind P3 (plain text, bitmap or PAM) is not supported; expected a binary PGM or "
                + "PPM (P5, P6), or convert it to PNG");
        Files.write(val.resolve("cat/3.PPM"), "P5 1 1\n#x\n65535\n\0\0".getBytes(StandardCharsets.US_ASCII));
        Dataset deep = UserDatasets.read(spec, dir)[1];
        assertThatThrownBy(deep::images).hasMessage(val.resolve("cat/3.PPM")
                + ": a PGM image of maxval 65535; expected 255 (convert it to PNG)");
        Files.write(val.resolve("cat/3.PPM"), "P6 4 4 255\n\0\0\0".getBytes(StandardCharsets.US_ASCII));
        Dataset cut = UserDatasets.read(spec, dir)[1];
        assertThatThrownBy(cut::images).hasMessage(val.resolve("cat/3.PPM")
                + ": a truncated PPM image (3 of its 48 bytes of pixels); expected a whole file");
        Files.delete(val.resolve("cat/3.PPM"));
        // A WebP named .jpg is found out when it is decoded.
        Files.write(val.resolve("cat/4.jpg"), WEBP);
        Dataset data = UserDatasets.read(spec, dir)[1];
        assertThatThrownBy(data::images).isInstanceOf(DataException.class)
                .hasMessage(val.resolve("cat/4.jpg") + ": WebP is not supported; convert it to PNG");
    }

    @Test
    void bmpAndTiffAreDecodedAndOtherFilesIgnoredAsTorchvisionsImageFolderDoes() throws Exception {
        Path val = dir.resolve("val");
        Files.createDirectories(val.resolve("a"));
        Files.createDirectories(val.resolve("b"));
        Files.copy(fixtures().resolve("rgb-40x30.bmp"), val.resolve("a/1.bmp"));
        Files.copy(fixtures().resolve("rgb-33x25.tif"), val.resolve("a/2.TIFF"));
        Files.copy(fixtures().resolve("p-36x28.bmp"), val.resolve("b/1.bmp"));
        Files.writeString(val.resolve("a/.DS_Store"), "Bud1");
        Files.writeString(val.resolve("b/notes.txt"), "not an image");
        Files.copy(fixtures().resolve("rgb-61x38.png"), val.resolve("b/anim.gif")); // not an ImageFolder extension
        Dataset data = UserDatasets.read(new DatasetSpec.ImageFolder("val", "none", 16, 16, NONE), dir)[1];
        assertThat(data.labels()).containsExactly(0, 0, 1);
        float[][] images = data.images();
        assertThat(hwc(images[0], 16)).containsExactly(npy(fixtures().resolve("rgb-40x30.r16-c16.npy")));
        assertThat(hwc(images[1], 16)).containsExactly(npy(fixtures().resolve("rgb-33x25.r16-c16.npy")));
        assertThat(hwc(images[2], 16)).containsExactly(npy(fixtures().resolve("p-36x28.r16-c16.npy")));
        // An empty file and a text file named .png: one line each.
        Files.write(val.resolve("b/empty.png"), new byte[0]);
        Dataset bad = UserDatasets.read(new DatasetSpec.ImageFolder("val", "none", 16, 16, NONE), dir)[1];
        assertThatThrownBy(bad::images).isInstanceOf(DataException.class)
                .hasMessage(val.resolve("b/empty.png") + ": an empty file; expected a JPEG, PNG, BMP, TIFF or PPM "
                        + "image");
    }

    /**
     * A 23000 × 23000 grey PNG of zeros, written without holding its pixels: every row is deflated with a full
     * flush, which gives the same bytes for every row, so the row's bytes are written 23000 times (2 MB in all).
     * The CLI's tests use it too.
     */
    public static void giantPng(Path file, int side) throws Exception {
        byte[] row = new byte[1 + 3 * side]; // filter byte 0, then RGB zeros
        Deflater deflater = new Deflater(9, true);
        byte[] buf = new byte[1 << 16];
        deflater.setInput(row);
        int n = deflater.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
        byte[] once = java.util.Arrays.copyOf(buf, n);
        deflater.setInput(row);
        n = deflater.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
        assertThat(java.util.Arrays.copyOf(buf, n)).as("a row deflates to the same bytes each time").isEqualTo(once);
        deflater.finish();
        n = deflater.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
        byte[] end = java.util.Arrays.copyOf(buf, n);
        deflater.end();
        long total = (long) row.length * side;
        long adler = (total % 65521) << 16 | 1; // Adler-32 of zeros: a stays 1, b counts the bytes
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                DataOutputStream out = new DataOutputStream(os)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            java.io.ByteArrayOutputStream ihdr = new java.io.ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(ihdr);
            h.writeBytes("IHDR");
            h.writeInt(side);
            h.writeInt(side);
            h.write(new byte[] {8, 2, 0, 0, 0});
            out.writeInt(13);
            out.write(ihdr.toByteArray());
            CRC32 crc = new CRC32();
            crc.update(ihdr.toByteArray());
            out.writeInt((int) crc.getValue());
            long length = 2 + (long) once.length * side + end.length + 4;
            out.writeInt((int) length);
            crc.reset();
            byte[] head = {'I', 'D', 'A', 'T', 0x78, (byte) 0xda};
            out.write(head);
            crc.update(head);
            for (int y = 0; y < side; y++) {
                out.write(once);
                crc.update(once);
            }
            out.write(end);
            crc.update(end);
            byte[] tail = {(byte) (adler >>> 24), (byte) (adler >>> 16), (byte) (adler >>> 8), (byte) adler};
            out.write(tail);
            crc.update(tail);
            out.writeInt((int) crc.getValue());
            out.writeInt(0);
            out.writeBytes("IEND");
            crc.reset();
            crc.update("IEND".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.writeInt((int) crc.getValue());
        }
    }

    @Test
    void aGiantPngIsRefusedFromItsHeaderBeforeDecoding() throws Exception {
        Path small = dir.resolve("small.png");
        giantPng(small, 40); // the writer makes a valid PNG: a small one decodes to zeros
        assertThat(ImageDecoding.rgb(small)).hasSize(40 * 40 * 3).containsOnly((byte) 0);
        Path big = dir.resolve("big.png");
        giantPng(big, 23000);
        assertThat(Files.size(big)).isLessThan(4_000_000);
        // Decoding would need 1.5 GB (the old decoding took 28 s and 3.4 GB); the refusal comes from the header alone.
        assertThatThrownBy(() -> ImageDecoding.decode(big, 256, 224)).isInstanceOf(DataException.class)
                .hasMessage(big + ": a PNG image of 23000×23000 = 529000000 pixels; expected at most 178956970 "
                        + "(PIL's limit, which torchvision refuses too)");
    }

    @Test
    void anImageWhoseDecodedPixelsExceedItsShareOfTheHeapIsRefusedBeforeDecoding() {
        Path file = Path.of("val/cat/wide.jpg");
        // 12000 × 9000 RGB = 308 MiB: refused with a 1 GiB heap shared by 2 decodes (128 MiB each) ...
        assertThatThrownBy(() -> ImageDecoding.checkSize(file, "JPEG", 12000, 9000, 3, 1L << 30, 2))
                .isInstanceOf(DataException.class)
                .hasMessage(file + ": a JPEG image of 12000×9000 pixels takes 308 MiB decoded; expected at most "
                        + "128 MiB (a quarter of the 1024 MiB this JVM may use, shared by the 2 images decoded at "
                        + "once; raise it with -Xmx)");
        // ... and accepted with 8 GiB.
        ImageDecoding.checkSize(file, "JPEG", 12000, 9000, 3, 8L << 30, 2);
    }
}
