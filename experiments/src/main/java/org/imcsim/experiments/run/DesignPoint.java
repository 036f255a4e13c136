package org.imcsim.experiments.run;

import java.nio.file.Path;
import org.imcsim.core.accuracy.AccuracyOptions;
import org.imcsim.core.accuracy.MonteCarlo;
import org.imcsim.core.config.ConfigDocument;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.cost.CostEngine;
import org.imcsim.core.cost.SimulationOptions;
import org.imcsim.core.network.Network;
import org.imcsim.core.placement.Placement;
import org.imcsim.core.result.Result;
import org.imcsim.core.tech.Design;
import org.imcsim.mapping.place.DensePlacer;

/**
 * One resolved design point: the merged config, the design built from it, the network and how to run it, and the
 * accuracy run when the config has an {@code accuracy:} section (null otherwise). {@code baseDir} resolves files
 * the config names (null: the working directory).
 */
public record DesignPoint(ConfigDocument config, Design design, Network network, SimulationOptions options,
                          AccuracyOptions accuracy, Path baseDir) {
    /** Maps the network onto the design and evaluates the cost model, and the accuracy when asked, on all cores. */
    public Result evaluate() {
        return evaluate(Runtime.getRuntime().availableProcessors());
    }

    /** The same on {@code threads} threads (the result does not depend on them). */
    public Result evaluate(int threads) {
        return evaluate(threads, null);
    }

    /** The same with the Monte-Carlo trials scored by {@code trials} (null: this process; same result). */
    public Result evaluate(int threads, MonteCarlo.TrialEngine trials) {
        try {
            Placement placement = DensePlacer.place(network, design, options);
            if (accuracy == null) return CostEngine.evaluate(network, design, placement, options);
            AccuracyRun.Outcome outcome = AccuracyRun.run(this, threads, trials);
            return CostEngine.evaluate(network, design, placement, options, outcome.activity())
                    .withAccuracy(outcome.accuracy()).withWarnings(outcome.warnings());
        } catch (ConfigException e) {
            // Engines know the config path of a value they refuse, not the file: point at where it was written.
            if (e.location() != null || e.path() == null) throw e;
            throw new ConfigException(config.locate(e.path()), e.path(), e.value(), e.problem());
        }
    }
}
