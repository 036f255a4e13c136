package org.abacim.core.network;

import java.util.List;

/**
 * The element-wise part of one step of a GRU or an LSTM, as one layer: from the step's input projection (W·xₜ + b,
 * every gate), the state's projection (R·hₜ₋₁ + b, the Linear that is the same matrix at every step) and the
 * previous state, the next state. Unrolled into separate adds, activations and products a step was seventeen small
 * layers, each a pass over memory and a call; here it is one. The products stay in the Linear and the convolution
 * (weight-stationary, on arrays); the gates run on the digital units beside them, as an activation does.
 *
 * <ul>
 *   <li>GRU (ONNX gate order z, r, n; {@code linear_before_reset} = 1, PyTorch's form): z, r = σ(x + h) over the
 *       first 2H values; n = tanh(xₙ + r ⊙ hₙ); h' = n + z ⊙ (h − n). State and output: h (H values).</li>
 *   <li>LSTM (ONNX gate order i, o, f, c): i, o, f = σ(x + h) over the first 3H values; g = tanh(x_c + h_c);
 *       c' = f ⊙ c + i ⊙ g; h' = o ⊙ tanh(c'). State and output: h followed by c (2H values).</li>
 * </ul>
 * The arithmetic is that of the unrolled layers, operation by operation in float32, but for σ and tanh: the fused
 * step's are a faster rational form (within 6 ulp), so the two forms agree to about 1e-6, not bit for bit.
 */
public record RecurrentGates(String name, String projectedInput, String projectedState, String state, Cell cell,
                             int hidden) implements Layer {
    public enum Cell {
        GRU(3, 1), LSTM(4, 2);

        /** Gate vectors per step (values of a projection ÷ hidden units). */
        public final int gates;
        /** State vectors carried between steps (values of the state ÷ hidden units). */
        public final int stateVectors;

        Cell(int gates, int stateVectors) {
            this.gates = gates;
            this.stateVectors = stateVectors;
        }
    }

    public RecurrentGates {
        if (hidden <= 0) throw new NetworkException("layer " + name + ": " + hidden + " hidden units");
    }

    @Override public List<String> inputs() { return List.of(projectedInput, projectedState, state); }

    /** Values of the state this layer reads and writes: h, or h then c. */
    public int stateSize() { return cell.stateVectors * hidden; }

    @Override
    public Shape outputShape(List<Shape> in) {
        long gateValues = (long) cell.gates * hidden;
        if (in.get(0).elements() != gateValues || in.get(1).elements() != gateValues
                || in.get(2).elements() != stateSize()) {
            throw new NetworkException("layer " + name + ": a " + cell + " step of " + hidden + " units takes two "
                    + gateValues + "-value projections and a state of " + stateSize() + "; got " + in.get(0) + ", "
                    + in.get(1) + " and " + in.get(2));
        }
        return Shape.vector(stateSize());
    }

    /**
     * Element-wise operations of one step on the activation unit (a sigmoid, tanh, product or negation per value),
     * as the unrolled layers count them: GRU 2H σ, H r⊙hₙ, H tanh, H −n, H z⊙d; LSTM 3H σ, H tanh, 3H ⊙, H tanh.
     */
    public long activationOps() {
        return cell == Cell.GRU ? 6L * hidden : 8L * hidden;
    }

    /** Additions of one step: GRU x + h over 3H, xₙ + r⊙hₙ, h − n and n + z⊙d; LSTM x + h over 4H and c'. */
    public long additions() {
        return cell == Cell.GRU ? 6L * hidden : 5L * hidden;
    }

    @Override public String describe() { return cell.name().toLowerCase() + " gates " + hidden; }
}
