package org.abacim.sram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.DesignInfo;
import org.abacim.core.tech.Technology;

/** 6T-SRAM charge-domain in-memory computing macros with charge-injection SAR ADCs: CAP-RAM. */
public final class SramCapramTechnology implements Technology {
    public static final String ID = "sram-capram";

    @Override public String id() { return ID; }

    @Override
    public String description() {
        return "6T-SRAM charge-domain macros: semi-parallel MAC circuits, charge-injection DAC inputs, ciSAR ADCs";
    }

    @Override
    public Design configure(DesignInfo info, ConfigDocument parameters) {
        return new CapRamDesign(info, ConfigBinder.bind(parameters, CapRamParams.class));
    }

    @Override
    public Optional<Class<? extends Record>> parameterRecord() {
        return Optional.of(CapRamParams.class);
    }

    @Override
    public Map<String, String> presets() {
        Map<String, String> presets = new LinkedHashMap<>();
        presets.put("capram", "/org/abacim/sram/presets/capram.yaml");
        return presets;
    }
}
