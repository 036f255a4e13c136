package org.abacim.reram;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** FORMS's placement constraint, as the design hands it to the placer. */
class PolarizedFragmentsTest {
    @Test
    void formsArraysRefuseAFragmentThatMixesSignsAndForbidRowCompaction() {
        ReramDesign forms = Presets.load("forms", "array.rows=4", "array.fragmentRows=4", "array.cols=4",
                "weights.bits=2", "array.bitsPerCell=1");
        assertThat(forms.placementConstraints()).hasSize(1);
        var rule = forms.placementConstraints().get(0);
        assertThat(rule.allowsRowCompaction()).isFalse();
        // Two outputs of 8 inputs ([out][k]): output 0 one sign per fragment of 4 rows, output 1 mixes in rows 4–7.
        float[] w = {-1, -1, 0, -1, 1, 1, 1, 0,
                     1, 1, 1, 1, 1, -1, 1, 1};
        assertThat(rule.violation(w, 2)).hasValue("weights of output 1 mix signs in rows 4–7; polarized arrays need "
                + "every fragment of 4 rows to hold one sign (compress the model with a polarize projection of fragment 4)");
        w[13] = 0;
        assertThat(rule.violation(w, 2)).isEmpty();
    }

    @Test
    void isaacHasNoPlacementConstraint() {
        assertThat(Presets.load("isaac").placementConstraints()).isEmpty();
    }
}
