package org.abacim.mapping.plugin;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abacim.core.arch.Action;
import org.abacim.core.arch.Component;
import org.abacim.core.arch.Hierarchy;
import org.abacim.core.arch.Ledger;
import org.abacim.core.arch.Level;
import org.abacim.core.config.Check;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.placement.LayerPlacement;
import org.abacim.core.placement.TileClass;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.ArrayModel;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.DesignInfo;
import org.abacim.core.tech.MvmActivity;
import org.abacim.core.tech.Organization;
import org.abacim.core.tech.PlacementConstraint;
import org.abacim.core.tech.SignEncoding;
import org.abacim.core.tech.Technology;
import org.abacim.core.units.Area;
import org.abacim.core.units.DataRate;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Frequency;
import org.abacim.core.units.Power;
import org.abacim.core.units.Time;

/**
 * A technology that exists only in test code, to prove the plug-in rule: nothing in sim-core or mapping names it.
 * A made-up spiking crossbar: unsigned 1-bit weights, each column's current integrated into spikes that a counter
 * adds (its own action, {@code SPIKE_INTEGRATE}), in cells of its own encoding; the arrays of a group share one integrator bank and run two at a
 * time (its own timing); negative weights cannot be stored at all (its own placement constraint).
 */
final class SpikingTechnology implements Technology {
    static final Action SPIKE_INTEGRATE =
            Action.declare("SPIKE_INTEGRATE", "integrate one column's current into spikes and count them");

    /** The parameters, bound strictly from YAML like every technology's. */
    record Params(int rows, int cols, int arraysPerGroup, int groups, Time spikeWindow, Energy integrate,
                  Energy rowDrive, Area arrayArea) {
        Params {
            Check.between("rows", rows, 1, 4096);
            Check.between("cols", cols, 1, 4096);
            Check.between("arraysPerGroup", arraysPerGroup, 1, 64);
            Check.between("groups", groups, 1, 1 << 20);
        }
    }

    @Override public String id() { return "test-spiking"; }

    @Override public String description() { return "a spiking crossbar defined in test code"; }

    @Override
    public Design configure(DesignInfo info, ConfigDocument parameters) {
        return new SpikingDesign(info, ConfigBinder.bind(parameters, Params.class));
    }

    @Override public Map<String, String> presets() { return Map.of(); }

    /** Its own sign encoding: conductances hold non-negative 1-bit weights, one cell each. */
    enum Conductance implements SignEncoding {
        UNSIGNED;

        @Override public String key() { return "unsigned"; }

        @Override public int cellsPerWeight(int weightBits, int bitsPerCell) {
            return SignEncoding.wholeCells(weightBits, bitsPerCell);
        }

        @Override public boolean unsignedOnly() { return true; }
    }

    /** Arrays two at a time per group: the timing hook. */
    static final int ARRAYS_AT_ONCE = 2;

    static final class SpikingDesign implements Design, ArrayModel {
        private final DesignInfo info;
        private final Params p;
        private final ArrayGeometry geometry;
        private final Component array;
        private final Component integrator;
        private final Component dac;
        private final Hierarchy hierarchy;

        SpikingDesign(DesignInfo info, Params p) {
            this.info = info;
            this.p = p;
            this.geometry = new ArrayGeometry(p.rows(), p.cols(), 1, 1, 1, 1, Conductance.UNSIGNED);
            array = Component.of("spiking_array", p.arraysPerGroup(), Power.ofMilliwatts(0.1), p.arrayArea(),
                    Map.of(Action.ARRAY_READ, Energy.ofPicojoules(0)), "test");
            dac = Component.of("row_driver", p.rows(), Power.ofMilliwatts(0.01), Area.ofSquareMillimeters(1e-5),
                    Map.of(Action.ROW_DRIVE, p.rowDrive()), "test");
            integrator = Component.of("integrator", p.cols(), Power.ofMilliwatts(0.02), Area.ofSquareMillimeters(1e-4),
                    Map.of(SPIKE_INTEGRATE, p.integrate()), "test");
            hierarchy = new Hierarchy(List.of(new Level("chip", 1, List.of()),
                    new Level("group", p.groups(), List.of(array, dac, integrator))));
        }

        @Override public DesignInfo info() { return info; }
        @Override public ArrayGeometry geometry() { return geometry; }
        @Override public Organization organization() { return new Organization("group", p.arraysPerGroup(), p.groups(), 1); }
        @Override public Hierarchy hierarchy() { return hierarchy; }
        @Override public ArrayModel arrayModel() { return this; }
        @Override public Frequency clock() { return Frequency.of(1 / p.spikeWindow().seconds()); }
        @Override public int activationBits() { return 1; }
        @Override public Optional<DataRate> offChipBandwidth() { return Optional.empty(); }

        @Override
        public void countMvm(int rowsUsed, int colsUsed, double times, Ledger ledger) {
            ledger.add(array, Action.ARRAY_READ, times);
            ledger.add(dac, Action.ROW_DRIVE, times * rowsUsed);
            ledger.add(integrator, SPIKE_INTEGRATE, times * colsUsed);
        }

        @Override
        public double mvmSeconds(int rowsUsed, int colsUsed) {
            return p.spikeWindow().seconds();
        }

        /** A copy's arrays share the group's integrators two at a time: ⌈arrays / 2⌉ spike windows. */
        @Override
        public double multiplySeconds(LayerPlacement layer, long firstArray, MvmActivity inputs) {
            long arrays = 0;
            for (TileClass t : layer.tiles()) arrays += t.count();
            return Math.ceil((double) arrays / ARRAYS_AT_ONCE) * p.spikeWindow().seconds();
        }

        @Override
        public List<PlacementConstraint> placementConstraints() {
            return List.of((weights, outputs) -> {
                for (int i = 0; i < weights.length; i++) {
                    if (weights[i] < 0) {
                        return Optional.of("weight " + i + " is negative (" + weights[i]
                                + "); spiking arrays store only non-negative conductances");
                    }
                }
                return Optional.empty();
            });
        }
    }
}
