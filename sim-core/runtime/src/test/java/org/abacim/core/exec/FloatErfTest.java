package org.abacim.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.abacim.core.network.Activation;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;

/**
 * The engine's error function and GELU against Commons Math's erf (exact to double precision) over −6 to 6, and
 * GELU's far negative tail against its erfc.
 */
class FloatErfTest {
    private static final int STEPS = 600_000;

    private static float[] grid() {
        float[] x = new float[2 * STEPS + 1];
        for (int i = -STEPS; i <= STEPS; i++) x[i + STEPS] = (float) (i / 100_000.0);
        return x;
    }

    @Test
    void withinTwoHundredMillionthsOfErfRelativelyAndAbsolutely() {
        double worstRelative = 0, worstAbsolute = 0;
        for (int i = -STEPS; i <= STEPS; i++) {
            double x = i / 100_000.0;
            double exact = Erf.erf(x);
            double error = Math.abs(FloatErf.erf(x) - exact);
            worstAbsolute = Math.max(worstAbsolute, error);
            if (exact != 0) worstRelative = Math.max(worstRelative, error / Math.abs(exact));
        }
        // The rational fit's own error is under 1e-9; beyond ±4, where erf is taken as erf(4), it is erfc(4).
        assertThat(worstAbsolute).isLessThan(2e-8);
        assertThat(worstRelative).isLessThan(2e-8);
        assertThat(FloatErf.erf(0)).isZero();
        assertThat(FloatErf.erf(-1.3)).isEqualTo(-FloatErf.erf(1.3));
        assertThat(FloatErf.erf(Double.NaN)).isNaN();
        assertThat(FloatErf.erf(Double.POSITIVE_INFINITY)).isEqualTo(FloatErf.erf(4));
    }

    @Test
    void theEnginesErfIsTheScalarOneRoundedToFloat() {
        float[] x = grid();
        float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, 1e-30f, 4f, -4.5f};
        float[] all = new float[x.length + specials.length];
        System.arraycopy(x, 0, all, 0, x.length);
        System.arraycopy(specials, 0, all, x.length, specials.length);
        float[] y = FloatEngine.activation(new Activation("erf", "x", Activation.Kind.ERF, 0), all, new float[all.length]);
        double worstRelative = 0;
        for (int i = 0; i < all.length; i++) {
            assertThat(Float.floatToRawIntBits(y[i])).as("erf(%s)", all[i]).isEqualTo(Float.floatToRawIntBits((float) FloatErf.erf(all[i])));
            double exact = Erf.erf(all[i]);
            // Relative to normal floats only: a subnormal result has fewer significant bits.
            if (Math.abs(exact) >= Float.MIN_NORMAL) worstRelative = Math.max(worstRelative, Math.abs(y[i] - exact) / Math.abs(exact));
        }
        // The fit's 1.7e-8 and float32's rounding, at most 2⁻²⁴ ≈ 6e-8 relatively.
        assertThat(worstRelative).isLessThan(8e-8);
        assertThat(y[x.length + 3]).isEqualTo(1f);
        assertThat(y[x.length + 4]).isEqualTo(-1f);
    }

    @Test
    void geluWithinItsFloatRoundingAndTheFitOfTheExactOne() {
        float[] x = grid();
        float[] y = FloatEngine.activation(new Activation("gelu", "x", Activation.Kind.GELU, 0), x, new float[x.length]);
        for (int i = 0; i < x.length; i++) {
            double exact = 0.5 * x[i] * (1 + Erf.erf(x[i] / Math.sqrt(2)));
            // Half a float ulp of the result, and the erf's 1.7e-8 times x/2.
            double allowed = Math.ulp((float) exact) / 2 + Math.abs(x[i]) * 0.85e-8 + 1e-45;
            assertThat(Math.abs(y[i] - exact)).as("gelu(%s)", x[i]).isLessThanOrEqualTo(allowed);
        }
    }

    @Test
    void geluFarBelowZeroIsItsTinyNegativeValueNotTheClampedErfs() {
        // Below −4√2 the erf is clamped: GELU there is x·Φ(x) = x·erfc(−x/√2)/2, under 5e-8 and falling to −0.
        float[] x = {-5.66f, -6f, -8f, -10f, -40f, -100f, -1e6f, -1e9f, -3e38f, Float.NEGATIVE_INFINITY};
        float[] y = FloatEngine.activation(new Activation("gelu", "x", Activation.Kind.GELU, 0), x, new float[x.length]);
        for (int i = 0; i < x.length; i++) {
            double exact = Double.isInfinite(x[i]) ? 0 : 0.5 * x[i] * Erf.erfc(-x[i] / Math.sqrt(2));
            assertThat(y[i]).as("gelu(%s)", x[i]).isLessThanOrEqualTo(0f);
            assertThat(Math.abs(y[i] - exact)).as("gelu(%s)", x[i]).isLessThanOrEqualTo(Math.abs(exact) * 1e-4 + 1e-45);
        }
        assertThat(y[x.length - 1]).isZero();
    }
}
