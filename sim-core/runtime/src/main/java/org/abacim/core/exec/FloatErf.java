package org.abacim.core.exec;

/**
 * The error function to float32 accuracy, for the functional engine's Erf and GELU: Commons Math's {@code Erf.erf}
 * is exact to double precision through the regularized gamma function and takes about 270 ns a call — more than half
 * a small ViT's forward (its MLPs' GELUs). Here one rational function in double, erf(x) ≈ x·P(x²)/Q(x²) with x
 * clamped to ±4, no branches and no exp, so that C2 vectorizes it over an array (about 2 ns a value, against 15–25
 * for a series below 0.5 and Abramowitz–Stegun 7.1.26 above). Its error against the exact erf is under 1.7e-8
 * absolutely and relatively over all x (beyond ±4 the error is erfc(4) = 1.5e-8), well inside float32's half-ulp
 * of 6e-8 near 1; checked against Commons Math in {@code FloatErfTest}.
 *
 * <p>P (degree 7) and Q (degree 5, Q(0) = 1) are this project's own fit, not a published table: a least-squares
 * fit of erf(x)/x on x in [0, 4] weighted by relative error, reweighted toward the minimax (Lawson-style), against
 * erf computed to 40 digits with mpmath; the relative error of erf(x)/x is 8.6e-10 there. {@code scripts/fit-erf}
 * reproduces the constants. Evaluated in float instead, rounding made the error 4.4e-7 near x = 3.4, so the
 * arithmetic stays in double.
 */
final class FloatErf {
    private FloatErf() {}

    /** Beyond this, erf is 1 to within erfc(4) = 1.5e-8. */
    private static final double CLAMP = 4;
    private static final double P0 = 1.1283791680546738, P1 = 0.17715650161616908, P2 = 0.05258577968255688,
            P3 = 0.0034491054047536317, P4 = 0.00033976485405397185, P5 = 3.307262151431657e-06,
            P6 = 2.7902162836846623e-09, P7 = -1.4449074254552842e-10;
    private static final double Q1 = 0.4903342306172746, Q2 = 0.11004743371156693, Q3 = 0.01451592642436009,
            Q4 = 0.0011790658026319273, Q5 = 5.286657268394134e-05;

    static double erf(double x) {
        // A comparison, not Math.min/max: one value at a time, those are slower in C2 (JDK 17); NaN stays NaN.
        double c = x > CLAMP ? CLAMP : x < -CLAMP ? -CLAMP : x;
        return rational(c);
    }

    /**
     * erf of each of {@code x[0, n)} in place, the same values as {@link #erf(double)}. In a loop over doubles
     * only: C2 (JDK 17) does not vectorize a loop that also widens floats, so callers widen in a loop of their own.
     */
    static void erf(double[] x, int n) {
        for (int i = 0; i < n; i++) x[i] = rational(Math.min(Math.max(x[i], -CLAMP), CLAMP));
    }

    private static double rational(double c) {
        double t = c * c;
        double p = ((((((P7 * t + P6) * t + P5) * t + P4) * t + P3) * t + P2) * t + P1) * t + P0;
        double q = ((((Q5 * t + Q4) * t + Q3) * t + Q2) * t + Q1) * t + 1;
        return c * p / q;
    }
}
