package org.abacim.experiments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.io.WholeFiles;
import org.abacim.experiments.report.SiliconCharts;
import org.abacim.experiments.validate.SiliconPage;
import org.abacim.experiments.validate.SiliconSuite;
import org.abacim.experiments.validate.Validation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Run the catalogue of published figures and compare abacim's values with them: published, "
                + "simulated, error and kind (roll-up, fitted, prediction, target, not reproduced) for every row, with "
                + "the warnings of the results behind it.",
                "Exit 1 when a reproduced row leaves its tolerance.",
                "Example: abacim validate --out docs/validation.md"})
final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CATALOGUE",
            description = "Catalogue file (default: experiments/validation/catalogue.yaml).")
    Path catalogue = Path.of("experiments", "validation", "catalogue.yaml");

    @Option(names = "--out", paramLabel = "FILE", description = "Write the validation page (Markdown) to FILE.")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json (rows: id, figure, source, kind, unit, published, simulated, "
                    + "error_percent, tolerance_percent, status, warnings).")
    String format;

    @Option(names = "--silicon", paramLabel = "DIR",
            description = "Folder of the published-silicon suite (default: silicon/ beside the catalogue, when there is one; 'none' to skip).")
    String silicon;

    @Option(names = "--all", description = "Also run the heavy rows (training, compression, Monte-Carlo; minutes).")
    boolean all;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores; results do not depend on it).")
    Integer threads;

    @CommandLine.Mixin
    CacheOption cache = new CacheOption();

    @Override
    public Integer call() throws IOException {
        cache.apply();
        if (!format.equals("table") && !format.equals("json")) {
            throw OptionChecks.refused("--format", format, "expected table or json");
        }
        PrintWriter w = spec.commandLine().getOut();
        List<Validation.Row> rows = Validation.read(catalogue);
        int n = OptionChecks.threads(threads);
        // The silicon suite first: it is fast, and a bad macro file should not wait for the catalogue's runs.
        Path besideCatalogue = ConfigReader.folderOf(catalogue).resolve("silicon");
        List<SiliconSuite.Macro> macros = "none".equals(silicon) ? List.of()
                : silicon != null ? SiliconSuite.run(OptionChecks.existingFolder("--silicon", Path.of(silicon)))
                : Files.isDirectory(besideCatalogue) ? SiliconSuite.run(besideCatalogue) : List.of();
        List<Validation.Outcome> outcomes = new ArrayList<>(Validation.run(rows, all, n));
        outcomes.addAll(SiliconSuite.outcomes(macros));
        int outside = 0;
        for (Validation.Outcome o : outcomes) {
            if (!o.ok()) outside++;
            if (format.equals("json")) continue;
            String value = o.ran() ? String.format(Locale.ROOT, "%.5g %s (%+.2f %%)", o.simulated(), o.row().unit(),
                    o.errorPercent()) : "not run (heavy; --all)";
            w.printf(Locale.ROOT, "%-9s %-15s %-44s published %.5g %s, simulated %s%n",
                    !o.ok() ? o.status().toUpperCase(Locale.ROOT) : o.row().kind() == Validation.Kind.NOT_REPRODUCED
                            ? "noted" : o.ran() ? "ok" : "skipped",
                    o.row().kind().key(), o.row().figure(), o.row().published(), o.row().unit(), value);
            for (String warning : o.warnings()) w.printf(Locale.ROOT, "%-9s warning: %s%n", "", warning);
        }
        if (format.equals("json")) w.print(Validation.json(outcomes, SiliconSuite.summary(macros)));
        if (out != null) {
            String command = "abacim validate" + (all ? " --all" : "") + " --out " + out;
            Path target = out.toAbsolutePath();
            Files.createDirectories(target.getParent());
            List<String> charts = macros.isEmpty() ? List.of()
                    : SiliconCharts.write(macros, target.getParent().resolve("img"));
            int catalogueRows = outcomes.size() - SiliconSuite.outcomes(macros).size();
            String page = Validation.markdown(outcomes.subList(0, catalogueRows), command)
                    + (macros.isEmpty() ? "" : SiliconPage.markdown(macros, charts));
            WholeFiles.write(target, page.getBytes(StandardCharsets.UTF_8));
            if (format.equals("table")) w.println("wrote " + out);
        }
        if (format.equals("table")) w.printf(Locale.ROOT, "%d rows: %d outside their tolerance or short of their target%n", outcomes.size(), outside);
        w.flush();
        return outside == 0 ? 0 : 1;
    }
}
