package org.abacim.core.network;

import java.util.Arrays;
import java.util.List;

/**
 * Channels of one input, picked and reordered: output channel k is input channel {@code channels[k]}. It is what
 * ShuffleNet's channel shuffle (a reshape, a transpose and a reshape back) and its channel split (Slice) do. Like a
 * concatenation it moves no data through an array and costs nothing of its own.
 */
public record SelectChannels(String name, String input, int[] channels) implements Layer {
    public SelectChannels {
        channels = channels.clone();
        if (channels.length == 0) throw new NetworkException("layer " + name + ": selects no channels");
    }

    @Override public List<String> inputs() { return List.of(input); }

    @Override
    public Shape outputShape(List<Shape> in) {
        Shape s = in.get(0);
        for (int c : channels) {
            if (c < 0 || c >= s.channels()) {
                throw new NetworkException("layer " + name + ": channel " + c + " of an input with " + s.channels());
            }
        }
        return new Shape(channels.length, s.height(), s.width());
    }

    @Override public String describe() { return "select " + channels.length + " channels"; }

    @Override
    public boolean equals(Object o) {
        return o instanceof SelectChannels s && s.name.equals(name) && s.input.equals(input)
                && Arrays.equals(s.channels, channels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + input.hashCode()) + Arrays.hashCode(channels);
    }

    @Override
    public String toString() {
        return "SelectChannels[" + name + ", " + input + ", " + Arrays.toString(channels) + "]";
    }
}
