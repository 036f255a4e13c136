package org.abacim.core.network;

import java.util.List;

/** 2-D convolution (cross-correlation, as in PyTorch and ONNX), with stride, zero padding, dilation and groups. */
public record Conv2d(String name, String input, int inChannels, int outChannels, int kernelH, int kernelW,
                     int strideH, int strideW, int padH, int padW, int dilation, int groups, boolean bias)
        implements Layer {
    /** The largest side of a layer's weight matrix: 2^24 rows or columns (the largest CNNs use a few thousand). */
    public static final long MAX_MATRIX_SIDE = 1L << 24;

    public Conv2d {
        if (inChannels <= 0 || outChannels <= 0 || kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0
                || padH < 0 || padW < 0 || dilation <= 0 || groups <= 0) {
            throw new NetworkException("layer " + name + ": sizes must be positive (padding zero or more)");
        }
        if ((long) inChannels * kernelH * kernelW > MAX_MATRIX_SIDE || outChannels > MAX_MATRIX_SIDE) {
            // Each group's weight matrix is (input channels × kernel area) by output channels; its sides are ints.
            throw new NetworkException("layer " + name + ": a weight matrix of " + (long) inChannels * kernelH * kernelW
                    + " × " + outChannels + "; each side may be at most " + MAX_MATRIX_SIDE);
        }
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new NetworkException("layer " + name + ": channels " + inChannels + "→" + outChannels
                    + " are not divisible by groups " + groups);
        }
    }

    @Override public List<String> inputs() { return List.of(input); }

    @Override
    public Shape outputShape(List<Shape> in) {
        Shape s = in.get(0);
        if (s.channels() != inChannels) {
            throw new NetworkException("layer " + name + " expects " + inChannels + " input channels, its input has "
                    + s.channels() + " (shape " + s + ")");
        }
        int effH = dilation * (kernelH - 1) + 1;
        int effW = dilation * (kernelW - 1) + 1;
        int outH = (s.height() + 2 * padH - effH) / strideH + 1;
        int outW = (s.width() + 2 * padW - effW) / strideW + 1;
        if (s.height() + 2 * padH < effH || s.width() + 2 * padW < effW) {
            throw new NetworkException("layer " + name + ": kernel " + kernelH + "×" + kernelW
                    + " does not fit input " + s + " with padding " + padH + "," + padW);
        }
        return new Shape(outChannels, outH, outW);
    }

    /** Rows of the weight matrix one group's filters form (im2col): input channels per group × kernel area. */
    public int matrixRows() { return inChannels / groups * kernelH * kernelW; }

    /** Columns of one group's weight matrix: output channels per group. */
    public int matrixCols() { return outChannels / groups; }

    @Override
    public String describe() {
        return "conv " + kernelH + "×" + kernelW + "/" + strideH + (groups > 1 ? " g" + groups : "") + " → " + outChannels;
    }
}
