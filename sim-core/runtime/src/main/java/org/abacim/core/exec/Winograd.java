package org.abacim.core.exec;

import java.util.Arrays;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.Shape;
import org.abacim.core.blas.Gemm;

/**
 * 3×3, stride-1 convolutions by Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray, "Fast Algorithms for
 * Convolutional Neural Networks", CVPR 2016): each 2×2 block of outputs from a 4×4 input tile with 16 multiplications
 * per input and output channel instead of 36. The filters are transformed once per call (U = G·g·Gᵀ), each input
 * tile once per block of tiles (V = Bᵀ·d·B), the 16 element-wise products of all channels are 16 matrix products
 * M_ξ = U_ξ·V_ξ, and each output block is Aᵀ·M·A. This is the algorithm PyTorch's CPU convolutions reach for on such
 * layers; it rounds differently from the direct sum (within 1e-5 of the largest output here, tested against it).
 */
final class Winograd {
    private Winograd() {}

    /** Tiles per block of products: enough columns for the products to run at speed, few enough to stay in cache. */
    private static final int MIN_TILES = 128;
    private static final long BLOCK_FLOATS = 1L << 18;

    /** Whether the float engine computes {@code c} this way: 3×3, stride 1, no dilation, one group, ≥ 16 inputs. */
    static boolean applies(Conv2d c) {
        return c.kernelH() == 3 && c.kernelW() == 3 && c.strideH() == 1 && c.strideW() == 1 && c.dilation() == 1
                && c.groups() == 1 && c.inChannels() >= 16;
    }

    /** The transformed filters U[ξ][out][in] (16 matrices of out × in), in native memory for the products. */
    static Gemm.FloatConstant filters(Conv2d c, float[] w) {
        int cout = c.outChannels(), cin = c.inChannels();
        float[] u = new float[16 * cout * cin];
        float[] gg = new float[12];
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < cin; i++) {
                int g = (o * cin + i) * 9;
                // G·g: 4×3, G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]
                for (int col = 0; col < 3; col++) {
                    float g0 = w[g + col], g1 = w[g + 3 + col], g2 = w[g + 6 + col];
                    gg[col] = g0;
                    gg[3 + col] = 0.5f * (g0 + g1 + g2);
                    gg[6 + col] = 0.5f * (g0 - g1 + g2);
                    gg[9 + col] = g2;
                }
                // (G·g)·Gᵀ: 4×4
                for (int r = 0; r < 4; r++) {
                    float a = gg[r * 3], b = gg[r * 3 + 1], d = gg[r * 3 + 2];
                    u[((r * 4) * cout + o) * cin + i] = a;
                    u[((r * 4 + 1) * cout + o) * cin + i] = 0.5f * (a + b + d);
                    u[((r * 4 + 2) * cout + o) * cin + i] = 0.5f * (a - b + d);
                    u[((r * 4 + 3) * cout + o) * cin + i] = d;
                }
            }
        }
        return new Gemm.FloatConstant(16 * cout, cin, u);
    }

    /**
     * Convolution of the chunk's inputs {@code x} (one C×H×W array per sample) into {@code y} (out×H'×W' each), then
     * per output channel {@code + bias}, the fused batch norm {@code ·scale + shift} and ReLU when given. Tiles are
     * taken a row of tiles at a time (blocks of whole rows), so that the transforms run along rows in plain loops.
     */
    static void convolve(Conv2d c, Shape in, Shape out, float[][] x, float[][] y, Gemm.FloatConstant u, float[] bias,
                         float[] scale, float[] shift, boolean relu) {
        int cin = c.inChannels(), cout = c.outChannels();
        int h = in.height(), w = in.width(), outH = out.height(), outW = out.width();
        int tilesY = (outH + 1) / 2, tilesX = (outW + 1) / 2;
        int rowsTotal = x.length * tilesY;
        int wanted = (int) Math.max(MIN_TILES, BLOCK_FLOATS / (16L * Math.max(cin, cout)));
        int rowsPerBlock = Math.max(1, Math.min(rowsTotal, wanted / tilesX));
        int block = rowsPerBlock * tilesX;
        float[] v = Workspace.floats(Workspace.WINDOWS, 16 * cin * block);
        float[] m = Workspace.floats(Workspace.PRODUCT, 16 * cout * block);
        int span = 2 * tilesX + 2;                 // input columns a row of tiles reads
        float[] rows = new float[4 * span];        // its four input rows, zero-padded
        float[] cols = new float[4 * span];        // Bᵀ·d down each column
        float[] q = new float[8 * tilesX];         // Aᵀ·M of a row of tiles
        for (int firstRow = 0; firstRow < rowsTotal; firstRow += rowsPerBlock) {
            int blockRows = Math.min(rowsPerBlock, rowsTotal - firstRow);
            int tiles = blockRows * tilesX;
            int stride = cin * tiles;
            for (int ch = 0; ch < cin; ch++) {
                for (int j = 0; j < blockRows; j++) {
                    int s = (firstRow + j) / tilesY, ty = (firstRow + j) % tilesY;
                    paddedRows(x[s], ch * h * w, h, w, 2 * ty - c.padH(), -c.padW(), span, rows);
                    for (int col = 0; col < span; col++) {
                        float d0 = rows[col], d1 = rows[span + col], d2 = rows[2 * span + col], d3 = rows[3 * span + col];
                        cols[col] = d0 - d2;
                        cols[span + col] = d1 + d2;
                        cols[2 * span + col] = d2 - d1;
                        cols[3 * span + col] = d1 - d3;
                    }
                    int at = ch * tiles + j * tilesX;
                    for (int r = 0; r < 4; r++) {
                        int row = r * span;
                        int v0 = at + (r * 4) * stride, v1 = v0 + stride, v2 = v1 + stride, v3 = v2 + stride;
                        for (int tx = 0; tx < tilesX; tx++) {
                            float t0 = cols[row + 2 * tx], t1 = cols[row + 2 * tx + 1];
                            float t2 = cols[row + 2 * tx + 2], t3 = cols[row + 2 * tx + 3];
                            v[v0 + tx] = t0 - t2;
                            v[v1 + tx] = t1 + t2;
                            v[v2 + tx] = t2 - t1;
                            v[v3 + tx] = t1 - t3;
                        }
                    }
                }
            }
            for (int xi = 0; xi < 16; xi++) {
                Gemm.sgemm(u, xi * cout * cin, cout, cin, v, xi * stride, tiles, m, xi * cout * tiles);
            }
            int mStride = cout * tiles;
            for (int o = 0; o < cout; o++) {
                float b = bias == null ? 0f : bias[o];
                float sc = scale == null ? 1f : scale[o], sh = scale == null ? 0f : shift[o];
                for (int j = 0; j < blockRows; j++) {
                    int s = (firstRow + j) / tilesY, ty = (firstRow + j) % tilesY;
                    int at = o * tiles + j * tilesX;
                    for (int col = 0; col < 4; col++) { // Aᵀ·M for the row's tiles, column by column of M
                        int m0 = at + col * mStride, m1 = m0 + 4 * mStride, m2 = m1 + 4 * mStride, m3 = m2 + 4 * mStride;
                        for (int tx = 0; tx < tilesX; tx++) {
                            float a1 = m[m1 + tx], a2 = m[m2 + tx];
                            q[col * tilesX + tx] = m[m0 + tx] + a1 + a2;
                            q[(4 + col) * tilesX + tx] = a1 - a2 - m[m3 + tx];
                        }
                    }
                    float[] ys = y[s];
                    int plane = o * outH * outW;
                    for (int r = 0; r < 2 && 2 * ty + r < outH; r++) {
                        int qr = r * 4 * tilesX;
                        int row = plane + (2 * ty + r) * outW;
                        for (int tx = 0; tx < tilesX; tx++) {
                            float q0 = q[qr + tx], q1 = q[qr + tilesX + tx], q2 = q[qr + 2 * tilesX + tx], q3 = q[qr + 3 * tilesX + tx];
                            int ox = 2 * tx;
                            ys[row + ox] = epilogue(q0 + q1 + q2, b, sc, sh, scale != null, relu);
                            if (ox + 1 < outW) ys[row + ox + 1] = epilogue(q1 - q2 - q3, b, sc, sh, scale != null, relu);
                        }
                    }
                }
            }
        }
    }

    /** Input rows iy0 … iy0 + 3 of one channel plane, columns ix0 … ix0 + span − 1, zero outside the plane. */
    private static void paddedRows(float[] x, int plane, int h, int w, int iy0, int ix0, int span, float[] rows) {
        int lo = Math.max(0, -ix0), hi = Math.min(span, w - ix0); // buffer columns inside the plane
        for (int r = 0; r < 4; r++) {
            int iy = iy0 + r;
            int dst = r * span;
            if (iy < 0 || iy >= h || hi <= lo) {
                Arrays.fill(rows, dst, dst + span, 0f);
                continue;
            }
            for (int q = dst; q < dst + lo; q++) rows[q] = 0f;
            System.arraycopy(x, plane + iy * w + ix0 + lo, rows, dst + lo, hi - lo);
            for (int q = dst + hi; q < dst + span; q++) rows[q] = 0f;
        }
    }

    private static float epilogue(float v, float bias, float scale, float shift, boolean norm, boolean relu) {
        float z = v + bias;
        if (norm) z = z * scale + shift;
        return relu ? Math.max(z, 0f) : z;
    }
}
