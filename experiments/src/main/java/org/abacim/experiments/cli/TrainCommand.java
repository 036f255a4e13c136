package org.abacim.experiments.cli;

import org.abacim.core.config.SourceLocation;
import org.abacim.experiments.model.DatasetSource;
import org.abacim.core.api.NetworkSource;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.abacim.core.data.Dataset;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.network.Network;
import org.abacim.core.train.TrainConfig;
import org.abacim.core.train.Trainer;
import org.abacim.experiments.run.DesignRun;
import org.abacim.mapping.weights.WeightMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a network on a data set (seeded and deterministic for any thread count) and save it as a "
                + "weight map (NAME.npz + NAME.json).",
                "Example: abacim train --network lenet5 --dataset mnist --epochs 25 --out models/lenet5-mnist.npz"})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--network", required = true, paramLabel = "NAME|FILE", description = "Built-in network or NeuroSim .csv.")
    String network;

    @Option(names = "--dataset", required = true, paramLabel = "NAME|FILE", description = "mnist or fashion-mnist (scripts/fetch-data gets them), or a YAML file whose dataset: key describes your files (CIFAR-10 folder, image folder, NumPy arrays).")
    String dataset;

    @Option(names = "--epochs", defaultValue = "25", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd (with momentum); default ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.001", description = "Learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--schedule", defaultValue = "constant", description = "Learning rate over the run: constant, or cosine (decays to zero by the last step); default ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialization and shuffling (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--train-samples", paramLabel = "N", description = "Train on N training samples, a class-stratified draw seeded by --seed (quick runs).")
    Integer trainSamples;

    @Option(names = "--out", required = true, paramLabel = "FILE.npz", description = "Where to save the weights; the manifest goes beside it.")
    Path out;

    @Mixin
    TrainingOptions training;

    @Override
    public Integer call() {
        // Training settings a model would be silently ruined by (NaN, infinite, zero samples) are refused up front.
        OptionChecks.atLeast("--epochs", epochs, 1);
        int batch = training.batch();
        OptionChecks.between("--lr", lr, 1e-9, 10, true);
        OptionChecks.between("--momentum", momentum, 0, 1, false);
        OptionChecks.between("--weight-decay", weightDecay, 0, 1, true);
        OptionChecks.atLeast("--train-samples", trainSamples, 1);
        int n = training.threads();
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--optimizer must be adam or sgd, not " + optimizer);
        }
        if (!schedule.equals("constant") && !schedule.equals("cosine")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--schedule must be constant or cosine, not " + schedule);
        }
        if (!out.toString().endsWith(".npz")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out must end in .npz, not " + out);
        }
        TrainConfig cfg;
        try {
            cfg = new TrainConfig(epochs, batch, optimizer.equals("adam") ? TrainConfig.Optimizer.ADAM
                    : TrainConfig.Optimizer.SGD, lr, momentum, weightDecay, seed, n).with(schedule.equals("cosine")
                    ? TrainConfig.LearningRateSchedule.COSINE : TrainConfig.LearningRateSchedule.CONSTANT);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Network shapes = NetworkSource.resolve(network, SourceLocation.of("--network " + network), null);
        DatasetSource.Loaded loaded = DatasetSource.load(dataset);
        Dataset[] data = {loaded.trainOrFail("train needs one"), loaded.test()};
        if (!data[1].shape().equals(shapes.inputShape())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dataset " + dataset + ": its images are "
                    + data[1].shape() + ", but " + shapes.name() + " takes " + shapes.inputShape());
        }
        loaded.checkLabels(shapes);
        loaded.warn(spec.commandLine().getErr());
        Dataset train = trainSamples == null ? data[0] : data[0].sample(trainSamples, seed, Dataset.Purpose.TRAINING);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "training %s on %s: %d train / %d test samples, %s, %d epochs, seed %d%n", shapes.name(),
                loaded.spec().label(), train.size(), data[1].size(), optimizer, epochs, seed);
        w.flush();
        Network trained = Trainer.train(Trainer.initialize(shapes, seed), train, data[1], cfg, e -> {
            w.printf(Locale.ROOT, "epoch %3d  loss %.4f  train %.2f %%  test %.2f %%  (%.1f s)%n", e.epoch(), e.loss(),
                    100 * e.trainAccuracy(), 100 * e.testAccuracy(), e.seconds());
            w.flush();
        });
        double accuracy = Trainer.accuracy(new FloatEngine(trained), data[1], n);
        ObjectNode provenance = JsonNodeFactory.instance.objectNode();
        provenance.put("trainedBy", "abacim train");
        provenance.put("dataset", loaded.spec().label());
        provenance.put("trainSamples", train.size());
        provenance.put("testSamples", data[1].size());
        provenance.put("testAccuracy", accuracy);
        provenance.put("epochs", epochs);
        provenance.put("batch", batch);
        provenance.put("optimizer", optimizer);
        provenance.put("learningRate", lr);
        provenance.put("schedule", schedule);
        provenance.put("seed", seed);
        Path manifest = WeightMap.write(trained, network, out, provenance);
        w.printf(Locale.ROOT, "test accuracy %.2f %%; saved %s and %s%n", 100 * accuracy, out, manifest);
        w.flush();
        return 0;
    }
}
