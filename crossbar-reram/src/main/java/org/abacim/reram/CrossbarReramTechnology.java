package org.abacim.reram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.abacim.core.analog.DeviceModel;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.KeyCatalog;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.DesignInfo;
import org.abacim.core.tech.Technology;

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
        // Keys added after the presets were written (drift's 1/f noise, read time, compensation) take their declared
        // defaults, so presets and the configs built on them (and their sweep ids) stay as they were.
        ConfigDocument filled = parameters.withDefaultsAt("device.drift", KeyCatalog.defaults(DeviceModel.Drift.class),
                key -> KeyCatalog.where(DeviceModel.Drift.class, key));
        ReramParams params = ConfigBinder.bind(filled, ReramParams.class);
        return new ReramDesign(info, params);
    }

    @Override
    public Optional<Class<? extends Record>> parameterRecord() {
        return Optional.of(ReramParams.class);
    }

    @Override
    public Map<String, String> presets() {
        Map<String, String> presets = new LinkedHashMap<>();
        presets.put("isaac", "/org/abacim/reram/presets/isaac.yaml");
        presets.put("forms", "/org/abacim/reram/presets/forms.yaml");
        presets.put("admm-memristor", "/org/abacim/reram/presets/admm-memristor.yaml");
        return presets;
    }
}
