package org.abacim.core.accuracy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.abacim.core.config.Check;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.Key;
import org.abacim.core.config.KeyCatalog;
import org.abacim.core.config.Keyed;
import java.util.List;
import org.abacim.core.data.DatasetSpec;
import org.abacim.core.units.Time;

/**
 * The {@code accuracy:} section of a design point: Monte-Carlo accuracy on real data in the same run as the cost.
 *
 * @param dataset data set whose test split is scored: a name (mnist, fashion-mnist) or the user's files
 *     ({@link org.abacim.core.data.DatasetSpec})
 * @param samples test images scored per trial (a seeded, class-stratified draw of the test split)
 * @param trials simulated chips, each with its own device draws
 * @param seed seed of every draw
 * @param model a trained model (weight map manifest or .npz, or ONNX), relative to the config file; or
 *     {@code train} to train the config's network on the data set's training split (cached by its settings)
 * @param training epochs and seed when {@code model} is {@code train}
 * @param calibration training images that set activation ranges (and calibrated ADC ranges)
 * @param activity {@code measured}: the cost model prices array activity as measured on these images (trial 0);
 *     {@code default}: as the technology's tables assume
 */
public record AccuracyOptions(
        @Key(doc = "the data set whose test split is scored: mnist, fashion-mnist, or your files (a mapping with a kind)",
                type = "a name, or a mapping with a kind")
        DatasetSpec dataset,
        @Key(doc = "test images scored per trial (a seeded, class-stratified draw of the test split)",
                defaultValue = "1000")
        int samples,
        @Key(doc = "simulated chips, each with its own device draws", defaultValue = "10") int trials,
        @Key(doc = "seed of every draw (each keyed by seed, trial, layer, array and image)", defaultValue = "1")
        long seed,
        @Key(doc = "a trained model (weight map manifest or .npz, or ONNX) relative to the config, or train: train "
                + "the config's network on the data set's training split (cached by its settings)",
                defaultValue = "train")
        String model,
        @Key(doc = "epochs and seed when model is train") Training training,
        @Key(doc = "training images that set activation ranges (and calibrated ADC ranges)", defaultValue = "256")
        int calibration,
        @Key(doc = "measured: the cost engine prices array activity as measured on these images (trial 0); default: "
                + "as the technology's tables assume", defaultValue = "default")
        ActivitySource activity,
        @Key(doc = "times after programming at which every chip is scored again (its devices drawn once, drifted to "
                + "each time), like [1 s, 1 h, 1 day, 1 month, 1 year]; empty for none", defaultValue = "[]",
                type = "a list of times")
        List<Time> times,
        @Key(doc = "bitserial: every conversion of every chip simulated; statistical: each layer's converter and read "
                + "errors replaced by an error model fitted per output channel on 8 calibration images of each chip "
                + "(docs/accuracy.md#statistical-mode)", defaultValue = "bitserial")
        Mode mode) {
    public AccuracyOptions {
        Check.present("dataset", dataset);
        Check.between("samples", samples, 1, 1_000_000);
        Check.between("trials", trials, 1, 100_000);
        Check.present("model", model);
        Check.present("training", training);
        Check.between("calibration", calibration, 1, 1_000_000);
        Check.present("activity", activity);
        Check.present("times", times);
        for (int i = 0; i < times.size(); i++) {
            Check.present("times[" + i + "]", times.get(i));
            Check.positive("times[" + i + "]", times.get(i).seconds());
        }
        times = List.copyOf(times);
        Check.present("mode", mode);
    }

    /** The options of earlier versions: the bit-serial mode, at one time. */
    public AccuracyOptions(DatasetSpec dataset, int samples, int trials, long seed, String model, Training training,
                           int calibration, ActivitySource activity) {
        this(dataset, samples, trials, seed, model, training, calibration, activity, List.of(), Mode.BITSERIAL);
    }

    /** The same options with {@code times} (none: the accuracy block as before times existed). */
    public AccuracyOptions withTimes(List<Time> t) {
        return new AccuracyOptions(dataset, samples, trials, seed, model, training, calibration, activity, t, mode);
    }

    /** How a chip's layers compute: every conversion, or folded weights plus a fitted error model. */
    public enum Mode implements Keyed {
        BITSERIAL("bitserial"), STATISTICAL("statistical");

        private final String key;

        Mode(String key) { this.key = key; }

        @JsonValue
        public String key() { return key; }

        @JsonCreator
        public static Mode parse(String text) {
            return Keyed.parse(Mode.class, text);
        }
    }

    public record Training(
            @Key(doc = "training epochs", defaultValue = "10") int epochs,
            @Key(doc = "seed of the training run", defaultValue = "1") long seed) {
        public Training {
            Check.between("epochs", epochs, 1, 10_000);
        }
    }

    public enum ActivitySource implements Keyed {
        DEFAULT("default"), MEASURED("measured");

        private final String key;

        ActivitySource(String key) { this.key = key; }

        @JsonValue
        public String key() { return key; }

        @JsonCreator
        public static ActivitySource parse(String text) {
            return Keyed.parse(ActivitySource.class, text);
        }
    }

    /**
     * What an {@code accuracy:} section that leaves a key out gets (a document to lay the config over): the defaults
     * declared on the components above.
     */
    public static ConfigDocument defaults() {
        return KeyCatalog.defaultsDocument("accuracy", AccuracyOptions.class);
    }
}
