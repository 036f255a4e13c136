package org.abacim.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.junit.jupiter.api.Test;

/** Data sets in configs: a name, or a mapping by kind with its defaults, bound strictly and located. */
class DatasetSpecTest {
    private static DatasetSpec bind(String yaml) {
        ConfigDocument doc = DatasetSpec.withDefaults(ConfigReader.read("c.yaml", yaml), "dataset");
        return ConfigBinder.bind(doc, "dataset", doc.at("dataset"), DatasetSpec.class);
    }

    @Test
    void aNameOrAMappingByKind() {
        assertThat(bind("dataset: mnist\n")).isEqualTo(new DatasetSpec.Named("mnist"));
        DatasetSpec.Cifar10Folder c = (DatasetSpec.Cifar10Folder) bind("dataset: { kind: cifar10, folder: data }\n");
        assertThat(c.folder()).isEqualTo("data");
        assertThat(c.normalize()).isEqualTo(DatasetSpec.Normalize.IDENTITY);
        DatasetSpec.ImageFolder f = (DatasetSpec.ImageFolder) bind("dataset: { kind: image-folder, test: val, crop: 32, resize: 40 }\n");
        assertThat(f.hasTrain()).isFalse();
        assertThat(f.crop()).isEqualTo(32);
        DatasetSpec.NumpyArrays n = (DatasetSpec.NumpyArrays) bind(
                "dataset: { kind: numpy, test: { images: x.npy, labels: y.npy }, layout: nhwc }\n");
        assertThat(n.layout()).isEqualTo(DatasetSpec.Layout.NHWC);
        assertThat(n.hasTrain()).isFalse();
    }

    @Test
    void mistakesAreOneLineAtTheirPlace() {
        assertThatThrownBy(() -> bind("dataset: cifar\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("c.yaml:1:10").hasMessageContaining("unknown data set");
        assertThatThrownBy(() -> bind("dataset: { kind: cifar10, folder: d, resize: 3 }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dataset.resize").hasMessageContaining("unknown key");
        assertThatThrownBy(() -> bind("dataset: { kind: imagenet, folder: d }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dataset.kind");
        assertThatThrownBy(() -> bind("dataset: { kind: image-folder, test: v, crop: 300 }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("crop").hasMessageContaining("must not exceed resize");
        assertThatThrownBy(() -> bind("dataset: { kind: cifar10, folder: d, normalize: { mean: [0.5], std: [0] } }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("std").hasMessageContaining("must be positive");
    }
}
