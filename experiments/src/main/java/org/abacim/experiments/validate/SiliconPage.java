package org.abacim.experiments.validate;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The silicon suite's part of the validation page: errors by metric, charts, the peers' errors, every macro's rows. */
public final class SiliconPage {
    private SiliconPage() {}

    public static String markdown(List<SiliconSuite.Macro> macros, List<String> charts) {
        StringBuilder b = new StringBuilder();
        Map<String, Integer> classes = new TreeMap<>();
        int points = 0;
        for (SiliconSuite.Macro m : macros) {
            classes.merge(m.technologyClass().label(), 1, Integer::sum);
            points += m.points().size();
        }
        b.append("\n## Published silicon: predicted from design parameters\n\n");
        b.append(String.format(Locale.ROOT, "%d macros and chips (", macros.size()));
        StringBuilder cls = new StringBuilder();
        classes.forEach((k, v) -> cls.append(cls.length() == 0 ? "" : "; ").append(k).append(": ").append(v));
        b.append(cls).append(String.format(Locale.ROOT, "), %d operating points, each written in ", points));
        b.append("`experiments/validation/silicon/` from its paper's design parameters (process node, supply, clock, "
                + "array, input and weight bits, readout) and predicted by the macro model (`abacim macro`, "
                + "[macros.md](macros.md)) from the component estimators of [reference/technology-scaling.md]"
                + "(reference/technology-scaling.md). Nothing in the model was fitted to any of these macros; the "
                + "estimators rest on published data that is not about them (Stillmaker–Baas scaling, Horowitz's 45 nm "
                + "figures, the Murmann ADC survey, wire and cell data). Throughput where the clock is the paper's own is "
                + "a roll-up of that clock through the macro's cycle count; at other supplies or modes it is predicted. "
                + "Rows whose error exceeds the issue's 40 % goal are marked not reproduced, with the reason, but they "
                + "still count in the errors below. The model's structure was written with these macros in view (see "
                + "[design/predicting-silicon.md](design/predicting-silicon.md)), so this is a test of the estimators, "
                + "not a blind one of the structure.\n\n");
        b.append("### Errors\n\n");
        b.append("Absolute relative error over the prediction rows (not-reproduced rows included; roll-ups left out). "
                + "The last column shows what one shared factor per metric, fitted leave-one-out over the other macros, "
                + "would give; the rows above stay uncalibrated.\n\n");
        b.append("| metric | rows | macros | median error | maximum error | goal (median / max) | one global factor, leave-one-out (median / max) |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (SiliconSuite.ErrorSummary s : SiliconSuite.summary(macros)) {
            SiliconSuite.ErrorSummary loo = SiliconSuite.leaveOneOut(macros, s.metric());
            String goal = switch (s.metric()) {
                case ENERGY_EFFICIENCY, THROUGHPUT -> "≤ 15 % / ≤ 40 %";
                case AREA -> "≤ 20 % / –";
                default -> "–";
            };
            b.append(String.format(Locale.ROOT, "| %s (%s) | %d | %d | %.0f %% | %.0f %% | %s | %s |%n", s.metric().label(),
                    s.metric().unit(), s.rows(), s.macros(), s.median(), s.max(), goal,
                    loo == null ? "–" : String.format(Locale.ROOT, "%.0f %% / %.0f %%", loo.median(), loo.max())));
        }
        b.append('\n');
        for (String chart : charts) b.append("![").append(chart).append("](img/").append(chart).append(")\n");
        b.append("\n### Against the tools that validate the same way\n\n");
        b.append("| tool | silicon | reported error | fitted to the macros? |\n|---|---|---|---|\n");
        b.append("| CiMLoop (ISPASS 2024) | 4 macros (Jia, Sinangil, Wan, Wang) | energy efficiency 7 %, throughput 2 % "
                + "(average over voltage sweeps); 4 % per energy component, 8 % per area component | yes: per-macro "
                + "calibration of ADC energy/area, driver area, cell capacitance and latency scaling "
                + "([reference](reference/silicon-cimloop-macros.md)) |\n");
        b.append("| ZigZag-IMC | 7 SRAM chips | energy 89 %–1597 % of reported (3 within ±2 %), area 51 %–123 %, "
                + "clock period 83 %–131 % | yes: gate area, delay and capacitance fitted to the digital chips "
                + "([reference](reference/silicon-zigzag-imc-chips.md)) |\n");
        b.append("| abacim (this page) | ").append(macros.size()).append(" macros | see Errors above | no: shared "
                + "estimators only |\n\n");
        b.append("### Macros\n\n");
        for (SiliconSuite.Macro m : macros) {
            b.append("#### ").append(m.name()).append("\n\n");
            b.append(m.technologyClass().label()).append(" — ").append(m.source()).append(". `experiments/validation/silicon/")
                    .append(m.id()).append(".yaml`");
            if (!m.note().isBlank()) b.append(". ").append(m.note().trim());
            b.append("\n\n| point | metric | published | abacim | error | kind | status |\n|---|---|---|---|---|---|---|\n");
            StringBuilder reasons = new StringBuilder();
            for (SiliconSuite.PointResult p : m.points()) {
                for (Map.Entry<SiliconSuite.Figure, Validation.Outcome> e : p.outcomes().entrySet()) {
                    Validation.Outcome o = e.getValue();
                    b.append(String.format(Locale.ROOT, "| %s | %s | %.4g %s | %.4g %s | %+.0f %% | %s | %s |%n", p.label(),
                            e.getKey().label(), o.row().published(), e.getKey().unit(), o.simulated(), e.getKey().unit(),
                            o.errorPercent(), o.row().kind().key(), o.ok() ? o.status() : "**" + o.status() + "**"));
                    if (o.row().reason() != null) {
                        reasons.append("- ").append(p.label()).append(", ").append(e.getKey().label()).append(": ")
                                .append(o.row().reason()).append('\n');
                    }
                }
            }
            if (reasons.length() > 0) b.append("\nWhy not reproduced:\n\n").append(reasons);
            Set<String> warnings = new LinkedHashSet<>();
            for (SiliconSuite.PointResult p : m.points()) warnings.addAll(p.result().warnings());
            for (String w : warnings) b.append("\nWarning: ").append(w).append('\n');
            b.append('\n');
        }
        return b.toString();
    }
}
