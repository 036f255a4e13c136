package org.abacim.experiments.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.abacim.core.api.NetworkSource;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.data.Dataset;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.train.HardwareAware;
import org.abacim.core.train.TrainConfig;
import org.abacim.core.train.Trainer;
import org.abacim.experiments.model.DatasetSource;
import org.abacim.experiments.run.AbacimVersion;
import org.abacim.experiments.run.DesignRun;
import org.abacim.mapping.onnx.OnnxWeightWriter;
import org.abacim.mapping.weights.WeightMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {"Hardware-aware training: fine-tune a trained model (weight map or ONNX) on a data set with the "
                + "design's weight and input quantization and its devices' variation in every forward pass (a fresh "
                + "simulated chip per batch, gradients straight through to the float weights); save it as a weight map "
                + "(NAME.npz + NAME.json) that 'abacim run --set accuracy.model=NAME.json' scores, or, for an ONNX "
                + "model, as that ONNX model with its weights replaced (NAME.onnx). Seeded: the same command gives the "
                + "same bytes for any thread count.",
                "Example: abacim tune --preset isaac --model models/resnet20-fashion-mnist.json --dataset fashion-mnist "
                        + "--set device.programming.sigma=0.1 --epochs 1 --train-samples 5000 --out tuned.npz"})
final class TuneCommand implements Callable<Integer> {
    /** The keys the training view of a design turns off: per-conversion effects that do not fold into weights. */
    static final List<String> PER_CONVERSION = List.of("adc.range=ideal", "adc.offsetSigma=0", "adc.gainSigma=0",
            "device.readNoise=0", "device.drift.flicker=0");
    /** The metadata_props key of a tuned ONNX model's provenance (a JSON object, as a weight map's manifest has). */
    static final String ONNX_PROVENANCE_KEY = "abacim.tune";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "Design config (YAML or JSON).")
    Path config;

    @Option(names = "--preset", paramLabel = "NAME", description = "Start from this preset (see 'abacim presets').")
    String preset;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "The trained model to tune: a weight map (.json or .npz) or an ONNX model (.onnx).")
    Path model;

    @Option(names = "--network", paramLabel = "NAME|FILE",
            description = "The design's network (default: the config's, else the model itself); must be the model's.")
    String network;

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "Override a design value, e.g. device.programming.sigma=0.1 (the variation trained with).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--dataset", required = true, paramLabel = "NAME|FILE",
            description = "mnist or fashion-mnist, or a YAML file whose dataset: key describes your files; needs a training split.")
    String dataset;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.0001", description = "Adam learning rate (default ${DEFAULT-VALUE}), decayed to zero by a cosine.")
    double lr;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the shuffle, the training subset and the chips drawn (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--train-samples", paramLabel = "N", description = "Tune on N training samples, a class-stratified draw seeded by --seed.")
    Integer trainSamples;

    @Option(names = "--quantization-only", description = "Quantize weights and inputs as the design does, but draw no device variation (quantization-aware fine-tuning).")
    boolean quantizationOnly;

    @Option(names = "--out", required = true, paramLabel = "FILE.npz|FILE.onnx",
            description = "Where to save the tuned weights: a weight map (FILE.npz, its manifest beside it) or, when "
                    + "--model is ONNX, the ONNX model itself with the tuned weights in its initializers.")
    Path out;

    @Mixin
    TrainingOptions training;

    @Override
    public Integer call() {
        OptionChecks.atLeast("--epochs", epochs, 1);
        int batch = training.batch();
        OptionChecks.between("--lr", lr, 1e-9, 10, true);
        OptionChecks.atLeast("--train-samples", trainSamples, 1);
        int n = training.threads();
        boolean onnxOut = out.toString().endsWith(".onnx");
        if (!out.toString().endsWith(".npz") && !onnxOut) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out must end in .npz or .onnx, not " + out);
        }
        if (onnxOut && !model.toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            throw ConfigException.inSource(SourceLocation.of("--out " + out), "ONNX output needs an ONNX input model; "
                    + "--model " + model + " is a weight map (write FILE.npz instead)");
        }
        if (config == null && preset == null) {
            throw ConfigException.inSource(SourceLocation.of("abacim tune"),
                    "give a CONFIG file or --preset NAME (see 'abacim presets')");
        }
        if (!Files.isRegularFile(model)) {
            throw ConfigException.inSource(SourceLocation.of("--model " + model), "no such model file");
        }
        // Checked before tuning: every parameter must go back into an initializer of its own, exactly.
        OnnxWeightWriter onnxWriter = null;
        if (onnxOut) {
            try {
                onnxWriter = OnnxWeightWriter.forModel(model);
            } catch (NetworkException e) {
                throw ConfigException.inSource(SourceLocation.of("--out " + out), e.getMessage());
            }
        }
        Network tuned0 = onnxWriter != null ? onnxWriter.network() : NetworkSource.model(model);
        String networkRef = network != null ? network
                : config != null && ConfigReader.read(config).root().has("network") ? null : model.toString();
        DesignRun point = DesignRun.load(config, preset, networkRef, sets);
        Network shapes = point.network();
        if (tuned0.weights() != shapes.weights() || tuned0.macs() != shapes.macs()) {
            throw ConfigException.inSource(SourceLocation.of("--model " + model), "the model (" + tuned0.weights()
                    + " weights, " + tuned0.macs() + " MACs) is not the network the design runs (" + shapes.name() + ": "
                    + shapes.weights() + " weights, " + shapes.macs() + " MACs)");
        }
        // The design as trained with: static device effects only (per-conversion ones do not fold into weights).
        List<String> trainingSets = new ArrayList<>(sets);
        for (String s : PER_CONVERSION) {
            if (point.config().at(s.substring(0, s.indexOf('='))) != null) trainingSets.add(s);
        }
        DesignRun trainingView = DesignRun.load(config, preset, networkRef, trainingSets);
        MvmNumerics numerics = trainingView.design().numerics().orElseThrow(() -> ConfigException.inSource(
                SourceLocation.of("abacim tune"), "technology " + point.design().info().technology()
                        + " has no numerics model to train with"));
        ArrayGeometry g = point.design().geometry();
        DatasetSource.Loaded loaded = DatasetSource.load(dataset);
        Dataset train = loaded.trainOrFail("tuning needs one");
        if (!train.shape().equals(shapes.inputShape())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dataset " + dataset + ": its images are "
                    + train.shape() + ", but " + shapes.name() + " takes " + shapes.inputShape());
        }
        loaded.checkLabels(tuned0);
        loaded.warn(spec.commandLine().getErr());
        if (trainSamples != null && trainSamples > train.size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--train-samples " + trainSamples
                    + ": the training split has " + train.size() + " samples");
        }
        Dataset subset = trainSamples == null ? train : train.sample(trainSamples, seed, Dataset.Purpose.TRAINING);
        TrainConfig cfg;
        try {
            cfg = new TrainConfig(epochs, batch, TrainConfig.Optimizer.ADAM, lr, 0.9, 0, seed, n, g.inputBits())
                    .with(TrainConfig.LearningRateSchedule.COSINE);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        HardwareAware hook;
        try {
            hook = new HardwareAware(tuned0, numerics, g.weightBits(), seed, !quantizationOnly);
        } catch (IllegalArgumentException e) {
            throw ConfigException.inSource(SourceLocation.of("abacim tune"), e.getMessage());
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "tuning %s on %s: %d training samples, %d-bit weights, %d-bit inputs, %s, %d epochs, seed %d%n",
                shapes.name(), loaded.spec().label(), subset.size(), g.weightBits(), g.inputBits(),
                quantizationOnly ? "no device variation" : "a fresh chip of " + point.design().info().name() + " per batch",
                epochs, seed);
        w.flush();
        long start = System.nanoTime();
        Network tuned;
        try {
            tuned = Trainer.train(tuned0, subset, null, cfg, e -> {
                w.printf(Locale.ROOT, "epoch %3d  loss %.4f  train (on chips) %.2f %%  (%.1f s)%n", e.epoch(), e.loss(),
                        100 * e.trainAccuracy(), e.seconds());
                w.flush();
            }, hook);
        } catch (IllegalArgumentException e) {
            throw ConfigException.inSource(SourceLocation.of("abacim tune"), e.getMessage());
        }
        ObjectNode provenance = JsonNodeFactory.instance.objectNode();
        provenance.put("tunedBy", "abacim tune");
        provenance.put("from", model.getFileName().toString());
        provenance.put("design", point.design().info().name());
        provenance.put("sets", String.join(" ", sets));
        provenance.put("hardwareAware", !quantizationOnly);
        provenance.put("weightBits", g.weightBits());
        provenance.put("inputBits", g.inputBits());
        provenance.put("dataset", loaded.spec().label());
        provenance.put("trainSamples", subset.size());
        provenance.put("epochs", epochs);
        provenance.put("batch", batch);
        provenance.put("learningRate", lr);
        provenance.put("schedule", "cosine");
        provenance.put("seed", seed);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (onnxWriter != null) {
            provenance.put("abacim", AbacimVersion.project());
            onnxWriter.write(tuned, out, Map.of(ONNX_PROVENANCE_KEY, provenance.toString()));
            w.printf(Locale.ROOT, "tuned in %.1f s; saved %s (metadata %s records how)%n", seconds, out, ONNX_PROVENANCE_KEY);
        } else {
            Path manifest = WeightMap.write(tuned, networkReference(out), out, provenance);
            w.printf(Locale.ROOT, "tuned in %.1f s; saved %s and %s%n", seconds, out, manifest);
        }
        w.flush();
        return 0;
    }

    /**
     * What the tuned manifest names as its network: the source manifest's built-in network, else the source model
     * file itself (a manifest or an ONNX model), relative to the folder the manifest is written in.
     */
    private String networkReference(Path npz) {
        Path source = model;
        String name = source.getFileName().toString();
        if (name.endsWith(".npz")) source = source.resolveSibling(name.replaceFirst("\\.npz$", ".json"));
        if (!name.endsWith(".onnx")) {
            try {
                String ref = WeightMap.read(source).network();
                if (NetworkZoo.find(ref).isPresent()) return ref;
            } catch (RuntimeException e) {
                // fall through: name the file
            }
        }
        Path folder = npz.toAbsolutePath().normalize().getParent();
        return folder.relativize(source.toAbsolutePath().normalize()).toString();
    }
}
