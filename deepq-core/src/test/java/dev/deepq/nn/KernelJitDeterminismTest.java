package dev.deepq.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.random.Rng;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Results must not depend on whether the JIT has compiled a kernel: the Vector API's reductions and transcendental
 * operations round differently when interpreted and when compiled, which once made identical training runs diverge.
 * This test computes a fingerprint of every kernel path in a child JVM running interpreted only ({@code -Xint}) and
 * compares it with the fingerprint here after warm-up (compiled).
 */
class KernelJitDeterminismTest {

    /** Runs forward and backward of small networks with every activation and prints the bits of all outputs. */
    public static void main(String[] args) {
        System.out.println(fingerprint(Integer.parseInt(args[0])));
    }

    static String fingerprint(int repetitions) {
        // Constructed directly: the process-wide selection refuses the vector kernels under -Xint (they are slow there).
        Kernels vector = new VectorKernels();
        long hash = 17;
        for (int rep = 0; rep < repetitions; rep++) {
            hash = 17;
            for (Activation act : new Activation[] {Activation.RELU, Activation.TANH, Activation.ELU, Activation.GELU}) {
                Network net = Network.create(Mlp.builder(13).hidden(37, 21).activation(act).output(5), 33, vector)
                        .initialize(Rng.seeded(3));
                Rng rng = Rng.seeded(9);
                float[] input = new float[33 * 13];
                for (int i = 0; i < input.length; i++) {
                    input[i] = (float) rng.uniform(-2, 2);
                }
                float[] out = net.forward(input, 33);
                float[] grad = new float[33 * 5];
                for (int i = 0; i < grad.length; i++) {
                    hash = hash * 31 + Float.floatToRawIntBits(out[i]);
                    grad[i] = out[i] * 0.1f;
                }
                net.backward(grad);
                for (float g : net.gradients()) {
                    hash = hash * 31 + Float.floatToRawIntBits(g);
                }
            }
        }
        return Long.toHexString(hash);
    }

    @Test
    void interpretedAndCompiledKernelsGiveIdenticalBits() throws IOException, InterruptedException {
        if (!Kernels.vectorAvailable()) {
            return;
        }
        String compiled = fingerprint(3000);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xint");
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KernelJitDeterminismTest.class.getName());
        command.add("1");
        Process child = new ProcessBuilder(command).redirectErrorStream(false).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String errors = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor()).as(errors).isZero();
        assertThat(output).as("interpreted fingerprint").isEqualTo(compiled);
    }
}
