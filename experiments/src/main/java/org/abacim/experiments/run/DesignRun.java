package org.abacim.experiments.run;

import java.nio.file.Path;
import java.util.List;
import org.abacim.core.accuracy.AccuracyOptions;
import org.abacim.core.accuracy.MonteCarlo;
import org.abacim.core.api.DesignPoint;
import org.abacim.core.api.DesignPointLoader;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.cost.AttentionOptions;
import org.abacim.core.cost.CostModel;
import org.abacim.core.cost.SimulationOptions;
import org.abacim.core.data.DatasetSpec;
import org.abacim.core.exec.InputFormat;
import org.abacim.core.network.Network;
import org.abacim.core.placement.Placement;
import org.abacim.core.result.Result;
import org.abacim.core.tech.Design;

/**
 * A design point as the CLI runs it: the model's {@link DesignPoint} (cost) and the accuracy run when the config
 * has an {@code accuracy:} section (null otherwise), which needs the runtime.
 */
public record DesignRun(DesignPoint point, AccuracyOptions accuracy) {

    /** As {@link DesignPoint#load}, with the {@code accuracy:} and {@code inputFormat:} sections bound. */
    public static DesignRun load(Path configFile, String preset, String network, List<String> sets) {
        return of(DesignPointLoader.load(configFile, preset, network, sets));
    }

    /** Binds a merged config; {@code baseDir} resolves a relative network file path and the files the config names. */
    public static DesignRun resolve(ConfigDocument doc, Path baseDir) {
        return of(DesignPointLoader.resolve(doc, baseDir));
    }

    /** As {@link #resolve(ConfigDocument, Path)}; {@code configDir} resolves the other files the config names. */
    public static DesignRun resolve(ConfigDocument doc, Path baseDir, Path configDir) {
        return of(DesignPointLoader.resolve(doc, baseDir, configDir));
    }

    /** The run of a design point: its run sections bound and checked now, so errors come before any work. */
    public static DesignRun of(DesignPoint point) {
        ConfigDocument filled = withDefaults(point.config());
        ConfigBinder.bind(filled, "inputFormat", filled.root().get("inputFormat"), InputFormat.class);
        AccuracyOptions accuracy = filled.root().has("accuracy")
                ? ConfigBinder.bind(filled, "accuracy", filled.root().get("accuracy"), AccuracyOptions.class) : null;
        return new DesignRun(point, accuracy);
    }

    /**
     * The merged config with the defaults binding fills in laid under it (each from its {@code @Key}): the input
     * format's always, the accuracy section's and its data set's when the section is there. {@code abacim keys}
     * shows the same.
     */
    public static ConfigDocument withDefaults(ConfigDocument doc) {
        ConfigDocument filled = AttentionOptions.defaults().overlay(InputFormat.defaults().overlay(doc));
        if (filled.root().has("accuracy")) {
            filled = DatasetSpec.withDefaults(AccuracyOptions.defaults().overlay(filled), "accuracy.dataset");
        }
        return filled;
    }

    /**
     * The {@code inputFormat:} section with its defaults (calibrated): how the activations that arrays read bit by
     * bit are represented. It acts where inputs are quantized (accuracy runs and the activity they measure).
     */
    public static InputFormat inputFormat(ConfigDocument doc) {
        ConfigDocument withDefaults = InputFormat.defaults().overlay(doc);
        return ConfigBinder.bind(withDefaults, "inputFormat", withDefaults.root().get("inputFormat"),
                InputFormat.class);
    }

    public ConfigDocument config() {
        return point.config();
    }

    public Design design() {
        return point.design();
    }

    public Network network() {
        return point.network();
    }

    public SimulationOptions options() {
        return point.options();
    }

    public Path baseDir() {
        return point.baseDir();
    }

    /** Maps the network onto the design and evaluates the cost model, and the accuracy when asked, on all cores. */
    public Result evaluate() {
        return evaluate(Runtime.getRuntime().availableProcessors());
    }

    /** The same on {@code threads} threads (the result does not depend on them). */
    public Result evaluate(int threads) {
        return evaluate(threads, null);
    }

    /** The same with the Monte-Carlo trials scored by {@code trials} (null: this process; same result). */
    public Result evaluate(int threads, MonteCarlo.TrialBackend trials) {
        if (accuracy == null) return point.evaluate();
        return point.relocated(() -> {
            Placement placement = point.placement();
            AccuracyRun.Outcome outcome = AccuracyRun.run(this, threads, trials);
            return CostModel.evaluate(network(), design(), placement, options(), point.attention(), outcome.activity())
                    .withAccuracy(outcome.accuracy()).withWarnings(outcome.warnings());
        });
    }
}
