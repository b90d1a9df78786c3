package dev.deepq.bench;

import dev.deepq.algo.Sac;
import dev.deepq.algo.SacConfig;
import dev.deepq.algo.SacSteps;
import dev.deepq.env.Envs;
import java.util.Arrays;

/**
 * Prints a fingerprint of {@code steps} SAC training steps (the metrics and a hash of every network's parameters),
 * to check that a change to the kernels or to the update order leaves the results bit for bit the same. Run:
 * {@code java --add-modules jdk.incubator.vector -cp deepq-bench/target/benchmarks.jar
 * dev.deepq.bench.SacFingerprint [steps]}.
 */
public final class SacFingerprint {
    private SacFingerprint() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Sac sac = new Sac(Envs.make("Pendulum-v1").observationSpace(), Envs.make("Pendulum-v1").actionSpace(),
                SacConfig.rlZooPendulum(), 1);
        SacUpdateBenchmark.fillReplay(sac, 10_000);
        for (int i = 0; i < steps; i++) {
            SacSteps.trainStep(sac);
        }
        System.out.println("critic_loss " + sac.metrics().get("critic_loss") + " actor_loss "
                + sac.metrics().get("actor_loss") + " alpha " + sac.metrics().get("alpha"));
        int[] c1 = SacSteps.criticHashes(sac, 0);
        int[] c2 = SacSteps.criticHashes(sac, 1);
        System.out.printf("actor %08x q1 %08x q2 %08x q1_target %08x q2_target %08x%n",
                Arrays.hashCode(sac.actor().parameters()), c1[0], c2[0], c1[1], c2[1]);
    }
}
