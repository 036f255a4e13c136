package org.abacim.core.cost;

import org.abacim.core.arch.Action;
import org.abacim.core.arch.Ledger;
import org.abacim.core.config.ConfigException;
import org.abacim.core.network.ActivationProduct;
import org.abacim.core.network.Network;
import org.abacim.core.network.Shape;
import org.abacim.core.result.Result;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.OperandWrites;

/**
 * The attention figures of a result (docs/design/attention-costs.md): the share of energy and latency of
 * attention's own work, the digital unit, the cells' lifetime when products are written into arrays, and a KV
 * cache for decoding.
 */
final class AttentionRollup {
    static final double SECONDS_PER_YEAR = 365.25 * 24 * 3600;

    private AttentionRollup() {}

    /** Null when the network has nothing the digital unit or operand writes price. */
    static Result.Attention of(Network net, Design design, int chips, AttentionOptions options, LayerLedger ledger,
                               Schedule schedule, double energyJ) {
        if (ledger.units().isEmpty()) {
            if (options.kvCacheTokens() > 0) noAttention(net, options);
            return null;
        }
        double fps = 1 / schedule.secondsPerInference();
        long productMacs = 0;
        double attentionJ = 0, attentionS = 0, nonlinearJ = 0, nonlinearS = 0, digitalJ = 0;
        long operandArrays = 0;
        double cells = 0, writeJ = 0, writeS = 0, writesPerCell = 0;
        for (LayerLedger.Unit u : ledger.units().values()) {
            productMacs += u.macs();
            if (u.attention()) {
                attentionJ += u.ledger().energyJ();
                attentionS += u.seconds();
            } else {
                nonlinearJ += u.ledger().energyJ();
                nonlinearS += u.seconds();
            }
            for (Ledger.Line line : u.ledger().lines()) {
                if (line.component().equals(ledger.digital().component())) digitalJ += line.energyJ();
                if (line.action() == Action.OPERAND_WRITE) writeJ += line.energyJ();
            }
            if (u.operands() != null) {
                operandArrays += u.operands().arrays();
                cells += u.operands().cellsWritten();
                writeS = Math.max(writeS, u.operands().writeSeconds());
                writesPerCell = Math.max(writesPerCell, u.operands().writesPerCellPerInference());
            }
        }
        DigitalUnit d = ledger.digital();
        Result.DigitalUnitFigures unit = new Result.DigitalUnitFigures(d.params().lanes(), d.params().clock().hertz(),
                d.bits(), d.macEnergy().joules(), d.component().area().squareMillimeters(), digitalJ,
                schedule.digitalUnitSeconds());
        Result.OperandArrayFigures arrays = null;
        if (operandArrays > 0) {
            OperandWrites w = design.operandWrites().orElseThrow();
            double lifetimeS = w.enduranceCycles() / (writesPerCell * fps);
            arrays = new Result.OperandArrayFigures(operandArrays, cells, writeJ, writeS, writesPerCell,
                    w.enduranceCycles(), lifetimeS / SECONDS_PER_YEAR, w.enduranceSource());
        }
        return new Result.Attention(options.products().key(), productMacs, attentionJ, attentionJ / energyJ,
                attentionS, attentionS / schedule.latencyS(), nonlinearJ, nonlinearS, unit, arrays,
                kvCache(net, design, chips, options, fps));
    }

    /** A KV cache asked of a network that has no attention: the user's value, refused where it was written. */
    private static void noAttention(Network net, AttentionOptions options) {
        throw new ConfigException(null, "attention.kvCacheTokens", String.valueOf(options.kvCacheTokens()),
                "network " + net.name() + " has no product of two activations to cache (no attention)");
    }

    /**
     * A KV cache of {@code attention.kvCacheTokens} tokens. Per token, every product of activations keeps its
     * second operand's share of one query position: C·K·N / M values (Kᵀ: d_head keys' features per head; V: the
     * same), so the products of L layers give 2 · L · d values. Decoding is taken to run at the token rate the
     * network achieves on its own sequence (M tokens per inference): each cache cell is written once per sequence of
     * {@code tokens}.
     */
    private static Result.KvCache kvCache(Network net, Design design, int chips, AttentionOptions options, double fps) {
        int tokens = options.kvCacheTokens();
        if (tokens == 0) return null;
        double valuesPerToken = 0;
        long sequence = 0;
        for (Network.Node node : net.nodes()) {
            if (!(node.layer() instanceof ActivationProduct p)) continue;
            Shape sa = node.inputShapes().get(0), sb = node.inputShapes().get(1);
            int[] d = p.dims(sa, sb);
            valuesPerToken += (double) d[0] * d[2] * d[3] / d[1];
            sequence = Math.max(sequence, d[1]);
        }
        if (sequence == 0) noAttention(net, options);
        int bits = design.activationBits();
        double bitsPerToken = valuesPerToken * bits;
        double size = bitsPerToken * tokens;
        double tokensPerS = sequence * fps;
        if (options.kvCache() == AttentionOptions.KvCacheHome.BUFFER) {
            Double buffer = design.bufferCapacity().map(b -> b.bits() * chips).orElse(null);
            return new Result.KvCache(tokens, bitsPerToken, size, bitsPerToken, size, "buffer", buffer,
                    buffer == null ? null : size <= buffer, null, tokensPerS, null, null);
        }
        OperandWrites w = design.operandWrites().orElseThrow(() -> new ConfigException(null, "attention.kvCache",
                "arrays", "technology " + design.info().technology() + " does not model writing its cells; use buffer"));
        double cellsUsed = size / design.geometry().bitsPerCell();
        double lifetimeS = w.enduranceCycles() * tokens / tokensPerS;
        return new Result.KvCache(tokens, bitsPerToken, size, bitsPerToken, size, "arrays", null, null, cellsUsed,
                tokensPerS, w.enduranceCycles(), lifetimeS / SECONDS_PER_YEAR);
    }
}
