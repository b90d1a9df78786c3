package dev.deepq.env.toytext;

/**
 * CliffWalking-v0 exactly as Gymnasium 0.29.1's {@code CliffWalkingEnv} (Sutton and Barto, Example 6.6): a 4x12 grid,
 * start at the bottom-left (state 36), goal at the bottom-right (state 47), a cliff along the bottom row between
 * them. Actions: 0 up, 1 right, 2 down, 3 left; moves into the border leave the agent in place. Every step pays -1;
 * stepping onto the cliff pays -100 and sends the agent back to the start without ending the episode. Reaching the
 * goal terminates. Gymnasium registers it without a time limit, and so does deepq.
 *
 * <p>Moves are deterministic, but each reset and step still takes one draw from the env's generator, as in
 * Gymnasium.
 */
public final class CliffWalking extends TabularEnv {
    public static final int UP = 0;
    public static final int RIGHT = 1;
    public static final int DOWN = 2;
    public static final int LEFT = 3;

    public static final int ROWS = 4;
    public static final int COLUMNS = 12;
    /** The start cell (3, 0). */
    public static final int START_STATE = 3 * COLUMNS;
    /** The goal cell (3, 11). */
    public static final int GOAL_STATE = ROWS * COLUMNS - 1;

    private static final int[][] DELTAS = {{-1, 0}, {0, 1}, {1, 0}, {0, -1}};

    public CliffWalking() {
        super(transitionTable(), initialDistribution(), false);
    }

    /** Whether (row, col) is on the cliff: the bottom row except the start and goal. */
    public static boolean isCliff(int row, int col) {
        return row == ROWS - 1 && col >= 1 && col <= COLUMNS - 2;
    }

    private static Transition[][][] transitionTable() {
        Transition[][][] table = new Transition[ROWS * COLUMNS][4][];
        for (int s = 0; s < ROWS * COLUMNS; s++) {
            for (int a = 0; a < 4; a++) {
                table[s][a] = new Transition[] {outcome(s / COLUMNS, s % COLUMNS, DELTAS[a])};
            }
        }
        return table;
    }

    private static Transition outcome(int row, int col, int[] delta) {
        int newRow = Math.max(Math.min(row + delta[0], ROWS - 1), 0);
        int newCol = Math.max(Math.min(col + delta[1], COLUMNS - 1), 0);
        if (isCliff(newRow, newCol)) {
            return new Transition(1.0, START_STATE, -100.0, false);
        }
        int next = newRow * COLUMNS + newCol;
        return new Transition(1.0, next, -1.0, next == GOAL_STATE);
    }

    private static double[] initialDistribution() {
        double[] p = new double[ROWS * COLUMNS];
        p[START_STATE] = 1.0;
        return p;
    }

    /**
     * Gymnasium's "ansi" rendering: one line per row, {@code x} for the agent, {@code T} for the goal, {@code C} for
     * the cliff and {@code o} elsewhere, cells separated by two spaces, then an empty line.
     */
    @Override
    public String renderText() {
        StringBuilder out = new StringBuilder();
        for (int s = 0; s < ROWS * COLUMNS; s++) {
            int row = s / COLUMNS;
            int col = s % COLUMNS;
            String cell;
            if (s == state()) {
                cell = " x ";
            } else if (s == GOAL_STATE) {
                cell = " T ";
            } else if (isCliff(row, col)) {
                cell = " C ";
            } else {
                cell = " o ";
            }
            if (col == 0) {
                cell = cell.stripLeading();
            }
            if (col == COLUMNS - 1) {
                cell = cell.stripTrailing() + "\n";
            }
            out.append(cell);
        }
        out.append('\n');
        return out.toString();
    }
}
