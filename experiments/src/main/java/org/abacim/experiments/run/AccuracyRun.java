package org.abacim.experiments.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.abacim.core.data.DatasetSpec;
import org.abacim.core.accuracy.AccuracyOptions;
import org.abacim.core.accuracy.MonteCarlo;
import org.abacim.core.analog.AdcRange;
import org.abacim.core.analog.Chip;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.data.DataException;
import org.abacim.core.data.Dataset;
import org.abacim.core.data.Datasets;
import org.abacim.core.exec.InputFormat;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.BatchNorm;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.result.Result;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.tech.ProgrammedLayer;
import org.abacim.core.train.TrainConfig;
import org.abacim.core.train.Trainer;
import org.abacim.core.api.NetworkSource;
import org.abacim.mapping.weights.WeightMap;
import java.util.ArrayList;
import org.abacim.core.units.Time;

/**
 * The accuracy half of a design point: finds (or trains, once, into the data cache) the model, loads the data set,
 * and runs the Monte-Carlo on the design's array numerics with the design's weight and input bits.
 */
public final class AccuracyRun {
    private AccuracyRun() {}

    /** The accuracy, the activity measured, and warnings about the data set (float images normalized twice). */
    public record Outcome(Result.Accuracy accuracy, Result.Activity activity, List<String> warnings) {}

    public static Outcome run(DesignRun point, int threads) {
        return run(point, threads, null);
    }

    /** The run with its trials scored by {@code trials} (null: on this process's threads; the same outcome). */
    public static Outcome run(DesignRun point, int threads, MonteCarlo.TrialBackend trials) {
        Prepared p = prepare(point, threads);
        AccuracyOptions a = point.accuracy();
        MonteCarlo.Outcome o;
        try {
            o = MonteCarlo.run(p.setup(), trials);
        } catch (IllegalArgumentException | NetworkException e) {
            // The technology's own words, not the wrapper's (a task on another thread re-threw it with its class name).
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            throw new ConfigException(point.config().locate("accuracy"), "accuracy", null,
                    root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
        }
        Dataset scored = p.setup().test();
        int inputBits = point.design().geometry().inputBits();
        String format = p.format().describe(inputBits);
        int ownScales = p.format().fixedPoint() ? 0 : QuantizedEngine.modelScaledInputs(p.setup().network(), inputBits);
        if (ownScales > 0) format += "; the model's own scales on the inputs of " + ownScales + (ownScales == 1 ? " layer" : " layers");
        Result.Accuracy accuracy = new Result.Accuracy(a.dataset().label(), a.model(), a.samples(),
                Arrays.stream(scored.classCounts()).boxed().toList(), format, a.seed(), o.reference(),
                o.quantized(), o.mean(), o.std(), o.min(), o.max(), Arrays.stream(o.trials()).boxed().toList(),
                atTimes(o, p.setup().timesS(), a.samples()), p.setup().statistical() ? "statistical" : null);
        Result.Activity activity = p.setup().measureActivity() ? new Result.Activity("measured", o.activity())
                : Result.Activity.assumed();
        return new Outcome(accuracy, activity, Datasets.warnings(a.dataset(), point.baseDir()));
    }

    /** The chips' accuracy at each of the setup's times after programming. */
    private static List<Result.AtTime> atTimes(MonteCarlo.Outcome o, double[] times, int samples) {
        List<Result.AtTime> out = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            MonteCarlo.Outcome at = o.at(i);
            out.add(new Result.AtTime(timeLabel(times[i]), times[i], samples, at.mean(), at.std(), at.min(), at.max(),
                    Arrays.stream(at.trials()).boxed().toList()));
        }
        return out;
    }

    /** A time after programming in the largest unit it reaches: 1 s, 1 h, 1 day, 1 month, 1 year, 250 ms. */
    static String timeLabel(double seconds) {
        String[] units = {"year", "month", "day", "h", "min", "s"};
        double[] sizes = {31_557_600, 2_629_800, 86_400, 3600, 60, 1};
        for (int i = 0; i < units.length; i++) {
            if (seconds >= sizes[i]) {
                String v = String.format(Locale.ROOT, "%.4g", seconds / sizes[i]);
                if (v.contains(".")) v = v.replaceAll("0+$", "").replaceAll("\\.$", "");
                boolean plural = !v.equals("1") && i < 3;
                return v + " " + units[i] + (plural ? "s" : "");
            }
        }
        return Time.of(seconds).toString();
    }

    /** What a Monte-Carlo run of a design point needs, ready: its setup and the activations' number format. */
    public record Prepared(MonteCarlo.Setup setup, InputFormat format) {}

    /**
     * The model (trained once into the model cache when the config asks for it), the scored sample, calibration
     * images and the quantization scheme of a design point — the same in every process that prepares it.
     */
    public static Prepared prepare(DesignRun point, int threads) {
        AccuracyOptions a = point.accuracy();
        ConfigDocument doc = point.config();
        Design design = point.design();
        MvmNumerics numerics = design.numerics().orElseThrow(() -> new ConfigException(doc.locate("accuracy"),
                "accuracy", null, "technology " + design.info().technology() + " has no numerics model to run accuracy on"));
        checkTimes(a, doc, design, numerics);
        // Refused before any data is read or model trained.
        if (a.mode() == AccuracyOptions.Mode.STATISTICAL) {
            checkStatistical(point, numerics, a.activity() == AccuracyOptions.ActivitySource.MEASURED);
        }
        Dataset[] data;
        try {
            data = Datasets.load(a.dataset(), point.baseDir());
        } catch (DataException e) {
            throw new ConfigException(doc.locate("accuracy.dataset"), "accuracy.dataset", a.dataset().label(), e.getMessage());
        }
        if (!data[1].shape().equals(point.network().inputShape())) {
            throw new ConfigException(doc.locate("accuracy.dataset"), "accuracy.dataset", a.dataset().label(),
                    "its images are " + data[1].shape() + ", but " + point.network().name() + " takes "
                            + point.network().inputShape());
        }
        try {
            // A label the model cannot answer would score as a silent miss (or break training): refused.
            if (data[0] != null) Datasets.checkLabels(a.dataset(), data[0], "train", point.network());
            Datasets.checkLabels(a.dataset(), data[1], "test", point.network());
        } catch (DataException e) {
            throw new ConfigException(doc.locate("accuracy.dataset"), "accuracy.dataset", a.dataset().label(), e.getMessage());
        }
        if (a.samples() > data[1].size()) {
            throw new ConfigException(doc.locate("accuracy.samples"), "accuracy.samples", String.valueOf(a.samples()),
                    "the " + a.dataset().label() + " test split has " + data[1].size() + " images");
        }
        Network model = model(point, data, threads);
        ArrayGeometry g = design.geometry();
        QuantizedEngine.Scheme scheme;
        InputFormat format = DesignRun.inputFormat(doc);
        if (format.fixedPoint() && format.fractionBits() > g.inputBits()) {
            throw new ConfigException(doc.locate("inputFormat.fractionBits"), "inputFormat.fractionBits",
                    String.valueOf(format.fractionBits()), "a fixed-point input of " + g.inputBits()
                            + " bits (the design's input word) has 0 to " + g.inputBits() + " fraction bits");
        }
        try {
            scheme = new QuantizedEngine.Scheme(g.weightBits(), g.inputBits(), true, format);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(doc.locate("weightBits"), "weightBits", String.valueOf(g.weightBits()),
                    "accuracy runs need 2- to 16-bit weights and inputs (" + e.getMessage() + ")");
        }
        // Seeded, class-stratified draws: the splits may be sorted by class (the MNIST package is).
        Dataset scored = data[1].sample(a.samples(), a.seed(), Dataset.Purpose.SCORING);
        // Activation ranges come from training images; a data set of test images only lends its own (another draw).
        Dataset calibrationSource = data[0] != null ? data[0] : data[1];
        float[][] calibration = calibrationSource.sample(a.calibration(), a.seed(), Dataset.Purpose.CALIBRATION).images();
        boolean calibrateAdc = doc.at("adc.range") != null && AdcRange.CALIBRATED.key().equals(doc.at("adc.range").asText());
        boolean measure = a.activity() == AccuracyOptions.ActivitySource.MEASURED;
        double[] times = a.times().stream().mapToDouble(Time::seconds).toArray();
        boolean statistical = a.mode() == AccuracyOptions.Mode.STATISTICAL;
        return new Prepared(new MonteCarlo.Setup(model, numerics, scheme, scored, calibration, a.trials(), a.seed(),
                calibrateAdc, measure, threads, times, statistical), format);
    }

    /**
     * Times after programming need a technology whose arrays age, and none may come before its drift reference t0
     * (when the programmed values were verified).
     */
    static void checkTimes(AccuracyOptions a, ConfigDocument doc, Design design, MvmNumerics numerics) {
        if (a.times().isEmpty()) return;
        var reference = numerics.driftReference();
        if (reference.isEmpty()) {
            throw new ConfigException(doc.locate("accuracy.times"), "accuracy.times", a.times().toString(),
                    "technology " + design.info().technology() + " models no drift after programming; leave out times");
        }
        for (int i = 0; i < a.times().size(); i++) {
            var t = a.times().get(i);
            if (t.seconds() < reference.get().seconds()) {
                String path = "accuracy.times[" + i + "]";
                throw new ConfigException(doc.locate(path), path, t.toString(),
                        "must not be earlier than the drift reference time device.drift.reference = "
                                + reference.get());
            }
            String refused = numerics.refusesTime(t);
            if (refused != null) {
                String path = "accuracy.times[" + i + "]";
                throw new ConfigException(doc.locate(path), path, t.toString(), refused);
            }
        }
    }

    /**
     * The statistical mode models a chip's converter and read errors around its folded weights: refused where there
     * are none to model (the chip is already one product per layer) or the technology cannot fold its weights, and
     * with measured activity (which needs every conversion simulated).
     */
    private static void checkStatistical(DesignRun point, MvmNumerics numerics, boolean measure) {
        ConfigDocument doc = point.config();
        if (measure) {
            throw new ConfigException(doc.locate("accuracy.mode"), "accuracy.mode", "statistical",
                    "activity: measured needs every conversion simulated; use mode: bitserial to measure activity");
        }
        // One small layer on a varied chip shows how the technology programs this design.
        int rows = Math.max(1, point.design().geometry().rows());
        ProgrammedLayer probe = numerics.program(new int[rows], rows, 1, false, new Chip(1, false, Double.NaN, false));
        if (probe.linear()) {
            throw new ConfigException(doc.locate("accuracy.mode"), "accuracy.mode", "statistical",
                    "this design's chips already compute one product per layer (no converter or read errors to model: "
                            + "a lossless or ideal ADC without read noise); use mode: bitserial");
        }
        if (probe.foldedWeights() == null) {
            throw new ConfigException(doc.locate("accuracy.mode"), "accuracy.mode", "statistical",
                    "technology " + point.design().info().technology() + " has no statistical model (its arrays cannot "
                            + "fold their weights); use mode: bitserial");
        }
    }

    /** The trained model: a file named in the config, or the config's built-in network trained on the data set. */
    static Network model(DesignRun point, Dataset[] data, int threads) {
        AccuracyOptions a = point.accuracy();
        ConfigDocument doc = point.config();
        Network shapes = point.network();
        if (!a.model().equals("train")) {
            Path file = point.baseDir() == null ? Path.of(a.model()) : point.baseDir().resolve(a.model());
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(doc.locate("accuracy.model"), "accuracy.model", a.model(),
                        "no such model file (" + file + "); give a weight map, an ONNX model, or 'train'");
            }
            Network model;
            try {
                model = NetworkSource.model(file);
            } catch (NetworkException | DataException e) {
                throw new ConfigException(doc.locate("accuracy.model"), "accuracy.model", a.model(), e.getMessage());
            }
            if (model.weights() != shapes.weights() || model.macs() != shapes.macs()) {
                throw new ConfigException(doc.locate("accuracy.model"), "accuracy.model", a.model(), "the model ("
                        + model.weights() + " weights, " + model.macs() + " MACs) is not the network the design runs ("
                        + shapes.name() + ": " + shapes.weights() + " weights, " + shapes.macs() + " MACs)");
            }
            return model;
        }
        String name = doc.at("network").asText();
        if (NetworkZoo.find(name).isEmpty()) {
            throw new ConfigException(doc.locate("accuracy.model"), "accuracy.model", "train",
                    "training needs a built-in network (this one is " + name + "); give a trained model file");
        }
        if (data[0] == null) {
            throw new ConfigException(doc.locate("accuracy.model"), "accuracy.model", "train", "the data set "
                    + a.dataset().label() + " has no training split to train on; give one (train:) or a trained model file");
        }
        return trained(name, shapes, a, data, threads);
    }

    /** Trains once per (network, data set content, epochs, seed) into the model cache; training is deterministic. */
    private static Network trained(String name, Network shapes, AccuracyOptions a, Dataset[] data, int threads) {
        return trained(name, shapes, a.dataset(), a.training(), data, threads);
    }

    /** A built-in network trained on {@code dataset} (Adam, 1e-3, batch 64), from the cache or trained now. */
    public static Network trained(String name, Network shapes, DatasetSpec dataset, AccuracyOptions.Training training,
                                  Dataset[] data, int threads) {
        return NetworkSource.model(trainedFile(name, shapes, dataset, training, data, threads));
    }

    /** The weight-map manifest of {@link #trained}: in the cache, trained now when it is not there yet. */
    public static Path trainedFile(String name, Network shapes, DatasetSpec dataset, AccuracyOptions.Training training,
                                   Dataset[] data, int threads) {
        AccuracyOptions a = new AccuracyOptions(dataset, 1, 1, 1, "train", training, 1,
                AccuracyOptions.ActivitySource.DEFAULT);
        TrainConfig cfg = TrainConfig.adam(a.training().epochs(), a.training().seed(), threads);
        // Keyed by what decides the weights: the network's structure, the training split's content (the whole split
        // trains), the optimizer and its settings, and the model-format version.
        String key = new ModelCache.Key().text("trained").text(name).network(shapes)
                .text(a.dataset().label()).data(data[0]).training(cfg)
                // Batch norm has been trained with chunk statistics since it stopped being a fixed affine in training.
                .text(shapes.nodes().stream().anyMatch(n -> n.layer() instanceof BatchNorm)
                        ? "batch-norm-trained" : "").hex();
        Path npz = ModelCache.directory().resolve(name + "-" + a.dataset().fileLabel() + "-" + key + ".npz");
        Path manifest = Path.of(npz.toString().replaceFirst("\\.npz$", ".json"));
        synchronized (ModelCache.LOCKS.computeIfAbsent(npz.toString(), k -> new Object())) {
            if (Files.isRegularFile(manifest)) return manifest;
            System.err.printf(Locale.ROOT, "training %s on %s (%d epochs, seed %d) %s%n", name, a.dataset().label(),
                    a.training().epochs(), a.training().seed(), ModelCache.enabled()
                            ? "once; cached in " + npz.getParent() : "afresh (--no-cache)");
            Network trained = Trainer.train(Trainer.initialize(shapes, a.training().seed()), data[0], null, cfg, e -> {});
            ObjectNode provenance = JsonNodeFactory.instance.objectNode();
            provenance.put("trainedBy", "abacim accuracy run");
            provenance.put("dataset", a.dataset().label());
            provenance.put("epochs", a.training().epochs());
            provenance.put("seed", a.training().seed());
            cache(npz, tmp -> WeightMap.write(trained, name, tmp, provenance));
            return manifest;
        }
    }

    /**
     * Writes a weight map into the cache at {@code npz} (manifest beside it) through {@code writer}. A weight map is
     * written weights first, then its manifest — each whole (temporary file and rename) — and the cache looks only
     * for manifests, so a run killed at any moment leaves either a complete model or none.
     */
    public static Path cache(Path npz, Function<Path, Path> writer) {
        try {
            Files.createDirectories(npz.getParent());
        } catch (IOException e) {
            throw new DataException("cannot cache the model in " + npz.getParent() + ": " + e.getMessage());
        }
        return writer.apply(npz);
    }
}
