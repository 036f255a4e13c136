package org.abacim.experiments.run;

import org.abacim.core.accuracy.AccuracyOptions;
import org.abacim.core.config.Key;
import org.abacim.core.cost.AttentionOptions;
import org.abacim.core.cost.SimulationOptions;
import org.abacim.core.exec.InputFormat;

/**
 * The top-level keys of a design config that are not the technology's and not the design's identity
 * ({@code DesignInfo}): {@link DesignPointLoader} reads {@code preset} and {@code network} as text and binds each
 * section to its own record, so no record holds them all. This one declares them for the key reference
 * (docs/config.md, {@code abacim keys}); nothing binds it.
 */
public record DesignConfigKeys(
        @Key(doc = "the preset to start from: a built-in name or a path to a preset file (not settable with --set)")
        String preset,
        @Key(doc = "a built-in network, an ONNX model or a NeuroSim .csv file (relative to the config)") String network,
        @Key(doc = "how the network runs on the design") SimulationOptions simulation,
        @Key(doc = "what is not weight-stationary: products of two activations on a digital unit or written into the "
                + "arrays, softmax, layer norm and GELU on the digital unit, a KV cache "
                + "(docs/design/attention-costs.md); every key has a default")
        AttentionOptions attention,
        @Key(doc = "Monte-Carlo accuracy under device variation in the same run (docs/accuracy.md); left out, none",
                optional = true)
        AccuracyOptions accuracy,
        @Key(doc = "the number format of the activations arrays read bit by bit; it decides which input bits are set, "
                + "so zero-skipping and measured activity depend on it (docs/studies/forms-input-format.md)")
        InputFormat inputFormat) {}
