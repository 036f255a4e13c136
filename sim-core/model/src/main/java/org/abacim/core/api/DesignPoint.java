package org.abacim.core.api;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.cost.AttentionOptions;
import org.abacim.core.cost.CostModel;
import org.abacim.core.cost.SimulationOptions;
import org.abacim.core.network.Network;
import org.abacim.core.placement.Placement;
import org.abacim.core.placer.DensePlacer;
import org.abacim.core.result.Result;
import org.abacim.core.tech.Design;

/**
 * One resolved design point: the merged config, the design built from it, the network and how to run it.
 * {@code baseDir} resolves files the config names (null: the working directory). The entry point of the Java API
 * (docs/api.md):
 *
 * <pre>{@code
 * Result result = DesignPoint.load(null, "isaac", "vgg16", List.of("adc.bits=6")).evaluate();
 * }</pre>
 */
public record DesignPoint(ConfigDocument config, Design design, Network network, SimulationOptions options,
                          Path baseDir) {

    /**
     * A design point as {@code abacim run} assembles one: a config file (or null), a preset (null: the config's
     * {@code preset:}), a network (null: the config's {@code network:}) and {@code path=value} overrides, laid over
     * one another in that order. Bad input throws {@link ConfigException} naming file, line, path and value.
     */
    public static DesignPoint load(Path configFile, String preset, String network, List<String> overrides) {
        return DesignPointLoader.load(configFile, preset, network, overrides);
    }

    /** The same design running another network, with files resolved from {@code baseDir}. */
    public DesignPoint with(Network otherNetwork, Path otherBaseDir) {
        return new DesignPoint(config, design, otherNetwork, options, otherBaseDir);
    }

    /** The network's weights placed onto the design's arrays. */
    public Placement placement() {
        return relocated(() -> DensePlacer.place(network, design, options));
    }

    /** The {@code attention:} section (defaults for what it leaves out): where products of activations run. */
    public AttentionOptions attention() {
        return AttentionOptions.of(config);
    }

    /** The cost model's answer: throughput, latency, area, power, energy, with every component's share. */
    public Result evaluate() {
        return relocated(() -> CostModel.evaluate(network, design, placement(), options, attention(),
                Result.Activity.assumed()));
    }

    /** Runs {@code work}, pointing a refused value at where the config wrote it (engines know only its path). */
    public <T> T relocated(Supplier<T> work) {
        try {
            return work.get();
        } catch (ConfigException e) {
            if (e.location() != null || e.path() == null) throw e;
            throw new ConfigException(config.locate(e.path()), e.path(), e.value(), e.problem());
        }
    }
}
