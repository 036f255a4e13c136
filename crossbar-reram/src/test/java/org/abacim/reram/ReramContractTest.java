package org.abacim.reram;

import org.abacim.core.tech.Design;
import org.abacim.core.tech.TechnologyContractTest;

class ReramContractTest extends TechnologyContractTest {
    @Override protected Design design() { return Presets.load("isaac"); }

    @Override protected Design designWithArraySize(int rows, int cols) {
        return Presets.load("isaac", "array.rows=" + rows, "array.cols=" + cols);
    }
}
