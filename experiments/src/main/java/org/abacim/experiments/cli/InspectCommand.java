package org.abacim.experiments.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.data.Dataset;
import org.abacim.core.data.DatasetSpec;
import org.abacim.core.data.DatasetStats;
import org.abacim.core.data.Datasets;
import org.abacim.core.network.BatchNorm;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.experiments.model.DatasetSource;
import org.abacim.core.api.NetworkSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Layers of a model or network: operation, output shape, parameters, MACs; or what a model will "
                + "see of a data set: samples, shape, labels, and per channel the mean, standard deviation and range "
                + "after preprocessing, with the range before normalize.",
                "Example: abacim inspect models/lenet5-mnist.json   or   abacim inspect resnet18   or   "
                        + "abacim inspect --dataset data.yaml   or   abacim inspect lenet5 --dataset mnist"})
final class InspectCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL|NETWORK",
            description = "Weight-map manifest, ONNX model, built-in network or NeuroSim .csv.")
    String ref;

    @Option(names = "--dataset", paramLabel = "NAME|FILE", description = "mnist, fashion-mnist, or a YAML file whose "
            + "dataset: (or accuracy.dataset:) key describes your files. With a MODEL too, checks that the model takes "
            + "its images and can answer its labels.")
    String dataset;

    @Option(names = "--samples", paramLabel = "N", description = "With --dataset: a seeded, class-stratified draw of N "
            + "samples of each split instead of all of them (image folders decode only those).")
    Integer samples;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "With --dataset: text (default) or json.")
    String format;

    @Override
    public Integer call() {
        if (ref == null && dataset == null) {
            throw ConfigException.inSource(SourceLocation.of("abacim inspect"),
                    "give a MODEL|NETWORK, a --dataset, or both");
        }
        if (!format.equals("text") && !format.equals("json")) OptionChecks.fail("--format", format, "expected text or json");
        if (dataset == null && samples != null) OptionChecks.fail("--samples", String.valueOf(samples), "applies to --dataset");
        if (dataset == null && format.equals("json")) OptionChecks.fail("--format", format, "json applies to --dataset");
        OptionChecks.atLeast("--samples", samples, 1);
        Network net = ref == null ? null : NetworkSource.modelOrShapes(ref);
        if (dataset != null) return dataset(net);
        layers(net);
        return 0;
    }

    private void layers(Network net) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s: %s%n%s%n%n", net.name(), net.description(),
                net.hasParams() ? "with weights" : "shapes only (no weights)");
        out.printf(Locale.ROOT, "%-14s %-24s %-14s %12s %14s%n", "layer", "operation", "output", "parameters", "MACs");
        long params = 0;
        for (Network.Node n : net.nodes()) {
            long p = parameters(net, n);
            params += p;
            out.printf(Locale.ROOT, "%-14s %-24s %-14s %12d %14d%n", n.name(), n.layer().describe(),
                    n.outputShape(), p, Network.macs(n));
        }
        out.printf(Locale.ROOT, "%-14s %-24s %-14s %12d %14d%n", "total", "", "", params, net.macs());
        out.flush();
    }

    /** The data set as the model will see it; with a model, refused unless the model takes it. */
    private int dataset(Network net) {
        DatasetSource.Loaded loaded = DatasetSource.load(dataset);
        List<DatasetStats> splits = new ArrayList<>();
        List<Integer> totals = new ArrayList<>();
        String[] names = {"train", "test"};
        Dataset[] data = {loaded.train(), loaded.test()};
        for (int i = 0; i < 2; i++) {
            if (data[i] == null) continue;
            if (net != null) {
                if (!data[i].shape().equals(net.inputShape())) {
                    OptionChecks.fail("--dataset", dataset, "its " + names[i] + " images are " + data[i].shape()
                            + ", but " + net.name() + " takes " + net.inputShape());
                }
                Datasets.checkLabels(loaded.spec(), data[i], names[i], net);
            }
            Dataset d = samples == null ? data[i] : data[i].sample(samples, 1, Dataset.Purpose.SCORING);
            splits.add(DatasetStats.of(names[i], d, loaded.spec().normalize()));
            totals.add(data[i].size());
        }
        loaded.warn(spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.print(json(loaded, net, splits, totals).toPrettyString());
            out.println();
            out.flush();
            return 0;
        }
        var normalize = loaded.spec().normalize();
        out.printf(Locale.ROOT, "%s: %s%n", loaded.spec().label(),
                normalize.equals(DatasetSpec.Normalize.IDENTITY) ? "not normalized"
                        : "normalized (x − mean) / std with mean " + normalize.mean() + ", std " + normalize.std());
        if (net != null) {
            out.printf(Locale.ROOT, "%s takes %s and gives %d outputs: the data set fits%n", net.name(), net.inputShape(),
                    Datasets.outputs(net));
        }
        for (int s = 0; s < splits.size(); s++) {
            DatasetStats st = splits.get(s);
            out.printf(Locale.ROOT, "%n%s split: %s samples of %d×%d×%d (C×H×W)%n", st.split(),
                    st.samples() == totals.get(s) ? String.valueOf(st.samples())
                            : st.samples() + " (a seeded draw) of " + totals.get(s), st.shape()[0], st.shape()[1],
                    st.shape()[2]);
            StringBuilder hist = new StringBuilder();
            for (int c = 0; c < st.labelCounts().length; c++) {
                hist.append(c == 0 ? "" : ", ").append(c).append(": ").append(st.labelCounts()[c]);
            }
            out.printf(Locale.ROOT, "labels (%d classes): %s%n", st.labelCounts().length, hist);
            out.printf(Locale.ROOT, "%-8s %10s %10s %10s %10s   %s%n", "channel", "mean", "std", "min", "max",
                    "before normalize: min … max");
            for (int c = 0; c < st.channels().size(); c++) {
                DatasetStats.Channel ch = st.channels().get(c);
                out.printf(Locale.ROOT, "%-8d %10.4f %10.4f %10.4f %10.4f   %.4f … %.4f%n", c, ch.mean(), ch.std(),
                        ch.min(), ch.max(), ch.rawMin(), ch.rawMax());
            }
        }
        out.flush();
        return 0;
    }

    private static ObjectNode json(DatasetSource.Loaded loaded, Network net, List<DatasetStats> splits, List<Integer> totals) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("dataset", loaded.spec().label());
        ObjectNode normalize = root.putObject("normalize");
        loaded.spec().normalize().mean().forEach(normalize.putArray("mean")::add);
        loaded.spec().normalize().std().forEach(normalize.putArray("std")::add);
        if (net != null) {
            ObjectNode model = root.putObject("model");
            model.put("name", net.name());
            model.put("input", net.inputShape().toString());
            model.put("outputs", Datasets.outputs(net));
        }
        ArrayNode list = root.putArray("splits");
        for (int s = 0; s < splits.size(); s++) {
            DatasetStats st = splits.get(s);
            ObjectNode o = list.addObject();
            o.put("split", st.split());
            o.put("samples", st.samples());
            o.put("split_samples", totals.get(s)); // the whole split, when a draw was inspected
            ArrayNode shape = o.putArray("shape");
            for (int d : st.shape()) shape.add(d);
            ArrayNode counts = o.putArray("label_counts");
            for (int c : st.labelCounts()) counts.add(c);
            ArrayNode channels = o.putArray("channels");
            for (DatasetStats.Channel ch : st.channels()) {
                ObjectNode c = channels.addObject();
                c.put("mean", ch.mean());
                c.put("std", ch.std());
                c.put("min", ch.min());
                c.put("max", ch.max());
                c.put("raw_min", ch.rawMin());
                c.put("raw_max", ch.rawMax());
            }
        }
        ArrayNode warnings = root.putArray("warnings");
        loaded.warnings().forEach(warnings::add);
        return root;
    }

    private static long parameters(Network net, Network.Node n) {
        var p = net.params(n.name());
        if (p instanceof LayerParams.Dense d) return d.weight().size() + (d.bias() == null ? 0 : d.bias().size());
        // Batch norm's learned γ and β; its running statistics are buffers, as PyTorch counts them.
        if (p instanceof LayerParams.Norm m) return 2L * m.gamma().size();
        if (n.layer() instanceof Conv2d c) {
            return (long) c.groups() * c.matrixRows() * c.matrixCols() + (c.bias() ? c.outChannels() : 0);
        }
        if (n.layer() instanceof Linear l) {
            return (long) l.inFeatures() * l.outFeatures() + (l.bias() ? l.outFeatures() : 0);
        }
        if (n.layer() instanceof BatchNorm b) return 2L * b.channels();
        return 0;
    }
}
