package org.abacim.core.network;

import java.util.List;

/**
 * ONNX's DynamicQuantizeLinear as the values its codes stand for: each sample's uint8 scale and zero point are
 * computed from that sample (s = (max(0, max x) − min(0, min x)) / 255, z = round(−min(0, min x) / s)), and the
 * output is (clamp(round(x / s) + z, 0, 255) − z)·s. The integer products that follow it in a dynamically quantized
 * model (MatMulInteger, ConvInteger, then a product by s and the weight scale) are the float products of these
 * values. One sample at a time: onnxruntime takes one scale over the whole batch tensor, the same for a batch of one.
 */
public record DynamicQuantization(String name, String input) implements Layer {
    @Override public List<String> inputs() { return List.of(input); }

    @Override public Shape outputShape(List<Shape> in) { return in.get(0); }

    @Override public String describe() { return "dynamic uint8 quantization"; }

    /** One sample's values through its own codes. */
    public static float[] apply(float[] x) {
        float min = 0;
        float max = 0;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float scale = (max - min) / 255f;
        float[] y = new float[x.length];
        if (scale == 0) return y;
        int zero = (int) Math.max(0, Math.min(255, (float) Math.rint(0 - min / scale)));
        for (int k = 0; k < x.length; k++) {
            y[k] = Quantization.value(Quantization.code(x[k], scale, zero, 0, 255), scale, zero);
        }
        return y;
    }
}
