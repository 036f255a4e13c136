package org.abacim.experiments.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.abacim.core.data.Dataset;
import org.abacim.core.data.Datasets;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.Network;
import org.abacim.core.train.Trainer;
import org.abacim.experiments.model.DatasetSource;
import org.abacim.core.api.NetworkSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Accuracy of a model on a data set's test split: float32, and integer-quantized (weights per "
                + "channel, activations calibrated on training samples).",
                "Example: abacim eval --model models/lenet5-mnist.json --dataset mnist"})
final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "ONNX model, or weight-map manifest (.json) or its .npz.")
    Path model;

    @Option(names = "--dataset", required = true, paramLabel = "NAME|FILE", description = "mnist, fashion-mnist, or a YAML file whose dataset: key describes your files.")
    String dataset;

    @Option(names = "--split", defaultValue = "test", description = "train or test (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores).")
    Integer threads;

    @Option(names = "--weight-bits", defaultValue = "8", description = "Integer weight bits for the quantized accuracy (default ${DEFAULT-VALUE}).")
    int weightBits;

    @Option(names = "--activation-bits", defaultValue = "8", description = "Integer activation bits (default ${DEFAULT-VALUE}).")
    int activationBits;

    @Option(names = "--per-layer", description = "One weight scale per layer instead of per output channel.")
    boolean perLayer;

    @Option(names = "--calibration", defaultValue = "256", description = "Training samples that set activation ranges (default ${DEFAULT-VALUE}).")
    int calibration;

    @Override
    public Integer call() {
        if (!split.equals("train") && !split.equals("test")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--split must be train or test");
        }
        Network net = NetworkSource.model(model);
        DatasetSource.Loaded loaded = DatasetSource.load(dataset);
        Dataset data = split.equals("train") ? loaded.trainOrFail("--split train") : loaded.test();
        if (!data.shape().equals(net.inputShape())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dataset " + dataset + ": its images are "
                    + data.shape() + ", but " + net.name() + " takes " + net.inputShape());
        }
        Datasets.checkLabels(loaded.spec(), data, split, net);
        loaded.warn(spec.commandLine().getErr());
        int n = OptionChecks.threads(threads);
        long start = System.nanoTime();
        double accuracy = Trainer.accuracy(new FloatEngine(net), data, n);
        double seconds = (System.nanoTime() - start) / 1e9;
        spec.commandLine().getOut().printf(Locale.ROOT, "%s on %s (%d samples): float32 accuracy %.2f %% (%.0f images/s)%n",
                net.name(), data.name(), data.size(), 100 * accuracy, data.size() / seconds);
        QuantizedEngine.Scheme scheme;
        try {
            scheme = new QuantizedEngine.Scheme(weightBits, activationBits, !perLayer);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // Activation ranges from training images; a data set of test images only lends its own (another draw).
        Dataset train = loaded.train() != null ? loaded.train() : loaded.test();
        float[][] cal = train.sample(Math.max(1, calibration), 1, Dataset.Purpose.CALIBRATION).images();
        double quantized = Trainer.accuracy(new QuantizedEngine(net, scheme, cal), data, n);
        spec.commandLine().getOut().printf(Locale.ROOT, "  integer %d-bit weights (%s), %d-bit activations: accuracy %.2f %%%n",
                weightBits, perLayer ? "per layer" : "per channel", activationBits, 100 * quantized);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
