package org.abacim.experiments.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.experiments.report.ResultFormats;

/**
 * The compression schedules the teaching page offers on LeNet-5 and MNIST, written as the compress config
 * ({@code abacim compress FILE}) that runs them: the page shows the file, the server runs the same file.
 * <ul>
 *   <li>{@code steps}: one ADMM step per budget (the fraction of weights kept, progressively smaller) with one
 *   projection, optionally network purification after them and a quantization step at the end;</li>
 *   <li>{@code compare} ({@code abacim compress FILE --compare}): four steps, each from the trained model, at the
 *   last budget — irregular, crossbar-block, pattern and polarization — so their accuracy and arrays sit side by
 *   side.</li>
 * </ul>
 * Blocks are the design's arrays (its rows by the weights one row holds); polarized fragments are the design's (a
 * FORMS design), else 8 rows. Pattern pruning keeps 4 of each 3×3 kernel's 9 weights, in one of 8 patterns, and
 * polarization keeps each fragment's stronger sign; both then prune irregularly down to the budget, so every
 * projection keeps the same number of weights.
 */
final class Schedules {
    static final List<String> PROJECTIONS = List.of("irregular", "crossbar-block", "pattern", "polarize");

    private Schedules() {}

    /** What the page asked for. */
    record Request(String preset, List<String> sets, String mode, String projection, List<Double> keeps, int epochs,
                   int trainingEpochs, boolean purify, int quantizeBits) {
        Request {
            check(mode.equals("steps") || mode.equals("compare"), "mode", mode, "expected steps or compare");
            check(PROJECTIONS.contains(projection), "projection", projection, "expected one of " + PROJECTIONS);
            check(!keeps.isEmpty() && keeps.size() <= 8, "keep", keeps.toString(), "give 1 to 8 budgets");
            for (double k : keeps) check(k > 0 && k <= 1, "keep", Double.toString(k), "a budget is a fraction in (0, 1]");
            check(epochs >= 0 && epochs <= 20, "epochs", Integer.toString(epochs), "expected 0 to 20 per phase");
            check(trainingEpochs >= 1 && trainingEpochs <= 50, "training", Integer.toString(trainingEpochs),
                    "expected 1 to 50 epochs");
            check(quantizeBits == 0 || quantizeBits >= 2 && quantizeBits <= 16, "quantize", Integer.toString(quantizeBits),
                    "expected 0 (none) or 2 to 16 bits");
        }
    }

    private static void check(boolean ok, String parameter, String value, String expected) {
        if (!ok) throw new ConfigException(SourceLocation.of("request"), parameter, value, expected);
    }

    /** The compress config for {@code r} on a design of geometry {@code g}. */
    static String yaml(Request r, ArrayGeometry g) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(r.mode().equals("compare")
                ? "Projections side by side on LeNet-5: abacim compress THIS_FILE --compare"
                : "A compression schedule on LeNet-5: abacim compress THIS_FILE").append('\n');
        b.append("network: lenet5\ndataset: mnist\nmodel: train\n");
        b.append("training: { epochs: ").append(r.trainingEpochs()).append(", seed: 1 }\n");
        b.append("design: { preset: ").append(ResultFormats.compactJson(r.preset())).append(", set: ")
                .append(ResultFormats.compactJson(r.sets())).append(" }\n");
        b.append("stepDefaults: { admmEpochs: ").append(r.epochs()).append(", retrainEpochs: ").append(r.epochs())
                .append(" }\n");
        b.append("steps:\n");
        List<String[]> steps = new ArrayList<>();
        if (r.mode().equals("compare")) {
            double keep = r.keeps().get(r.keeps().size() - 1);
            for (String p : PROJECTIONS) steps.add(new String[] {name(p, keep), projections(p, keep, g)});
        } else {
            for (double keep : r.keeps()) steps.add(new String[] {name(r.projection(), keep), projections(r.projection(), keep, g)});
            if (r.purify()) steps.add(new String[] {"purification + unused paths", "[ { kind: purify, threshold: 0.05 } ]"});
            if (r.quantizeBits() > 0) {
                steps.add(new String[] {r.quantizeBits() + "-bit quantization",
                        "[ { kind: quantize, bits: " + r.quantizeBits() + " } ]"});
            }
        }
        for (String[] s : steps) {
            b.append("  - name: ").append(ResultFormats.compactJson(s[0])).append('\n');
            b.append("    projections: ").append(s[1]).append('\n');
            if (s[0].startsWith("purification")) b.append("    admmEpochs: 0\n");
        }
        b.append("out: lenet5-page.npz\n");
        return b.toString();
    }

    private static String name(String projection, double keep) {
        return projection + " " + percent(keep);
    }

    private static String percent(double keep) {
        String s = String.format(Locale.ROOT, "%.2f", 100 * keep).replaceFirst("\\.?0+$", "");
        return s + " %";
    }

    private static String projections(String projection, double keep, ArrayGeometry g) {
        String k = number(keep);
        String irregular = "{ kind: irregular, keep: " + k + " }";
        return switch (projection) {
            case "irregular" -> "[ " + irregular + " ]";
            case "crossbar-block" -> "[ { kind: crossbar-block, rows: " + g.rows() + ", cols: " + Math.max(1, g.weightsPerRow())
                    + ", keep: " + k + " } ]";
            case "pattern" -> "[ { kind: pattern, entries: 4, library: 8, keepKernels: " + number(Math.min(1, keep * 9 / 4))
                    + " }, " + irregular + " ]";
            case "polarize" -> "[ { kind: polarize, fragment: " + (g.fragmentRows() < g.rows() ? g.fragmentRows() : 8) + " }, "
                    + irregular + " ]";
            default -> throw new IllegalArgumentException(projection);
        };
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6f", v).replaceFirst("0+$", "").replaceFirst("\\.$", ".0");
    }
}
