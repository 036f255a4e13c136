package org.abacim.core.arch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A thing hardware does that costs energy. The cost model counts actions; each component prices the actions it
 * performs. Data actions count bits, so buffers of any width are priced alike.
 *
 * <p>The vocabulary is open: the actions below are the ones the cost model itself counts (the dataflow every
 * technology shares); a technology declares its own with {@link #declare} in its module (FORMS's sign-bit reads,
 * SOT-MRAM's dual-row sensing). Every declared action has a name and a meaning, so the ledger stays auditable
 * whoever declared it. Actions order by declaration: the shared ones first, in the order below.
 */
public final class Action implements Comparable<Action> {
    private static final Map<String, Action> BY_NAME = new LinkedHashMap<>();
    private static final List<Action> BY_INDEX = new ArrayList<>();

    public static final Action ROW_DRIVE = declare("ROW_DRIVE", "drive one row for one input slice (DAC)");
    public static final Action ARRAY_READ = declare("ARRAY_READ", "one analog read of a whole array");
    public static final Action SAMPLE_HOLD = declare("SAMPLE_HOLD", "hold one column's output for conversion");
    public static final Action ADC_CONVERT = declare("ADC_CONVERT", "one analog-to-digital conversion");
    public static final Action SHIFT_ADD = declare("SHIFT_ADD", "shift and add one converted column value");
    public static final Action INPUT_REGISTER =
            declare("INPUT_REGISTER", "feed one array for one read cycle from the input register");
    public static final Action OUTPUT_REGISTER =
            declare("OUTPUT_REGISTER", "collect one array's results for one read cycle");
    public static final Action PARTIAL_SUM_ADD =
            declare("PARTIAL_SUM_ADD", "add one partial sum (across arrays) or one residual value");
    public static final Action BUFFER_READ = declare("BUFFER_READ", "read one bit from the on-chip activation buffer");
    public static final Action BUFFER_WRITE = declare("BUFFER_WRITE", "write one bit to the on-chip activation buffer");
    public static final Action BUS_TRANSFER = declare("BUS_TRANSFER", "move one bit from the buffer to an array group");
    public static final Action ROUTER_TRANSFER = declare("ROUTER_TRANSFER", "move one bit between tiles");
    public static final Action ACTIVATION = declare("ACTIVATION", "apply the activation function to one value");
    public static final Action POOL = declare("POOL", "take one value into a pooling unit");
    public static final Action OUTPUT_BUFFER =
            declare("OUTPUT_BUFFER", "stage one output value in the tile's output register");
    public static final Action OFFCHIP_TRANSFER = declare("OFFCHIP_TRANSFER", "move one bit between chips");
    public static final Action CELL_WRITE = declare("CELL_WRITE", "program one cell");
    public static final Action OPERAND_WRITE = declare("OPERAND_WRITE",
            "write one cell of an activation operand into an array (attention's K or V, every inference)");
    public static final Action DIGITAL_MAC = declare("DIGITAL_MAC", "one multiply-accumulate on the digital unit");
    public static final Action DIGITAL_MULTIPLY = declare("DIGITAL_MULTIPLY", "one multiply on the digital unit");
    public static final Action DIGITAL_ADD = declare("DIGITAL_ADD", "one add, subtract or compare on the digital unit");
    public static final Action DIGITAL_DIVIDE = declare("DIGITAL_DIVIDE", "one divide (a reciprocal) on the digital unit");
    public static final Action DIGITAL_SQRT = declare("DIGITAL_SQRT", "one square root on the digital unit");

    private final String name;
    private final String meaning;
    private final int index;

    private Action(String name, String meaning, int index) {
        this.name = name;
        this.meaning = meaning;
        this.index = index;
    }

    /**
     * Declares an action ({@code UPPER_SNAKE_CASE} name, one-line meaning), or returns the one already declared under
     * that name with the same meaning. Two technologies may share an action only if they mean the same thing by it.
     */
    public static synchronized Action declare(String name, String meaning) {
        if (name == null || !name.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("action name '" + name + "': expected UPPER_SNAKE_CASE");
        }
        if (meaning == null || meaning.isBlank()) {
            throw new IllegalArgumentException("action " + name + ": say what one count of it is");
        }
        Action known = BY_NAME.get(name);
        if (known != null) {
            if (!known.meaning.equals(meaning)) {
                throw new IllegalArgumentException("action " + name + " is already declared as '" + known.meaning
                        + "', not '" + meaning + "'");
            }
            return known;
        }
        Action a = new Action(name, meaning, BY_INDEX.size());
        BY_NAME.put(name, a);
        BY_INDEX.add(a);
        return a;
    }

    /** Every action declared so far, in declaration order. */
    public static synchronized List<Action> declared() { return List.copyOf(BY_INDEX); }

    /** Actions declared so far: every action a component performs has a smaller {@link #index()}. */
    static synchronized int count() { return BY_INDEX.size(); }

    static synchronized Action byIndex(int index) { return BY_INDEX.get(index); }

    public String name() { return name; }

    public String meaning() { return meaning; }

    /** Position in declaration order; dense, from 0. */
    public int index() { return index; }

    /** The name used in results: "ADC_CONVERT" → "adc_convert". */
    public String key() { return name.toLowerCase(Locale.ROOT); }

    @Override
    public int compareTo(Action other) { return Integer.compare(index, other.index); }

    @Override
    public String toString() { return name; }
}
