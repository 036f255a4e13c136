package org.abacim.reram;

import java.util.Arrays;

/**
 * The column sums of one row block's cells for many input digit vectors, by table lookup (the "method of four
 * Russians"): the rows are taken in chunks whose digits together make an index of {@link #INDEX_BITS} bits (four
 * rows of 1-bit DAC digits, two of 2-bit ones, one row of wider ones), the sum of every digit combination of a chunk
 * is tabulated once per call, and a vector's column sums add one table row per chunk that has a digit set.
 *
 * <p>Why not one matrix product per cycle (as before issue #33): a 1-bit digit vector costs a product rows × columns
 * multiply-adds, the lookup rows / 4 additions, and a zero chunk (an unset bit-plane, a ReLU zero) costs nothing.
 * And each column's sum is one fixed sequence of float32 additions — chunk 0, 1, 2, … of its vector — whatever the
 * number of positions, tile or thread, where an OpenBLAS product rounds by the product's shape and kernel. So the
 * path can skip, stack and batch freely and its bytes still depend only on the chip and the digits.
 */
final class RowChunkSums {
    /** Bits of a chunk's table index: 16 entries, so a chunk's table rows fit in L1 beside the sums. */
    static final int INDEX_BITS = 4;
    /** Columns tabulated at once: a 128-row block's table (32 chunks × 16 entries × 256 floats) is 512 KiB, in L2. */
    static final int COLUMN_TILE = 256;
    /**
     * Calls with at most this many vectors (a fully connected layer's 8 input cycles of one position) make the
     * entries they use as they go instead of tabulating all 16 of every chunk: the same additions in the same order,
     * so the same bits (NumericsBenchmark, LeNet-5 fc1: the tables cost 1.6× the OpenBLAS path's time).
     */
    static final int FEW_VECTORS = 8;

    private final int rows;
    private final int width;
    private final int digitBits;
    private final int digitMask;
    private final int chunkRows;
    private final int chunks;
    private final int entries;
    /** Rows × width, row-major: what a digit of 1 on the row adds to each column. */
    private final float[] cells;
    /** Each digit's multiplier: the digit itself, or its square (the read-noise variances). */
    private final float[] digitWeight;

    /**
     * @param cells rows × width values, row-major, kept (not copied)
     * @param squaredDigits whether a digit d multiplies its row by d² (variances) instead of d (currents)
     */
    RowChunkSums(int rows, int width, int digitBits, float[] cells, boolean squaredDigits) {
        if (rows < 1 || width < 1 || digitBits < 1 || digitBits > 16 || cells.length != rows * width) {
            throw new IllegalArgumentException(rows + " rows × " + width + " columns of " + digitBits
                    + "-bit digits, " + cells.length + " cells");
        }
        this.rows = rows;
        this.width = width;
        this.digitBits = digitBits;
        this.digitMask = (1 << digitBits) - 1;
        this.chunkRows = Math.max(1, INDEX_BITS / digitBits);
        this.chunks = (rows + chunkRows - 1) / chunkRows;
        // Digits wider than the index are added row by row (one "chunk" per row, its entry computed on the fly).
        this.entries = digitBits > INDEX_BITS ? 0 : 1 << (chunkRows * digitBits);
        this.cells = cells;
        this.digitWeight = new float[digitMask + 1];
        for (int d = 0; d <= digitMask; d++) digitWeight[d] = squaredDigits ? (float) d * d : d;
    }

    int chunks() {
        return chunks;
    }

    int width() {
        return width;
    }

    /**
     * Scratch for {@link #columnSums}: one array per table entry and one for the sums being added, each starting at
     * index 0 — Java 17's C2 vectorises {@code a[c] += b[c]} only when its arrays are indexed alike (measured: 0.6
     * additions per cycle with offsets, against 8-wide vectors without).
     */
    Scratch scratch() {
        return new Scratch(chunks * entries, chunks, Math.min(COLUMN_TILE, width));
    }

    static final class Scratch {
        final float[][] table;
        final float[] acc;
        final float[] row;
        /** The entries one vector adds; and, for calls with few vectors, the entries made for it. */
        final float[][] picked, made;
        /** A column tile's converter gains and offsets, from index 0 like {@code acc}. */
        final float[] gain, offset;
        /** The codes of a vector with no digit set, for the column tile in hand. */
        final float[] zeroCodes;

        private Scratch(int entries, int chunks, int tile) {
            table = new float[entries][tile];
            picked = new float[chunks][];
            made = new float[chunks][tile];
            acc = new float[tile];
            row = new float[tile];
            gain = new float[tile];
            offset = new float[tile];
            zeroCodes = new float[tile];
        }
    }

    /**
     * An ADC applied to each column sum as soon as it is made, while it is in cache: code = min(top, max(0,
     * (int) (sum · gainPerLsb + offsetHalf))) in float32 — exactly what a separate pass over the sums computes.
     *
     * @param gainPerLsb per column: its converter's gain over the ADC step
     * @param offsetHalf per column: its converter's offset in steps, plus ½ (truncating then rounds half up)
     */
    record Codes(float[] gainPerLsb, float[] offsetHalf, int top) {
    }

    /**
     * The chunk indices of one position's vectors for cycles 0 … cycles − 1 (digit t of input x: (x >> t·digitBits)
     * & mask), of {@code inputs[from … from + rows)}, into {@code index[((t·positions + p)·chunks …)}.
     */
    void indexCycles(int[] inputs, int from, int cycles, int positions, int p, int[] index) {
        if (digitBits == 1 && chunkRows == 4) {
            int full = rows / 4;
            for (int q = 0; q < full; q++) {
                int r = from + 4 * q;
                int v0 = inputs[r], v1 = inputs[r + 1], v2 = inputs[r + 2], v3 = inputs[r + 3];
                for (int t = 0, at = p * chunks + q; t < cycles; t++, at += positions * chunks) {
                    index[at] = ((v0 >> t) & 1) | (((v1 >> t) & 1) << 1) | (((v2 >> t) & 1) << 2) | (((v3 >> t) & 1) << 3);
                }
            }
            if (full == chunks) return;
        }
        for (int t = 0; t < cycles; t++) {
            int first = digitBits == 1 && chunkRows == 4 ? rows / 4 : 0;
            indexFrom(inputs, from, t * digitBits, index, (t * positions + p) * chunks, first);
        }
    }

    /**
     * The chunk indices of one vector: the digits of {@code inputs[from … from + rows)} at bit {@code shift}
     * (each {@code (input >> shift) & mask}), packed chunk by chunk into {@code index[at … at + chunks)}.
     */
    void index(int[] inputs, int from, int shift, int[] index, int at) {
        indexFrom(inputs, from, shift, index, at, 0);
    }

    private void indexFrom(int[] inputs, int from, int shift, int[] index, int at, int firstChunk) {
        for (int q = firstChunk, r = firstChunk * chunkRows; q < chunks; q++) {
            int packed = 0;
            for (int j = 0; j < chunkRows && r < rows; j++, r++) {
                packed |= ((inputs[from + r] >> shift) & digitMask) << (j * digitBits);
            }
            index[at + q] = packed;
        }
    }

    /**
     * Column sums of {@code cycles × positions} vectors: vector (t, p), whose chunk indices start at
     * {@code index[(t·positions + p)·chunks]}, goes to {@code out[t][p·width …)}.
     *
     * @param scratch from {@link #scratch()} (of this or a larger row block), not shared between threads
     */
    void columnSums(int[] index, int cycles, int positions, float[][] out, Scratch scratch) {
        columnSums(index, cycles, positions, out, scratch, null);
    }

    /** As {@link #columnSums(int[], int, int, float[][], Scratch)}, each sum replaced by its ADC code if codes is given. */
    void columnSums(int[] index, int cycles, int positions, float[][] out, Scratch scratch, Codes codes) {
        float[] acc = scratch.acc;
        float[] gain = scratch.gain;
        float[] offset = scratch.offset;
        boolean few = cycles * positions <= FEW_VECTORS;
        for (int c0 = 0; c0 < width; c0 += COLUMN_TILE) {
            int tw = Math.min(COLUMN_TILE, width - c0);
            if (entries > 0 && !few) tabulate(c0, tw, scratch);
            if (codes != null) {
                System.arraycopy(codes.gainPerLsb(), c0, gain, 0, tw);
                System.arraycopy(codes.offsetHalf(), c0, offset, 0, tw);
                // A vector with no digit set (a clear bit-plane) reads zero everywhere: its codes, converted once.
                Arrays.fill(scratch.zeroCodes, 0, tw, 0f);
                convert(scratch.zeroCodes, gain, offset, tw, codes.top());
            }
            for (int t = 0; t < cycles; t++) {
                float[] sums = out[t];
                for (int p = 0; p < positions; p++) {
                    int at = (t * positions + p) * chunks;
                    boolean any = entries == 0 ? addRows(index, at, c0, tw, scratch)
                            : addEntries(index, at, scratch, tw, few ? c0 : -1);
                    if (!any) {
                        if (codes == null) Arrays.fill(sums, p * width + c0, p * width + c0 + tw, 0f);
                        else System.arraycopy(scratch.zeroCodes, 0, sums, p * width + c0, tw);
                        continue;
                    }
                    if (codes != null) convert(acc, gain, offset, tw, codes.top());
                    System.arraycopy(acc, 0, sums, p * width + c0, tw);
                }
            }
        }
    }

    /** Sums to codes in place. Truncating x + ½ rounds half up wherever x + ½ ≥ 0; below, the clamp gives 0 anyway. */
    private static void convert(float[] acc, float[] gain, float[] offset, int tw, int top) {
        for (int c = 0; c < tw; c++) acc[c] = Math.min(top, Math.max(0, (int) (acc[c] * gain[c] + offset[c])));
    }

    /** Every chunk's entries for columns [c0, c0 + tw): entry e = entry e without its last digit + that digit's row. */
    private void tabulate(int c0, int tw, Scratch scratch) {
        float[][] table = scratch.table;
        float[] row = scratch.row;
        for (int q = 0; q < chunks; q++) {
            int base = q * entries;
            Arrays.fill(table[base], 0, tw, 0f);
            for (int e = 1; e < entries; e++) {
                int j = (31 - Integer.numberOfLeadingZeros(e)) / digitBits;
                int d = (e >> (j * digitBits)) & digitMask;
                int r = q * chunkRows + j;
                float[] to = table[base + e];
                if (r >= rows) {
                    // A digit past the last row never occurs; keep the entry defined.
                    Arrays.fill(to, 0, tw, 0f);
                    continue;
                }
                float[] from = table[base + e - (d << (j * digitBits))];
                float wd = digitWeight[d];
                System.arraycopy(cells, r * width + c0, row, 0, tw);
                for (int c = 0; c < tw; c++) to[c] = from[c] + wd * row[c];
            }
        }
    }

    /**
     * One vector's sums into {@code scratch.acc}: the entries of its chunks with a digit set, in chunk order, added two
     * at a time (the sum so far plus the pair's sum: half the passes over the sums); a single or odd first entry is
     * copied. Which entries are added, and how they pair, depends only on the vector's digits. Returns whether any
     * chunk had a digit set.
     */
    private boolean addEntries(int[] index, int at, Scratch scratch, int tw, int untabulatedFrom) {
        float[] acc = scratch.acc;
        float[][] table = scratch.table;
        float[][] picked = scratch.picked;
        int n = 0;
        for (int q = 0; q < chunks; q++) {
            int e = index[at + q];
            if (e == 0) continue;
            if (untabulatedFrom < 0) {
                picked[n++] = table[q * entries + e];
            } else {
                float[] entry = scratch.made[n];
                makeEntry(q, e, untabulatedFrom, tw, entry, scratch.row);
                picked[n++] = entry;
            }
        }
        if (n == 0) return false;
        int i;
        if ((n & 1) == 1) {
            System.arraycopy(picked[0], 0, acc, 0, tw);
            i = 1;
        } else {
            float[] x = picked[0], y = picked[1];
            for (int c = 0; c < tw; c++) acc[c] = x[c] + y[c];
            i = 2;
        }
        for (; i < n; i += 2) {
            float[] x = picked[i], y = picked[i + 1];
            for (int c = 0; c < tw; c++) acc[c] += x[c] + y[c];
        }
        return true;
    }

    /**
     * Entry {@code e} of chunk {@code q} for columns [c0, c0 + tw), as {@link #tabulate} makes it: 0 plus each set
     * digit's weighted row, lowest digit first.
     */
    private void makeEntry(int q, int e, int c0, int tw, float[] entry, float[] row) {
        Arrays.fill(entry, 0, tw, 0f);
        for (int j = 0; j < chunkRows; j++) {
            int d = (e >> (j * digitBits)) & digitMask;
            if (d == 0) continue;
            float wd = digitWeight[d];
            System.arraycopy(cells, (q * chunkRows + j) * width + c0, row, 0, tw);
            for (int c = 0; c < tw; c++) entry[c] = entry[c] + wd * row[c];
        }
    }

    /** Digits wider than a table index: each driven row's cells times its digit's weight, added in row order. */
    private boolean addRows(int[] index, int at, int c0, int tw, Scratch scratch) {
        float[] acc = scratch.acc;
        float[] row = scratch.row;
        boolean empty = true;
        for (int r = 0; r < rows; r++) {
            int d = index[at + r];
            if (d == 0) continue;
            float wd = digitWeight[d];
            System.arraycopy(cells, r * width + c0, row, 0, tw);
            if (empty) {
                for (int c = 0; c < tw; c++) acc[c] = wd * row[c];
                empty = false;
            } else {
                for (int c = 0; c < tw; c++) acc[c] += wd * row[c];
            }
        }
        return !empty;
    }
}
