package org.abacim.sram;

import org.abacim.core.tech.Design;
import org.abacim.core.tech.TechnologyContractTest;

/** The technology contract, on the preset with a lossless ADC (the preset's 7-bit ADC is lossy by design). */
class CapRamContractTest extends TechnologyContractTest {
    @Override protected Design design() { return Presets.load("capram", "adc.bits=auto"); }

    @Override protected Design designWithArraySize(int rows, int cols) {
        return Presets.load("capram", "array.rows=" + rows * 8, "array.cols=" + cols);
    }
}
