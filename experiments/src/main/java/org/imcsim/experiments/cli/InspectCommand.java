package org.imcsim.experiments.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.imcsim.core.network.Network;
import org.imcsim.experiments.model.NetworkSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Layers of a model or network: operation, output shape, parameters, MACs.",
                "Example: imcsim inspect models/lenet5-mnist.json   or   imcsim inspect resnet18"})
final class InspectCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL|NETWORK", description = "Weight-map manifest, built-in network or NeuroSim .csv.")
    String ref;

    @Override
    public Integer call() {
        Network net = NetworkSource.modelOrShapes(ref);
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
        return 0;
    }

    private static long parameters(Network net, Network.Node n) {
        var p = net.params(n.name());
        if (p instanceof org.imcsim.core.network.LayerParams.Dense d) return d.weight().size() + (d.bias() == null ? 0 : d.bias().size());
        // Batch norm's learned γ and β; its running statistics are buffers, as PyTorch counts them.
        if (p instanceof org.imcsim.core.network.LayerParams.Norm m) return 2L * m.gamma().size();
        if (n.layer() instanceof org.imcsim.core.network.Conv2d c) {
            return (long) c.groups() * c.matrixRows() * c.matrixCols() + (c.bias() ? c.outChannels() : 0);
        }
        if (n.layer() instanceof org.imcsim.core.network.Linear l) {
            return (long) l.inFeatures() * l.outFeatures() + (l.bias() ? l.outFeatures() : 0);
        }
        if (n.layer() instanceof org.imcsim.core.network.BatchNorm b) return 2L * b.channels();
        return 0;
    }
}
