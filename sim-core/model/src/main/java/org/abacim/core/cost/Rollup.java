package org.abacim.core.cost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abacim.core.arch.Action;
import org.abacim.core.arch.Component;
import org.abacim.core.arch.Hierarchy;
import org.abacim.core.arch.Ledger;
import org.abacim.core.arch.Level;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.Layer;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.placement.LayerPlacement;
import org.abacim.core.placement.Placement;
import org.abacim.core.placement.TileClass;
import org.abacim.core.result.Result;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.Design;
import org.abacim.core.units.Area;
import org.abacim.core.units.Length;
import org.abacim.core.units.Power;

/**
 * The third part of the cost model: the roll-up into a {@link Result}. Energy is the ledger plus leakage over the
 * time between inferences; area and power come from the hierarchy; peak figures assume every array of a chip
 * multiplying with every row and column in use; per-layer reports, the audited ledger lines, compression credit,
 * programming cost and the components' warnings complete it.
 */
final class Rollup {
    private Rollup() {}

    static Result of(Network net, Design design, Placement placement, SimulationOptions options,
                     Result.Activity activity, LayerLedger ledger, Schedule schedule) {
        return of(net, design, placement, options, AttentionOptions.standard(), activity, ledger, schedule);
    }

    static Result of(Network net, Design design, Placement placement, SimulationOptions options,
                     AttentionOptions attention, Result.Activity activity, LayerLedger ledger, Schedule schedule) {
        Hierarchy h = design.hierarchy();
        ArrayGeometry g = design.geometry();
        double fps = 1 / schedule.secondsPerInference();

        Ledger total = ledger.total();
        double leakageJ = h.leakage().watts() * placement.chips() * schedule.secondsPerInference();
        Map<String, Double> energyBreakdown = new LinkedHashMap<>(total.energyByComponentJ());
        if (leakageJ > 0) energyBreakdown.put("leakage", leakageJ);
        double energyJ = total.energyJ() + leakageJ;

        int fullCols = g.weightsPerRow() * g.cellsPerWeight();
        double macsPerArrayPerSecond = (double) g.weightsPerArray() / g.signEncoding().arraysPerMatrix()
                / design.arrayModel().mvmSeconds(g.rows(), fullCols);
        long arraysPerChip = design.organization().arraysPerChip();
        double peakGops = 2 * macsPerArrayPerSecond * design.organization().arraysActivePerChip() / 1e9;
        double areaMm2 = h.area().squareMillimeters();
        double powerW = h.power().watts();
        double storageMb = (double) arraysPerChip * g.rows() * g.cols() * g.bitsPerCell() / 8 / (1 << 20);

        long macs = net.macs();
        double inferenceGops = 2.0 * macs * fps / 1e9;

        List<Result.LayerLine> layerReports = new ArrayList<>();
        Map<String, LayerPlacement> placed = placement.byLayer();
        // In network order: the weighted layers (in the placement's order, which is the network's) and the layers
        // priced apart (products of activations, non-linear layers on the digital unit).
        for (Network.Node node : net.nodes()) {
            LayerPlacement lp = placed.get(node.name());
            LayerLedger.Unit unit = ledger.units().get(node.name());
            if (lp != null) {
                Schedule.Stage s = schedule.stages().get(lp.layer());
                Ledger l = ledger.byLayer().get(lp.layer());
                layerReports.add(new Result.LayerLine(lp.layer(), kind(node.layer()),
                        Network.macs(node) * LayerLedger.stepsServed(node.layer(), lp),
                        lp.weightBits() > 0 ? lp.weightBits() : g.weightBits(), lp.arrays(),
                        lp.arraysDense(), lp.replication(), lp.arrayGroups(),
                        (long) Math.ceil(s.stageSeconds() * design.clock().hertz() - 1e-6),
                        s.stageSeconds(), l.count(Action.ADC_CONVERT), l.energyJ()));
            } else if (unit != null) {
                long arrays = unit.operands() == null ? 0 : unit.operands().arrays();
                layerReports.add(new Result.LayerLine(node.name(), unit.kind().label, unit.macs(),
                        arrays > 0 ? design.activationBits() : 0, arrays, arrays, 1,
                        LayerLedger.ceilDiv(arrays, design.organization().arraysPerGroup()),
                        (long) Math.ceil(unit.seconds() * design.clock().hertz() - 1e-6), unit.seconds(),
                        unit.ledger().count(Action.ADC_CONVERT), unit.ledger().energyJ()));
            }
        }
        List<Result.LedgerLine> ledgerLines = new ArrayList<>();
        for (Ledger.Line line : total.lines()) {
            ledgerLines.add(new Result.LedgerLine(line.component().name(), line.action().key(), line.count(),
                    line.energyPerActionJ(), line.energyJ(), line.component().source()));
        }

        return new Result(
                new Result.DesignSummary(design.info().technology(), design.info().name(), design.info().description(),
                        design.info().source(), options.pipeline().key(), options.replication().key(),
                        design.process().map(pp -> new Result.ProcessSummary(nanometres(pp.node()), pp.supply().volts(),
                                nanometres(pp.reference().node()), pp.reference().supply().volts())).orElse(null),
                        design.clock().hertz()),
                new Result.NetworkSummary(net.name(), net.description(), net.source(), macs, net.weights()),
                placement.chips(),
                new Result.AreaFigures(areaMm2, toMm2(h.areaBreakdown()),
                        areaMm2 * placement.arrayGroups() / design.organization().groupsPerChip()),
                new Result.PowerFigures(powerW, toWatts(h.powerBreakdown())),
                new Result.Peak(peakGops, peakGops / areaMm2, peakGops / powerW, storageMb / areaMm2,
                        design.organization().arraysPerChip(), design.organization().groupsPerChip()),
                new Result.Inference(fps, schedule.latencyS(), energyJ, energyBreakdown, inferenceGops,
                        2.0 * macs / energyJ / 1e12, inferenceGops / (peakGops * placement.chips()), placement.arrays(),
                        placement.arrayGroups(), ledger.offchipBits(), schedule.bottleneck()),
                layerReports, ledgerLines, null, activity, compression(net, placement),
                programming(design, placement), warnings(h, ledger), components(h),
                AttentionRollup.of(net, design, placement.chips(), attention, ledger, schedule, energyJ));
    }

    /** Every component's warnings (used outside its source data), once each, in hierarchy order. */
    private static List<String> warnings(Hierarchy h, LayerLedger ledger) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        for (Component c : h.components()) all.addAll(c.warnings());
        if (!ledger.units().isEmpty()) all.addAll(ledger.digital().component().warnings());
        return List.copyOf(all);
    }

    /** Every component in hierarchy order, with where its figures come from. */
    private static List<Result.ComponentLine> components(Hierarchy h) {
        List<Result.ComponentLine> lines = new ArrayList<>();
        for (Level level : h.levels()) {
            for (Component c : level.components()) {
                lines.add(new Result.ComponentLine(c.name(), level.name(), c.provenance().kind().key(),
                        c.provenance().scaling(), c.source()));
            }
        }
        return List.copyOf(lines);
    }

    /** The cost of writing every copy's weights once, for designs that price cell writes and model their time. */
    private static Result.Programming programming(Design design, Placement placement) {
        Optional<Component> writer = design.hierarchy().performer(Action.CELL_WRITE);
        if (writer.isEmpty()) return null;
        long cells = 0;
        double seconds = 0;
        for (LayerPlacement lp : placement.layers()) {
            for (TileClass t : lp.tiles()) {
                cells += (long) t.rows() * t.cols() * t.count() * lp.replication();
                seconds = Math.max(seconds, design.arrayModel().writeSeconds(t.rows(), t.cols()));
            }
        }
        if (Double.isNaN(seconds)) return null;
        return new Result.Programming(cells, cells * writer.get().energy(Action.CELL_WRITE).joules(), seconds);
    }

    /** Weight and array totals for a network that carries weights; null for shapes only. */
    private static Result.CompressionCredit compression(Network net, Placement placement) {
        if (!net.hasParams()) return null;
        long weights = 0;
        long kept = 0;
        for (LayerPlacement lp : placement.layers()) {
            if (net.params(lp.layer()) instanceof LayerParams.Dense d) {
                for (float v : d.weight().data()) {
                    weights++;
                    if (v != 0) kept++;
                }
            }
        }
        long arrays = placement.layers().stream().mapToLong(LayerPlacement::arrays).sum();
        long dense = placement.layers().stream().mapToLong(LayerPlacement::arraysDense).sum();
        long indexBits = placement.layers().stream().mapToLong(LayerPlacement::indexBits).sum();
        return new Result.CompressionCredit(weights, kept, arrays, dense, dense - arrays, indexBits);
    }

    private static String kind(Layer layer) {
        return layer instanceof Conv2d ? "conv" : layer instanceof Linear ? "linear" : layer.getClass().getSimpleName();
    }

    private static Map<String, Double> toMm2(Map<String, Area> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.squareMillimeters()));
        return out;
    }

    private static Map<String, Double> toWatts(Map<String, Power> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.watts()));
        return out;
    }

    /** A length in nanometres as written (45 nm, not 45.00000000000001). */
    private static double nanometres(Length length) {
        return Math.rint(length.meters() * 1e9 * 1e6) / 1e6;
    }
}
