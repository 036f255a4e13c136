package org.abacim.mram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.DesignInfo;
import org.abacim.core.tech.Technology;

/** SOT-MRAM bit-wise processing-in-memory: dual-row AND reads, bit-counters and shifters (IMCE/ParaPIM line). */
public final class MramSotTechnology implements Technology {
    public static final String ID = "mram-sot";

    @Override public String id() { return ID; }

    @Override
    public String description() {
        return "SOT-MRAM bit-wise processing-in-memory: 2T1MTJ sub-arrays, dual-row AND sensing, bit-count and shift";
    }

    @Override
    public Design configure(DesignInfo info, ConfigDocument parameters) {
        return new SotMramDesign(info, ConfigBinder.bind(parameters, SotMramParams.class));
    }

    @Override
    public Optional<Class<? extends Record>> parameterRecord() {
        return Optional.of(SotMramParams.class);
    }

    @Override
    public Map<String, String> presets() {
        Map<String, String> presets = new LinkedHashMap<>();
        presets.put("sot-mram", "/org/abacim/mram/presets/sot-mram.yaml");
        return presets;
    }
}
