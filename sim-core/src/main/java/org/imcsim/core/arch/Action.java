package org.imcsim.core.arch;

/**
 * The fixed vocabulary of things hardware does that cost energy. The cost engine counts actions; each component
 * prices the actions it performs. Data actions count bits, so buffers of any width are priced alike.
 */
public enum Action {
    ROW_DRIVE("drive one row for one input slice (DAC)"),
    ARRAY_READ("one analog read of a whole array"),
    SAMPLE_HOLD("hold one column's output for conversion"),
    ADC_CONVERT("one analog-to-digital conversion"),
    SHIFT_ADD("shift and add one converted column value"),
    SIGN_BIT_READ("read the sign bit of one polarized fragment for its conversion"),
    INPUT_REGISTER("feed one array for one read cycle from the input register"),
    OUTPUT_REGISTER("collect one array's results for one read cycle"),
    PARTIAL_SUM_ADD("add one partial sum (across arrays) or one residual value"),
    BUFFER_READ("read one bit from the on-chip activation buffer"),
    BUFFER_WRITE("write one bit to the on-chip activation buffer"),
    BUS_TRANSFER("move one bit from the buffer to an array group"),
    ROUTER_TRANSFER("move one bit between tiles"),
    ACTIVATION("apply the activation function to one value"),
    POOL("take one value into a pooling unit"),
    OUTPUT_BUFFER("stage one output value in the tile's output register"),
    OFFCHIP_TRANSFER("move one bit between chips"),
    CELL_WRITE("program one cell"),
    ROW_PAIR_SENSE("sense one bit line with two rows open at once (AND, OR or XOR by the reference)"),
    BIT_COUNT("count one sensed bit into a popcount");

    private final String meaning;

    Action(String meaning) {
        this.meaning = meaning;
    }

    public String meaning() { return meaning; }

    /** The name used in results: "ADC_CONVERT" → "adc_convert". */
    public String key() { return name().toLowerCase(java.util.Locale.ROOT); }
}
