package org.abacim.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.abacim.core.arch.Action;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.network.Activation;
import org.abacim.core.network.ActivationProduct;
import org.abacim.core.network.ChannelNorm;
import org.abacim.core.network.Flatten;
import org.abacim.core.network.Input;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.Shape;
import org.abacim.core.network.Softmax;
import org.abacim.core.placement.LayerPlacement;
import org.abacim.core.placement.Placement;
import org.abacim.core.placement.TileClass;
import org.abacim.core.result.Result;
import org.abacim.core.tech.ToyDesign;
import org.junit.jupiter.api.Test;

/**
 * What is not weight-stationary, costed by hand (docs/design/attention-costs.md). One head of self-attention over 4
 * tokens of 2 features on the toy design (2-bit activations, 1-bit weights in 1-bit cells, 8 × 2 arrays, 1 pJ per row
 * drive and input cycle, 2 pJ per conversion, 0.1 pJ per buffer bit, 1 µs per input cycle), then a linear layer:
 * scores = x·xᵀ (4 × 2 by 2 × 4: 32 MACs), a softmax over each row of 4, ctx = scores·x (4 × 4 by 4 × 2: 32 MACs).
 * The digital unit: 4 lanes at 1 GHz, 1 pJ a multiply, 0.5 pJ an add.
 */
class AttentionCostTest {
    private static final double PJ = 1e-12;

    private final Network attention = Network.of("attention", "", "test", List.of(
            new Input("x", new Shape(1, 4, 2)),
            new ActivationProduct("scores", "x", "x", false, true),
            new Softmax("attn", "scores", Softmax.Axis.WIDTH),
            new ActivationProduct("ctx", "attn", "x", false, false),
            new Flatten("flat", "ctx"),
            new Linear("fc", "flat", 8, 2, false)));

    /** fc on one full 8 × 2 array. */
    private final Placement placement = new Placement(List.of(
            new LayerPlacement("fc", 8, 2, 1, 1, 1, 1, List.of(new TileClass(8, 2, 1)), 1, 1, 1, 0)),
            1, 2, List.of(), "by hand");

    /** 10 pJ a cell, 100 ns a row, 10^6 writes a cell. */
    private final ToyDesign design = ToyDesign.writing(8, 2, 10, 100e-9, 1e6);

    private static AttentionOptions options(String products, String more) {
        return AttentionOptions.of(ConfigReader.read("test.yaml", "attention:\n  products: " + products + "\n"
                + "  digital: { lanes: 4, clock: 1 GHz, multiply: 1 pJ, add: 0.5 pJ }\n" + more));
    }

    private Result run(String products, String more, PipelineMode mode) {
        return CostModel.evaluate(attention, design, placement,
                new SimulationOptions(mode, Replication.NONE, ChipCount.AUTO), options(products, more),
                Result.Activity.assumed());
    }

    private static Result.LayerLine layer(Result r, String name) {
        return r.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    private static double ledger(Result r, String component, Action action) {
        return r.energyLedger().stream().filter(l -> l.component().equals(component) && l.action().equals(action.key()))
                .mapToDouble(Result.LedgerLine::energyJ).sum();
    }

    @Test
    void aProductOnTheDigitalUnitCostsItsMacsAtTheEnergyOfOneAndItsOperandsThroughTheBuffer() {
        Result r = run("digital", "", PipelineMode.INTER_LAYER);
        // 32 MACs × (1 + 0.5) pJ = 48 pJ; operands (4·2 + 2·4 values) × 2 bits read and 16 × 2 bits written at 0.1 pJ.
        assertThat(layer(r, "scores").energyJ()).isCloseTo((32 * 1.5 + 32 * 0.1 + 32 * 0.1) * PJ, within(1e-20));
        assertThat(layer(r, "scores").macs()).isEqualTo(32);
        assertThat(layer(r, "scores").kind()).isEqualTo("product");
        // ctx: 32 MACs, reads (4·4 + 4·2) × 2 bits, writes 8 × 2 bits.
        assertThat(layer(r, "ctx").energyJ()).isCloseTo((48 + 4.8 + 1.6) * PJ, within(1e-20));
        assertThat(ledger(r, "digital_unit", Action.DIGITAL_MAC)).isCloseTo(64 * 1.5 * PJ, within(1e-20));
        // 32 MACs on 4 lanes at 1 GHz.
        assertThat(layer(r, "scores").timeS()).isCloseTo(8e-9, within(1e-18));
        assertThat(r.attention().productMacs()).isEqualTo(64);
        assertThat(r.network().macs()).as("weights' MACs, as before").isEqualTo(16);
    }

    @Test
    void softmaxOverRowsIsPricedPerOperationWithOneDividePerRow() {
        Result r = run("digital", "", PipelineMode.INTER_LAYER);
        // 16 values in 4 rows: 3 multiplies and 5 adds a value, one divide (7.1 multiplies) a row.
        double energyPj = 16 * 3 * 1 + 16 * 5 * 0.5 + 4 * 7.1 * 1;
        assertThat(layer(r, "attn").energyJ()).isCloseTo(energyPj * PJ, within(1e-20));
        assertThat(layer(r, "attn").timeS()).isCloseTo((16 * 3 + 16 * 5 + 4 * 7.1) / 4 / 1e9, within(1e-18));
        assertThat(ledger(r, "digital_unit", Action.DIGITAL_DIVIDE)).isCloseTo(4 * 7.1 * PJ, within(1e-20));
    }

    @Test
    void theDigitalUnitsTimeIsOnThePathAndTheAttentionShareIsItsWorkOverTheWhole() {
        Result r = run("digital", "", PipelineMode.INTER_LAYER);
        double unitS = 8e-9 + 39.1e-9 + 8e-9;
        // fc waits for ctx, then takes its 2 input cycles of 1 µs.
        assertThat(r.inference().latencyS()).isCloseTo(unitS + 2e-6, within(1e-15));
        assertThat(r.inference().bottleneck()).isEqualTo("fc");
        assertThat(r.attention().digitalUnit().busyS()).isCloseTo(unitS, within(1e-18));
        assertThat(r.attention().timeS()).isCloseTo(unitS, within(1e-18));
        assertThat(r.attention().latencyShare()).isCloseTo(unitS / (unitS + 2e-6), within(1e-12));
        // fc: 8 rows × 2 cycles × 1 pJ + 2 columns × 2 cycles × 2 pJ + 16 bits read + 4 written at 0.1 pJ = 26 pJ.
        double attentionPj = 54.4 + 116.4 + 54.4;
        assertThat(r.inference().energyJ()).isCloseTo((26 + attentionPj) * PJ, within(1e-18));
        assertThat(r.attention().energyJ()).isCloseTo(attentionPj * PJ, within(1e-18));
        assertThat(r.attention().energyShare()).isCloseTo(attentionPj / (26 + attentionPj), within(1e-9));
        assertThat(r.attention().operandArrays()).isNull();
        // With its own lanes' work the unit sets the throughput when it is the slowest stage.
        Result oneLane = CostModel.evaluate(attention, design, placement, SimulationOptions.defaults(),
                AttentionOptions.of(ConfigReader.read("t.yaml", "attention: { digital: { lanes: 1, clock: 1 MHz } }")),
                Result.Activity.assumed());
        assertThat(oneLane.inference().bottleneck()).isEqualTo(Schedule.DIGITAL_UNIT);
        assertThat(oneLane.inference().fps()).isCloseTo(1 / (unitS * 4 * 1000), within(1e-6));
    }

    @Test
    void anOperandWrittenIntoArraysCostsItsCellsTheirWriteAndItsRowsTheirTime() {
        Result r = run("arrays", "", PipelineMode.INTER_LAYER);
        // scores: xᵀ is 2 × 4 values of 2 bits in 1-bit weights: 2 rows × 8 weight columns, 4 arrays of 2 × 2 cells.
        // Every query (4) multiplies through all 4: 16 multiplies of 2 rows and 2 columns × 2 input cycles.
        double scoresPj = 2 * 2 * 16 * 1 + 2 * 2 * 16 * 2 + 16 * 10 + (16 + 16) * 2 * 0.1;
        assertThat(layer(r, "scores").energyJ()).isCloseTo(scoresPj * PJ, within(1e-18));
        assertThat(layer(r, "scores").arrays()).isEqualTo(4);
        // 2 rows written at 100 ns, then 4 multiplies of 2 µs.
        assertThat(layer(r, "scores").timeS()).isCloseTo(2 * 100e-9 + 4 * 2e-6, within(1e-15));
        // ctx: x is 4 × 2 values: 4 rows × 4 weight columns, 2 arrays of 4 × 2 cells; 8 multiplies.
        double ctxPj = 4 * 2 * 8 * 1 + 2 * 2 * 8 * 2 + 16 * 10 + (16 + 8) * 2 * 0.1 + 8 * 2 * 0.1;
        assertThat(layer(r, "ctx").energyJ()).isCloseTo(ctxPj * PJ, within(1e-18));
        assertThat(layer(r, "ctx").timeS()).isCloseTo(4 * 100e-9 + 4 * 2e-6, within(1e-15));
        Result.OperandArrayFigures o = r.attention().operandArrays();
        assertThat(o.cellsWritten()).isEqualTo(32);
        assertThat(o.writeEnergyJ()).isCloseTo(32 * 10 * PJ, within(1e-20));
        assertThat(ledger(r, "operand_write", Action.OPERAND_WRITE)).isCloseTo(320 * PJ, within(1e-20));
        assertThat(o.arrays()).isEqualTo(6);
        assertThat(o.writeTimeS()).isCloseTo(4 * 100e-9, within(1e-18));
        // The slower product sets the throughput; a cell is written once an inference: 10^6 writes last 10^6 of them.
        assertThat(r.inference().bottleneck()).isEqualTo("ctx");
        assertThat(r.inference().fps()).isCloseTo(1 / 8.4e-6, within(1e-6));
        assertThat(o.writesPerCellPerInference()).isEqualTo(1);
        assertThat(o.lifetimeYears()).isCloseTo(1e6 * 8.4e-6 / (365.25 * 24 * 3600), within(1e-15));
        assertThat(r.attention().digitalUnit().busyS()).as("the softmax alone").isCloseTo(39.1e-9, within(1e-18));
    }

    @Test
    void bothChoicesArePricedAndTheArraysPayForWritesAndBitSerialMultiplies() {
        for (PipelineMode mode : PipelineMode.values()) {
            Result digital = run("digital", "", mode);
            Result arrays = run("arrays", "", mode);
            assertThat(arrays.inference().energyJ()).as(mode.key()).isGreaterThan(digital.inference().energyJ());
            assertThat(arrays.inference().latencyS()).as(mode.key()).isGreaterThan(digital.inference().latencyS());
            assertThat(arrays.attention().products()).isEqualTo("arrays");
            assertThat(digital.attention().products()).isEqualTo("digital");
        }
        // Layer by layer, every stage adds up: fc 2 µs, softmax 39.1 ns, the products' writes and multiplies.
        Result serial = run("arrays", "", PipelineMode.LAYER_BY_LAYER);
        assertThat(serial.inference().latencyS()).isCloseTo(2e-6 + 39.1e-9 + 8.2e-6 + 8.4e-6, within(1e-15));
    }

    @Test
    void aKvCacheHoldsEveryProductsSecondOperandPerTokenAndInTheArraysWearsAtTheTokenRate() {
        Result r = run("arrays", "  kvCacheTokens: 1024\n  kvCache: arrays\n", PipelineMode.INTER_LAYER);
        Result.KvCache kv = r.attention().kvCache();
        // Per token: Kᵀ's 2 features and V's 2 features, 2 bits each.
        assertThat(kv.bitsPerToken()).isEqualTo(8);
        assertThat(kv.sizeBits()).isEqualTo(8 * 1024);
        assertThat(kv.writeBitsPerToken()).isEqualTo(8);
        assertThat(kv.cells()).isEqualTo(8192);
        // 4 tokens an inference at 1/8.4 µs; each cell rewritten once per 1024 tokens.
        double tokensPerS = 4 / 8.4e-6;
        assertThat(kv.tokensPerS()).isCloseTo(tokensPerS, within(1e-6));
        assertThat(kv.lifetimeYears()).isCloseTo(1e6 * 1024 / tokensPerS / (365.25 * 24 * 3600), within(1e-12));
        Result buffer = run("digital", "  kvCacheTokens: 16\n", PipelineMode.INTER_LAYER);
        assertThat(buffer.attention().kvCache().heldIn()).isEqualTo("buffer");
        assertThat(buffer.attention().kvCache().bufferBits()).as("the toy states no buffer size").isNull();
        assertThat(buffer.attention().kvCache().sizeBits()).isEqualTo(8 * 16);
    }

    @Test
    void layerNormAndGeluRunOnTheDigitalUnitWhileReluKeepsItsActivationStep() {
        Network net = Network.of("norm", "", "test", List.of(
                new Input("x", new Shape(2, 1, 4)),
                new ChannelNorm("norm", "x", new float[] {1, 1}, new float[] {0, 0}, 1e-5f),
                new Activation("gelu", "norm", Activation.Kind.GELU, 0),
                new Flatten("flat", "gelu"),
                new Linear("fc", "flat", 8, 2, false),
                new Activation("relu", "fc", Activation.Kind.RELU, 0)));
        Result r = CostModel.evaluate(net, design, placement, SimulationOptions.defaults(), options("digital", ""),
                Result.Activity.assumed());
        // Layer norm over 2 channels at 4 positions: per value 3 multiplies and 4 adds; per position a divide
        // (7.1 multiplies) and a square root (14.2).
        assertThat(layer(r, "norm").energyJ()).isCloseTo((8 * 3 + 8 * 4 * 0.5 + 4 * 7.1 + 4 * 14.2) * PJ,
                within(1e-20));
        assertThat(layer(r, "gelu").energyJ()).isCloseTo((8 * 4 + 8 * 3 * 0.5) * PJ, within(1e-20));
        assertThat(layer(r, "norm").kind()).isEqualTo("layer norm");
        // ReLU is charged to fc's ledger as before: one activation step for each of fc's 2 outputs.
        assertThat(r.energyLedger().stream().filter(l -> l.action().equals(Action.ACTIVATION.key()))
                .mapToDouble(Result.LedgerLine::count).sum()).isEqualTo(2);
        // No product of activations: nothing of attention's own, the non-linear layers apart.
        assertThat(r.attention().productMacs()).isZero();
        assertThat(r.attention().energyJ()).isZero();
        assertThat(r.attention().nonlinearEnergyJ()).isCloseTo((125.2 + 44) * PJ, within(1e-18));
    }

    @Test
    void withoutGivenEnergiesAMacIsHorowitzsMultiplierAndAnAdderOfTheProductsWidthAtTheNode() {
        // The toy states no process: Horowitz's own 45 nm, 0.9 V. An 8-bit multiply is his 0.2 pJ; a 16-bit add lies
        // on the line through his 8-bit (0.03 pJ) and 32-bit (0.1 pJ) adders: 0.03 + 8 × 0.07 / 24 pJ.
        Result r = CostModel.evaluate(attention, design, placement, SimulationOptions.defaults(),
                AttentionOptions.of(ConfigReader.read("t.yaml", "attention: { digital: { bits: 8 } }")),
                Result.Activity.assumed());
        double macPj = 0.2 + 0.03 + 8 * 0.07 / 24;
        assertThat(r.attention().digitalUnit().macEnergyJ()).isCloseTo(macPj * PJ, within(1e-24));
        assertThat(r.attention().digitalUnit().bits()).isEqualTo(8);
        assertThat(ledger(r, "digital_unit", Action.DIGITAL_MAC)).isCloseTo(64 * macPj * PJ, within(1e-22));
        // 64 lanes of an 8-bit multiplier (282 µm²) and a 16-bit adder (36 + 8 × 101 / 24 µm²).
        assertThat(r.attention().digitalUnit().areaMm2()).isCloseTo(64 * (282 + 36 + 8 * 101.0 / 24) * 1e-6,
                within(1e-12));
    }

    @Test
    void aNetworkWithoutSuchLayersHasNoAttentionFigures() {
        Network cnn = Network.of("fc", "", "test", List.of(new Input("x", Shape.vector(8)),
                new Activation("relu", "x", Activation.Kind.RELU, 0), new Linear("fc", "relu", 8, 2, false)));
        assertThat(CostModel.evaluate(cnn, design, placement, SimulationOptions.defaults()).attention()).isNull();
    }

    @Test
    void productsInArraysOnATechnologyThatCannotWriteThemAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> CostModel.evaluate(attention, new ToyDesign(8, 2), placement,
                SimulationOptions.defaults(), options("arrays", ""), Result.Activity.assumed()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).path()).isEqualTo("attention.products"))
                .hasMessageContaining("does not model writing its cells");
    }

    @Test
    void aBadValueIsRefusedWithWhereItWasWritten() {
        assertThatThrownBy(() -> AttentionOptions.of(ConfigReader.read("c.yaml", "attention:\n  products: sideways\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("c.yaml:2:13")
                .hasMessageContaining("attention.products = sideways");
        assertThatThrownBy(() -> AttentionOptions.of(ConfigReader.read("c.yaml",
                "attention:\n  digital: { multiply: 3 }\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("attention.digital.multiply");
    }
}
