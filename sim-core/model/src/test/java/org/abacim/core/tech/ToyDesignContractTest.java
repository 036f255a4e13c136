package org.abacim.core.tech;

/** The contract test run on the toy design, so the contract itself is exercised in sim-core's own build. */
class ToyDesignContractTest extends TechnologyContractTest {
    @Override protected Design design() { return new ToyDesign(4, 2); }

    @Override protected Design designWithArraySize(int rows, int cols) {
        return new ToyDesign(rows, cols);
    }
}
