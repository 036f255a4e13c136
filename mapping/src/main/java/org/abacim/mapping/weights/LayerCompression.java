package org.abacim.mapping.weights;

/**
 * How one layer of a compressed weight map was compressed, as its manifest records it.
 *
 * @param bits weight bits of a quantized layer (its weights are integers times {@code scale} within ±(2^(bits−1) − 1)),
 *     or 0 for float weights
 * @param scale the quantization step
 * @param pruning the pruning that shaped the layer (e.g. "crossbar-block 32×16, keep 6 %"), or null
 * @param mask 1 where a weight may be non-zero, 0 where it was pruned ([out][k] like the weights), or null
 * @param fragment rows per polarized fragment (every fragment of an array column one sign), or 0
 * @param source the steps that produced it
 */
public record LayerCompression(int bits, double scale, String pruning, float[] mask, int fragment, String source) {
    public boolean quantized() { return bits > 0; }
}
