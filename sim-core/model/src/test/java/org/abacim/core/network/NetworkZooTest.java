package org.abacim.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkZooTest {
    // Weights (biases excluded) and MACs: torchvision's model documentation lists VGG-16 at 15.47 GFLOPS (MACs),
    // ResNet-18 at 1.81 and AlexNet at 0.71, with 138,357,544 / 11,689,512 / 61,100,840 parameters including
    // biases and batch-norm parameters, which are subtracted here.

    @Test
    void vgg16HasItsPublishedSize() {
        Network n = NetworkZoo.vgg16();
        assertThat(n.weights()).isEqualTo(138_357_544L - 13_416);
        assertThat(n.macs()).isEqualTo(15_470_264_320L);
        assertThat(n.nodes().get(n.nodes().size() - 1).outputShape()).isEqualTo(Shape.vector(1000));
    }

    @Test
    void resnet18HasItsPublishedSize() {
        Network n = NetworkZoo.resnet18(false);
        int batchNormParameters = 2 * (64 + 4 * 64 + 5 * 128 + 5 * 256 + 5 * 512);
        assertThat(n.weights()).isEqualTo(11_689_512L - batchNormParameters - 1000);
        assertThat(n.macs() / 1e9).isCloseTo(1.81, within(0.005));
    }

    @Test
    void alexnetHasItsPublishedSize() {
        Network n = NetworkZoo.alexnet();
        int biases = 64 + 192 + 384 + 256 + 256 + 4096 + 4096 + 1000;
        assertThat(n.weights()).isEqualTo(61_100_840L - biases);
        assertThat(n.macs() / 1e9).isCloseTo(0.71, within(0.01));
    }

    @Test
    void lenet5AndVgg8SizesFollowFromTheirLayers() {
        assertThat(NetworkZoo.lenet5().weights()).isEqualTo(150 + 2400 + 48000 + 10080 + 840);
        assertThat(NetworkZoo.lenet5().macs()).isEqualTo(28 * 28 * 6 * 25 + 10 * 10 * 16 * 150 + 48000 + 10080 + 840);
        assertThat(NetworkZoo.vgg8().weights()).isEqualTo(
                3L * 9 * 128 + 128 * 9 * 128 + 128 * 9 * 256 + 256 * 9 * 256 + 256 * 9 * 512 + 512 * 9 * 512
                        + 8192 * 1024 + 1024 * 10);
        assertThat(NetworkZoo.resnet18(true).nodes().get(NetworkZoo.resnet18(true).nodes().size() - 1).outputShape())
                .isEqualTo(Shape.vector(10));
    }

    @Test
    void resnet20HasThePapersWeightsPlusItsProjectionShortcuts() {
        // He et al. (CVPR 2016, Table 6): ResNet-20 has 0.27 M parameters. Its convolutions and classifier hold
        // 268,336 weights (stem 3·16·9, then 6×16·16·9, 16·32·9 + 5×32·32·9, 32·64·9 + 5×64·64·9, and 64·10); the
        // 1×1 projections used here instead of zero-padded identities add 16·32 + 32·64.
        Network cifar = NetworkZoo.resnet20(false);
        assertThat(cifar.weights()).isEqualTo(268_336L + 512 + 2048);
        // About 41 M multiply-accumulates at 32×32 (the paper's "41 M FLOPs" counts them), 40.9 M with projections.
        assertThat(cifar.macs() / 1e6).isCloseTo(40.9, within(0.1));
        Network gray = NetworkZoo.resnet20(true);
        assertThat(gray.inputShape()).isEqualTo(new Shape(1, 28, 28));
        assertThat(gray.weights()).isEqualTo(268_336L + 512 + 2048 - 2 * 16 * 9);
        assertThat(gray.nodes().get(gray.nodes().size() - 1).outputShape()).isEqualTo(Shape.vector(10));
    }

    @Test
    void shapeErrorsNameTheLayer() {
        assertThatThrownBy(() -> Network.of("bad", "", "test", List.of(
                new Input("input", new Shape(3, 8, 8)),
                new Linear("fc", "input", 10, 2, true))))
                .isInstanceOf(NetworkException.class).hasMessageContaining("layer fc expects a vector of 10 features");
        assertThatThrownBy(() -> Network.of("bad", "", "test", List.of(
                new Input("input", new Shape(3, 8, 8)),
                new Activation("relu", "nothing", Activation.Kind.RELU, 0))))
                .hasMessageContaining("reads 'nothing', which is not defined before it");
    }
}
