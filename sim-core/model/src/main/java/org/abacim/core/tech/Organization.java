package org.abacim.core.tech;

/**
 * How arrays are grouped on a chip. The mapper allocates whole array groups (ISAAC's IMA, NeuroSim's PE) to a
 * layer, since the arrays of a group share input registers and converters. When {@code arraysTakeTurns}, the
 * arrays of a group share one set of compute circuits and run one at a time (CAP-RAM's semi-parallel macro: eight
 * cells per MAC circuit, one of them connected per cycle); otherwise they all run at once.
 */
public record Organization(String groupName, int arraysPerGroup, int groupsPerTile, int tilesPerChip,
                           boolean arraysTakeTurns) {
    /** Arrays that all run at once. */
    public Organization(String groupName, int arraysPerGroup, int groupsPerTile, int tilesPerChip) {
        this(groupName, arraysPerGroup, groupsPerTile, tilesPerChip, false);
    }

    public Organization {
        if (arraysPerGroup <= 0 || groupsPerTile <= 0 || tilesPerChip <= 0) {
            throw new IllegalArgumentException("organization counts must be positive");
        }
    }

    public long groupsPerChip() { return (long) groupsPerTile * tilesPerChip; }

    public long arraysPerChip() { return groupsPerChip() * arraysPerGroup; }

    /** Arrays of a chip computing at the same moment. */
    public long arraysActivePerChip() { return arraysTakeTurns ? groupsPerChip() : arraysPerChip(); }
}
