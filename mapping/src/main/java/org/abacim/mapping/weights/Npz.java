package org.abacim.mapping.weights;

import java.io.FilterInputStream;
import org.abacim.core.io.IoErrors;
import org.abacim.core.io.WholeFiles;
import org.abacim.core.data.Npy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.abacim.core.data.DataException;
import org.abacim.core.tensor.Tensor;

/** NumPy's {@code .npz}: a zip of {@code NAME.npy} entries (as {@code numpy.savez} writes them). */
public final class Npz {
    private Npz() {}

    /**
     * Reads every {@code .npy} entry. Before any tensor's values are inflated, the headers of all entries are read
     * and their declared shapes summed: tensors that together would take more than a quarter of the heap as float32
     * are refused in one line. An entry is never inflated beyond the size the archive's central directory declares
     * for it (bytes are counted as they inflate), nor beyond what its header's shape needs.
     */
    public static Map<String, Tensor> read(Path file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<ZipEntry> arrays = new ArrayList<>();
            long declared = 0;
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory() || !e.getName().endsWith(".npy")) continue;
                arrays.add(e);
                declared = saturatingAdd(declared, Math.max(0, e.getSize()));
            }
            // The central directory first: even stored as float64 (8 bytes a value, the widest), entries that declare
            // more than twice the budget hold more values than fit it. Nothing is inflated for this.
            long budget = Runtime.getRuntime().maxMemory() / 4;
            if (declared / 2 > budget) {
                throw new DataException(file + ": its " + arrays.size() + " .npy entries declare " + mib(declared)
                        + " of uncompressed data, more values than fit a quarter of the "
                        + mib(Runtime.getRuntime().maxMemory()) + " this JVM may use as float32; expected at most "
                        + mib(2 * budget) + " (raise it with -Xmx)");
            }
            // Then the headers (a few hundred bytes each), summed; no values inflated yet.
            List<Npy.Header> headers = new ArrayList<>();
            long total = 0;
            String largest = null;
            long largestBytes = -1;
            for (ZipEntry e : arrays) {
                Npy.Header h;
                try (InputStream in = new Counted(zip.getInputStream(e), e.getSize())) {
                    h = Npy.readHeader(in, file + ":" + e.getName());
                }
                headers.add(h);
                total = saturatingAdd(total, h.floatBytes());
                if (h.floatBytes() > largestBytes) {
                    largestBytes = h.floatBytes();
                    largest = e.getName() + " (" + h.shapeText() + ")";
                }
            }
            if (total > budget) {
                throw new DataException(file + ": its " + arrays.size() + " tensors declare shapes needing "
                        + mib(total) + " together (the largest " + largest + "), more than a quarter of the "
                        + mib(Runtime.getRuntime().maxMemory()) + " this JVM may use; expected at most "
                        + mib(budget) + " (raise it with -Xmx)");
            }
            for (int i = 0; i < arrays.size(); i++) {
                ZipEntry e = arrays.get(i);
                String name = e.getName().substring(0, e.getName().length() - 4);
                String where = file + ":" + e.getName();
                try (InputStream in = new Counted(zip.getInputStream(e), e.getSize())) {
                    Npy.Header h = Npy.readHeader(in, where);
                    out.put(name, Npy.readData(in, where, e.getSize(), h).tensor());
                }
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (ZipException e) {
            throw new DataException(file + ": not a .npz (zip) file or truncated: " + e.getMessage());
        } catch (IOException e) {
            if (!Files.exists(file)) throw new DataException(file + ": no such file");
            throw new DataException(file + ": cannot read: " + IoErrors.reason(e));
        }
        return out;
    }

    private static long saturatingAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    /**
     * An entry's inflated bytes, counted: the entry ends at the size the archive declared for it (when it declares
     * one), so a central directory that understates an entry cannot make us inflate more; the reader then finds the
     * array truncated.
     */
    static final class Counted extends FilterInputStream {
        private final long limit;
        private long count;

        Counted(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            if (limit >= 0 && count >= limit) return -1;
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (limit >= 0 && count >= limit) return -1;
            int n = super.read(b, off, limit >= 0 ? (int) Math.min(len, limit - count) : len);
            if (n > 0) count += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] sink = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
                if (r < 0) break;
                skipped += r;
            }
            return skipped;
        }
    }

    /** Writes the tensors in the given order; entry times are fixed so equal weights give equal bytes. */
    public static void write(Path file, Map<String, Tensor> tensors) {
        try {
            WholeFiles.write(file, tmp -> {
                try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                    for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
                        ZipEntry e = new ZipEntry(t.getKey() + ".npy");
                        e.setTime(315532800000L + 12 * 3600_000L); // 1980-01-01, the zip epoch: reproducible files
                        zip.putNextEntry(e);
                        zip.write(Npy.write(t.getValue()));
                        zip.closeEntry();
                    }
                }
            });
        } catch (IOException e) {
            throw new DataException(file + ": cannot write: " + IoErrors.reason(e));
        }
    }
}
