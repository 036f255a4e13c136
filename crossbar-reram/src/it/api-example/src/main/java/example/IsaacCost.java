package example;

import java.util.List;
import org.abacim.core.api.DesignPoint;
import org.abacim.core.result.Result;

/** ISAAC running VGG-16, costed from Java: a preset, a network, one override, the result. */
public final class IsaacCost {
    public static void main(String[] args) {
        DesignPoint point = DesignPoint.load(null, "isaac", "vgg16", List.of("adc.bits=6"));
        Result result = point.evaluate();
        System.out.printf("%s × %s with %s: %.3f mJ per inference, %.0f inferences/s, %.1f mm² per chip, %d chips%n",
                result.design().name(), result.network().name(), "6-bit ADCs", result.metric("energy_J") * 1e3,
                result.metric("fps"), result.metric("area_mm2"), result.chips());
    }
}
