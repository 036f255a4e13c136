package org.abacim.experiments.compress;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import org.abacim.core.config.Check;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.data.DatasetSpec;
import org.abacim.core.network.Network;
import org.abacim.core.train.TrainConfig;
import org.abacim.mapping.compress.Admm;
import org.abacim.mapping.compress.Projection;

/**
 * A compression config ({@code abacim compress CONFIG}): the network and data set, the starting model, the design
 * whose arrays the steps are judged on, training settings, and the steps.
 *
 * <pre>
 * network: lenet5
 * dataset: mnist                     # or your files: { kind: cifar10 | image-folder | numpy, … } (docs/config.md)
 * model: train                       # or a weight map / ONNX model (relative to this file)
 * training: { epochs: 10, seed: 1 }  # when model is 'train'
 * design: { preset: isaac, set: ["array.rows=32", "array.cols=32"] }
 * optimizer: { learningRate: 0.001, batchSize: 64, seed: 1, activationBits: 3,   # optional: QAT
 *              noise: { lsb: 0.6, rows: 64 },    # optional: output noise of one conversion per 64 rows
 *              distill: { weight: 0.7, temperature: 4 },  # optional: learn the uncompressed model's outputs
 *              trainSamples: 20000 }               # optional: ADMM and retraining on a stratified draw (0: all)
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
public record CompressSpec(ConfigDocument doc, Path directory, String network, DatasetSpec dataset, String model,
                           int trainEpochs, long trainSeed, String preset, List<String> designSets,
                           double learningRate, int batchSize, long seed, int activationBits, double noiseLsb,
                           int noiseRows, double distillWeight, double distillTemperature, int trainSamples,
                           List<Admm.Step> steps, Path out) {

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
     * What a compress config may leave out, as data (DESIGN.md, the project's founding design document, kept outside
     * this repository: defaults live in documents, not code), overlaid under the file; an error about a value taken
     * from here names "compress defaults". {@code stepDefaults} fills the keys a step leaves out, and a config may set
     * it too ({@code retrainLearningRate: 0} is the optimizer's rate, {@code layers: []} every weighted layer).
     */
    public static ConfigDocument defaults() {
        return ConfigReader.read("compress defaults", """
                name: ""
                description: ""
                model: train
                training: { epochs: 10, seed: 1 }
                design: { set: [] }
                optimizer:
                  learningRate: 0.001
                  batchSize: 64
                  seed: 1
                  activationBits: 0                      # 0: float training; 2 to 16: quantization-aware
                  noise: { lsb: 0, rows: 1 }             # lsb 0: no output noise while training
                  distill: { weight: 0, temperature: 4 } # weight 0: no distillation
                  trainSamples: 0                        # 0: every training sample; n: a seeded, class-stratified draw
                stepDefaults: { rho: 0.001, admmEpochs: 3, retrainEpochs: 3, retrainLearningRate: 0, layers: [] }
                """);
    }

    /** The file's shape, bound strictly by {@link ConfigBinder} after the defaults are laid under it. */
    record File(String name, String description, String network, DatasetSpec dataset, String model, Training training,
                DesignRef design, Optimizer optimizer, StepDefaults stepDefaults, List<StepFile> steps, String out) {
        File {
            Check.that(!steps.isEmpty(), "steps", "[]", "give at least one step");
            Check.that(out.endsWith(".npz"), "out", out, "expected a .npz path (the manifest goes beside it)");
        }
    }

    record Training(int epochs, long seed) {
        Training {
            Check.between("epochs", epochs, 1, 10_000);
            Check.that(seed >= 0 && seed <= Integer.MAX_VALUE, "seed", seed, "must be between 0 and " + Integer.MAX_VALUE);
        }
    }

    /** The design whose arrays the steps are judged on: a preset and {@code --set}-style overrides. */
    record DesignRef(String preset, List<String> set) {}

    record Optimizer(double learningRate, int batchSize, long seed, int activationBits, Noise noise, Distill distill,
                     int trainSamples) {
        Optimizer {
            Check.between("trainSamples", trainSamples, 0, 100_000_000);
            Check.between("learningRate", learningRate, 1e-7, 1);
            Check.between("batchSize", batchSize, 1, 100_000);
            Check.that(seed >= 0 && seed <= Integer.MAX_VALUE, "seed", seed, "must be between 0 and " + Integer.MAX_VALUE);
            // Quantization-aware: ADMM and retraining see every layer's input at these bits (0: float).
            Check.that(activationBits == 0 || activationBits >= 2 && activationBits <= 16, "activationBits",
                    activationBits, "expected 0 (float training) or 2 to 16 bits");
            // Noise-aware: each layer's output perturbed by its conversions' analog error, on quantized activations.
            Check.that(noise.lsb() == 0 || activationBits > 0, "noise.lsb", noise.lsb(),
                    "noise-aware training needs optimizer.activationBits");
        }
    }

    record Noise(double lsb, int rows) {
        Noise {
            Check.between("lsb", lsb, 0, 64);
            Check.between("rows", rows, 1, 65_536);
        }
    }

    /** Distillation: the loss also pulls the outputs towards the uncompressed model's soft outputs. */
    record Distill(double weight, double temperature) {
        Distill {
            Check.between("weight", weight, 0, 1);
            Check.between("temperature", temperature, 1e-3, 1_000);
        }
    }

    record StepDefaults(double rho, int admmEpochs, int retrainEpochs, double retrainLearningRate, List<String> layers) {
        StepDefaults {
            checkStep(rho, admmEpochs, retrainEpochs, retrainLearningRate);
        }
    }

    record StepFile(String name, List<Projection> projections, List<String> layers, double rho, int admmEpochs,
                    int retrainEpochs, double retrainLearningRate) {
        StepFile {
            checkStep(rho, admmEpochs, retrainEpochs, retrainLearningRate);
            Check.that(!projections.isEmpty(), "projections", "[]", "give at least one projection");
        }

        Admm.Step toStep() {
            return new Admm.Step(name, projections, new LinkedHashSet<>(layers), rho, admmEpochs, retrainEpochs,
                    retrainLearningRate == 0 ? Double.NaN : retrainLearningRate);
        }
    }

    private static void checkStep(double rho, int admmEpochs, int retrainEpochs, double retrainLearningRate) {
        Check.between("rho", rho, 0, 100);
        Check.between("admmEpochs", admmEpochs, 0, 1000);
        Check.between("retrainEpochs", retrainEpochs, 0, 1000);
        Check.that(retrainLearningRate == 0 || retrainLearningRate >= 1e-7 && retrainLearningRate <= 1,
                "retrainLearningRate", retrainLearningRate, "expected 0 (the optimizer's rate) or 1e-7 to 1");
    }

    public static CompressSpec read(Path file) {
        return bind(ConfigReader.read(file), ConfigReader.folderOf(file));
    }

    /**
     * A config given as text (the teaching page's), named {@code sourceName} in errors; its relative paths resolve
     * against {@code dir}.
     */
    public static CompressSpec read(String sourceName, String text, Path dir) {
        return bind(ConfigReader.read(sourceName, text), dir);
    }

    private static CompressSpec bind(ConfigDocument file, Path dir) {
        ConfigDocument doc = DatasetSpec.withDefaults(withStepDefaults(defaults().overlay(file)), "dataset");
        File f = ConfigBinder.bind(doc, File.class);
        List<Admm.Step> steps = f.steps().stream().map(StepFile::toStep).toList();
        Optimizer o = f.optimizer();
        return new CompressSpec(doc, dir, f.network(), f.dataset(), f.model(), f.training().epochs(), f.training().seed(),
                f.design().preset(), f.design().set(), o.learningRate(), o.batchSize(), o.seed(), o.activationBits(),
                o.noise().lsb(), o.noise().rows(), o.distill().weight(), o.distill().temperature(), o.trainSamples(), steps,
                dir.resolve(f.out()).normalize());
    }

    /** Every step gets the {@code stepDefaults} keys it leaves out, located where the default was written. */
    private static ConfigDocument withStepDefaults(ConfigDocument doc) {
        return doc.withElementDefaults("steps", doc.at("stepDefaults"), key -> doc.locate("stepDefaults." + key));
    }

    /** One projection ({@code kind} and its parameters) at {@code at} of {@code doc}. */
    public static Projection projection(ConfigDocument doc, String at) {
        return ConfigBinder.bind(doc, at, doc.at(at), Projection.class);
    }
}
