package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.abacim.core.result.Metric;
import org.junit.jupiter.api.Test;

/** One metric vocabulary: listed by `abacim metrics`, read from the result JSON it names. */
class MetricsCommandTest {
    @Test
    void everyMetricIsListedWithItsUnitAndMeaning() {
        Cli cli = Cli.run("metrics");
        assertThat(cli.code()).isZero();
        for (Metric m : Metric.all()) assertThat(cli.out()).contains(m.name()).contains(m.meaning());
        assertThat(cli.out()).contains("area_in_use_mm2").contains("total_area_mm2");
    }

    @Test
    void areaInUseIsTheAllocatedGroupsShareOfTheChips() throws Exception {
        // VGG-16 on ISAAC needs several chips; the area in use is the allocated IMAs' share of their silicon.
        Cli cli = Cli.run("run", "--preset", "isaac", "--network", "vgg16", "--format", "json");
        assertThat(cli.code()).as(cli.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(cli.out());
        double chip = r.at("/area/total_mm2").asDouble();
        long groups = r.at("/inference/array_groups").asLong();
        // ISAAC: 12 IMAs per tile, 168 tiles per chip.
        assertThat(r.at("/area/in_use_mm2").asDouble()).isEqualTo(chip * groups / (12 * 168));
        assertThat(r.at("/area/in_use_mm2").asDouble()).isLessThanOrEqualTo(chip * r.get("chips").asInt());
    }
}
