package org.abacim.core.tensor;

import java.util.ServiceLoader;

/** Looks the implementation up once, on first use: costing a design never does. */
final class InstalledProducts {
    private InstalledProducts() {}

    static final MatrixProducts INSTANCE = ServiceLoader.load(MatrixProducts.class, MatrixProducts.class.getClassLoader())
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("simulating a technology's arithmetic needs the runtime module "
                    + "(sim-runtime) on the class path; the hardware model alone only costs designs"));
}
