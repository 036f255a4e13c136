package org.abacim.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;

/** The engine's error function against Commons Math's (exact to double precision) over −6 to 6. */
class FloatErfTest {
    @Test
    void withinThreeTenMillionthsOfErfRelativelyAndAbsolutely() {
        double worstRelative = 0, worstAbsolute = 0;
        for (int i = -600_000; i <= 600_000; i++) {
            double x = i / 100_000.0;
            double exact = Erf.erf(x);
            double error = Math.abs(FloatErf.erf(x) - exact);
            worstAbsolute = Math.max(worstAbsolute, error);
            if (exact != 0) worstRelative = Math.max(worstRelative, error / Math.abs(exact));
        }
        assertThat(worstAbsolute).isLessThan(1.5e-7);
        assertThat(worstRelative).isLessThan(3e-7);
        assertThat(FloatErf.erf(0)).isZero();
        assertThat(FloatErf.erf(-1.3)).isEqualTo(-FloatErf.erf(1.3));
    }
}
