package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile files in an image folder, through the CLI: each is one line, {@code abacim: FILE: …}, and exit code 2,
 * before any training. (The decoding itself is tested against PIL in sim-core's ImageDecodingTest.)
 */
class ImageFolderCliTest {
    @TempDir
    Path dir;

    /** A data set file of one image folder, both splits, at CIFAR's size (vgg8 takes 3×32×32). */
    private Path dataset() throws Exception {
        Path file = dir.resolve("images.yaml");
        Files.writeString(file, "dataset: { kind: image-folder, test: imgs, train: imgs, resize: 36, crop: 32 }\n");
        return file;
    }

    private void photo(Path file) throws Exception {
        // Noisy enough that half the file is inside the image data, not its tables.
        BufferedImage im = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) im.setRGB(x, y, random.nextInt(1 << 24));
        }
        Files.createDirectories(file.getParent());
        assertThat(ImageIO.write(im, "jpg", file.toFile())).isTrue();
    }

    private Cli train() throws Exception {
        return Cli.run("train", "--network", "vgg8", "--dataset", dataset().toString(), "--epochs", "1", "--out",
                dir.resolve("m.npz").toString());
    }

    private static void oneLine(Cli cli, String expected) {
        assertThat(cli.code()).as(cli.err()).isEqualTo(2);
        // Progress ("training vgg8: N batches", then lines of the batches done) may come first; the refusal is the one line after it.
        java.util.List<String> lines = cli.err().strip().lines().filter(l -> !l.startsWith("training ")).toList();
        assertThat(lines).as(cli.err()).hasSize(1);
        assertThat(lines.get(0)).startsWith("abacim: ").contains(expected);
    }

    @Test
    void aWebpFileIsRefusedNotSkipped() throws Exception {
        photo(dir.resolve("imgs/cat/1.jpg"));
        photo(dir.resolve("imgs/dog/1.jpg"));
        Files.write(dir.resolve("imgs/dog/2.webp"), new byte[] {'R', 'I', 'F', 'F', 4, 0, 0, 0, 'W', 'E', 'B', 'P'});
        oneLine(train(), dir.resolve("imgs/dog/2.webp") + ": WebP is not supported; convert it to PNG");
    }

    @Test
    void aTruncatedJpegIsRefused() throws Exception {
        photo(dir.resolve("imgs/cat/1.jpg"));
        photo(dir.resolve("imgs/dog/1.jpg"));
        byte[] whole = Files.readAllBytes(dir.resolve("imgs/dog/1.jpg"));
        Files.write(dir.resolve("imgs/dog/1.jpg"), Arrays.copyOf(whole, whole.length / 2));
        oneLine(train(), dir.resolve("imgs/dog/1.jpg") + ": a truncated JPEG image");
    }

    @Test
    void aPngOf23000By23000PixelsIsRefusedFromItsHeader() throws Exception {
        photo(dir.resolve("imgs/cat/1.jpg"));
        // A whole 2 MB PNG of 23000 × 23000 zeros; refused from its header, before anything is decoded.
        Files.createDirectories(dir.resolve("imgs/dog"));
        org.abacim.core.data.ImageDecodingTest.giantPng(dir.resolve("imgs/dog/huge.png"), 23000);
        oneLine(train(), dir.resolve("imgs/dog/huge.png") + ": a PNG image of 23000×23000 = 529000000 pixels; "
                + "expected at most 178956970");
    }
}
