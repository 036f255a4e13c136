package org.imcsim.experiments.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.imcsim.core.data.Dataset;
import org.imcsim.core.data.Datasets;
import org.imcsim.core.exec.FloatEngine;
import org.imcsim.core.network.Network;
import org.imcsim.core.train.Trainer;
import org.imcsim.experiments.model.Models;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Accuracy of a model on a data set's test split (float32 reference execution).",
                "Example: imcsim eval --model models/lenet5-mnist.json --dataset mnist"})
final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Weight-map manifest (.json) or its .npz.")
    Path model;

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "mnist or fashion-mnist.")
    String dataset;

    @Option(names = "--split", defaultValue = "test", description = "train or test (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() {
        if (!split.equals("train") && !split.equals("test")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--split must be train or test");
        }
        Network net = Models.load(model);
        Dataset data = Datasets.load(dataset)[split.equals("train") ? 0 : 1];
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        long start = System.nanoTime();
        double accuracy = Trainer.accuracy(new FloatEngine(net), data, n);
        double seconds = (System.nanoTime() - start) / 1e9;
        spec.commandLine().getOut().printf(Locale.ROOT, "%s on %s (%d samples): float32 accuracy %.2f %% (%.0f images/s)%n",
                net.name(), data.name(), data.size(), 100 * accuracy, data.size() / seconds);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
