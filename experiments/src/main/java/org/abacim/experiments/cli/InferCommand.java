package org.abacim.experiments.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.data.DataException;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.network.Network;
import org.abacim.core.tensor.Tensor;
import org.abacim.experiments.io.OutputFolder;
import org.abacim.core.api.NetworkSource;
import org.abacim.core.data.Npy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "infer", mixinStandardHelpOptions = true,
        description = {"Run a model on inputs from a .npy file (float32, batch first, in the model's own layout, e.g. "
                + "N×C×H×W) and write the outputs (N×outputs) to a .npy file: compare them with your framework's.",
                "Example: abacim infer --model models/lenet5-mnist.json --input x.npy --out y.npy"})
final class InferCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "ONNX model, or weight-map manifest (.json) or its .npz.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "X.npy", description = "Inputs, batch first.")
    Path input;

    @Option(names = {"--out", "--output"}, required = true, paramLabel = "Y.npy", description = "Where to write the outputs.")
    Path output;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        Network net = NetworkSource.model(model);
        Tensor x;
        try (InputStream in = Files.newInputStream(input)) {
            x = Npy.read(in, input.toString(), Files.size(input));
        } catch (NoSuchFileException e) {
            throw new DataException(input + ": no such file");
        }
        long perSample = net.inputShape().elements();
        boolean single = x.size() == perSample && x.rank() != 0 && x.dim(0) != 1 && x.rank() < 4 && !net.inputShape().isVector();
        int batch = single ? 1 : x.rank() == 0 ? 0 : x.dim(0);
        if (batch == 0 || (long) batch * perSample != x.size()) {
            throw new DataException(input + ": shape " + x.shapeText() + " is not a batch of " + net.name()
                    + " inputs of " + net.inputShape() + " (expected N×" + net.inputShape() + ")");
        }
        float[][] samples = new float[batch][];
        for (int i = 0; i < batch; i++) {
            samples[i] = Arrays.copyOfRange(x.data(), (int) (i * perSample), (int) ((i + 1) * perSample));
        }
        float[][] y = new FloatEngine(net).forward(samples, OptionChecks.threads(threads));
        int outs = y[0].length;
        float[] flat = new float[batch * outs];
        for (int i = 0; i < batch; i++) System.arraycopy(y[i], 0, flat, i * outs, outs);
        if (Files.isDirectory(output)) {
            throw ConfigException.inSource(
                    SourceLocation.of("--out " + output), "is a folder; expected a .npy file to write");
        }
        if (output.toAbsolutePath().getParent() != null && !Files.isDirectory(output.toAbsolutePath().getParent())) {
            throw ConfigException.inSource(
                    SourceLocation.of("--out " + output), "its folder does not exist");
        }
        OutputFolder.writeWhole(output, Npy.write(new Tensor(new int[] {batch, outs}, flat)));
        spec.commandLine().getOut().printf("%d inputs → %s (%d×%d)%n", batch, output, batch, outs);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
