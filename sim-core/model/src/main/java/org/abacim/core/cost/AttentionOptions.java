package org.abacim.core.cost;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import org.abacim.core.config.Check;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.Key;
import org.abacim.core.config.KeyCatalog;
import org.abacim.core.config.Keyed;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Frequency;

/**
 * The {@code attention:} section: how a design runs what is not weight-stationary (docs/design/attention-costs.md).
 * Products of two activations (attention's Q·Kᵀ and S·V) run on a digital unit beside the arrays or are written into
 * the arrays every inference; softmax, layer norm, GELU and erf always run on the digital unit, priced per
 * operation. A KV cache for autoregressive decoding is reported for {@code kvCacheTokens} tokens. Every key has a
 * default: a design that leaves the section out gets the digital unit, which is what most designs do.
 *
 * @param products where products of two activations run
 * @param digital the digital unit's lanes, clock, bits and prices per operation
 * @param kvCacheTokens tokens a decoder's KV cache holds (0: no KV-cache report)
 * @param kvCache where the KV cache is held
 */
public record AttentionOptions(
        @Key(doc = "where products of two activations (attention's Q·Kᵀ and S·V) run: digital (a digital MAC unit "
                + "beside the arrays) or arrays (the second operand written into the technology's arrays every "
                + "inference, the first streamed through it as inputs)", defaultValue = "digital")
        ProductHome products,
        @Key(doc = "the digital unit beside the arrays: products of activations when products is digital, and "
                + "softmax, layer norm, GELU and erf always")
        DigitalUnitParams digital,
        @Key(doc = "tokens an autoregressive decoder's KV cache holds, for its size, write traffic and endurance "
                + "(0: no KV-cache report)", unit = "tokens", defaultValue = "0")
        int kvCacheTokens,
        @Key(doc = "where the KV cache is held: buffer (the on-chip activation buffer, against its capacity) or "
                + "arrays (the technology's cells, against their endurance)", defaultValue = "buffer")
        KvCacheHome kvCache) {

    public AttentionOptions {
        Check.present("products", products);
        Check.present("digital", digital);
        Check.between("kvCacheTokens", kvCacheTokens, 0, 1 << 24);
        Check.present("kvCache", kvCache);
    }

    /** Where products of two activations run. */
    public enum ProductHome implements Keyed {
        /** On the digital unit, priced per multiply-accumulate at the design's node. */
        DIGITAL("digital"),
        /** The second operand written into the arrays every inference, then multiplied as weights are. */
        ARRAYS("arrays");

        private final String key;

        ProductHome(String key) { this.key = key; }

        @JsonValue
        public String key() { return key; }

        @JsonCreator
        public static ProductHome parse(String text) {
            return Keyed.parse(ProductHome.class, text);
        }

        @Override public String toString() { return key; }
    }

    /** Where a KV cache is held. */
    public enum KvCacheHome implements Keyed {
        BUFFER("buffer"), ARRAYS("arrays");

        private final String key;

        KvCacheHome(String key) { this.key = key; }

        @JsonValue
        public String key() { return key; }

        @JsonCreator
        public static KvCacheHome parse(String text) {
            return Keyed.parse(KvCacheHome.class, text);
        }

        @Override public String toString() { return key; }
    }

    /**
     * The digital unit: {@code lanes} operations per cycle at {@code clock} on each chip; a multiply-accumulate, a
     * multiply and an add take one lane-cycle, a divide and a square root as many as they cost in multiplies.
     */
    public record DigitalUnitParams(
            @Key(doc = "lanes on each chip, each one multiply-accumulate (or multiply, or add) per cycle [assumed]",
                    unit = "lanes", defaultValue = "64")
            int lanes,
            @Key(doc = "the unit's clock [assumed]", defaultValue = "1 GHz") Frequency clock,
            @Key(doc = "operand bits: auto takes the design's activation bits", type = "auto or a whole number",
                    unit = "bits", defaultValue = "auto")
            OperandBits bits,
            @Key(doc = "energy of one multiply: auto estimates a bits × bits integer multiplier from Horowitz's "
                    + "45 nm table, scaled to process.node and supply", type = "auto or an energy",
                    defaultValue = "auto")
            AutoEnergy multiply,
            @Key(doc = "energy of one add: auto estimates an adder of twice bits (a product's width) the same way",
                    type = "auto or an energy", defaultValue = "auto")
            AutoEnergy add,
            @Key(doc = "one divide (a reciprocal) in multiplies: 7.1, float divide against multiply measured on a "
                    + "Cortex-M4F (docs/reference/attention-costs.md)", unit = "multiplies", defaultValue = "7.1")
            double divide,
            @Key(doc = "one square root in multiplies: twice a divide, the ratio of stillwater's 45 nm estimates "
                    + "(FP32 sqrt 40 pJ, divide 20 pJ; unsourced there)", unit = "multiplies", defaultValue = "14.2")
            double sqrt,
            @Key(doc = "softmax: per value a max compare, a subtract, I-BERT's second-order exp (2 multiplies, 2 "
                    + "adds), a row-sum add and a multiply by the row's reciprocal; one divide per row",
                    defaultValue = "{ multiplies: 3, adds: 5, dividesPerRow: 1, sqrtsPerRow: 0 }")
            ElementOps softmax,
            @Key(doc = "layer norm: per value the mean and variance sums, a subtract, a square, the normalizing "
                    + "multiply, scale and shift; one square root and one divide per position",
                    defaultValue = "{ multiplies: 3, adds: 4, dividesPerRow: 1, sqrtsPerRow: 1 }")
            ElementOps layerNorm,
            @Key(doc = "GELU, I-BERT's i-GELU: per value x/√2, a second-order erf polynomial (2 multiplies, 2 "
                    + "adds), 1 + erf and the product with x", defaultValue =
                    "{ multiplies: 4, adds: 3, dividesPerRow: 0, sqrtsPerRow: 0 }")
            ElementOps gelu,
            @Key(doc = "erf, I-BERT's second-order polynomial: per value 2 multiplies and 2 adds", defaultValue =
                    "{ multiplies: 2, adds: 2, dividesPerRow: 0, sqrtsPerRow: 0 }")
            ElementOps erf) {
        public DigitalUnitParams {
            Check.between("lanes", lanes, 1, 1 << 20);
            Check.present("clock", clock);
            Check.that(clock.hertz() > 0, "clock", clock, "must be above 0 Hz");
            Check.present("bits", bits);
            Check.present("multiply", multiply);
            Check.present("add", add);
            Check.between("divide", divide, 0, 1e4);
            Check.between("sqrt", sqrt, 0, 1e4);
            Check.present("softmax", softmax);
            Check.present("layerNorm", layerNorm);
            Check.present("gelu", gelu);
            Check.present("erf", erf);
        }
    }

    /** The operations one non-linear layer takes on the digital unit: per value, and per row it normalizes over. */
    public record ElementOps(
            @Key(doc = "multiplies per value", unit = "operations") double multiplies,
            @Key(doc = "adds (or compares) per value", unit = "operations") double adds,
            @Key(doc = "divides per row", unit = "operations") double dividesPerRow,
            @Key(doc = "square roots per row", unit = "operations") double sqrtsPerRow) {
        public ElementOps {
            Check.between("multiplies", multiplies, 0, 1e4);
            Check.between("adds", adds, 0, 1e4);
            Check.between("dividesPerRow", dividesPerRow, 0, 1e4);
            Check.between("sqrtsPerRow", sqrtsPerRow, 0, 1e4);
        }
    }

    /** {@code auto} (the design's activation bits) or a whole number of bits, 1 to 32. */
    public record OperandBits(int fixed) {
        public static final OperandBits AUTO = new OperandBits(0);

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static OperandBits parse(JsonNode node) {
            if (node.isTextual() && node.asText().equals("auto")) return AUTO;
            if (node.isIntegralNumber() && node.asLong() >= 1 && node.asLong() <= 32) return new OperandBits(node.asInt());
            throw new IllegalArgumentException("expected auto or a whole number of bits from 1 to 32");
        }

        public boolean isAuto() { return fixed == 0; }

        /** The bits, {@code auto} taking {@code activationBits}. */
        public int or(int activationBits) { return isAuto() ? activationBits : fixed; }

        @JsonValue
        public Object json() { return isAuto() ? "auto" : fixed; }
    }

    /** {@code auto} (estimated from the component library at the design's node) or an energy as given. */
    public record AutoEnergy(Energy fixed) {
        public static final AutoEnergy AUTO = new AutoEnergy(null);

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static AutoEnergy parse(JsonNode node) {
            if (node.isTextual() && node.asText().equals("auto")) return AUTO;
            if (!node.isTextual()) {
                throw new IllegalArgumentException("expected auto or an energy with its unit, like '0.5 pJ'");
            }
            Energy e = Energy.parse(node.asText());
            if (!(e.joules() >= 0)) throw new IllegalArgumentException("expected an energy of 0 J or more");
            return new AutoEnergy(e);
        }

        public boolean isAuto() { return fixed == null; }

        @JsonValue
        public Object json() { return isAuto() ? "auto" : fixed.toString(); }
    }

    /** What a config that leaves out the section, or some of its keys, gets: the defaults declared above. */
    public static ConfigDocument defaults() {
        return KeyCatalog.defaultsDocument("attention", AttentionOptions.class);
    }

    /** The section of a merged design config, its missing keys taken from {@link #defaults()}; checked strictly. */
    public static AttentionOptions of(ConfigDocument doc) {
        // Most configs leave the section out: the defaults, bound once, without copying the config under them.
        return doc.root().has("attention") ? bind(defaults().overlay(doc)) : standard();
    }

    /** Every default: the digital unit for products, no KV-cache report. */
    public static AttentionOptions standard() {
        return Standard.OPTIONS;
    }

    private static AttentionOptions bind(ConfigDocument filled) {
        return ConfigBinder.bind(filled, "attention", filled.root().get("attention"), AttentionOptions.class);
    }

    /** Bound once, on first use. */
    private static final class Standard {
        static final AttentionOptions OPTIONS = bind(defaults());
    }
}
