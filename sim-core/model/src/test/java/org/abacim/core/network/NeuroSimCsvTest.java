package org.abacim.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.abacim.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class NeuroSimCsvTest {
    /** NeuroSim's VGG-8 network file, as its NetWork_VGG8.csv lists the layers. */
    static final List<String> VGG8 = List.of(
            "32,32,3,3,3,128,0,1",
            "32,32,128,3,3,128,1,1",
            "16,16,128,3,3,256,0,1",
            "16,16,256,3,3,256,1,1",
            "8,8,256,3,3,512,0,1",
            "8,8,512,3,3,512,1,1",
            "1,1,8192,1,1,1024,0,1",
            "1,1,1024,1,1,10,0,1");

    @Test
    void neuroSimVgg8MatchesTheBuiltInVgg8() {
        Network csv = NeuroSimCsv.parse("NetWork_VGG8.csv", "VGG8", VGG8);
        assertThat(csv.weights()).isEqualTo(NetworkZoo.vgg8().weights());
        assertThat(csv.macs()).isEqualTo(NetworkZoo.vgg8().macs());
        assertThat(csv.nodes().stream().filter(n -> n.layer() instanceof Pool).count()).isEqualTo(3);
    }

    @Test
    void aHeaderRowAndCommentsAreSkipped() {
        List<String> lines = new java.util.ArrayList<>(List.of("IFM_H,IFM_W,IFM_C,K_H,K_W,C_out,pool,stride", "# vgg8"));
        lines.addAll(VGG8);
        assertThat(NeuroSimCsv.parse("n.csv", "n", lines).weights()).isEqualTo(NetworkZoo.vgg8().weights());
    }

    @Test
    void malformedRowsAreErrorsWithLineAndColumn() {
        assertThatThrownBy(() -> NeuroSimCsv.parse("n.csv", "n", List.of("32,32,3,3,3,128,0,1", "32,32,128,3,3,x,1,1")))
                .isInstanceOf(ConfigException.class).hasMessage("n.csv:2:15 C_out = x: expected a whole number");
        assertThatThrownBy(() -> NeuroSimCsv.parse("n.csv", "n", List.of("32,32,3,3,3")))
                .hasMessageStartingWith("n.csv:1:1: expected 8 columns");
        assertThatThrownBy(() -> NeuroSimCsv.parse("n.csv", "n", List.of("32,32,3,3,3,128,2,1")))
                .hasMessage("n.csv:1:17 pool = 2: must be 0 or 1");
        assertThatThrownBy(() -> NeuroSimCsv.parse("n.csv", "n", List.of("32,32,3,3,3,128,0,1", "16,16,128,3,3,64,0,1")))
                .hasMessage("n.csv:2:1: input 128×16×16 does not follow from the output of line 1, which is 128×32×32");
        assertThatThrownBy(() -> NeuroSimCsv.parse("n.csv", "n", List.of()))
                .hasMessageContaining("no layer rows");
    }
}
