package org.imcsim.reram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.imcsim.core.config.ConfigBinder;
import org.imcsim.core.config.ConfigDocument;
import org.imcsim.core.tech.Design;
import org.imcsim.core.tech.DesignInfo;
import org.imcsim.core.tech.Technology;

/** ReRAM / memristor crossbars with bit-serial inputs and column ADCs: ISAAC and its descendants. */
public final class CrossbarReramTechnology implements Technology {
    public static final String ID = "crossbar-reram";

    @Override public String id() { return ID; }

    @Override
    public String description() {
        return "ReRAM crossbars: multi-bit cells, bit-serial inputs, column ADCs, ISAAC's chip/tile/IMA organization";
    }

    @Override
    public Design configure(DesignInfo info, ConfigDocument parameters) {
        ReramParams params = ConfigBinder.bind(parameters, ReramParams.class);
        return new ReramDesign(info, params);
    }

    @Override
    public Optional<Class<? extends Record>> parameterRecord() {
        return Optional.of(ReramParams.class);
    }

    @Override
    public Map<String, String> presets() {
        Map<String, String> presets = new LinkedHashMap<>();
        presets.put("isaac", "/org/imcsim/reram/presets/isaac.yaml");
        presets.put("forms", "/org/imcsim/reram/presets/forms.yaml");
        presets.put("admm-memristor", "/org/imcsim/reram/presets/admm-memristor.yaml");
        return presets;
    }
}
