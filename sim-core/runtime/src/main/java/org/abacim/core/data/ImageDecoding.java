package org.abacim.core.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.MultiPixelPackedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.abacim.core.io.IoErrors;
import org.w3c.dom.Node;

/**
 * Image files decoded as torchvision's default image path decodes them: PIL's {@code Image.open(f).convert('RGB')},
 * {@code Resize(resize)} (PIL's antialiased bilinear {@code resize}), {@code CenterCrop(crop)}, {@code ToTensor()}.
 *
 * <p>Each file is sized from its header before it is decoded, and refused when its pixels would exceed PIL's
 * decompression-bomb limit or this JVM's budget for one image. Pixels are read from the raster, never through
 * Java's colour management (an embedded colour profile is ignored, as PIL ignores it), and made RGB as PIL's
 * {@code convert('RGB')} makes them: grey (L) → (v, v, v); alpha dropped without compositing (LA, RGBA); palette →
 * palette colour; 1-, 2- and 4-bit grey scaled to 0..255; 16-bit grey (PIL's mode I) clipped to 255; other 16-bit
 * samples → their high byte; CMYK JPEG read as PIL reads it (Adobe-inverted; YCCK made CMYK as libjpeg makes it),
 * then PIL's CMYK → RGB. The resize is PIL's {@code ImagingResample} for 8-bit images (a triangle filter whose
 * support grows with the downscale factor, fixed-point coefficients, horizontal pass then vertical, each rounded
 * and clamped to 8 bits), so PNG, BMP and TIFF images give PIL's values exactly.
 */
final class ImageDecoding {
    private ImageDecoding() {}

    /** PIL refuses images of more pixels than this (2 × {@code Image.MAX_IMAGE_PIXELS}, DecompressionBombError). */
    static final long MAX_PIXELS = 2L * 89_478_485L;

    /** Pillow's {@code PRECISION_BITS} (Resample.c): fixed-point fraction bits of the resize coefficients. */
    private static final int PRECISION_BITS = 32 - 8 - 2;

    /** A decoded image whose rows are made RGB (3 bytes a pixel, R G B) when asked for. */
    interface Pixels {
        int width();

        int height();

        /** Row {@code y} into {@code rgb} (3 × width bytes). */
        void row(int y, byte[] rgb);
    }

    /**
     * One image as torchvision gives it: decoded, made RGB, its shorter side resized to {@code resize}, centre-cropped
     * to {@code crop} × {@code crop}, as 3 planes in [0, 1] (each byte ÷ 255 in float32, as ToTensor).
     */
    static float[] decode(Path file, int resize, int crop) {
        Pixels p = read(file);
        long[] size = resized(p.width(), p.height(), resize);
        if (size[0] > Integer.MAX_VALUE || size[1] > Integer.MAX_VALUE) {
            throw new DataException(file + ": an image of " + p.width() + "×" + p.height() + " pixels would be "
                    + size[0] + "×" + size[1] + " with its shorter side resized to " + resize + "; expected a long "
                    + "side of at most " + Integer.MAX_VALUE + " pixels");
        }
        return resizeCrop(p, resize, crop);
    }

    /** The image made RGB as PIL's {@code convert('RGB')} makes it (H × W × 3 bytes); for tests and tools. */
    static byte[] rgb(Path file) {
        Pixels p = read(file);
        byte[] out = new byte[3 * p.width() * p.height()];
        byte[] row = new byte[3 * p.width()];
        for (int y = 0; y < p.height(); y++) {
            p.row(y, row);
            System.arraycopy(row, 0, out, 3 * p.width() * y, row.length);
        }
        return out;
    }

    // ---- Reading ----

    /** The file decoded (not yet made RGB): refused in one line when it is not an image this reads, or too large. */
    static Pixels read(Path file) {
        ImageInputStream in;
        try {
            if (!Files.isRegularFile(file)) {
                if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
                throw new DataException(file + ": not a file");
            }
            if (!Files.isReadable(file)) throw new DataException(file + ": permission denied");
            in = ImageIO.createImageInputStream(file.toFile());
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(IoErrors.describe(IoErrors.naming(file, e)));
        }
        if (in == null) throw new DataException(file + ": cannot be opened");
        if (isBinaryNetpbm(file)) {
            try (in) {
                return netpbm(file);
            } catch (IOException e) {
                throw new DataException(IoErrors.describe(IoErrors.naming(file, e)));
            }
        }
        ImageReader reader = null;
        String format = "image";
        try (in) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw new DataException(file + ": " + unreadable(file));
            reader = readers.next();
            format = reader.getFormatName().toUpperCase(Locale.ROOT);
            if (format.equals("TIF")) format = "TIFF";
            // Metadata is read for JPEG only (its Adobe marker); a PNG's checks of chunks past the end of a
            // truncated file would otherwise hide that it is truncated.
            reader.setInput(in, true, !format.equals("JPEG"));
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            checkSize(file, format, w, h, 0, Long.MAX_VALUE, 1); // the pixel limit, from the first header alone
            ImageTypeSpecifier raw = reader.getRawImageType(0);
            double bytesPerPixel = raw == null ? 4 : bytesPerPixel(raw.getSampleModel());
            checkSize(file, format, w, h, bytesPerPixel, Runtime.getRuntime().maxMemory(), decodedAtOnce());
            // libjpeg warns, and goes on, when the data ends early; other warnings (extraneous bytes) PIL ignores too.
            StringBuilder warnings = new StringBuilder();
            reader.addIIOReadWarningListener((source, warning) -> {
                if (warnings.length() == 0 && truncated(warning)) warnings.append(warning);
            });
            Pixels pixels;
            if (format.equals("JPEG") && raw == null) {
                pixels = cmyk(file, reader);
            } else {
                // A JPEG with an embedded colour profile is converted by Java from the profile to sRGB (PIL ignores
                // the profile); naming the bands switches that conversion off (JPEGImageReader keeps libjpeg's).
                ImageReadParam param = reader.getDefaultReadParam();
                if (format.equals("JPEG")) {
                    int[] bands = IntStream.range(0, raw.getSampleModel().getNumBands()).toArray();
                    param.setSourceBands(bands);
                    param.setDestinationBands(bands);
                }
                pixels = pixels(file, format, reader.read(0, param), format.equals("PNG") && pilModeI(file));
            }
            String warning = warnings.toString();
            if (!warning.isEmpty()) {
                throw new DataException(file + ": a truncated " + format + " image (" + warning.strip()
                        + "); expected a whole file");
            }
            return pixels;
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO throws unchecked exceptions on some damaged files: the file is the user's, so one line.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof EOFException) {
                    throw new DataException(file + ": a truncated " + format + " image (its data ends early); expected "
                            + "a whole file");
                }
            }
            // The reader's message and its causes' ("Error reading PNG metadata: Invalid chunk length 13259").
            List<String> why = new ArrayList<>();
            for (Throwable t = e; t != null && why.size() < 3; t = t.getCause()) {
                String m = t.getMessage() == null ? t.getClass().getSimpleName()
                        : t.getMessage().strip().lines().findFirst().orElse("");
                if (!why.contains(m)) why.add(m);
            }
            throw new DataException(file + ": not a readable " + format + " file (" + String.join(": ", why) + ")");
        } catch (OutOfMemoryError e) {
            throw new DataException(file + ": too large to decode in this JVM's memory (raise it with -Xmx)");
        } finally {
            if (reader != null) reader.dispose();
        }
    }

    /** Whether a PNG is 16-bit grey without an alpha channel (IHDR colour type 0), which PIL opens as mode I. */
    private static boolean pilModeI(Path file) {
        byte[] head = new byte[26];
        try (InputStream s = Files.newInputStream(file)) {
            return s.readNBytes(head, 0, head.length) == head.length && head[24] == 16 && head[25] == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a file starts as a binary PGM or PPM ("P5", "P6"), which ImageIO has no reader for. */
    private static boolean isBinaryNetpbm(Path file) {
        byte[] head = new byte[3];
        try (InputStream s = Files.newInputStream(file)) {
            return s.readNBytes(head, 0, 3) == 3 && head[0] == 'P' && (head[1] == '5' || head[1] == '6')
                    && Character.isWhitespace(head[2]);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A binary PGM (P5) or PPM (P6) of maxval 255, as PIL reads it (mode L or RGB): a header of whitespace-separated
     * width, height and maxval (with # comments), one whitespace, then the bytes row by row. Other maxvals are
     * refused (PIL rescales them).
     */
    private static Pixels netpbm(Path file) throws IOException {
        try (InputStream s = new BufferedInputStream(Files.newInputStream(file))) {
            s.read();
            boolean grey = s.read() == '5';
            String format = grey ? "PGM" : "PPM";
            int w = netpbmNumber(s, file, format);
            int h = netpbmNumber(s, file, format);
            int max = netpbmNumber(s, file, format);
            checkSize(file, format, w, h, 0, Long.MAX_VALUE, 1);
            if (max != 255) {
                throw new DataException(file + ": a " + format + " image of maxval " + max + "; expected 255 (convert "
                        + "it to PNG)");
            }
            int channels = grey ? 1 : 3;
            checkSize(file, format, w, h, channels, Runtime.getRuntime().maxMemory(), decodedAtOnce());
            int size = Math.multiplyExact(Math.multiplyExact(w, h), channels);
            byte[] data = s.readNBytes(size);
            if (data.length < size) {
                throw new DataException(file + ": a truncated " + format + " image (" + data.length + " of its " + size
                        + " bytes of pixels); expected a whole file");
            }
            return rows(w, h, (y, rgb) -> {
                if (!grey) {
                    System.arraycopy(data, 3 * w * y, rgb, 0, 3 * w);
                    return;
                }
                for (int x = 0; x < w; x++) {
                    byte v = data[w * y + x];
                    rgb[3 * x] = v;
                    rgb[3 * x + 1] = v;
                    rgb[3 * x + 2] = v;
                }
            });
        }
    }

    /** A Netpbm header's next number, after whitespace and comments, and the one whitespace that ends it. */
    private static int netpbmNumber(InputStream s, Path file, String format) throws IOException {
        int c = s.read();
        while (c == '#' || (c >= 0 && Character.isWhitespace(c))) {
            if (c == '#') {
                while (c >= 0 && c != '\n' && c != '\r') c = s.read();
            }
            c = s.read();
        }
        long value = 0;
        int digits = 0;
        while (c >= '0' && c <= '9' && digits < 10) {
            value = value * 10 + (c - '0');
            digits++;
            c = s.read();
        }
        if (digits == 0 || value > Integer.MAX_VALUE || c < 0 || !Character.isWhitespace(c)) {
            throw new DataException(file + ": a " + format + " header that is not width, height and maxval; expected "
                    + "a binary Netpbm header (\"P6 640 480 255\")");
        }
        return (int) value;
    }

    /** Why a file no ImageIO reader takes is refused, from its first bytes. */
    private static String unreadable(Path file) {
        byte[] head = new byte[16];
        int n = 0;
        try (InputStream s = Files.newInputStream(file)) {
            n = s.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return IoErrors.reason(e);
        }
        String ascii = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        if (n >= 12 && ascii.startsWith("RIFF") && ascii.startsWith("WEBP", 8)) {
            return "WebP is not supported; convert it to PNG";
        }
        if (n >= 2 && head[0] == 'P' && head[1] >= '1' && head[1] <= '7') {
            return "a Netpbm image of kind P" + (char) head[1] + " (plain text, bitmap or PAM) is not supported; "
                    + "expected a binary PGM or PPM (P5, P6), or convert it to PNG";
        }
        if (n == 0) return "an empty file; expected a JPEG, PNG, BMP, TIFF or PPM image";
        return "not a JPEG, PNG, BMP, TIFF or PPM image (its first bytes are not any of their signatures)";
    }

    /** Whether a reader's warning says the data ended early (libjpeg's "Premature end", a missing EOI marker). */
    private static boolean truncated(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end") || w.contains("truncat") || w.contains("missing eoi");
    }

    /** Images decoded at the same time: a draw decodes one per core (Dataset's parallel streams). */
    private static int decodedAtOnce() {
        return ForkJoinPool.getCommonPoolParallelism() + 1;
    }

    /** Bytes a decoded pixel takes in a raster of this sample model. */
    private static double bytesPerPixel(SampleModel sm) {
        int element = DataBuffer.getDataTypeSize(sm.getDataType()) / 8;
        if (sm instanceof SinglePixelPackedSampleModel) return element;
        if (sm instanceof MultiPixelPackedSampleModel mp) return mp.getPixelBitStride() / 8.0;
        return (double) sm.getNumBands() * element;
    }

    /**
     * Refuses, from the header's dimensions and before decoding, an image of more pixels than PIL accepts, or whose
     * decoded raster would take more than its share of a quarter of the heap ({@code atOnce} images decode at a
     * time).
     */
    static void checkSize(Path file, String format, int w, int h, double bytesPerPixel, long maxHeap, int atOnce) {
        long pixels = (long) w * h;
        if (w <= 0 || h <= 0) throw new DataException(file + ": a " + format + " image of " + w + "×" + h + " pixels");
        if (pixels > MAX_PIXELS) {
            throw new DataException(file + ": a " + format + " image of " + w + "×" + h + " = " + pixels + " pixels; "
                    + "expected at most " + MAX_PIXELS + " (PIL's limit, which torchvision refuses too)");
        }
        long bytes = (long) Math.ceil(pixels * bytesPerPixel);
        long budget = maxHeap / 4 / Math.max(1, atOnce);
        if (bytes > budget) {
            throw new DataException(file + ": a " + format + " image of " + w + "×" + h + " pixels takes "
                    + (bytes >> 20) + " MiB decoded; expected at most " + (budget >> 20) + " MiB (a quarter of the "
                    + (maxHeap >> 20) + " MiB this JVM may use, shared by the " + atOnce + " images decoded at once; "
                    + "raise it with -Xmx)");
        }
    }

    /** A decoded image's rows made RGB as PIL's convert('RGB'), from its raster and colour model. */
    private static Pixels pixels(Path file, String format, BufferedImage image, boolean modeI) {
        ColorModel cm = image.getColorModel();
        Raster r = image.getRaster();
        int w = r.getWidth();
        int h = r.getHeight();
        if (cm instanceof IndexColorModel icm) {
            int[] idx = new int[w];
            return rows(w, h, (y, rgb) -> {
                r.getSamples(r.getMinX(), r.getMinY() + y, w, 1, 0, idx);
                for (int x = 0; x < w; x++) {
                    rgb[3 * x] = (byte) icm.getRed(idx[x]);
                    rgb[3 * x + 1] = (byte) icm.getGreen(idx[x]);
                    rgb[3 * x + 2] = (byte) icm.getBlue(idx[x]);
                }
            });
        }
        int type = cm.getColorSpace().getType();
        int colours = cm.getNumColorComponents();
        if (type == ColorSpace.TYPE_GRAY && colours == 1) {
            int bits = cm.getComponentSize(0);
            // PIL opens a 16-bit grey PNG (colour type 0, even with a tRNS chunk, which Java makes an alpha band) as
            // mode I, whose convert('RGB') clips each value to 0..255; with an alpha channel (LA;16B), the high byte.
            boolean clip = bits == 16 && modeI;
            int[] scale = scale(file, format, bits);
            int bands = r.getNumBands();
            int[] v = new int[bands * w]; // a row of every band; one Pixels is read by one thread
            return rows(w, h, (y, rgb) -> {
                r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, v);
                for (int x = 0; x < w; x++) {
                    int g = v[bands * x];
                    byte b = (byte) (clip ? Math.min(255, g) : eight(g, bits, scale));
                    rgb[3 * x] = b;
                    rgb[3 * x + 1] = b;
                    rgb[3 * x + 2] = b;
                }
            });
        }
        if (type == ColorSpace.TYPE_RGB && colours == 3) {
            int[] bits = {cm.getComponentSize(0), cm.getComponentSize(1), cm.getComponentSize(2)};
            int[][] scales = {scale(file, format, bits[0]), scale(file, format, bits[1]), scale(file, format, bits[2])};
            int bands = r.getNumBands();
            int[] v = new int[bands * w];
            boolean eightBits = bits[0] == 8 && bits[1] == 8 && bits[2] == 8;
            return rows(w, h, (y, rgb) -> {
                r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, v);
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        int sample = v[bands * x + c];
                        rgb[3 * x + c] = (byte) (eightBits ? sample : eight(sample, bits[c], scales[c]));
                    }
                }
            });
        }
        throw new DataException(file + ": a " + format + " image in a colour space of " + colours
                + " components that is neither grey nor RGB; expected grey, RGB, palette or CMYK");
    }

    /** A lookup for samples of {@code bits} bits to 8 (null: 8 or 16 bits, done by arithmetic). */
    private static int[] scale(Path file, String format, int bits) {
        if (bits == 8 || bits == 16) return null;
        if (bits < 1 || bits > 8) {
            throw new DataException(file + ": a " + format + " image of " + bits + "-bit samples; expected 1 to 8 or "
                    + "16 bits");
        }
        int max = (1 << bits) - 1;
        int[] table = new int[max + 1];
        // PIL's unpackers: 1-, 2- and 4-bit grey × 255, 0x55, 0x11; 5- and 6-bit colour × 255 / max, truncated.
        for (int v = 0; v <= max; v++) table[v] = v * 255 / max;
        return table;
    }

    private static int eight(int v, int bits, int[] scale) {
        if (bits == 8) return v;
        if (bits == 16) return v >>> 8; // PIL's ;16B raw modes keep the high byte
        return scale[v];
    }

    /**
     * A CMYK JPEG, which ImageIO reads only as a raster, of the values as stored. PIL reads every CMYK JPEG as Adobe's
     * inverted CMYK ({@code CMYK;I}: each byte v is 255 − v), then converts as its {@code cmyk2rgb}:
     * {@code R = 255 − K' − (C' (255 − K') + 128) / 255} with PIL's rounding, C' and K' the inverted bytes. A YCCK
     * JPEG (Adobe transform 2) is first made CMYK as libjpeg makes it for PIL ({@code ycck_cmyk_convert}).
     */
    private static Pixels cmyk(Path file, ImageReader reader) throws IOException {
        boolean ycck = adobeTransform(reader.getImageMetadata(0)) == 2;
        Raster r = reader.readRaster(0, null);
        if (r.getNumBands() != 4) {
            throw new DataException(file + ": a JPEG of " + r.getNumBands() + " components; expected 1, 3 or 4");
        }
        int w = r.getWidth();
        int h = r.getHeight();
        return rows(w, h, (y, rgb) -> {
            int[] px = r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, (int[]) null);
            int[] cmy = new int[3];
            for (int x = 0; x < w; x++) {
                if (ycck) {
                    Ycc.toRgb(px[4 * x], px[4 * x + 1], px[4 * x + 2], cmy); // libjpeg's C = 255 − R: C' = R
                } else {
                    for (int c = 0; c < 3; c++) cmy[c] = 255 - px[4 * x + c];
                }
                int nk = px[4 * x + 3]; // 255 − K', K' = 255 − stored K
                for (int c = 0; c < 3; c++) {
                    int tmp = cmy[c] * nk + 128;
                    int v = nk - (((tmp >> 8) + tmp) >> 8);
                    rgb[3 * x + c] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        });
    }

    /** libjpeg's YCbCr → RGB (jdcolor.c, 16-bit fixed point tables), as libjpeg(-turbo) converts for PIL. */
    static final class Ycc {
        private Ycc() {}

        private static final int SCALEBITS = 16;
        private static final int ONE_HALF = 1 << (SCALEBITS - 1);
        private static final int[] CR_R = new int[256];
        private static final int[] CB_B = new int[256];
        private static final int[] CR_G = new int[256];
        private static final int[] CB_G = new int[256];

        static {
            for (int i = 0; i < 256; i++) {
                int x = i - 128;
                CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
                CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
                CR_G[i] = -fix(0.71414) * x;
                CB_G[i] = -fix(0.34414) * x + ONE_HALF;
            }
        }

        private static int fix(double x) {
            return (int) (x * (1L << SCALEBITS) + 0.5);
        }

        static void toRgb(int y, int cb, int cr, int[] rgb) {
            rgb[0] = clamp(y + CR_R[cr]);
            rgb[1] = clamp(y + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
            rgb[2] = clamp(y + CB_B[cb]);
        }

        private static int clamp(int v) {
            return Math.max(0, Math.min(255, v));
        }
    }

    /** The Adobe APP14 marker's colour transform (0 none, 1 YCbCr, 2 YCCK), or -1 when there is none. */
    private static int adobeTransform(IIOMetadata metadata) {
        if (metadata == null) return -1;
        try {
            Node root = metadata.getAsTree("javax_imageio_jpeg_image_1.0");
            Node adobe = find(root, "app14Adobe");
            if (adobe == null) return -1;
            Node t = adobe.getAttributes().getNamedItem("transform");
            return t == null ? -1 : Integer.parseInt(t.getNodeValue());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static Node find(Node node, String name) {
        if (name.equals(node.getNodeName())) return node;
        for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            Node found = find(c, name);
            if (found != null) return found;
        }
        return null;
    }

    private interface RowFiller {
        void fill(int y, byte[] rgb);
    }

    private static Pixels rows(int w, int h, RowFiller filler) {
        return new Pixels() {
            @Override
            public int width() {
                return w;
            }

            @Override
            public int height() {
                return h;
            }

            @Override
            public void row(int y, byte[] rgb) {
                filler.fill(y, rgb);
            }
        };
    }

    // ---- Resize and crop (torchvision's Resize and CenterCrop on a PIL image) ----

    /**
     * torchvision's {@code Resize(resize)} (shorter side to {@code resize}, the longer {@code int(resize × long /
     * short)}), then {@code CenterCrop(crop)} (offsets {@code int(round((size − crop) / 2))}, Python's rounding: half
     * to even), then ToTensor. Only the cropped pixels are resized; each is computed as PIL computes it.
     */
    static float[] resizeCrop(Pixels p, int resize, int crop) {
        int w = p.width();
        int h = p.height();
        long[] size = resized(w, h, resize);
        int newW = (int) size[0];
        int newH = (int) size[1];
        if (crop > newW || crop > newH || newW != size[0] || newH != size[1]) {
            throw new IllegalArgumentException("crop " + crop + " of a " + size[0] + "×" + size[1] + " image");
        }
        int top = (int) Math.rint((newH - crop) / 2.0);
        int left = (int) Math.rint((newW - crop) / 2.0);
        // Coefficients of the cropped output columns and rows only (index 0 is column left, row top).
        Coefficients horizontal = newW == w ? null : Coefficients.of(w, newW, left, crop);
        Coefficients vertical = newH == h ? null : Coefficients.of(h, newH, top, crop);
        // Source rows the cropped output rows read, and the horizontal pass over each (crop columns, 8-bit).
        int first = top;
        int last = top + crop;
        if (vertical != null) {
            first = Integer.MAX_VALUE;
            last = 0;
            for (int yy = 0; yy < crop; yy++) {
                first = Math.min(first, vertical.bounds[2 * yy]);
                last = Math.max(last, vertical.bounds[2 * yy] + vertical.bounds[2 * yy + 1]);
            }
        }
        byte[][] temp = new byte[last - first][];
        byte[] row = new byte[3 * w];
        for (int y = first; y < last; y++) {
            p.row(y, row);
            byte[] t = new byte[3 * crop];
            if (horizontal == null) {
                System.arraycopy(row, 3 * left, t, 0, 3 * crop);
            } else {
                for (int xx = 0; xx < crop; xx++) {
                    int xmin = horizontal.bounds[2 * xx];
                    int xmax = horizontal.bounds[2 * xx + 1];
                    int k0 = xx * horizontal.ksize;
                    int s0 = 1 << (PRECISION_BITS - 1);
                    int s1 = s0;
                    int s2 = s0;
                    for (int x = 0; x < xmax; x++) {
                        int k = horizontal.k[k0 + x];
                        int i = 3 * (x + xmin);
                        s0 += (row[i] & 0xff) * k;
                        s1 += (row[i + 1] & 0xff) * k;
                        s2 += (row[i + 2] & 0xff) * k;
                    }
                    t[3 * xx] = (byte) clip8(s0);
                    t[3 * xx + 1] = (byte) clip8(s1);
                    t[3 * xx + 2] = (byte) clip8(s2);
                }
            }
            temp[y - first] = t;
        }
        float[] out = new float[3 * crop * crop];
        int plane = crop * crop;
        for (int yy = 0; yy < crop; yy++) {
            for (int xx = 0; xx < crop; xx++) {
                for (int c = 0; c < 3; c++) {
                    int v;
                    if (vertical == null) {
                        v = temp[top + yy - first][3 * xx + c] & 0xff;
                    } else {
                        int ymin = vertical.bounds[2 * yy];
                        int ymax = vertical.bounds[2 * yy + 1];
                        int k0 = yy * vertical.ksize;
                        int s = 1 << (PRECISION_BITS - 1);
                        for (int y = 0; y < ymax; y++) {
                            s += (temp[y + ymin - first][3 * xx + c] & 0xff) * vertical.k[k0 + y];
                        }
                        v = clip8(s);
                    }
                    out[c * plane + yy * crop + xx] = v / 255f;
                }
            }
        }
        return out;
    }

    /** torchvision's Resize output size {width, height}: the shorter side {@code resize}, the longer truncated. */
    static long[] resized(int w, int h, int resize) {
        if (w <= h) return new long[] {resize, (long) ((double) resize * h / w)};
        return new long[] {(long) ((double) resize * w / h), resize};
    }

    /** Pillow's {@code clip8} (Resample.c): a fixed-point sum to a byte, rounding already added. */
    private static int clip8(int in) {
        if (in >= 1 << PRECISION_BITS << 8) return 255;
        if (in <= 0) return 0;
        return in >> PRECISION_BITS;
    }

    /** Pillow's {@code precompute_coeffs} and {@code normalize_coeffs_8bpc} for the bilinear (triangle) filter. */
    record Coefficients(int ksize, int[] bounds, int[] k) {
        /** The coefficients of output pixels {@code from} … {@code from + count − 1}, at index 0 … count − 1. */
        static Coefficients of(int inSize, int outSize, int from, int count) {
            double scale = (double) inSize / outSize;
            double filterscale = Math.max(1.0, scale);
            double support = 1.0 * filterscale; // BILINEAR's support is 1
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[2 * count];
            int[] k = new int[count * ksize];
            double[] w = new double[ksize];
            for (int i = 0; i < count; i++) {
                int xx = from + i;
                double center = (xx + 0.5) * scale;
                double ss = 1.0 / filterscale;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) xmin = 0;
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) xmax = inSize;
                xmax -= xmin;
                double ww = 0;
                for (int x = 0; x < xmax; x++) {
                    double t = Math.abs((x + xmin - center + 0.5) * ss);
                    w[x] = t < 1.0 ? 1.0 - t : 0.0;
                    ww += w[x];
                }
                for (int x = 0; x < xmax; x++) {
                    double v = ww != 0.0 ? w[x] / ww : w[x];
                    k[i * ksize + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                            : (int) (0.5 + v * (1 << PRECISION_BITS));
                }
                bounds[2 * i] = xmin;
                bounds[2 * i + 1] = xmax;
            }
            return new Coefficients(ksize, bounds, k);
        }
    }
}
