package dev.deepq.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.random.Rng;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    static SafeTensors.Builder sample() {
        return SafeTensors.builder()
                .put("0.weight", new float[] {1f, -2f, 3.5f, 0f, 1e-7f, Float.MAX_VALUE}, 2, 3)
                .put("0.bias", new float[] {0.25f, -0.5f}, 2)
                .put("steps", new long[] {123456789012L}, 1)
                .put("rng", new double[] {0.1, 0.2}, 2)
                .put("mask", new boolean[] {true, false, true}, 3)
                .metadata("format", "deepq-model")
                .metadata("config", "{\"lr\":0.001}");
    }

    @Test
    void roundTripsEveryDtypeAndMetadata(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.safetensors");
        sample().write(file);
        SafeTensors read = SafeTensors.read(file);
        assertThat(read.names()).containsExactly("0.weight", "0.bias", "steps", "rng", "mask");
        assertThat(read.floats("0.weight")).containsExactly(1f, -2f, 3.5f, 0f, 1e-7f, Float.MAX_VALUE);
        float[] bias = new float[4];
        read.readFloats("0.bias", bias, 1, 2);
        assertThat(bias).containsExactly(0f, 0.25f, -0.5f, 0f);
        assertThat(read.longs("steps")).containsExactly(123456789012L);
        assertThat(read.doubles("rng")).containsExactly(0.1, 0.2);
        assertThat(read.booleans("mask")).containsExactly(true, false, true);
        assertThat(read.metadata()).containsEntry("format", "deepq-model").containsEntry("config", "{\"lr\":0.001}");
        assertThat(Files.list(dir)).containsExactly(file);
    }

    /** The layout Hugging Face's reference writer produces: u64 LE header size, JSON header padded to 8, raw LE data. */
    @Test
    void readsTheReferenceLayout() throws IOException {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(json);
        while (b.position() < 8 + padded) {
            b.put((byte) ' ');
        }
        b.putFloat(1.5f).putFloat(-3f);
        SafeTensors t = SafeTensors.parse(b.array(), "ref");
        assertThat(t.floats("w")).containsExactly(1.5f, -3f);
        assertThat(Arrays.copyOfRange(sample().build().toBytes(), 0, 8)).isNotEqualTo(new byte[8]);
    }

    @Test
    void shapeAndTypeMismatchesAreNamed() throws IOException {
        SafeTensors t = SafeTensors.parse(sample().build().toBytes(), "x");
        assertThatThrownBy(() -> t.readFloats("0.weight", new float[6], 0, 3, 2))
                .hasMessage("tensor '0.weight' has shape [2, 3] but the model expects [3, 2]");
        assertThatThrownBy(() -> t.longs("0.bias")).hasMessage("tensor '0.bias' is F32, expected I64");
        assertThatThrownBy(() -> t.floats("1.weight")).hasMessageContaining("no tensor '1.weight'; the file has [0.weight");
    }

    @Test
    void everyTruncationIsRefusedWithTheFileName() {
        byte[] full = sample().build().toBytes();
        for (int length = 0; length < full.length; length++) {
            byte[] cut = Arrays.copyOf(full, length);
            assertThatThrownBy(() -> SafeTensors.parse(cut, "cut.safetensors"))
                    .as("truncated to %d bytes", length)
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cut.safetensors: not a valid safetensors file: ");
        }
    }

    /** Random bit flips either leave a readable file or give a clean IOException; never another exception. */
    @Test
    void bitFlipsNeverEscapeAsUncheckedExceptions() {
        byte[] full = sample().build().toBytes();
        Rng rng = Rng.seeded(4);
        int refused = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] copy = full.clone();
            int flips = 1 + (int) rng.integers(3);
            for (int f = 0; f < flips; f++) {
                int pos = (int) rng.integers(copy.length);
                copy[pos] ^= (byte) (1 << rng.integers(8));
            }
            try {
                SafeTensors.parse(copy, "flip");
            } catch (IOException e) {
                refused++;
                assertThat(e.getMessage()).startsWith("flip: not a valid safetensors file");
            }
        }
        assertThat(refused).isGreaterThan(100);
    }

    @Test
    void missingFileAndBadBuilderInput(@TempDir Path dir) {
        assertThatThrownBy(() -> SafeTensors.read(dir.resolve("none"))).hasMessageContaining("file does not exist");
        assertThatThrownBy(() -> SafeTensors.builder().put("a", new float[3], 2, 2))
                .hasMessage("tensor 'a' has 3 elements but shape [2, 2] holds 4");
        assertThatThrownBy(() -> SafeTensors.builder().put("a", new float[1], 1).put("a", new float[1], 1))
                .hasMessageContaining("added twice");
    }

    @Test
    void failedWriteLeavesTheOldFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("keep.bin");
        Files.writeString(file, "old");
        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write(1);
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(file)).isEqualTo("old");
        assertThat(Files.list(dir)).containsExactly(file);
    }
}
