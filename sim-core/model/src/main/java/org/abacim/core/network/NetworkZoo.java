package org.abacim.core.network;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The built-in networks, by name. Shapes and layer order follow the cited definitions. */
public final class NetworkZoo {
    private static final Map<String, Supplier<Network>> NETWORKS = new LinkedHashMap<>();

    static {
        NETWORKS.put("lenet5", NetworkZoo::lenet5);
        NETWORKS.put("vgg8", NetworkZoo::vgg8);
        NETWORKS.put("vgg16", NetworkZoo::vgg16);
        NETWORKS.put("resnet18", () -> resnet18(false));
        NETWORKS.put("resnet18-cifar", () -> resnet18(true));
        NETWORKS.put("resnet20", () -> resnet20(false));
        NETWORKS.put("resnet20-mnist", () -> resnet20(true));
        NETWORKS.put("alexnet", NetworkZoo::alexnet);
    }

    private NetworkZoo() {}

    public static Iterable<String> names() {
        return NETWORKS.keySet();
    }

    public static Optional<Network> find(String name) {
        Supplier<Network> s = NETWORKS.get(name);
        return s == null ? Optional.empty() : Optional.of(s.get());
    }

    /** LeNet-5 for 28×28 MNIST digits, in its common modern form (ReLU, max-pooling, 'same' first convolution). */
    public static Network lenet5() {
        return new NetworkBuilder("lenet5").input(1, 28, 28)
                .conv(6, 5, 1, 2).relu().maxPool(2, 2)
                .conv(16, 5, 1, 0).relu().maxPool(2, 2)
                .flatten().linear(120).relu().linear(84).relu().linear(10)
                .build("LeNet-5, MNIST 1×28×28, 61.7 k weights",
                        "LeCun et al., Proc. IEEE 1998; ReLU/max-pool form as in the seed papers' LeNet-5 experiments");
    }

    /** VGG-8 for CIFAR-10 as NeuroSim ships it (NetWork_VGG8.csv): 6 convolutions and 2 fully connected layers. */
    public static Network vgg8() {
        NetworkBuilder b = new NetworkBuilder("vgg8").input(3, 32, 32);
        for (int[] stage : new int[][] {{128, 128}, {256, 256}, {512, 512}}) {
            b.conv(stage[0], 3, 1, 1).relu().conv(stage[1], 3, 1, 1).relu().maxPool(2, 2);
        }
        return b.flatten().linear(1024).relu().linear(10)
                .build("VGG-8, CIFAR-10 3×32×32, as in DNN+NeuroSim",
                        "Peng, Huang, Lu, Yu: DNN+NeuroSim (IEDM 2019), NetWork_VGG8.csv");
    }

    /** VGG-16 (configuration D) for 224×224 ImageNet images. */
    public static Network vgg16() {
        NetworkBuilder b = new NetworkBuilder("vgg16").input(3, 224, 224);
        int[][] stages = {{64, 2}, {128, 2}, {256, 3}, {512, 3}, {512, 3}};
        for (int[] stage : stages) {
            for (int i = 0; i < stage[1]; i++) b.conv(stage[0], 3, 1, 1).relu();
            b.maxPool(2, 2);
        }
        return b.flatten().linear(4096).relu().linear(4096).relu().linear(1000)
                .build("VGG-16, ImageNet 3×224×224, 138 M weights",
                        "Simonyan and Zisserman, ICLR 2015, configuration D");
    }

    /**
     * ResNet-18: ImageNet form (7×7/2 stem, max-pool, 224×224) or the CIFAR-10 form (3×3 stem, no max-pool,
     * 32×32, as in the widely used pytorch-cifar definition).
     */
    public static Network resnet18(boolean cifar) {
        NetworkBuilder b = new NetworkBuilder(cifar ? "resnet18-cifar" : "resnet18");
        if (cifar) {
            b.input(3, 32, 32).convNoBias(64, 3, 1, 1).batchNorm().relu();
        } else {
            b.input(3, 224, 224).convNoBias(64, 7, 2, 3).batchNorm().relu().maxPool(3, 2, 1);
        }
        int[] widths = {64, 128, 256, 512};
        for (int stage = 0; stage < widths.length; stage++) {
            for (int block = 0; block < 2; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                basicBlock(b, widths[stage], stride);
            }
        }
        b.globalAvgPool().flatten().linear(cifar ? 10 : 1000);
        return cifar
                ? b.build("ResNet-18, CIFAR-10 3×32×32, 11.2 M weights", "He et al., CVPR 2016; CIFAR stem as in pytorch-cifar")
                : b.build("ResNet-18, ImageNet 3×224×224, 11.7 M weights", "He et al., CVPR 2016");
    }

    /**
     * ResNet-20, the CIFAR-10 ResNet of He et al.: a 3×3 stem of 16 channels, three stages of three basic blocks
     * (16, 32 and 64 channels, the second and third starting with stride 2), global average pooling and one fully
     * connected layer; 0.27 M weights. Shortcuts that change shape are 1×1 convolutions with batch norm (the paper's
     * option B; its CIFAR runs used zero-padded identities). {@code gray28} takes 1×28×28 images (MNIST,
     * Fashion-MNIST) instead of 3×32×32: the stages then run at 28, 14 and 7 pixels square.
     */
    public static Network resnet20(boolean gray28) {
        NetworkBuilder b = new NetworkBuilder(gray28 ? "resnet20-mnist" : "resnet20");
        if (gray28) {
            b.input(1, 28, 28);
        } else {
            b.input(3, 32, 32);
        }
        b.convNoBias(16, 3, 1, 1).batchNorm().relu();
        int[] widths = {16, 32, 64};
        for (int stage = 0; stage < widths.length; stage++) {
            for (int block = 0; block < 3; block++) basicBlock(b, widths[stage], stage > 0 && block == 0 ? 2 : 1);
        }
        b.globalAvgPool().flatten().linear(10);
        return gray28
                ? b.build("ResNet-20 for 1×28×28 images (MNIST, Fashion-MNIST), 0.27 M weights",
                        "He et al., CVPR 2016, Sec. 4.2 (CIFAR-10 ResNet, n = 3), 1×1 projection shortcuts")
                : b.build("ResNet-20, CIFAR-10 3×32×32, 0.27 M weights",
                        "He et al., CVPR 2016, Sec. 4.2 (n = 3), 1×1 projection shortcuts");
    }

    private static void basicBlock(NetworkBuilder b, int width, int stride) {
        String blockInput = b.last();
        boolean project = stride != 1 || b.shape().channels() != width;
        b.convNoBias(width, 3, stride, 1).batchNorm().relu().convNoBias(width, 3, 1, 1).batchNorm();
        String main = b.last();
        String shortcut = blockInput;
        if (project) {
            b.from(blockInput).convNoBias(width, 1, stride, 0).batchNorm();
            shortcut = b.last();
        }
        b.from(main).addFrom(shortcut).relu();
    }

    /** AlexNet as torchvision defines it (the single-tower form of Krizhevsky 2014), 224×224 input. */
    public static Network alexnet() {
        return new NetworkBuilder("alexnet").input(3, 224, 224)
                .conv(64, 11, 4, 2).relu().maxPool(3, 2)
                .conv(192, 5, 1, 2).relu().maxPool(3, 2)
                .conv(384, 3, 1, 1).relu().conv(256, 3, 1, 1).relu().conv(256, 3, 1, 1).relu().maxPool(3, 2)
                .flatten().linear(4096).relu().linear(4096).relu().linear(1000)
                .build("AlexNet, ImageNet 3×224×224, 61.1 M weights",
                        "Krizhevsky, arXiv:1404.5997 (2014), as defined in torchvision");
    }
}
