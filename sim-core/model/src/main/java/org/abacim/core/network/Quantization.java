package org.abacim.core.network;

import java.util.Arrays;
import java.util.List;

/**
 * ONNX's linear quantization of one value (QuantizeLinear and DequantizeLinear, and the requantizing ends of
 * QLinearConv and QLinearMatMul): with one scale s and zero point z per tensor or per channel,
 * quantizing gives the code q = clamp(round_half_even(x / s) + z, lowest, highest), and dequantizing gives (q − z)·s.
 * Codes travel between layers as float32 values that hold integers. A model quantized by its own tools (onnxruntime's
 * post-training quantization, PyTorch's quantization-aware training) runs with exactly its scales this way.
 *
 * @param dequantize true for codes to values, false for values to codes
 * @param scales one per tensor, or one per channel (feature, for a vector)
 * @param zeroPoints as many as {@code scales}
 * @param lowest the smallest code (0 for uint8, −128 for int8)
 * @param highest the largest code (255 for uint8, 127 for int8)
 */
public record Quantization(String name, String input, boolean dequantize, float[] scales, int[] zeroPoints, int lowest,
                           int highest) implements Layer {
    public Quantization {
        scales = scales.clone();
        zeroPoints = zeroPoints.clone();
        if (scales.length == 0 || scales.length != zeroPoints.length) {
            throw new NetworkException("layer " + name + ": " + scales.length + " scales and " + zeroPoints.length
                    + " zero points; expected as many of each, at least one");
        }
        if (lowest >= highest) throw new NetworkException("layer " + name + ": codes from " + lowest + " to " + highest);
        for (int i = 0; i < scales.length; i++) {
            if (!(scales[i] > 0) || !Float.isFinite(scales[i])) {
                throw new NetworkException("layer " + name + ": scale " + scales[i] + "; expected a finite number above 0");
            }
            if (zeroPoints[i] < lowest || zeroPoints[i] > highest) {
                throw new NetworkException("layer " + name + ": zero point " + zeroPoints[i] + " outside the codes "
                        + lowest + " to " + highest);
            }
        }
    }

    @Override public List<String> inputs() { return List.of(input); }

    @Override
    public Shape outputShape(List<Shape> in) {
        Shape s = in.get(0);
        if (scales.length > 1 && scales.length != s.channels()) {
            throw new NetworkException("layer " + name + ": " + scales.length + " per-channel scales for an input of "
                    + s.channels() + " channels");
        }
        return s;
    }

    /** ONNX's QuantizeLinear of one value: clamp(round_half_even(x / scale) + zero, lowest, highest), in float32. */
    public static float code(float x, float scale, int zero, int lowest, int highest) {
        return Math.max(lowest, Math.min(highest, (float) Math.rint(x / scale) + zero));
    }

    /** ONNX's DequantizeLinear of one code: (code − zero)·scale, in float32. */
    public static float value(float code, float scale, int zero) {
        return (code - zero) * scale;
    }

    /** The scale of channel {@code c}. */
    public float scale(int c) {
        return scales[scales.length == 1 ? 0 : c];
    }

    /** The zero point of channel {@code c}. */
    public int zeroPoint(int c) {
        return zeroPoints[zeroPoints.length == 1 ? 0 : c];
    }

    /** Whether there is one scale per channel. */
    public boolean perChannel() {
        return scales.length > 1;
    }

    @Override
    public String describe() {
        return (dequantize ? "dequantize " : "quantize ") + (perChannel() ? "per channel" : "scale " + scales[0])
                + " to codes " + lowest + "…" + highest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantization q && q.name.equals(name) && q.input.equals(input) && q.dequantize == dequantize
                && Arrays.equals(q.scales, scales) && Arrays.equals(q.zeroPoints, zeroPoints) && q.lowest == lowest
                && q.highest == highest;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(scales)) + Arrays.hashCode(zeroPoints);
    }

    @Override
    public String toString() {
        return "Quantization[" + name + ", " + input + ", " + (dequantize ? "dequantize" : "quantize") + ", "
                + Arrays.toString(scales) + ", " + Arrays.toString(zeroPoints) + ", " + lowest + ", " + highest + "]";
    }
}
