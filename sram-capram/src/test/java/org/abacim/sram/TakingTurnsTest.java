package org.abacim.sram;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** CAP-RAM's timing hook: sub-arrays of one macro share its circuits, so those of one copy run in turn. */
class TakingTurnsTest {
    @Test
    void arraysThatTakeTurnsRunAsManyInSequenceAsOneGroupHoldsOfACopy() {
        // 14 arrays from array 4 in groups of 8: 4 + 8 + 2, so 8 run in turn.
        assertThat(CapRamDesign.mostArraysInOneGroup(4, 14, 1, 8)).isEqualTo(8);
        // 6 arrays from array 5: 3 + 3.
        assertThat(CapRamDesign.mostArraysInOneGroup(5, 6, 1, 8)).isEqualTo(3);
        // Copies of 3 from 0: [0,3) [3,6) [6,9): the third straddles, the first two hold 3 each.
        assertThat(CapRamDesign.mostArraysInOneGroup(0, 3, 3, 8)).isEqualTo(3);
        assertThat(CapRamDesign.mostArraysInOneGroup(6, 1, 1, 8)).isEqualTo(1);
    }
}
