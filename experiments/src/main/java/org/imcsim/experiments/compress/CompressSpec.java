package org.imcsim.experiments.compress;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.imcsim.core.config.ConfigDocument;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.config.ConfigReader;
import org.imcsim.core.network.Network;
import org.imcsim.core.train.TrainConfig;
import org.imcsim.experiments.config.TypedReader;
import org.imcsim.mapping.compress.Admm;
import org.imcsim.mapping.compress.Projection;

/**
 * A compression config ({@code imcsim compress CONFIG}): the network and data set, the starting model, the design
 * whose arrays the steps are judged on, training settings, and the steps.
 *
 * <pre>
 * network: lenet5
 * dataset: mnist
 * model: train                       # or a weight map / ONNX model (relative to this file)
 * training: { epochs: 10, seed: 1 }  # when model is 'train'
 * design: { preset: isaac, set: ["array.rows=32", "array.cols=32"] }
 * optimizer: { learningRate: 0.001, batchSize: 64, seed: 1, activationBits: 3,   # optional: QAT
 *              noise: { lsb: 0.6, rows: 64 },    # optional: output noise of one conversion per 64 rows
 *              distill: { weight: 0.7, temperature: 4 } }  # optional: learn the uncompressed model's outputs
 * steps:
 *   - name: crossbar-block pruning
 *     projections: [ { kind: crossbar-block, rows: 32, cols: 16, keep: 0.1 } ]
 *     layers: [conv2, fc1]            # optional; default every weighted layer
 *     rho: 0.001
 *     admmEpochs: 4
 *     retrainEpochs: 3
 *     retrainLearningRate: 0.0003     # optional; default the optimizer's
 * out: compressed.npz                # relative to this file
 * </pre>
 * What a config leaves out comes from {@link #defaults()}.
 */
public record CompressSpec(ConfigDocument doc, Path directory, String network, String dataset, String model,
                           int trainEpochs, long trainSeed, String preset, List<String> designSets,
                           double learningRate, int batchSize, long seed, int activationBits, double noiseLsb,
                           int noiseRows, double distillWeight, double distillTemperature, List<Admm.Step> steps,
                           Path out) {

    /**
     * The training every step runs with ({@code epochs} is set per phase by the step): Adam at the configured rate,
     * batch and seed, quantization-aware and noise-aware as configured, and distilling {@code teacher} (the model
     * before compression) when {@code optimizer.distill} is given.
     */
    public TrainConfig trainConfig(int threads, Network teacher) {
        TrainConfig.Distillation distillation = distillWeight > 0
                ? new TrainConfig.Distillation(teacher, distillWeight, distillTemperature) : null;
        return new TrainConfig(1, batchSize, TrainConfig.Optimizer.ADAM, learningRate, 0.9, 0, seed, threads,
                activationBits, noiseLsb, noiseRows, distillation);
    }

    /**
     * What a compress config may leave out, as data (DESIGN.md: defaults live in documents, not code), overlaid under
     * the file; an error about a value taken from here names "compress defaults". {@code stepDefaults} fills the keys
     * a step leaves out, and a config may set it too.
     */
    public static ConfigDocument defaults() {
        return ConfigReader.read("compress defaults", """
                model: train
                training: { epochs: 10, seed: 1 }
                optimizer:
                  learningRate: 0.001
                  batchSize: 64
                  seed: 1
                  activationBits: 0                      # 0: float training; 2 to 16: quantization-aware
                  noise: { lsb: 0, rows: 1 }             # lsb 0: no output noise while training
                  distill: { weight: 0, temperature: 4 } # weight 0: no distillation
                stepDefaults: { rho: 0.001, admmEpochs: 3, retrainEpochs: 3 }
                """);
    }

    public static CompressSpec read(Path file) {
        ConfigDocument doc = defaults().overlay(ConfigReader.read(file));
        Path dir = file.toAbsolutePath().getParent();
        TypedReader r = new TypedReader(doc);
        r.onlyKeys("", Set.of("network", "dataset", "model", "training", "design", "optimizer", "stepDefaults", "steps",
                "out", "name", "description"));
        String network = r.text("network");
        String dataset = r.text("dataset");
        String model = r.text("model");
        r.onlyKeys("training", Set.of("epochs", "seed"));
        int epochs = r.integer("training.epochs", 1, 10_000);
        long tSeed = r.integer("training.seed", 0, Integer.MAX_VALUE);
        r.onlyKeys("design", Set.of("preset", "set"));
        String preset = r.text("design.preset");
        List<String> sets = new ArrayList<>();
        if (doc.at("design.set") != null) {
            JsonNode list = r.list("design.set");
            for (int i = 0; i < list.size(); i++) sets.add(r.text("design.set[" + i + "]"));
        }
        r.onlyKeys("optimizer", Set.of("learningRate", "batchSize", "seed", "activationBits", "noise", "distill"));
        double lr = r.number("optimizer.learningRate", 1e-7, 1);
        int batch = r.integer("optimizer.batchSize", 1, 100_000);
        long seed = r.integer("optimizer.seed", 0, Integer.MAX_VALUE);
        // Quantization-aware: ADMM and retraining see every layer's input at these bits (0: float).
        int activationBits = r.integer("optimizer.activationBits", 0, 16);
        if (activationBits == 1) {
            throw new ConfigException(doc.locate("optimizer.activationBits"), "optimizer.activationBits", "1",
                    "expected 0 (float training) or 2 to 16 bits");
        }
        // Noise-aware: each layer's output perturbed by its conversions' analog error (needs activationBits).
        r.onlyKeys("optimizer.noise", Set.of("lsb", "rows"));
        double noiseLsb = r.number("optimizer.noise.lsb", 0, 64);
        int noiseRows = r.integer("optimizer.noise.rows", 1, 65_536);
        if (noiseLsb > 0 && activationBits == 0) {
            // Located at the value the file set (the noise object itself also exists in the defaults).
            throw new ConfigException(doc.locate("optimizer.noise.lsb"), "optimizer.noise.lsb", String.valueOf(noiseLsb),
                    "noise-aware training needs optimizer.activationBits");
        }
        // Distillation: the loss also pulls the outputs towards the uncompressed model's soft outputs.
        r.onlyKeys("optimizer.distill", Set.of("weight", "temperature"));
        double distillWeight = r.number("optimizer.distill.weight", 0, 1);
        double distillTemperature = r.number("optimizer.distill.temperature", 1e-3, 1_000);
        r.onlyKeys("stepDefaults", Set.of("rho", "admmEpochs", "retrainEpochs"));
        JsonNode stepList = r.list("steps");
        List<Admm.Step> steps = new ArrayList<>();
        for (int i = 0; i < stepList.size(); i++) steps.add(step(r, "steps[" + i + "]"));
        if (steps.isEmpty()) throw new ConfigException(doc.locate("steps"), "steps", "[]", "give at least one step");
        Path out = dir.resolve(r.text("out")).normalize();
        if (!out.toString().endsWith(".npz")) {
            throw new ConfigException(doc.locate("out"), "out", r.text("out"), "expected a .npz path (the manifest goes beside it)");
        }
        return new CompressSpec(doc, dir, network, dataset, model, epochs, tSeed, preset, sets, lr, batch, seed,
                activationBits, noiseLsb, noiseRows, distillWeight, distillTemperature, steps, out);
    }

    private static Admm.Step step(TypedReader r, String at) {
        r.onlyKeys(at, Set.of("name", "projections", "layers", "rho", "admmEpochs", "retrainEpochs",
                "retrainLearningRate"));
        String name = r.text(at + ".name");
        JsonNode list = r.list(at + ".projections");
        List<Projection> projections = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) projections.add(projection(r, at + ".projections[" + i + "]"));
        Set<String> layers = new LinkedHashSet<>();
        if (r.doc().at(at + ".layers") != null) {
            JsonNode l = r.list(at + ".layers");
            for (int i = 0; i < l.size(); i++) layers.add(r.text(at + ".layers[" + i + "]"));
        }
        double rho = r.number(orDefault(r, at, "rho"), 0, 100);
        int admm = r.integer(orDefault(r, at, "admmEpochs"), 0, 1000);
        int retrain = r.integer(orDefault(r, at, "retrainEpochs"), 0, 1000);
        double retrainLr = r.doc().at(at + ".retrainLearningRate") == null ? Double.NaN
                : r.number(at + ".retrainLearningRate", 1e-7, 1);
        return new Admm.Step(name, projections, layers, rho, admm, retrain, retrainLr);
    }

    /** The step's own {@code key}, or stepDefaults' when the step leaves it out. */
    private static String orDefault(TypedReader r, String at, String key) {
        return r.has(at + "." + key) ? at + "." + key : "stepDefaults." + key;
    }

    /** One projection ({@code kind} and its parameters) at {@code at}. */
    public static Projection projection(TypedReader r, String at) {
        String kind = r.text(at + ".kind");
        return switch (kind) {
            case "irregular" -> {
                r.onlyKeys(at, Set.of("kind", "keep"));
                yield new Projection.Irregular(r.number(at + ".keep", 1e-6, 1));
            }
            case "filter" -> {
                r.onlyKeys(at, Set.of("kind", "keep"));
                yield new Projection.Filters(r.number(at + ".keep", 1e-6, 1));
            }
            case "column" -> {
                r.onlyKeys(at, Set.of("kind", "keep"));
                yield new Projection.Columns(r.number(at + ".keep", 1e-6, 1));
            }
            case "crossbar-block" -> {
                r.onlyKeys(at, Set.of("kind", "rows", "cols", "keep"));
                yield new Projection.CrossbarBlocks(r.integer(at + ".rows", 1, 65_536), r.integer(at + ".cols", 1, 65_536),
                        r.number(at + ".keep", 1e-6, 1));
            }
            case "compact-block" -> {
                r.onlyKeys(at, Set.of("kind", "rows", "cols", "keep"));
                yield new Projection.CompactBlocks(r.integer(at + ".rows", 1, 65_536), r.integer(at + ".cols", 1, 65_536),
                        r.number(at + ".keep", 1e-6, 1));
            }
            case "darb" -> {
                r.onlyKeys(at, Set.of("kind", "keep"));
                yield new Projection.DensityAdaptiveBlocks(r.number(at + ".keep", 1e-6, 1));
            }
            case "quantize" -> {
                r.onlyKeys(at, Set.of("kind", "bits"));
                yield new Projection.Quantize(r.integer(at + ".bits", 2, 16));
            }
            case "polarize" -> {
                r.onlyKeys(at, Set.of("kind", "fragment"));
                yield new Projection.Polarize(r.integer(at + ".fragment", 1, 65_536));
            }
            case "block-sign" -> {
                r.onlyKeys(at, Set.of("kind", "rows", "cols"));
                yield new Projection.BlockSign(r.integer(at + ".rows", 1, 65_536), r.integer(at + ".cols", 1, 65_536));
            }
            case "pattern" -> {
                r.onlyKeys(at, Set.of("kind", "entries", "library", "keepKernels"));
                yield new Projection.Pattern(r.integer(at + ".entries", 1, 63), r.integer(at + ".library", 1, 1024),
                        r.number(at + ".keepKernels", 1e-6, 1));
            }
            case "unify" -> {
                r.onlyKeys(at, Set.of("kind", "rows", "cols"));
                yield new Projection.Unify(r.integer(at + ".rows", 1, 65_536), r.integer(at + ".cols", 1, 65_536));
            }
            case "device-levels" -> {
                r.onlyKeys(at, Set.of("kind", "levels"));
                JsonNode l = r.list(at + ".levels");
                List<Double> levels = new ArrayList<>();
                for (int i = 0; i < l.size(); i++) {
                    double v = r.number(at + ".levels[" + i + "]", 0, 1e12);
                    if (i == 0 && v != 0 || i > 0 && v <= levels.get(i - 1)) {
                        throw new ConfigException(r.doc().locate(at + ".levels[" + i + "]"), at + ".levels[" + i + "]",
                                String.valueOf(v), "levels must start at 0 and increase");
                    }
                    levels.add(v);
                }
                if (levels.size() < 2) {
                    throw new ConfigException(r.doc().locate(at + ".levels"), at + ".levels", null, "give at least 2 levels");
                }
                yield new Projection.DeviceLevels(levels);
            }
            case "purify" -> {
                r.onlyKeys(at, Set.of("kind", "threshold"));
                yield new Projection.Purify(r.number(at + ".threshold", 0, 1));
            }
            default -> throw new ConfigException(r.doc().locate(at + ".kind"), at + ".kind", kind,
                    "expected irregular, filter, column, crossbar-block, compact-block, darb, pattern, unify, quantize, device-levels, polarize, block-sign or purify");
        };
    }
}
