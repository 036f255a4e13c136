package org.abacim.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.data.Npy;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data that is wrong rather than malformed (issue #29, item 9): refused in one line, or warned about. */
class HostileDatasetsTest {
    @TempDir
    Path dir;

    private static final DatasetSpec.Arrays NONE = new DatasetSpec.Arrays("none", "none");

    private static DatasetSpec bind(String yaml) {
        ConfigDocument doc = DatasetSpec.withDefaults(ConfigReader.read("c.yaml", yaml), "dataset");
        return ConfigBinder.bind(doc, "dataset", doc.at("dataset"), DatasetSpec.class);
    }

    private DatasetSpec.NumpyArrays numpy(String images, String labels, DatasetSpec.Normalize normalize) {
        return new DatasetSpec.NumpyArrays(new DatasetSpec.Arrays(images, labels), NONE, DatasetSpec.Layout.NCHW, normalize);
    }

    private void write(String name, int[] shape, float... values) throws Exception {
        Files.write(dir.resolve(name), Npy.write(new Tensor(shape, values)));
    }

    /** Labels as int64 (np.save of a PyTorch label tensor). */
    private void labels(String name, int... values) throws Exception {
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + values.length + ",), }";
        header = header + " ".repeat((64 - (10 + header.length() + 1) % 64) % 64) + "\n";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        out.writeBytes(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putLong(v);
        out.writeBytes(b.array());
        Files.write(dir.resolve(name), out.toByteArray());
    }

    @Test
    void aScalarMeanAndStdApplyToEveryChannelAsTheDocsSay() {
        DatasetSpec.NumpyArrays n = (DatasetSpec.NumpyArrays) bind(
                "dataset: { kind: numpy, test: { images: x.npy, labels: y.npy }, normalize: { mean: 0.5, std: 0.5 } }\n");
        assertThat(n.normalize()).isEqualTo(new DatasetSpec.Normalize(List.of(0.5), List.of(0.5)));
        DatasetSpec.Cifar10Folder c = (DatasetSpec.Cifar10Folder) bind(
                "dataset: { kind: cifar10, folder: d, normalize: { mean: 0.25, std: [0.5, 0.25, 0.125] } }\n");
        assertThat(c.normalize()).isEqualTo(new DatasetSpec.Normalize(List.of(0.25), List.of(0.5, 0.25, 0.125)));
        assertThatThrownBy(() -> bind("dataset: { kind: cifar10, folder: d, normalize: { mean: 0.25 } }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dataset.normalize.std: missing required value");
        assertThatThrownBy(() -> bind("dataset: { kind: cifar10, folder: d, normalize: { mean: 0.5, std: -1 } }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("std").hasMessageContaining("must be positive");
        assertThatThrownBy(() -> bind("dataset: { kind: cifar10, folder: d, normalize: { mean: zero, std: 1 } }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dataset.normalize.mean");
    }

    @Test
    void aNanOrInfinitePixelIsRefusedAtItsIndex() throws Exception {
        float[] x = new float[2 * 1 * 2 * 2];
        x[6] = Float.NaN;
        write("x.npy", new int[] {2, 1, 2, 2}, x);
        labels("y.npy", 0, 1);
        assertThatThrownBy(() -> UserDatasets.read(numpy("x.npy", "y.npy", DatasetSpec.Normalize.IDENTITY), dir))
                .isInstanceOf(DataException.class)
                .hasMessage(dir.resolve("x.npy") + ": value [1, 0, 1, 0] (sample 1) is NaN; expected finite pixel values");
        x[6] = 0;
        x[1] = Float.NEGATIVE_INFINITY;
        write("x.npy", new int[] {2, 1, 2, 2}, x);
        assertThatThrownBy(() -> UserDatasets.read(numpy("x.npy", "y.npy", DatasetSpec.Normalize.IDENTITY), dir))
                .hasMessageContaining("value [0, 0, 0, 1] (sample 0) is -Infinity");
    }

    @Test
    void anArrayWithAZeroDimensionIsRefusedNotACrash() throws Exception {
        write("empty.npy", new int[] {0, 1, 28, 28});
        labels("none.npy");
        assertThatThrownBy(() -> UserDatasets.read(numpy("empty.npy", "none.npy", DatasetSpec.Normalize.IDENTITY), dir))
                .isInstanceOf(DataException.class).hasMessage(dir.resolve("empty.npy")
                        + ": images of shape [0, 1, 28, 28] hold no samples; expected at least one image");
        write("flat.npy", new int[] {2, 1, 0, 28});
        labels("y.npy", 0, 1);
        assertThatThrownBy(() -> UserDatasets.read(numpy("flat.npy", "y.npy", DatasetSpec.Normalize.IDENTITY), dir))
                .isInstanceOf(DataException.class).hasMessageContaining("images of shape [2, 1, 0, 28] have dimension 2 of 0");
    }

    @Test
    void anEmptyCifarBatchIsRefusedAsNoSamples() throws Exception {
        Files.createDirectories(dir.resolve("c"));
        Files.write(dir.resolve("c/test_batch.bin"), new byte[0]);
        assertThatThrownBy(() -> Datasets.load(new DatasetSpec.Cifar10Folder("c", DatasetSpec.Normalize.IDENTITY), dir))
                .isInstanceOf(DataException.class)
                .hasMessage("cifar10:c: the test split holds no samples; expected at least one");
    }

    @Test
    void aNegativeLabelIsRefusedNamingTheSample() throws Exception {
        write("x.npy", new int[] {3, 1, 1, 1}, 0, 0, 0);
        labels("y.npy", 0, -1, 2);
        assertThatThrownBy(() -> UserDatasets.read(numpy("x.npy", "y.npy", DatasetSpec.Normalize.IDENTITY), dir))
                .isInstanceOf(DataException.class)
                .hasMessage(dir.resolve("y.npy") + ": label -1 of sample 1 is not a class number; expected 0 to 1048575");
    }

    @Test
    void labelsBeyondTheModelsOutputsAreRefusedNamingFileSampleLabelAndOutputs() throws Exception {
        write("x.npy", new int[] {4, 1, 1, 1}, 0, 0, 0, 0);
        labels("y.npy", 0, 9, 10, 3);
        DatasetSpec.NumpyArrays spec = numpy("x.npy", "y.npy", DatasetSpec.Normalize.IDENTITY);
        Dataset test = UserDatasets.read(spec, dir)[1];
        assertThatThrownBy(() -> Datasets.checkLabels(spec, test, "test", 10, "lenet5"))
                .isInstanceOf(DataException.class)
                .hasMessage("y.npy: label 10 of sample 2 is not one of the 10 outputs of lenet5; expected 0 to 9");
        Datasets.checkLabels(spec, test, "test", 11, "lenet5"); // fits
    }

    @Test
    void floatImagesThatLookNormalizedAlreadyWarnWhenNormalizedAgain() throws Exception {
        write("z.npy", new int[] {2, 1, 1, 2}, -1.0f, 1.0f, -0.5f, 0.6f); // mean 0.025, negatives
        labels("y.npy", 0, 1);
        DatasetSpec.Normalize half = new DatasetSpec.Normalize(List.of(0.5), List.of(0.5));
        List<String> warnings = new ArrayList<>();
        UserDatasets.read(numpy("z.npy", "y.npy", half), dir, warnings);
        assertThat(warnings).singleElement().asString().startsWith(dir.resolve("z.npy") + ": the float images look "
                + "normalized already (mean 0.0250, values down to -1.00) and normalize (mean [0.5], std [0.5])");
        // Without normalize, or with pixels in [0, 1]: nothing to say.
        warnings.clear();
        UserDatasets.read(numpy("z.npy", "y.npy", DatasetSpec.Normalize.IDENTITY), dir, warnings);
        write("p.npy", new int[] {2, 1, 1, 2}, 0.1f, 0.2f, 0.0f, 0.05f);
        UserDatasets.read(numpy("p.npy", "y.npy", half), dir, warnings);
        assertThat(warnings).isEmpty();
    }
}
