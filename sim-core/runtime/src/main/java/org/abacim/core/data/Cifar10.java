package org.abacim.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abacim.core.io.IoErrors;
import org.abacim.core.network.Shape;

/**
 * CIFAR-10's binary version: records of 1 label byte and 3,072 pixel bytes (1,024 red, then green, then blue,
 * each 32×32 row-major), 10,000 records per batch file.
 */
public final class Cifar10 {
    public static final int RECORD = 1 + 3 * 32 * 32;

    private Cifar10() {}

    public static Dataset read(String name, List<Path> batches) {
        List<float[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path file : batches) {
            byte[] bytes;
            try {
                long size = Files.size(file);
                if (size % RECORD != 0) {
                    throw new DataException(file + ": " + size + " bytes is not a whole number of " + RECORD
                            + "-byte CIFAR-10 records (truncated?)");
                }
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new DataException(file + ": no such file");
            } catch (IOException e) {
                throw new DataException(file + ": cannot read: " + IoErrors.reason(e));
            }
            for (int r = 0; r < bytes.length / RECORD; r++) {
                int at = r * RECORD;
                int label = bytes[at] & 0xff;
                if (label > 9) throw new DataException(file + ": record " + r + " has label " + label + " (expected 0–9)");
                float[] image = new float[RECORD - 1];
                for (int k = 0; k < image.length; k++) image[k] = (bytes[at + 1 + k] & 0xff) / 255f;
                images.add(image);
                labels.add(label);
            }
        }
        return new Dataset(name, new Shape(3, 32, 32), images.toArray(new float[0][]),
                labels.stream().mapToInt(Integer::intValue).toArray(), 10);
    }
}
