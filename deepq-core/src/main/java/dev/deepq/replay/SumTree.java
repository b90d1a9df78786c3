package dev.deepq.replay;

import java.util.Arrays;

/**
 * A binary sum tree over {@code n} non-negative leaves, stored as a heap of doubles: node 1 is the root, node {@code i}
 * has children {@code 2i, 2i+1}, and the leaves are nodes {@code [size, 2 size)} for {@code size} the next power of two.
 * Every inner node is {@code left + right} of its current children, so the tree is a pure function of its leaves and
 * {@link #rebuild} reproduces it bit for bit.
 */
final class SumTree {
    private final int leaves;
    private final int size;
    private final double[] nodes;

    SumTree(int leaves) {
        this.leaves = leaves;
        this.size = powerOfTwoAtLeast(leaves);
        this.nodes = new double[2 * size];
    }

    /** The smallest power of two {@code >= n}. */
    static int powerOfTwoAtLeast(int n) {
        int p = Integer.highestOneBit(n);
        return p == n ? n : p << 1;
    }

    int leaves() {
        return leaves;
    }

    double total() {
        return nodes[1];
    }

    double get(int leaf) {
        return nodes[size + leaf];
    }

    void set(int leaf, double value) {
        int i = size + leaf;
        nodes[i] = value;
        for (i >>>= 1; i >= 1; i >>>= 1) {
            nodes[i] = nodes[2 * i] + nodes[2 * i + 1];
        }
    }

    /**
     * The leaf whose prefix-sum interval contains {@code mass}: the smallest {@code i} with
     * {@code mass < sum(leaves[0..i])}, for {@code 0 <= mass < total()}. Never returns a zero leaf while the total is
     * positive: rounding can leave {@code mass} just past a subtree's sum, and the descent then takes the non-empty
     * side.
     */
    int find(double mass) {
        int i = 1;
        while (i < size) {
            int left = 2 * i;
            double leftSum = nodes[left];
            if (mass < leftSum || nodes[left + 1] == 0) {
                i = left;
            } else {
                mass -= leftSum;
                i = left + 1;
            }
        }
        return i - size;
    }

    /** Copies the leaves out. */
    void leavesTo(double[] out) {
        System.arraycopy(nodes, size, out, 0, leaves);
    }

    /** Sets all leaves at once and recomputes the inner nodes. */
    void rebuild(double[] leafValues) {
        Arrays.fill(nodes, 0.0);
        System.arraycopy(leafValues, 0, nodes, size, leaves);
        for (int i = size - 1; i >= 1; i--) {
            nodes[i] = nodes[2 * i] + nodes[2 * i + 1];
        }
    }

    /** The heap of nodes (index 0 unused); for tests and checkpoints. */
    double[] nodes() {
        return nodes;
    }
}
