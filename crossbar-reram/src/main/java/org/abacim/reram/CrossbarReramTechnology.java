package org.abacim.reram;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.abacim.core.analog.DeviceData;
import org.abacim.core.analog.DeviceModel;
import org.abacim.core.analog.MeasuredDevice;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.KeyCatalog;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.SourceLocation;
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
        // device.measured and device.measuredTime have defaults (no measured data): a design need not name them.
        parameters = parameters.withDefaultsAt("device", KeyCatalog.defaults(DeviceModel.class),
                key -> KeyCatalog.where(DeviceModel.class, key));
        // Keys added after the presets were written (drift's 1/f noise, read time, compensation) take their declared
        // defaults, so presets and the configs built on them (and their sweep ids) stay as they were.
        parameters = parameters.withDefaultsAt("device.drift", KeyCatalog.defaults(DeviceModel.Drift.class),
                key -> KeyCatalog.where(DeviceModel.Drift.class, key));
        ReramParams params = ConfigBinder.bind(parameters, ReramParams.class);
        if (!params.device().usesMeasured()) return new ReramDesign(info, params);
        MeasuredDevice measured = loadMeasured(params, parameters);
        return new ReramDesign(info, params, measured);
    }

    /**
     * The states {@code device.measured} names: a built-in set, or a file relative to the config file that wrote the
     * key (the working directory for --set). Errors in the file name its line and column; a design the data cannot
     * serve (more levels per cell than measured, a time outside the measured span) is blamed on the key.
     */
    private static MeasuredDevice loadMeasured(ReramParams params, ConfigDocument doc) {
        String name = params.device().measured();
        SourceLocation where = doc.locate("device.measured");
        Path base = null;
        try {
            Path written = Path.of(where.source());
            if (Files.isRegularFile(written)) base = written.toAbsolutePath().getParent();
        } catch (InvalidPathException e) {
            // written on the command line: relative to the working directory
        }
        MeasuredDevice measured = DeviceData.load(name, base);
        int levels = 1 << params.array().bitsPerCell();
        try {
            measured.cells(levels, params.device().measuredTime().seconds());
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().contains("after programming") ? "device.measuredTime" : "device.measured";
            throw new ConfigException(doc.locate(key), key, doc.valueText(key), e.getMessage());
        }
        return measured;
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
