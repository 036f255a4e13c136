package org.imcsim.reram;

import org.imcsim.core.tech.Design;
import org.imcsim.core.tech.TechnologyContractTest;

class ReramContractTest extends TechnologyContractTest {
    @Override protected Design design() { return Presets.load("isaac"); }

    @Override protected Design designWithArraySize(int rows, int cols) {
        return Presets.load("isaac", "array.rows=" + rows, "array.cols=" + cols);
    }
}
