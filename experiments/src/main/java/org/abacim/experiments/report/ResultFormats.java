package org.abacim.experiments.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.abacim.core.result.JsonText;
import org.abacim.core.result.Result;

/** A result as JSON (the public interface), as a table for people, or as CSV (one row per layer and a total). */
public final class ResultFormats {
    private ResultFormats() {}

    /** The same JSON on one line, without a line break at the end (an event of a stream). */
    public static String compactJson(Object value) {
        return JsonText.compact(value);
    }

    public static String json(Object resultOrList) {
        return JsonText.pretty(resultOrList);
    }

    public static String csv(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("design,network,layer,kind,macs,arrays,replication,array_groups,cycles,time_s,adc_conversions,energy_J\n");
        long macs = 0, arrays = 0, groups = 0;
        double adc = 0;
        for (Result.LayerLine l : r.layers()) {
            sb.append(String.join(",", r.design().name(), r.network().name(), l.name(), l.kind(),
                    Long.toString(l.macs()), Long.toString(l.arrays()), Integer.toString(l.replication()),
                    Long.toString(l.arrayGroups()), Long.toString(l.cycles()), num(l.timeS()),
                    num(l.adcConversions()), num(l.energyJ()))).append('\n');
            macs += l.macs();
            arrays += l.arrays();
            groups += l.arrayGroups();
            adc += l.adcConversions();
        }
        sb.append(String.join(",", r.design().name(), r.network().name(), "total", "", Long.toString(macs),
                Long.toString(arrays), "", Long.toString(groups), "", num(r.inference().latencyS()), num(adc),
                num(r.inference().energyJ()))).append('\n');
        if (r.attention() != null) {
            // Attention's own work (products of activations and softmax over rows), already among the rows above.
            Result.Attention a = r.attention();
            sb.append(String.join(",", r.design().name(), r.network().name(), "attention", a.products(),
                    Long.toString(a.productMacs()), "", "", "", "", num(a.timeS()), "", num(a.energyJ()))).append('\n');
        }
        return sb.toString();
    }

    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        Result.DesignSummary d = r.design();
        sb.append(String.format(Locale.ROOT, "%s × %s  (%s; %s pipeline, %s replication)%n", d.name(),
                r.network().name(), d.technology(), d.pipeline(), d.replication()));
        sb.append("  design:  ").append(d.source()).append('\n');
        sb.append("  network: ").append(r.network().description()).append(String.format(Locale.ROOT,
                "; %.4g GMAC, %.4g M weights", r.network().macs() / 1e9, r.network().weights() / 1e6));
        if (r.attention() != null) {
            sb.append(String.format(Locale.ROOT, "; + %.4g GMAC in products of two activations",
                    r.attention().productMacs() / 1e9));
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "  chips:   %d%n", r.chips()));
        for (String w : r.warnings()) sb.append("  warning: ").append(w).append('\n');
        sb.append('\n');

        sb.append("Per chip (the design, whatever the network)\n");
        sb.append(String.format(Locale.ROOT, "  area        %10.4g mm²   %s%n", r.area().totalMm2(),
                top(r.area().breakdownMm2(), r.area().totalMm2())));
        sb.append(String.format(Locale.ROOT, "  power       %10.4g W     %s  (all units busy)%n", r.power().totalW(),
                top(r.power().breakdownW(), r.power().totalW())));
        Result.Peak p = r.peak();
        sb.append(String.format(Locale.ROOT, "  peak        %10s GOPS  %.4g GOPS/mm², %.4g GOPS/W, %.4g MB/mm²%n%n",
                readable(p.gops()), p.gopsPerMm2(), p.gopsPerW(), p.storageMbPerMm2()));

        Result.Inference i = r.inference();
        sb.append("Inference (one input, on all chips)\n");
        sb.append(String.format(Locale.ROOT, "  throughput  %10s fps   bottleneck: %s%n", readable(i.fps()), i.bottleneck()));
        sb.append(String.format(Locale.ROOT, "  latency     %10.4g ms%n", i.latencyS() * 1e3));
        sb.append(String.format(Locale.ROOT, "  energy      %10.4g mJ    %s%n", i.energyJ() * 1e3,
                top(i.energyBreakdownJ(), i.energyJ())));
        sb.append(String.format(Locale.ROOT, "  compute     %10s GOPS  %.4g TOPS/W, utilization %.2f %% of peak%n",
                readable(i.gops()), i.topsPerW(), 100 * i.utilization()));
        sb.append(String.format(Locale.ROOT, "  arrays      %10d       in %d array groups; %.4g Mbit cross chips%n%n",
                i.arrays(), i.arrayGroups(), i.offchipBits() / 1e6));

        if (r.attention() != null) attention(sb, r);

        if (r.accuracy() != null) {
            Result.Accuracy a = r.accuracy();
            sb.append(String.format(Locale.ROOT, "Accuracy (%s, %d test images, %d trials, seed %d)%n", a.dataset(),
                    a.samples(), a.trials().size(), a.seed()));
            sb.append(String.format(Locale.ROOT, "  float32 %.2f %%, integer on ideal arrays %.2f %%, on simulated chips "
                    + "%.2f ± %.2f %% (min %.2f %%, max %.2f %%)%n", 100 * a.reference(), 100 * a.quantized(),
                    100 * a.mean(), 100 * a.std(), 100 * a.min(), 100 * a.max()));
            sb.append(String.format(Locale.ROOT, "  ± is the chips' spread; the draw of %d images adds a standard error "
                    + "of %.2f points (binomial)%n", a.samples(), 100 * a.samplingSe()));
            if (!a.atTimes().isEmpty()) {
                sb.append(String.format(Locale.ROOT, "  %-12s %9s %8s %11s %8s %8s%n", "after", "mean (%)", "std",
                        "sampling se", "min", "max"));
                for (Result.AtTime t : a.atTimes()) {
                    sb.append(String.format(Locale.ROOT, "  %-12s %9.2f %8.2f %11.2f %8.2f %8.2f%n", t.time(),
                            100 * t.mean(), 100 * t.std(), 100 * t.samplingSe(), 100 * t.min(), 100 * t.max()));
                }
            }
        }
        if (r.activity() != null && !r.activity().layers().isEmpty()) {
            sb.append("  activity measured (priced by the cost model): input digits driven ");
            List<String> parts = new ArrayList<>();
            for (Result.LayerActivity l : r.activity().layers()) {
                parts.add(String.format(Locale.ROOT, "%s %.0f %%", l.name(), 100 * l.inputDigitDensity()));
            }
            sb.append(String.join(", ", parts)).append('\n');
        }
        if (r.accuracy() != null || (r.activity() != null && !r.activity().layers().isEmpty())) sb.append('\n');
        sb.append(String.format(Locale.ROOT, "%-12s %-6s %12s %9s %7s %12s %11s %13s %11s%n", "layer", "kind", "MACs",
                "arrays", "copies", "cycles", "time (µs)", "ADC convs", "energy (µJ)"));
        for (Result.LayerLine l : r.layers()) {
            sb.append(String.format(Locale.ROOT, "%-12s %-6s %12d %9d %7d %12d %11.4g %13.4g %11.4g%n", l.name(),
                    l.kind(), l.macs(), l.arrays(), l.replication(), l.cycles(), l.timeS() * 1e6, l.adcConversions(),
                    l.energyJ() * 1e6));
        }
        return sb.toString();
    }

    /** What is not weight-stationary: attention's share, the digital unit, operand writes, a KV cache. */
    private static void attention(StringBuilder sb, Result r) {
        Result.Attention a = r.attention();
        sb.append(String.format(Locale.ROOT, "Attention (products of two activations %s)%n",
                a.products().equals("digital") ? "on the digital unit" : "written into the arrays every inference"));
        sb.append(String.format(Locale.ROOT, "  attention   %10.4g µJ    %.1f %% of the energy; %.4g µs, %.1f %% of the "
                        + "latency (products and softmax over rows; %.4g GMAC)%n", a.energyJ() * 1e6,
                100 * a.energyShare(), a.timeS() * 1e6, 100 * a.latencyShare(), a.productMacs() / 1e9));
        sb.append(String.format(Locale.ROOT, "  non-linear  %10.4g µJ    %.4g µs (layer norm, GELU, erf, softmax over "
                + "features)%n", a.nonlinearEnergyJ() * 1e6, a.nonlinearTimeS() * 1e6));
        Result.DigitalUnitFigures d = a.digitalUnit();
        sb.append(String.format(Locale.ROOT, "  digital     %10.4g µJ    %d lanes at %.4g GHz, %d-bit, %.4g pJ per MAC, "
                        + "%.4g mm² (not in the chip's area), busy %.4g µs%n", d.energyJ() * 1e6, d.lanes(),
                d.clockHz() / 1e9, d.bits(), d.macEnergyJ() * 1e12, d.areaMm2(), d.busyS() * 1e6));
        if (a.operandArrays() != null) {
            Result.OperandArrayFigures o = a.operandArrays();
            sb.append(String.format(Locale.ROOT, "  writes      %10.4g µJ    %.4g cells in %d arrays every inference, "
                            + "%.4g µs a product; endurance %.3g writes: %.3g years at %s fps%n", o.writeEnergyJ() * 1e6,
                    o.cellsWritten(), o.arrays(), o.writeTimeS() * 1e6, o.enduranceCycles(), o.lifetimeYears(),
                    readable(r.inference().fps())));
        }
        if (a.kvCache() != null) {
            Result.KvCache k = a.kvCache();
            String where = k.heldIn().equals("buffer")
                    ? (k.bufferBits() == null ? "in the buffer (the design states no capacity)"
                            : String.format(Locale.ROOT, "in the buffer of %.4g MiB: %s", k.bufferBits() / 8 / (1 << 20),
                            k.fits() ? "fits" : "does not fit"))
                    : String.format(Locale.ROOT, "in the arrays, %.4g cells; endurance %.3g writes: %.3g years at "
                            + "%.4g tokens/s", k.cells(), k.enduranceCycles(), k.lifetimeYears(), k.tokensPerS());
            sb.append(String.format(Locale.ROOT, "  KV cache    %10.4g MiB   %d tokens × %.4g KiB; %.4g KiB written per "
                            + "token; %s%n", k.sizeBits() / 8 / (1 << 20), k.tokens(), k.bitsPerToken() / 8 / 1024,
                    k.writeBitsPerToken() / 8 / 1024, where));
        }
        sb.append('\n');
    }

    /** The largest shares of a breakdown: "adc 58%, dac 10%, …". */
    private static String top(Map<String, Double> breakdown, double total) {
        List<Map.Entry<String, Double>> entries = new ArrayList<>(breakdown.entrySet());
        entries.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Double> e : entries.subList(0, Math.min(4, entries.size()))) {
            parts.add(String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100 * e.getValue() / total));
        }
        return String.join(", ", parts);
    }

    /** Four significant digits, with thousands separators instead of an exponent for large values. */
    private static String readable(double v) {
        return Math.abs(v) >= 1e4 && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String num(double v) {
        return Double.toString(v);
    }
}
