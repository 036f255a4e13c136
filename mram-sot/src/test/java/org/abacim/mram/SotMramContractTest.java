package org.abacim.mram;

import org.abacim.core.tech.Design;
import org.abacim.core.tech.TechnologyContractTest;

/** The technology contract, on the preset with ideal cells and amplifiers (the preset's spreads make read errors). */
class SotMramContractTest extends TechnologyContractTest {
    private static final String[] IDEAL = {"cell.resistanceSigma=0", "cell.tmrSigma=0", "senseAmp.offset=0 uA"};

    @Override protected Design design() { return Presets.load("sot-mram", IDEAL); }

    @Override protected Design designWithArraySize(int rows, int cols) {
        return Presets.load("sot-mram", "array.cols=" + rows, "array.rows=" + (cols + 8),
                "cell.resistanceSigma=0");
    }
}
