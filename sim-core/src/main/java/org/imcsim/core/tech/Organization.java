package org.imcsim.core.tech;

/**
 * How arrays are grouped on a chip. The mapper allocates whole array groups (ISAAC's IMA, NeuroSim's PE) to a
 * layer, since the arrays of a group share input registers and converters.
 */
public record Organization(String groupName, int arraysPerGroup, int groupsPerTile, int tilesPerChip) {
    public Organization {
        if (arraysPerGroup <= 0 || groupsPerTile <= 0 || tilesPerChip <= 0) {
            throw new IllegalArgumentException("organization counts must be positive");
        }
    }

    public long groupsPerChip() { return (long) groupsPerTile * tilesPerChip; }

    public long arraysPerChip() { return groupsPerChip() * arraysPerGroup; }
}
