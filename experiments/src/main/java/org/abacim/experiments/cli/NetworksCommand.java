package org.abacim.experiments.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkZoo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "networks", mixinStandardHelpOptions = true,
        description = {"List the built-in networks with their size and source.",
                "Any NeuroSim NetWork_*.csv file can also be given to --network."})
final class NetworksCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (String name : NetworkZoo.names()) {
            Network n = NetworkZoo.find(name).orElseThrow();
            out.printf(Locale.ROOT, "%-16s %-52s %8.4g GMAC%n%-16s source: %s%n", name, n.description(), n.macs() / 1e9,
                    "", n.source());
        }
        out.flush();
        return 0;
    }
}
