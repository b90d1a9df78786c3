package dev.deepq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'deepq eval' and 'deepq enjoy' on finished run folders. */
class EvalEnjoyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path tabularRun(Path dir) {
        CliTest.Run r = CliTest.run("train", "FrozenLake-v1", "--algo", "qlearning", "--seed", "2",
                "--quiet", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return dir;
    }

    @Test
    void evalPrintsStatisticsAndByDefaultRepeatsTheFinalEvaluation(@TempDir Path dir) throws Exception {
        tabularRun(dir);
        CliTest.Run r = CliTest.run("eval", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode o = JSON.readTree(r.out());
        assertThat(o.fieldNames()).toIterable().contains("mean", "std", "iqm", "min", "max", "returns", "lengths",
                "episodes", "seed", "epsilon");
        assertThat(o.get("returns").size()).isEqualTo(10);
        assertThat(o.get("lengths").size()).isEqualTo(10);
        JsonNode finalEval = JSON.readTree(dir.resolve("summary.json").toFile()).get("final_eval");
        assertThat(o.get("returns")).isEqualTo(finalEval.get("returns"));
        assertThat(o.get("mean").asDouble()).isEqualTo(finalEval.get("mean").asDouble());

        CliTest.Run many = CliTest.run("eval", dir.toString(), "--episodes", "400", "--seed", "7");
        JsonNode m = JSON.readTree(many.out());
        assertThat(m.get("returns").size()).isEqualTo(400);
        assertThat(m.get("mean").asDouble()).as("the qlearning-FrozenLake-v1 preset (300k steps) solves slippery FrozenLake").isGreaterThan(0.6);
        assertThat(m.get("min").asDouble()).isZero();
        assertThat(m.get("max").asDouble()).isEqualTo(1.0);
        CliTest.Run random = CliTest.run("eval", dir.toString(), "--episodes", "400", "--seed", "7", "--epsilon", "1");
        assertThat(JSON.readTree(random.out()).get("mean").asDouble()).as("epsilon 1 acts at random").isLessThan(0.1);
        assertThat(CliTest.run("eval", dir.toString(), "--episodes", "400", "--seed", "7", "--deterministic").out())
                .isEqualTo(many.out());
    }

    @Test
    void evalErrorsAreUserErrors(@TempDir Path dir) {
        CliTest.Run missing = CliTest.run("eval", dir.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("is not a run folder").doesNotContain("\tat ");
        CliTest.Run empty = CliTest.run("eval", dir.toString());
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("has no config.yaml");
        tabularRun(dir);
        CliTest.Run badEpsilon = CliTest.run("eval", dir.toString(), "--epsilon", "2");
        assertThat(badEpsilon.code()).isEqualTo(2);
        assertThat(badEpsilon.err()).contains("--epsilon must be in [0, 1], got 2.0");
        CliTest.Run both = CliTest.run("eval", dir.toString(), "--epsilon", "0.1", "--deterministic");
        assertThat(both.code()).isEqualTo(2);
    }

    @Test
    void enjoyWritesALoopingGifWithOneFramePerKeptStep(@TempDir Path dir) throws Exception {
        RunFolderTest.shortDqnRun(dir);
        Path gif = dir.resolve("movie.gif");
        CliTest.Run r = CliTest.run("enjoy", dir.toString(), "--episodes", "2", "--gif", gif.toString(),
                "--frame-skip", "3", "--scale", "0.5");
        assertThat(r.code()).as(r.err()).isZero();
        Matcher m = Pattern.compile("episode \\d+: return [-0-9.]+, length (\\d+)").matcher(r.out());
        int expected = 0;
        int episodes = 0;
        while (m.find()) {
            int length = Integer.parseInt(m.group(1));
            // the reset frame, every third step, and the last step when it is not a multiple of three
            expected += 1 + length / 3 + (length % 3 == 0 ? 0 : 1);
            episodes++;
        }
        assertThat(episodes).isEqualTo(2);
        assertThat(r.out()).contains("wrote " + gif + " (" + expected + " frames");

        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("gif");
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(expected);
            assertThat(reader.read(0).getWidth()).isEqualTo(300);
            assertThat(reader.read(0).getHeight()).isEqualTo(200);
            IIOMetadataNode first = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
            assertThat(((IIOMetadataNode) first.getElementsByTagName("GraphicControlExtension").item(0))
                    .getAttribute("delayTime")).isEqualTo("4");
            IIOMetadataNode app = (IIOMetadataNode) first.getElementsByTagName("ApplicationExtension").item(0);
            assertThat(app.getAttribute("applicationID")).isEqualTo("NETSCAPE");
            assertThat((byte[]) app.getUserObject()).containsExactly(1, 0, 0);
        } finally {
            reader.dispose();
        }
        CliTest.Run capped = CliTest.run("enjoy", dir.toString(), "--gif", gif.toString(), "--max-frames", "5");
        assertThat(capped.out()).contains("(5 frames");
    }

    @Test
    void enjoyPrintsTextFramesForToyTextEnvs(@TempDir Path dir) {
        tabularRun(dir);
        CliTest.Run r = CliTest.run("enjoy", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("=== episode 1, step 0 ===", "=== episode 1, step 1, reward ", "episode 1: return ");
        assertThat(r.out()).contains("SFFF");
        CliTest.Run gif = CliTest.run("enjoy", dir.toString(), "--gif", dir.resolve("x.gif").toString());
        assertThat(gif.code()).isEqualTo(2);
        assertThat(gif.err()).contains("--gif: FrozenLake-v1 has no RGB rendering; run without --gif");
    }

}
