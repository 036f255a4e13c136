package org.abacim.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.abacim.core.io.IoErrors;
import org.abacim.core.network.Shape;

/**
 * IDX files (MNIST, Fashion-MNIST): big-endian magic 0x0000 08 NN (unsigned bytes, NN dimensions), NN sizes, then
 * the values. Gzipped files are read as they are. Sizes are checked before anything is allocated.
 */
public final class Idx {
    /** Largest file content we accept: a bad header cannot make us allocate more. */
    static final long MAX_VALUES = 1L << 31;

    private Idx() {}

    public static Dataset read(String name, Path images, Path labels, int classes) {
        int[][] dims = new int[1][];
        byte[] pixels = values(images, dims);
        int[] imageDims = dims[0];
        byte[] labelBytes = values(labels, dims);
        if (imageDims.length != 3) {
            throw new DataException(images + ": expected 3 dimensions (count, rows, cols), found " + imageDims.length);
        }
        if (dims[0].length != 1 || dims[0][0] != imageDims[0]) {
            throw new DataException(labels + ": " + (dims[0].length == 1 ? dims[0][0] : -1) + " labels for "
                    + imageDims[0] + " images in " + images);
        }
        int n = imageDims[0];
        int area = imageDims[1] * imageDims[2];
        float[][] out = new float[n][area];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < area; k++) out[i][k] = (pixels[i * area + k] & 0xff) / 255f;
            y[i] = labelBytes[i] & 0xff;
            if (y[i] >= classes) throw new DataException(labels + ": label " + y[i] + " of sample " + i + " ≥ " + classes);
        }
        return new Dataset(name, new Shape(1, imageDims[1], imageDims[2]), out, y, classes);
    }

    /** The unsigned-byte values of an IDX file; {@code dims[0]} receives its sizes. */
    static byte[] values(Path file, int[][] dims) {
        try (InputStream raw = open(file); DataInputStream in = new DataInputStream(raw)) {
            int magic = in.readInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != 0x08) {
                throw new DataException(file + ": not an IDX file of unsigned bytes (magic 0x"
                        + Integer.toHexString(magic) + ", expected 0x000008NN)");
            }
            int rank = magic & 0xff;
            if (rank < 1 || rank > 4) throw new DataException(file + ": IDX rank " + rank + " (expected 1 to 4)");
            int[] d = new int[rank];
            long count = 1;
            for (int i = 0; i < rank; i++) {
                d[i] = in.readInt();
                if (d[i] <= 0) throw new DataException(file + ": dimension " + i + " is " + d[i]);
                count *= d[i];
                if (count > MAX_VALUES) {
                    throw new DataException(file + ": header claims more than " + MAX_VALUES + " values; refusing");
                }
            }
            dims[0] = d;
            if (!file.toString().endsWith(".gz") && Files.size(file) < 4L + 4L * rank + count) {
                throw new DataException(file + ": truncated; header promises " + count + " values, the file has "
                        + (Files.size(file) - 4L - 4L * rank));
            }
            byte[] values = new byte[(int) count];
            in.readFully(values);
            return values;
        } catch (EOFException e) {
            throw new DataException(file + ": truncated (ends before the values its header promises)");
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + IoErrors.reason(e));
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
