package dev.deepq.replay;

import java.util.Arrays;

/**
 * A binary min tree over {@code n} leaves (heap layout as {@link SumTree}); empty leaves are +infinity, so
 * {@link #min()} is the smallest priority among sampleable transitions.
 */
final class MinTree {
    private final int size;
    private final double[] nodes;

    MinTree(int leaves) {
        this.size = SumTree.powerOfTwoAtLeast(leaves);
        this.nodes = new double[2 * size];
        Arrays.fill(nodes, Double.POSITIVE_INFINITY);
    }

    double min() {
        return nodes[1];
    }

    void set(int leaf, double value) {
        int i = size + leaf;
        nodes[i] = value;
        for (i >>>= 1; i >= 1; i >>>= 1) {
            nodes[i] = Math.min(nodes[2 * i], nodes[2 * i + 1]);
        }
    }

    /** Sets all leaves at once ({@code 0} meaning empty, i.e. +infinity) and recomputes the inner nodes. */
    void rebuild(double[] priorities, int leaves) {
        Arrays.fill(nodes, Double.POSITIVE_INFINITY);
        for (int i = 0; i < leaves; i++) {
            nodes[size + i] = priorities[i] > 0 ? priorities[i] : Double.POSITIVE_INFINITY;
        }
        for (int i = size - 1; i >= 1; i--) {
            nodes[i] = Math.min(nodes[2 * i], nodes[2 * i + 1]);
        }
    }

    double[] nodes() {
        return nodes;
    }
}
