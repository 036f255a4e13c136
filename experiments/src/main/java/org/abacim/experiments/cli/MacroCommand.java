package org.abacim.experiments.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.config.Overrides;
import org.abacim.core.macro.MacroModel;
import org.abacim.core.macro.MacroResult;
import org.abacim.core.macro.MacroSpec;
import org.abacim.experiments.validate.SiliconSuite;
import org.abacim.core.units.Area;
import org.abacim.core.units.Energy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "macro", mixinStandardHelpOptions = true,
        description = {"Predict a compute-in-memory macro's energy efficiency, throughput, area and compute density "
                + "from its design parameters (process node and supply, clock, array, input/weight bits, readout), with energy "
                + "and area by component and whether each was estimated or given.",
                "FILE is a macro (the keys of docs/macros.md) or a validation-suite file (its macro: section; "
                        + "--point applies one operating point's overrides).",
                "Example: abacim macro experiments/validation/silicon/wang-vlsi-2022.yaml --set process.supply=0.9V"})
final class MacroCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Macro file.")
    Path file;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a key, like process.supply=0.9V (repeatable).")
    List<String> set = new ArrayList<>();

    @Option(names = "--point", paramLabel = "ID", description = "In a validation-suite file, apply this operating point's overrides first.")
    String point;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table (default) or json.")
    String format;

    @Override
    public Integer call() {
        if (!format.equals("table") && !format.equals("json")) {
            throw OptionChecks.refused("--format", format, "expected table or json");
        }
        ConfigDocument doc = ConfigReader.read(file);
        ConfigDocument macro;
        if (doc.root().has("macro")) {
            macro = point == null ? MacroSpec.withClockSupply(doc.subDocument("macro"))
                    : SiliconSuite.macroAt(doc, point).orElseThrow(
                            () -> OptionChecks.refused("--point", point, "an id of one of the file's points"));
        } else if (point != null) {
            throw OptionChecks.refused("--point", point, "only for a validation-suite file (one with a macro: section)");
        } else {
            macro = MacroSpec.withClockSupply(doc);
        }
        macro = Overrides.apply(macro, set);
        MacroResult r = MacroModel.evaluate(MacroSpec.bind(macro));
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.print(json(r));
        } else {
            out.printf(Locale.ROOT, "%s%n", r.name());
            out.printf(Locale.ROOT, "  energy efficiency %.4g TOPS/W   throughput %.4g TOPS   area %.4g mm²   compute density %.4g TOPS/mm²%n",
                    r.topsPerWatt(), r.tops(), r.totalArea().squareMeters() * 1e6, r.topsPerSquareMillimeter());
            out.printf(Locale.ROOT, "  one pass: %.6g MACs (%.6g ops) in %s at %s, %s (%s per MAC)%n", r.macsPerPass(),
                    r.opsPerPass(), r.passTime(), r.clock(), r.passEnergy(), r.energyPerMac());
            out.println("  energy per pass by component:");
            for (Map.Entry<String, Energy> e : r.energy().entrySet()) {
                out.printf(Locale.ROOT, "    %-12s %12s %5.1f %%   %s%n", e.getKey(), e.getValue(),
                        100 * e.getValue().joules() / r.passEnergy().joules(), r.provenance().getOrDefault(e.getKey(), ""));
            }
            out.println("  area by component:");
            for (Map.Entry<String, Area> e : r.area().entrySet()) {
                out.printf(Locale.ROOT, "    %-12s %10.4g mm² %5.1f %%%n", e.getKey(), e.getValue().squareMeters() * 1e6,
                        100 * e.getValue().squareMeters() / r.totalArea().squareMeters());
            }
            for (String w : r.warnings()) out.println("  warning: " + w);
        }
        out.flush();
        return 0;
    }

    static String json(MacroResult r) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("name", r.name());
        root.put("energy_efficiency_TOPS_per_W", r.topsPerWatt());
        root.put("throughput_TOPS", r.tops());
        root.put("area_mm2", r.totalArea().squareMeters() * 1e6);
        root.put("compute_density_TOPS_per_mm2", r.topsPerSquareMillimeter());
        root.put("macs_per_pass", r.macsPerPass());
        root.put("pass_time_s", r.passTime().seconds());
        root.put("clock_Hz", r.clock().hertz());
        root.put("pass_energy_J", r.passEnergy().joules());
        ObjectNode e = root.putObject("energy_J");
        r.energy().forEach((k, v) -> e.put(k, v.joules()));
        ObjectNode a = root.putObject("area_mm2_by_component");
        r.area().forEach((k, v) -> a.put(k, v.squareMeters() * 1e6));
        ObjectNode p = root.putObject("provenance");
        r.provenance().forEach(p::put);
        ArrayNode w = root.putArray("warnings");
        r.warnings().forEach(w::add);
        try {
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
