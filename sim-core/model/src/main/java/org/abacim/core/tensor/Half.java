package org.abacim.core.tensor;

/** IEEE 754 half precision (binary16), which NumPy and ONNX files may hold; Java 17 has no conversion of its own. */
public final class Half {
    private Half() {}

    public static float toFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits >>> 15) << 31;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) return (sign != 0 ? -1 : 1) * mant * 0x1p-24f;
        if (exp == 31) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
