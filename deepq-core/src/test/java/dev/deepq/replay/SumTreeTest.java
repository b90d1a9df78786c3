package dev.deepq.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.deepq.random.Rng;
import org.junit.jupiter.api.Test;

class SumTreeTest {

    /** Every inner node is the sum (min) of its children, and exactly the sampleable slots have a priority. */
    static void assertTreesConsistent(PrioritizedReplayBuffer buffer) {
        double[] sums = buffer.sumTree().nodes();
        double[] mins = buffer.minTree().nodes();
        int size = sums.length / 2;
        for (int i = 1; i < size; i++) {
            if (sums[i] != sums[2 * i] + sums[2 * i + 1] || mins[i] != Math.min(mins[2 * i], mins[2 * i + 1])) {
                fail("inner node " + i + ": sum " + sums[i] + " of " + sums[2 * i] + " + " + sums[2 * i + 1] + ", min "
                        + mins[i] + " of " + mins[2 * i] + ", " + mins[2 * i + 1]);
            }
        }
        for (int slot = 0; slot < size; slot++) {
            double p = sums[size + slot];
            boolean sampleable = slot < buffer.capacity() && buffer.isSampleable(slot);
            if ((p > 0) != sampleable || mins[size + slot] != (sampleable ? p : Double.POSITIVE_INFINITY)) {
                fail("slot " + slot + ": priority " + p + ", min leaf " + mins[size + slot] + ", sampleable "
                        + sampleable + " (a slot has a priority iff it is sampleable)");
            }
        }
    }

    @Test
    void invariantsHoldAfterRandomUpdates() {
        int leaves = 1000; // not a power of two: 24 padding leaves stay 0
        SumTree tree = new SumTree(leaves);
        MinTree min = new MinTree(leaves);
        double[] values = new double[leaves];
        Rng rng = Rng.seeded(3);
        for (int round = 0; round < 20_000; round++) {
            int leaf = (int) Long.remainderUnsigned(rng.nextLong(), leaves);
            double v = rng.random() < 0.2 ? 0 : rng.uniform(0, 10);
            values[leaf] = v;
            tree.set(leaf, v);
            min.set(leaf, v > 0 ? v : Double.POSITIVE_INFINITY);
        }
        double[] nodes = tree.nodes();
        double[] minNodes = min.nodes();
        int size = nodes.length / 2;
        assertThat(size).isEqualTo(1024);
        double expectedMin = Double.POSITIVE_INFINITY;
        double linear = 0;
        for (int i = 0; i < leaves; i++) {
            assertThat(tree.get(i)).isEqualTo(values[i]);
            linear += values[i];
            if (values[i] > 0) {
                expectedMin = Math.min(expectedMin, values[i]);
            }
        }
        for (int i = 1; i < size; i++) {
            assertThat(nodes[i]).isEqualTo(nodes[2 * i] + nodes[2 * i + 1]);
            assertThat(minNodes[i]).isEqualTo(Math.min(minNodes[2 * i], minNodes[2 * i + 1]));
        }
        assertThat(tree.total()).isCloseTo(linear, org.assertj.core.data.Offset.offset(1e-9 * linear));
        assertThat(min.min()).isEqualTo(expectedMin);

        SumTree rebuilt = new SumTree(leaves);
        rebuilt.rebuild(values);
        assertThat(rebuilt.nodes()).as("the tree is a pure function of its leaves").containsExactly(nodes);
        MinTree rebuiltMin = new MinTree(leaves);
        rebuiltMin.rebuild(values, leaves);
        assertThat(rebuiltMin.nodes()).containsExactly(minNodes);
    }

    @Test
    void findMatchesALinearPrefixScan() {
        // Small integers keep every partial sum exact, so the tree must agree with the scan everywhere.
        int leaves = 37;
        SumTree tree = new SumTree(leaves);
        double[] values = new double[leaves];
        Rng rng = Rng.seeded(11);
        for (int i = 0; i < leaves; i++) {
            values[i] = rng.random() < 0.3 ? 0 : 1 + (rng.nextLong() >>> 60);
            tree.set(i, values[i]);
        }
        double total = tree.total();
        for (int k = 0; k < 5000; k++) {
            double mass = rng.random() * total;
            assertThat(tree.find(mass)).as("mass " + mass).isEqualTo(linearFind(values, mass));
        }
        for (double mass = 0; mass < total; mass += 1) {
            assertThat(tree.find(mass)).isEqualTo(linearFind(values, mass));
        }
    }

    @Test
    void findNeverReturnsAnEmptyLeafEvenAtTheTopOfTheMass() {
        SumTree tree = new SumTree(6);
        tree.set(0, 0.1);
        tree.set(1, 0.2);
        tree.set(2, 0.3);
        // leaves 3..5 stay 0: a mass at or past the total (rounding) must still land on leaf 2
        double total = tree.total();
        assertThat(tree.find(Math.nextDown(total))).isEqualTo(2);
        assertThat(tree.find(total)).isEqualTo(2);
        assertThat(tree.find(total * (1 + 1e-15))).isEqualTo(2);
        tree.set(1, 0);
        assertThat(tree.find(0.1)).as("a zero leaf between two is skipped").isEqualTo(2);
        assertThat(tree.find(0.0999)).isEqualTo(0);
    }

    private static int linearFind(double[] values, double mass) {
        double prefix = 0;
        for (int i = 0; i < values.length; i++) {
            prefix += values[i];
            if (mass < prefix) {
                return i;
            }
        }
        throw new AssertionError("mass " + mass + " is past the total " + prefix);
    }
}
