package dev.deepq.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.deepq.algo.Dqn;
import dev.deepq.io.SafeTensors;
import dev.deepq.random.Rng;
import dev.deepq.state.StateSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged, foreign and mismatched checkpoints are refused with a message naming the file and the problem; reading
 * changes no file, and the previous checkpoint stays loadable.
 */
class CheckpointFuzzTest {
    private static final Supplier<CheckpointResumeTest.Run> RUN =
            CheckpointResumeTest.dqn("CartPole-v1", CheckpointResumeTest.smallDqn(800), 1);

    @TempDir
    Path dir;
    Path folder;
    Path previous;
    Path newest;

    @BeforeEach
    void writeTwoCheckpoints() throws IOException {
        folder = dir.resolve("checkpoints");
        CheckpointResumeTest.Run run = RUN.get();
        Trainer trainer = run.trainer();
        trainer.checkpointEvery(200, new Checkpoints(folder, 2)).callback(new Callback() {
            @Override
            public void onStep(Trainer t) {
                if (t.step() == 450) {
                    t.requestStop();
                }
            }
        }).run();
        List<Path> all = new Checkpoints(folder).list();
        assertThat(all).extracting(p -> p.getFileName().toString())
                .containsExactly("step-000000000400", "step-000000000450");
        previous = all.get(0);
        newest = all.get(1);
    }

    @Test
    void truncationsAtManyOffsetsAreRefused() throws IOException {
        for (String file : List.of(Checkpoint.MANIFEST, Checkpoint.TENSORS)) {
            byte[] pristine = Files.readAllBytes(newest.resolve(file));
            Rng rng = Rng.seeded(file.length());
            int[] offsets = new int[60];
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = i < 10 ? i : i < 20 ? pristine.length - (i - 9) : (int) rng.integers(pristine.length);
            }
            for (int length : offsets) {
                byte[] cut = java.util.Arrays.copyOf(pristine, length);
                assertRefused(file, cut, "truncated to " + length + " bytes");
            }
        }
        assertPreviousStillLoads();
    }

    @Test
    void randomBitFlipsAreRefused() throws IOException {
        Rng rng = Rng.seeded(99);
        for (String file : List.of(Checkpoint.MANIFEST, Checkpoint.TENSORS)) {
            byte[] pristine = Files.readAllBytes(newest.resolve(file));
            for (int i = 0; i < 150; i++) {
                byte[] flipped = pristine.clone();
                int at = (int) rng.integers(flipped.length);
                flipped[at] ^= (byte) (1 << rng.integers(8));
                assertRefused(file, flipped, "bit flip at byte " + at);
            }
        }
        assertPreviousStillLoads();
    }

    @Test
    void wrongMagicVersionAndForeignFilesAreRefused() throws IOException {
        String manifest = Files.readString(newest.resolve(Checkpoint.MANIFEST));
        assertRefused(Checkpoint.MANIFEST, manifest.replace("\"deepq.checkpoint\"", "\"other.thing\"")
                .getBytes(StandardCharsets.UTF_8), "is not a deepq checkpoint manifest (format is \"other.thing\"");
        assertRefused(Checkpoint.MANIFEST, manifest.replace("\"format_version\":1", "\"format_version\":2")
                .getBytes(StandardCharsets.UTF_8), "has format version 2, but this deepq reads version 1");
        assertRefused(Checkpoint.MANIFEST, "{\"hello\":1}".getBytes(StandardCharsets.UTF_8), "format is null");
        assertRefused(Checkpoint.MANIFEST, new byte[] {(byte) 0xff, 0x00, 0x12}, "not UTF-8");

        Path model = dir.resolve("model.safetensors");
        ((Dqn) RUN.get().trainer().agent()).save(model);
        assertRefused(Checkpoint.TENSORS, Files.readAllBytes(model), "is not a deepq checkpoint's tensor file");
        // The tensor file of another checkpoint does not belong to this manifest.
        assertRefused(Checkpoint.TENSORS, Files.readAllBytes(previous.resolve(Checkpoint.TENSORS)),
                "belongs to another manifest");
        Files.delete(newest.resolve(Checkpoint.TENSORS));
        Throwable missing = catchThrowable(() -> Checkpoint.read(newest));
        assertThat(missing).isInstanceOf(CheckpointException.class).hasMessageContaining(Checkpoint.TENSORS)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> new Checkpoints(folder).restoreLatest(RUN.get().trainer()))
                .hasMessageContaining("the previous checkpoint " + previous + " may be used instead");
        assertPreviousStillLoads();
    }

    @Test
    void wrongShapesMissingTensorsAndWrongTypesAreRefusedBeforeTheRunContinues() throws IOException {
        Checkpoint good = Checkpoint.read(newest);
        Map<String, Object> header = good.header();

        Map<String, Object> reshaped = new LinkedHashMap<>(good.state().entries());
        SafeTensors.Tensor weight = (SafeTensors.Tensor) reshaped.get("agent/q/0.weight");
        reshaped.put("agent/q/0.weight", new SafeTensors.Tensor(weight.dtype(), new int[] {4, 16}, weight.data()));
        assertRestoreRefused(header, reshaped, "state 'agent/q/0.weight' has shape [4, 16], expected [16, 4]");

        Map<String, Object> missing = new LinkedHashMap<>(good.state().entries());
        missing.remove("agent/optimizer/exp_avg_sq");
        assertRestoreRefused(header, missing, "state 'agent/optimizer/exp_avg_sq' is missing");

        Map<String, Object> shortReplay = new LinkedHashMap<>(good.state().entries());
        shortReplay.put("agent/replay/rewards", new SafeTensors.Tensor(SafeTensors.DType.F32, new int[] {3}, new byte[12]));
        assertRestoreRefused(header, shortReplay, "state 'agent/replay/rewards' has shape [3], expected [600]");

        Map<String, Object> wrongType = new LinkedHashMap<>(good.state().entries());
        wrongType.put("step", 1.5);
        assertRestoreRefused(header, wrongType, "state 'step' is 1.5, expected an integer");

        Map<String, Object> otherEnvCount = new LinkedHashMap<>(header);
        otherEnvCount.put("num_envs", 2L);
        Path target = dir.resolve("num-envs");
        Checkpoint.writeFiles(target, otherEnvCount, good.state());
        assertThatThrownBy(() -> Checkpoint.read(target).restoreInto(RUN.get().trainer()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("was written with num_envs 2, but this run has 1");
    }

    // ---- helpers ----

    private void assertRestoreRefused(Map<String, Object> header, Map<String, Object> entries, String message)
            throws IOException {
        Path target = dir.resolve("rewritten-" + Integer.toHexString(message.hashCode()));
        Checkpoint.writeFiles(target, header, StateSnapshot.of(entries));
        Checkpoint read = Checkpoint.read(target);
        assertThatThrownBy(() -> read.restoreInto(RUN.get().trainer())).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(target.toString()).hasMessageContaining(message);
    }

    /** Writes {@code content} as {@code file} of a copy of the newest checkpoint and expects a clean refusal. */
    private void assertRefused(String file, byte[] content, String what) throws IOException {
        Path copy = dir.resolve("damaged");
        copyCheckpoint(newest, copy);
        Files.write(copy.resolve(file), content);
        byte[] manifestBefore = Files.readAllBytes(copy.resolve(Checkpoint.MANIFEST));
        byte[] tensorsBefore = Files.readAllBytes(copy.resolve(Checkpoint.TENSORS));
        Throwable thrown = catchThrowable(() -> Checkpoint.read(copy).restoreInto(RUN.get().trainer()));
        assertThat(thrown).as("%s of %s", what, file).isInstanceOf(CheckpointException.class);
        assertThat(thrown.getMessage()).as("%s of %s", what, file).startsWith(copy.toString());
        if (!what.startsWith("truncated") && !what.startsWith("bit flip")) {
            assertThat(thrown.getMessage()).contains(what);
        }
        assertThat(Files.readAllBytes(copy.resolve(Checkpoint.MANIFEST))).isEqualTo(manifestBefore);
        assertThat(Files.readAllBytes(copy.resolve(Checkpoint.TENSORS))).isEqualTo(tensorsBefore);
    }

    private void assertPreviousStillLoads() throws IOException {
        CheckpointResumeTest.Run fresh = RUN.get();
        Checkpoint.read(previous).restoreInto(fresh.trainer());
        assertThat(fresh.trainer().step()).isEqualTo(400);
        fresh.trainer().run();
        assertThat(fresh.trainer().step()).isEqualTo(800);
    }

    private static void copyCheckpoint(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String name : List.of(Checkpoint.MANIFEST, Checkpoint.TENSORS)) {
            Files.copy(from.resolve(name), to.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
