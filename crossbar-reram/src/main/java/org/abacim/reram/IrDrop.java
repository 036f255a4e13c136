package org.abacim.reram;
import java.util.Arrays;

/**
 * IR drop in one crossbar: the currents its bit lines deliver when its word and bit lines have resistance.
 *
 * <p>The network: word line i is driven at its column-0 end with the voltage v_i (the input digit times the read
 * voltage) through one segment; between neighbouring cells of a line there is one segment (word line: {@code rw},
 * bit line: {@code rb}); bit line j ends, below its last row, in one more segment into the sense amplifier's virtual
 * ground. Cell (i, j) joins word-line node (i, j) to bit-line node (i, j) with its conductance G_ij (the access
 * device's resistance already in series, {@link WireModel#withAccess}). The column current is what flows into the
 * virtual ground. Unknowns are the 2·rows·cols node voltages; the system is symmetric positive definite.
 *
 * <p>Units are the crossbar's: conductances in level steps ΔG, resistances in 1/ΔG, voltages in input steps, so a
 * current is a column sum (Σ d·G with no wire resistance).
 *
 * <p>Two solvers: {@link #exact} assembles the nodal system and factors it (banded Cholesky, half-bandwidth
 * 2·cols), the reference; {@link Array#solve} relaxes whole lines (each word line a tridiagonal solve given the bit
 * lines' voltages, then each bit line given the word lines'), a fixed number of sweeps from the no-drop voltages,
 * for many input vectors at once. Its error against the exact solve is measured in docs/accuracy.md.
 */
final class IrDrop {
    private IrDrop() {}

    /**
     * Wire resistances in units of 1/ΔG: per cell segment of a word line and of a bit line, and the access device in
     * series with each cell.
     */
    record WireModel(double wordLine, double bitLine, double access) {
        static final WireModel NONE = new WireModel(0, 0, 0);

        WireModel {
            if (!(wordLine >= 0 && bitLine >= 0 && access >= 0)) {
                throw new IllegalArgumentException("wire resistances must be ≥ 0: " + wordLine + ", " + bitLine + ", " + access);
            }
        }

        /** Whether any line has resistance (column sums then depend nonlinearly on the inputs). */
        boolean wires() { return wordLine > 0 || bitLine > 0; }

        /** Whether anything departs from ideal wiring. */
        boolean any() { return wires() || access > 0; }

        /** A cell of conductance g in series with the access device. */
        double withAccess(double g) { return access == 0 ? g : g / (1 + g * access); }
    }

    /** Sweeps of line relaxation the fast solver makes (chosen by the measurement in docs/accuracy.md). */
    static final int SWEEPS = 4;

    /**
     * One crossbar's network, with each line's tridiagonal system factored once (they depend on the conductances
     * only), solved for many input vectors at once.
     */
    static final class Array {
        final int rows, cols;
        final double gw, gb;
        final double[] g;          // [i·cols + j] cell conductance (access included)
        final double[] wlInv, wlC; // word line i: 1/pivot and c' per node [i·cols + j]
        final double[] blInv, blC; // bit line j: per node [j·rows + i]
        final int sweeps;

        Array(int rows, int cols, double[] conductance, WireModel w, int sweeps) {
            if (!w.wires()) throw new IllegalArgumentException("no wire resistance: the column sums are a product");
            this.rows = rows;
            this.cols = cols;
            this.g = conductance.clone();
            this.gw = w.wordLine() > 0 ? 1 / w.wordLine() : Double.POSITIVE_INFINITY;
            this.gb = w.bitLine() > 0 ? 1 / w.bitLine() : Double.POSITIVE_INFINITY;
            this.sweeps = sweeps;
            wlInv = new double[rows * cols];
            wlC = new double[rows * cols];
            blInv = new double[rows * cols];
            blC = new double[rows * cols];
            if (Double.isFinite(gw)) {
                for (int i = 0; i < rows; i++) {
                    double c = 0;
                    for (int j = 0; j < cols; j++) {
                        double d = (j < cols - 1 ? 2 * gw : gw) + g[i * cols + j];
                        double pivot = d + (j > 0 ? gw * c : 0);   // d_j − a·c'_{j−1}, a = −gw, c' = −gw/pivot
                        wlInv[i * cols + j] = 1 / pivot;
                        c = -gw / pivot;
                        wlC[i * cols + j] = c;
                    }
                }
            }
            if (Double.isFinite(gb)) {
                for (int j = 0; j < cols; j++) {
                    double c = 0;
                    for (int i = 0; i < rows; i++) {
                        double d = (i > 0 ? 2 * gb : gb) + g[i * cols + j];
                        double pivot = d + (i > 0 ? gb * c : 0);
                        blInv[j * rows + i] = 1 / pivot;
                        c = -gb / pivot;
                        blC[j * rows + i] = c;
                    }
                }
            }
        }

        /**
         * Column currents for {@code batch} input vectors: {@code v[i·batch + p]} the voltage driving word line i for
         * vector p; {@code out[j·batch + p]} receives column j's current. {@code work} holds at least
         * 2·rows·cols·batch + 2·max(rows, cols)·batch values.
         */
        void solve(double[] v, int batch, double[] out, double[] work) {
            int nodes = rows * cols;
            int vw = 0, vb = nodes * batch, y = 2 * nodes * batch;
            boolean wl = Double.isFinite(gw);
            boolean bl = Double.isFinite(gb);
            // Start from the voltages without drop: word lines at their driver, bit lines at ground.
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) System.arraycopy(v, i * batch, work, vw + (i * cols + j) * batch, batch);
            }
            Arrays.fill(work, vb, vb + nodes * batch, 0);
            for (int s = 0; s < sweeps; s++) {
                if (wl) {
                    for (int i = 0; i < rows; i++) wordLine(i, v, batch, work, vw, vb, y);
                }
                if (bl) {
                    for (int j = 0; j < cols; j++) bitLine(j, batch, work, vw, vb, y);
                }
                if (!wl || !bl) break; // one line family is ideal: a single pass is exact
            }
            for (int j = 0; j < cols; j++) {
                int o = j * batch;
                if (bl) {
                    int at = vb + ((rows - 1) * cols + j) * batch;
                    for (int p = 0; p < batch; p++) out[o + p] = gb * work[at + p];
                } else {
                    Arrays.fill(out, o, o + batch, 0);
                    for (int i = 0; i < rows; i++) {
                        double gij = g[i * cols + j];
                        int at = vw + (i * cols + j) * batch;
                        for (int p = 0; p < batch; p++) out[o + p] += gij * work[at + p];
                    }
                }
            }
        }

        /** Word line i given the bit lines: (T_i) x = G·u + gw·v_i·e_0, by the factored Thomas algorithm. */
        private void wordLine(int i, double[] v, int batch, double[] w, int vw, int vb, int y) {
            int base = i * cols;
            // Forward: y_j = (r_j + gw·y_{j−1})·inv_j, stored in the word line's own slots.
            for (int j = 0; j < cols; j++) {
                double gij = g[base + j];
                double inv = wlInv[base + j];
                int x = vw + (base + j) * batch, u = vb + (base + j) * batch;
                if (j == 0) {
                    for (int p = 0; p < batch; p++) w[x + p] = (gij * w[u + p] + gw * v[i * batch + p]) * inv;
                } else {
                    int prev = x - batch;
                    for (int p = 0; p < batch; p++) w[x + p] = (gij * w[u + p] + gw * w[prev + p]) * inv;
                }
            }
            // Back: x_j = y_j − c'_j·x_{j+1}.
            for (int j = cols - 2; j >= 0; j--) {
                double c = wlC[base + j];
                int x = vw + (base + j) * batch, next = x + batch;
                for (int p = 0; p < batch; p++) w[x + p] -= c * w[next + p];
            }
        }

        /** Bit line j given the word lines: (B_j) x = G·u; the sense end (row rows − 1) at virtual ground. */
        private void bitLine(int j, int batch, double[] w, int vw, int vb, int y) {
            int base = j * rows;
            int stride = cols * batch;
            for (int i = 0; i < rows; i++) {
                double gij = g[i * cols + j];
                double inv = blInv[base + i];
                int x = vb + (i * cols + j) * batch, u = vw + (i * cols + j) * batch;
                if (i == 0) {
                    for (int p = 0; p < batch; p++) w[x + p] = gij * w[u + p] * inv;
                } else {
                    int prev = x - stride;
                    for (int p = 0; p < batch; p++) w[x + p] = (gij * w[u + p] + gb * w[prev + p]) * inv;
                }
            }
            for (int i = rows - 2; i >= 0; i--) {
                double c = blC[base + i];
                int x = vb + (i * cols + j) * batch, next = x + stride;
                for (int p = 0; p < batch; p++) w[x + p] -= c * w[next + p];
            }
        }

        /** Values {@link #solve} needs in its work array for {@code batch} vectors. */
        int workSize(int batch) {
            return 2 * rows * cols * batch + 2 * Math.max(rows, cols) * batch;
        }
    }

    /**
     * The reference: column currents of one input vector from the full nodal system, factored exactly (banded
     * Cholesky; unknowns ordered cell by cell, word-line node then bit-line node, half-bandwidth 2·cols). Both line
     * resistances must be positive. Returns {@code [cols]} currents; {@code nodes}, when not null, receives the
     * 2·rows·cols node voltages (word line, bit line per cell) for Kirchhoff checks.
     */
    static double[] exact(int rows, int cols, double[] g, double rw, double rb, double[] v, double[] nodes) {
        if (!(rw > 0 && rb > 0)) throw new IllegalArgumentException("the exact solve needs both line resistances > 0");
        int n = 2 * rows * cols;
        int bw = 2 * cols;
        double gw = 1 / rw, gb = 1 / rb;
        // Lower band: a[k·(bw + 1) + d] = A(k, k − d).
        double[] a = new double[n * (bw + 1)];
        double[] rhs = new double[n];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int cell = i * cols + j;
                int wl = 2 * cell, bl = wl + 1;
                double gij = g[cell];
                // Word-line node: driver or left neighbour, right neighbour, the cell.
                double dw = gw + (j < cols - 1 ? gw : 0) + gij;
                a[wl * (bw + 1)] += dw;
                if (j == 0) rhs[wl] += gw * v[i];
                else a[wl * (bw + 1) + 2] -= gw;              // (wl, wl of j − 1): distance 2
                // Bit-line node: upper neighbour, lower neighbour or the virtual ground, the cell.
                double db = (i > 0 ? gb : 0) + gb + gij;
                a[bl * (bw + 1)] += db;
                a[bl * (bw + 1) + 1] -= gij;                  // (bl, wl): distance 1
                if (i > 0) a[bl * (bw + 1) + bw] -= gb;       // (bl, bl of row i − 1): distance 2·cols
            }
        }
        // In-place banded Cholesky: A = L·Lᵀ, L in the same band.
        for (int k = 0; k < n; k++) {
            int lo = Math.max(0, k - bw);
            for (int j = lo; j <= k; j++) {
                double s = a[k * (bw + 1) + (k - j)];
                int plo = Math.max(lo, j - bw);
                for (int p = plo; p < j; p++) s -= a[k * (bw + 1) + (k - p)] * a[j * (bw + 1) + (j - p)];
                if (j == k) {
                    if (!(s > 0)) throw new IllegalStateException("nodal matrix not positive definite at " + k);
                    a[k * (bw + 1)] = Math.sqrt(s);
                } else {
                    a[k * (bw + 1) + (k - j)] = s / a[j * (bw + 1)];
                }
            }
        }
        // L y = rhs, then Lᵀ x = y.
        double[] x = rhs;
        for (int k = 0; k < n; k++) {
            double s = x[k];
            for (int p = Math.max(0, k - bw); p < k; p++) s -= a[k * (bw + 1) + (k - p)] * x[p];
            x[k] = s / a[k * (bw + 1)];
        }
        for (int k = n - 1; k >= 0; k--) {
            double s = x[k];
            for (int q = k + 1; q <= Math.min(n - 1, k + bw); q++) s -= a[q * (bw + 1) + (q - k)] * x[q];
            x[k] = s / a[k * (bw + 1)];
        }
        if (nodes != null) System.arraycopy(x, 0, nodes, 0, n);
        double[] out = new double[cols];
        for (int j = 0; j < cols; j++) out[j] = gb * x[2 * ((rows - 1) * cols + j) + 1];
        return out;
    }
}
