package org.imcsim.mapping.weights;

import org.imcsim.core.tensor.Npy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.imcsim.core.data.DataException;
import org.imcsim.core.tensor.Tensor;

/** NumPy's {@code .npz}: a zip of {@code NAME.npy} entries (as {@code numpy.savez} writes them). */
public final class Npz {
    private Npz() {}

    public static Map<String, Tensor> read(Path file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory() || !e.getName().endsWith(".npy")) continue;
                String name = e.getName().substring(0, e.getName().length() - 4);
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(name, Npy.read(in, file + ":" + e.getName(), e.getSize()));
                }
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (ZipException e) {
            throw new DataException(file + ": not a .npz (zip) file or truncated: " + e.getMessage());
        } catch (IOException e) {
            if (!Files.exists(file)) throw new DataException(file + ": no such file");
            throw new DataException(file + ": cannot read: " + org.imcsim.core.io.IoErrors.reason(e));
        }
        return out;
    }

    /** Writes the tensors in the given order; entry times are fixed so equal weights give equal bytes. */
    public static void write(Path file, Map<String, Tensor> tensors) {
        try {
            org.imcsim.core.io.WholeFiles.write(file, tmp -> {
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
            throw new DataException(file + ": cannot write: " + org.imcsim.core.io.IoErrors.reason(e));
        }
    }
}
