package org.abacim.experiments.sweep;

import java.io.Serializable;
import java.util.Map;

/**
 * One point of a sweep plan: its place in the plan, preset, network and axis values. Serializable: a cluster backend
 * ships points to the processes that evaluate them.
 */
public record SweepPoint(int index, String preset, String network, Map<String, SweepSpec.Value> axes)
        implements Serializable {}
