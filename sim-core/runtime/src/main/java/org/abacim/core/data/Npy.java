package org.abacim.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.abacim.core.io.IoErrors;
import org.abacim.core.tensor.Half;
import org.abacim.core.tensor.Tensor;

/**
 * NumPy's {@code .npy} format (versions 1–3): magic, a header dict giving dtype, order and shape, then the raw
 * values. Reads float, integer and bool dtypes of either byte order (into float32), C or Fortran order; writes
 * little-endian float32 in C order. Sizes are checked against the data before anything large is allocated.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    /** The largest array we read: 2^31 − 1 values (a float[] limit). */
    static final long MAX_VALUES = Integer.MAX_VALUE;

    private Npy() {}

    /** An array with the dtype it was stored as ({@code kind} 'f', 'i', 'u' or 'b'; {@code width} in bytes). */
    public record Array(Tensor tensor, char kind, int width) {
        public String dtype() {
            return switch (kind) {
                case 'f' -> "float" + 8 * width;
                case 'i' -> "int" + 8 * width;
                case 'u' -> "uint" + 8 * width;
                default -> "bool";
            };
        }
    }

    /** Reads one array; {@code name} names it in messages; {@code available} bounds its size when known (≥ 0). */
    public static Tensor read(InputStream in, String name, long available) {
        return readArray(in, name, available).tensor();
    }

    /**
     * What a {@code .npy} header declares: dtype, byte order, memory order and shape; {@code headerBytes} counts the
     * magic, version, length and header dict, so the data starts there.
     */
    public record Header(String shapeText, int[] shape, char kind, int width, ByteOrder order, boolean fortran,
                         long headerBytes) {
        /** Values the shape declares (the product of its dimensions). */
        public long count() { return Tensor.size(shape); }

        /** Bytes of the values as stored. */
        public long dataBytes() { return count() * width; }

        /** Bytes of the values as float32, what reading them allocates. */
        public long floatBytes() { return count() * Float.BYTES; }
    }

    /** Reads a header and nothing more (the stream is left at the first value). */
    public static Header readHeader(InputStream in, String name) {
        try {
            byte[] magic = in.readNBytes(8);
            if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
                throw new DataException(name + ": not a .npy file (no \\x93NUMPY magic)");
            }
            int major = magic[6];
            byte[] lenBytes = in.readNBytes(major == 1 ? 2 : 4);
            if (lenBytes.length < (major == 1 ? 2 : 4)) throw new DataException(name + ": truncated header");
            long headerLen = major == 1 ? (lenBytes[0] & 0xff) | (lenBytes[1] & 0xff) << 8
                    : ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            if (major < 1 || major > 3 || headerLen > 1 << 20) {
                throw new DataException(name + ": unsupported .npy version " + major + " or header of " + headerLen + " bytes");
            }
            byte[] headerBytes = in.readNBytes((int) headerLen);
            if (headerBytes.length < headerLen) throw new DataException(name + ": truncated header");
            String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header);
            Matcher o = ORDER.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!d.find() || !o.find() || !s.find()) {
                throw new DataException(name + ": malformed .npy header: " + header.strip());
            }
            ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            char kind = d.group(2).charAt(0);
            int width = Integer.parseInt(d.group(3));
            if (!supported(kind, width)) {
                throw new DataException(name + ": dtype " + d.group(1) + kind + width
                        + " is not supported (floats, integers and bools are)");
            }
            boolean fortran = o.group(1).equals("True");
            int[] shape = parseShape(s.group(1), name);
            long count = Tensor.size(shape);
            if (count > MAX_VALUES) throw new DataException(name + ": shape " + s.group(1) + " has too many values");
            return new Header(s.group(1).strip(), shape, kind, width, order, fortran, 6 + 2 + lenBytes.length + headerLen);
        } catch (IOException e) {
            throw new DataException(name + ": cannot read: " + IoErrors.reason(e));
        }
    }

    /** As {@link #read}, with the dtype the values were stored as. */
    public static Array readArray(InputStream in, String name, long available) {
        return readData(in, name, available, readHeader(in, name));
    }

    /** The values after a header read by {@link #readHeader}; {@code available} bounds the whole array's bytes. */
    public static Array readData(InputStream in, String name, long available, Header h) {
        try {
            int[] shape = h.shape();
            long count = h.count();
            // The declared size may lie (a zip entry says what it likes): never allocate more than a quarter of the
            // heap for one tensor, whatever the header claims.
            long floatBytes = h.floatBytes();
            if (floatBytes > Runtime.getRuntime().maxMemory() / 4) {
                throw new DataException(name + ": shape (" + h.shapeText() + ") needs " + (floatBytes >> 20)
                        + " MiB, more than a quarter of the " + (Runtime.getRuntime().maxMemory() >> 20)
                        + " MiB this JVM may use (raise it with -Xmx)");
            }
            char kind = h.kind();
            int width = h.width();
            long bytes = h.dataBytes();
            long headerTotal = h.headerBytes();
            if (available >= 0 && bytes > available - headerTotal) {
                throw new DataException(name + ": truncated; shape (" + h.shapeText() + ") needs " + bytes
                        + " bytes of data, the file has " + Math.max(0, available - headerTotal));
            }
            float[] values = new float[(int) count];
            ByteBuffer buf = ByteBuffer.allocate((int) Math.max(width, Math.min(bytes, 1 << 20))).order(h.order());
            int filled = 0;
            long remaining = bytes;
            while (remaining > 0) {
                int chunk = (int) Math.min(remaining, buf.capacity());
                byte[] raw = in.readNBytes(chunk);
                if (raw.length < chunk) {
                    throw new DataException(name + ": truncated; data ends after " + (bytes - remaining + raw.length)
                            + " of " + bytes + " bytes");
                }
                buf.clear();
                buf.put(raw).flip();
                while (buf.remaining() >= width) values[filled++] = next(buf, kind, width);
                remaining -= chunk;
            }
            if (h.fortran() && shape.length > 1) values = toC(values, shape);
            return new Array(new Tensor(shape, values), kind, width);
        } catch (IOException e) {
            throw new DataException(name + ": cannot read: " + IoErrors.reason(e));
        }
    }

    private static boolean supported(char kind, int width) {
        return switch (kind) {
            case 'f' -> width == 4 || width == 8 || width == 2;
            case 'i', 'u' -> width == 1 || width == 2 || width == 4 || width == 8;
            case 'b' -> width == 1;
            default -> false;
        };
    }

    private static float next(ByteBuffer b, char kind, int width) {
        return switch (kind) {
            case 'f' -> width == 4 ? b.getFloat() : width == 8 ? (float) b.getDouble() : Half.toFloat(b.getShort());
            case 'i' -> width == 1 ? b.get() : width == 2 ? b.getShort() : width == 4 ? b.getInt() : (float) b.getLong();
            case 'u' -> width == 1 ? b.get() & 0xff : width == 2 ? b.getShort() & 0xffff
                    : width == 4 ? (float) (b.getInt() & 0xffffffffL) : (float) b.getLong();
            default -> b.get() != 0 ? 1f : 0f;
        };
    }

    private static int[] parseShape(String text, String name) {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip().replaceFirst("L$", "");
            if (p.isEmpty()) continue;
            try {
                long v = Long.parseLong(p);
                if (v < 0 || v > Integer.MAX_VALUE) throw new NumberFormatException();
                dims.add((int) v);
            } catch (NumberFormatException e) {
                throw new DataException(name + ": bad shape (" + text + ")");
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Fortran (column-major) order to C (row-major). */
    private static float[] toC(float[] f, int[] shape) {
        float[] c = new float[f.length];
        int rank = shape.length;
        int[] idx = new int[rank];
        for (int lin = 0; lin < f.length; lin++) {
            int fi = 0;
            int stride = 1;
            for (int k = 0; k < rank; k++) {
                fi += idx[k] * stride;
                stride *= shape[k];
            }
            c[lin] = f[fi];
            for (int k = rank - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) break;
                idx[k] = 0;
            }
        }
        return c;
    }

    /** The .npy bytes of a tensor: version 1.0, little-endian float32, C order. */
    public static byte[] write(Tensor t) {
        StringBuilder shape = new StringBuilder();
        for (int d : t.shape()) shape.append(d).append(", ");
        String dims = t.rank() == 1 ? t.dim(0) + "," : shape.length() == 0 ? "" : shape.substring(0, shape.length() - 2);
        String dict = String.format(Locale.ROOT, "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }", dims);
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(10 + header.length() + 4 * t.size());
        out.writeBytes(MAGIC);
        out.write(1);
        out.write(0);
        out.write(header.length() & 0xff);
        out.write(header.length() >> 8);
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer data = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : t.data()) data.putFloat(v);
        out.writeBytes(data.array());
        return out.toByteArray();
    }
}
