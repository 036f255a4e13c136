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
 * 2·cols), the reference; {@link Array} relaxes whole lines (each word line a tridiagonal solve given the bit lines'
 * voltages, then each bit line given the word lines') from the no-drop voltages, once per chip for the unit vectors,
 * and applies the resulting transfer matrix to each input vector. Its error against the exact solve is measured in
 * docs/accuracy.md.
 */
final class IrDrop {
    private IrDrop() {}

    /**
     * Wire resistances in units of 1/ΔG: per cell segment of a word line and of a bit line, and the access device in
     * series with each cell; and whether each column's sums are trimmed on the chip ({@code calibrateColumns}: an
     * all-ones read of the wired column against its programmed levels scales its sums).
     */
    record WireModel(double wordLine, double bitLine, double access, boolean calibrateColumns) {
        static final WireModel NONE = new WireModel(0, 0, 0);

        WireModel {
            if (!(wordLine >= 0 && bitLine >= 0 && access >= 0)) {
                throw new IllegalArgumentException("wire resistances must be ≥ 0: " + wordLine + ", " + bitLine + ", " + access);
            }
        }

        /** Wires without column calibration. */
        WireModel(double wordLine, double bitLine, double access) {
            this(wordLine, bitLine, access, false);
        }

        /** Whether any line has resistance (a column's current then depends on every row's input and cell). */
        boolean wires() { return wordLine > 0 || bitLine > 0; }

        /** Whether anything departs from ideal wiring. */
        boolean any() { return wires() || access > 0; }

        /** A cell of conductance g in series with the access device. */
        double withAccess(double g) { return access == 0 ? g : g / (1 + g * access); }
    }

    /** The fast solver's stopping rule: no column current left further than this fraction of full scale from convergence. */
    static final double TOLERANCE = 1e-7;
    /** Sweeps at most, whatever the tolerance (reached only where the drop takes most of the signal). */
    static final int MAX_SWEEPS = 64;
    /** Unit vectors relaxed at once (the relaxation's inner loops run over them). */
    private static final int UNIT_BATCH = 16;
    /**
     * Bytes the relaxation's node voltages may take (two doubles per node and unit vector): large arrays relax fewer
     * unit vectors at once. The batch depends on the array's shape only, so the sweeps made do not vary by run.
     */
    private static final long WORK_BYTES = 64L << 20;

    /**
     * One crossbar's network reduced to its transfer matrix: the network is linear in the word-line voltages, so
     * column j's current is Σ_i v_i·T_ij. T is found once per chip (it depends on the conductances only) by line
     * relaxation of the unit vectors, after which an input vector costs one multiply-add per driven cell.
     */
    static final class Array {
        final int rows, cols;
        private final double[][] transfer; // [i][j]: column j's current per unit of voltage on word line i
        private final int sweepsMade;

        /** Relaxed with exactly {@code sweeps} sweeps (the error measurement's fixed counts). */
        Array(int rows, int cols, double[] conductance, WireModel w, int sweeps) {
            this(rows, cols, conductance, w, sweeps, 0);
        }

        /** Relaxed until no column current is left more than {@link #TOLERANCE} of full scale from convergence. */
        static Array converged(int rows, int cols, double[] conductance, WireModel w) {
            return new Array(rows, cols, conductance, w, MAX_SWEEPS, TOLERANCE);
        }

        private Array(int rows, int cols, double[] conductance, WireModel w, int maxSweeps, double tolerance) {
            if (!w.wires()) throw new IllegalArgumentException("no wire resistance: the column sums are a product");
            this.rows = rows;
            this.cols = cols;
            this.transfer = new double[rows][cols];
            this.sweepsMade = new Relaxation(rows, cols, conductance, w).transfer(maxSweeps, tolerance, transfer);
        }

        /** Column j's current per unit of voltage on word line i. */
        double transfer(int i, int j) { return transfer[i][j]; }

        /** The most sweeps any unit vector took. */
        int sweeps() { return sweepsMade; }

        /**
         * Column currents {@code out[0..cols)} of the input vector {@code v[at..at + rows)}. Rows at zero are skipped
         * (adding 0·T changes no bit), so a sparse vector of DAC digits costs only its driven rows.
         */
        void currents(float[] v, int at, double[] out) {
            Arrays.fill(out, 0, cols, 0);
            for (int i = 0; i < rows; i++) {
                double d = v[at + i];
                if (d == 0) continue;
                double[] row = transfer[i]; // indexed like out from 0, the form C2 vectorises
                for (int j = 0; j < cols; j++) out[j] += d * row[j];
            }
        }
    }

    /**
     * Line relaxation: each word line a tridiagonal solve given the bit lines' voltages, then each bit line given the
     * word lines', from the voltages without drop. Each line's system is factored once.
     */
    private static final class Relaxation {
        final int rows, cols;
        final double gw, gb;
        final double[] g;          // [i·cols + j] cell conductance (access included)
        final double[] wlInv, wlC; // word line i: 1/pivot and c' per node [i·cols + j]
        final double[] blInv, blC; // bit line j: per node [j·rows + i]

        Relaxation(int rows, int cols, double[] conductance, WireModel w) {
            this.rows = rows;
            this.cols = cols;
            this.g = conductance.clone();
            this.gw = w.wordLine() > 0 ? 1 / w.wordLine() : Double.POSITIVE_INFINITY;
            this.gb = w.bitLine() > 0 ? 1 / w.bitLine() : Double.POSITIVE_INFINITY;
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
         * Fills {@code transfer[i][j]} by relaxing the unit vectors UNIT_BATCH at a time. A batch stops after
         * {@code maxSweeps}, or earlier once the change still to come — the last sweep's move m of the currents of its
         * rows, summed over them, times ρ/(1 − ρ) with ρ the ratio of the last two moves (the relaxation converges
         * geometrically) — is at most their share of {@code tolerance} × full scale (the largest column current with
         * every row at 1): so over all rows no input vector's column current is left that far from where the sweeps
         * converge. Returns the most sweeps made.
         */
        int transfer(int maxSweeps, double tolerance, double[][] transfer) {
            double fullScale = 0;
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int i = 0; i < rows; i++) s += g[i * cols + j];
                fullScale = Math.max(fullScale, s);
            }
            boolean wl = Double.isFinite(gw);
            boolean bl = Double.isFinite(gb);
            int batch = (int) Math.max(1, Math.min(Math.min(UNIT_BATCH, rows), WORK_BYTES / (16L * rows * cols)));
            int nodes = rows * cols;
            // One small array per node and driver, so every inner loop indexes its arrays alike from 0, the form C2
            // vectorises (offsets into one shared work array measured about 1.4× slower).
            double[][] drive = new double[rows][batch];
            double[][] word = new double[nodes][batch], bit = new double[nodes][batch];
            double[] now = new double[cols * batch], before = new double[cols * batch];
            int most = 0;
            for (int first = 0; first < rows; first += batch) {
                int count = Math.min(batch, rows - first);
                for (double[] d : drive) Arrays.fill(d, 0);
                for (int q = 0; q < count; q++) drive[first + q][q] = 1;
                // Start from the voltages without drop: word lines at their driver, bit lines at ground.
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) System.arraycopy(drive[i], 0, word[i * cols + j], 0, batch);
                }
                for (double[] node : bit) Arrays.fill(node, 0);
                double allowed = tolerance * fullScale * count / rows;
                double lastMove = Double.NaN;
                int s = 0;
                while (true) {
                    if (wl) for (int i = 0; i < rows; i++) wordLine(i, drive[i], batch, word, bit);
                    if (bl) for (int j = 0; j < cols; j++) bitLine(j, batch, word, bit);
                    s++;
                    columnCurrents(batch, word, bit, now);
                    boolean settled = !wl || !bl || s == maxSweeps; // one line family ideal: a single pass is exact
                    if (!settled && tolerance > 0 && s > 1) {
                        double move = largestMove(now, before, count, batch);
                        double ratio = move / lastMove;
                        // Before two moves, or if they do not shrink, the move itself is the only estimate.
                        double toCome = ratio < 1 ? move * ratio / (1 - ratio) : move;
                        settled = move == 0 || (Math.max(move, toCome) <= allowed && s > 2);
                        lastMove = move;
                    }
                    if (settled) break;
                    double[] swap = before;
                    before = now;
                    now = swap;
                }
                most = Math.max(most, s);
                for (int q = 0; q < count; q++) {
                    for (int j = 0; j < cols; j++) transfer[first + q][j] = now[j * batch + q];
                }
            }
            return most;
        }

        /** The largest move of a column current over the sweep, summed over the batch's first {@code count} vectors. */
        private double largestMove(double[] now, double[] before, int count, int batch) {
            double largest = 0;
            for (int j = 0; j < cols; j++) {
                double sum = 0;
                for (int q = 0; q < count; q++) sum += Math.abs(now[j * batch + q] - before[j * batch + q]);
                largest = Math.max(largest, sum);
            }
            return largest;
        }

        /** {@code out[j·batch + p]}: the current column j delivers into its virtual ground. */
        private void columnCurrents(int batch, double[][] word, double[][] bit, double[] out) {
            boolean bl = Double.isFinite(gb);
            for (int j = 0; j < cols; j++) {
                int o = j * batch;
                if (bl) {
                    double[] sense = bit[(rows - 1) * cols + j];
                    for (int p = 0; p < batch; p++) out[o + p] = gb * sense[p];
                } else {
                    Arrays.fill(out, o, o + batch, 0);
                    for (int i = 0; i < rows; i++) {
                        double gij = g[i * cols + j];
                        double[] x = word[i * cols + j];
                        for (int p = 0; p < batch; p++) out[o + p] += gij * x[p];
                    }
                }
            }
        }

        /** Word line i given the bit lines: (T_i) x = G·u + gw·v_i·e_0, by the factored Thomas algorithm. */
        private void wordLine(int i, double[] drive, int batch, double[][] word, double[][] bit) {
            int base = i * cols;
            // Forward: y_j = (r_j + gw·y_{j−1})·inv_j, stored in the word line's own nodes.
            for (int j = 0; j < cols; j++) {
                double gij = g[base + j];
                double inv = wlInv[base + j];
                double[] x = word[base + j], u = bit[base + j], prev = j == 0 ? drive : word[base + j - 1];
                for (int p = 0; p < batch; p++) x[p] = (gij * u[p] + gw * prev[p]) * inv;
            }
            // Back: x_j = y_j − c'_j·x_{j+1}.
            for (int j = cols - 2; j >= 0; j--) {
                double c = wlC[base + j];
                double[] x = word[base + j], next = word[base + j + 1];
                for (int p = 0; p < batch; p++) x[p] -= c * next[p];
            }
        }

        /** Bit line j given the word lines: (B_j) x = G·u; the sense end (row rows − 1) at virtual ground. */
        private void bitLine(int j, int batch, double[][] word, double[][] bit) {
            int base = j * rows;
            for (int i = 0; i < rows; i++) {
                double gij = g[i * cols + j];
                double inv = blInv[base + i];
                double[] x = bit[i * cols + j], u = word[i * cols + j];
                if (i == 0) {
                    for (int p = 0; p < batch; p++) x[p] = gij * u[p] * inv;
                } else {
                    double[] prev = bit[(i - 1) * cols + j];
                    for (int p = 0; p < batch; p++) x[p] = (gij * u[p] + gb * prev[p]) * inv;
                }
            }
            for (int i = rows - 2; i >= 0; i--) {
                double c = blC[base + i];
                double[] x = bit[i * cols + j], next = bit[(i + 1) * cols + j];
                for (int p = 0; p < batch; p++) x[p] -= c * next[p];
            }
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
