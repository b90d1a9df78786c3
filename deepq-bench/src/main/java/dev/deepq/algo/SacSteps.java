package dev.deepq.algo;

/**
 * Reaches {@link Sac}'s package-private gradient step from the benchmarks (this class sits in {@code dev.deepq.algo}
 * inside the benchmark jar; the core has no module descriptor, so the split package is allowed on the class path).
 */
public final class SacSteps {
    private SacSteps() {}

    /** One critic step of {@code sac}, and the actor, alpha and target steps that fall on it. */
    public static void trainStep(Sac sac) {
        sac.trainStep();
    }

    /** Hash codes of the parameters of critic {@code i} and of its target. */
    public static int[] criticHashes(Sac sac, int i) {
        return new int[] {java.util.Arrays.hashCode(sac.critics().critic(i).parameters()),
                java.util.Arrays.hashCode(sac.critics().target(i).parameters())};
    }
}
