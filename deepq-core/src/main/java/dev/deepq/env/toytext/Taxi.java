package dev.deepq.env.toytext;

import java.util.List;

/**
 * Taxi-v3 exactly as Gymnasium 0.29.1's {@code TaxiEnv} (Dietterich's taxi domain): a 5x5 grid with walls and four
 * stands R(ed), G(reen), Y(ellow), B(lue). The taxi picks the passenger up at one stand and drops them off at the
 * destination stand. Actions: 0 south, 1 north, 2 east, 3 west, 4 pickup, 5 dropoff. Each step pays -1, a
 * successful dropoff +20 (and terminates), an illegal pickup or dropoff -10.
 *
 * <p>The state {@code ((taxi_row * 5 + taxi_col) * 5 + passenger_location) * 4 + destination} is the observation;
 * passenger location 4 means in the taxi. A reset draws the start uniformly among the 300 states with the taxi
 * anywhere and the passenger at a stand other than the destination. After each reset and step the action mask
 * ({@code actionMask()}, Gymnasium's {@code info["action_mask"]}) marks the actions that change the state.
 */
public final class Taxi extends TabularEnv {
    public static final int SOUTH = 0;
    public static final int NORTH = 1;
    public static final int EAST = 2;
    public static final int WEST = 3;
    public static final int PICKUP = 4;
    public static final int DROPOFF = 5;

    public static final int STATE_COUNT = 500;
    public static final int ACTION_COUNT = 6;
    /** Passenger location meaning "in the taxi". */
    public static final int IN_TAXI = 4;

    /** Gymnasium's {@code MAP}: ':' is an open passage between cells, '|' a wall. */
    public static final List<String> MAP = List.of(
            "+---------+",
            "|R: | : :G|",
            "| : | : : |",
            "| : : : : |",
            "| | : | : |",
            "|Y| : |B: |",
            "+---------+");

    /** The stands (row, col): R, G, Y, B. */
    private static final int[][] LOCATIONS = {{0, 0}, {0, 4}, {4, 0}, {4, 3}};
    private static final char[][] GRID = grid();
    private static final int SIZE = 5;
    private static final String[] ACTION_NAMES = {"South", "North", "East", "West", "Pickup", "Dropoff"};

    /**
     * A decoded state.
     *
     * @param taxiRow 0..4, top to bottom
     * @param taxiCol 0..4, left to right
     * @param passengerLocation 0..3 for the stands R, G, Y, B; 4 in the taxi
     * @param destination 0..3 for the stands R, G, Y, B
     */
    public record Decoded(int taxiRow, int taxiCol, int passengerLocation, int destination) {}

    public Taxi() {
        super(transitionTable(), initialDistribution(), true);
    }

    private static char[][] grid() {
        char[][] g = new char[MAP.size()][];
        for (int i = 0; i < g.length; i++) {
            g[i] = MAP.get(i).toCharArray();
        }
        return g;
    }

    /** Gymnasium's {@code encode}, with the ranges checked. */
    public static int encode(int taxiRow, int taxiCol, int passengerLocation, int destination) {
        if (taxiRow < 0 || taxiRow >= SIZE || taxiCol < 0 || taxiCol >= SIZE || passengerLocation < 0
                || passengerLocation > IN_TAXI || destination < 0 || destination >= LOCATIONS.length) {
            throw new IllegalArgumentException("Taxi.encode: taxi row and column must be in 0..4, passenger location in"
                    + " 0..4 and destination in 0..3; got (" + taxiRow + ", " + taxiCol + ", " + passengerLocation + ", "
                    + destination + ")");
        }
        return rawEncode(taxiRow, taxiCol, passengerLocation, destination);
    }

    private static int rawEncode(int taxiRow, int taxiCol, int passengerLocation, int destination) {
        return ((taxiRow * SIZE + taxiCol) * SIZE + passengerLocation) * LOCATIONS.length + destination;
    }

    /** Gymnasium's {@code decode}. */
    public static Decoded decode(int state) {
        if (state < 0 || state >= STATE_COUNT) {
            throw new IllegalArgumentException("Taxi.decode: state must be in 0.." + (STATE_COUNT - 1) + ", got " + state);
        }
        int destination = state % 4;
        int i = state / 4;
        int passenger = i % 5;
        i /= 5;
        int col = i % 5;
        int row = i / 5;
        return new Decoded(row, col, passenger, destination);
    }

    private static int locationIndex(int row, int col) {
        for (int k = 0; k < LOCATIONS.length; k++) {
            if (LOCATIONS[k][0] == row && LOCATIONS[k][1] == col) {
                return k;
            }
        }
        return -1;
    }

    private static boolean openEast(int row, int col) {
        return GRID[1 + row][2 * col + 2] == ':';
    }

    private static boolean openWest(int row, int col) {
        return GRID[1 + row][2 * col] == ':';
    }

    private static Transition[][][] transitionTable() {
        Transition[][][] table = new Transition[STATE_COUNT][ACTION_COUNT][];
        for (int row = 0; row < SIZE; row++) {
            for (int col = 0; col < SIZE; col++) {
                for (int pass = 0; pass <= IN_TAXI; pass++) {
                    for (int dest = 0; dest < LOCATIONS.length; dest++) {
                        int state = rawEncode(row, col, pass, dest);
                        for (int action = 0; action < ACTION_COUNT; action++) {
                            table[state][action] = new Transition[] {outcome(row, col, pass, dest, action)};
                        }
                    }
                }
            }
        }
        return table;
    }

    private static Transition outcome(int row, int col, int pass, int dest, int action) {
        int newRow = row;
        int newCol = col;
        int newPass = pass;
        double reward = -1.0;
        boolean terminated = false;
        int here = locationIndex(row, col);
        switch (action) {
            case SOUTH -> newRow = Math.min(row + 1, SIZE - 1);
            case NORTH -> newRow = Math.max(row - 1, 0);
            case EAST -> newCol = openEast(row, col) ? Math.min(col + 1, SIZE - 1) : col;
            case WEST -> newCol = openWest(row, col) ? Math.max(col - 1, 0) : col;
            case PICKUP -> {
                if (pass < IN_TAXI && here == pass) {
                    newPass = IN_TAXI;
                } else {
                    reward = -10.0;
                }
            }
            default -> {
                if (here == dest && pass == IN_TAXI) {
                    newPass = dest;
                    terminated = true;
                    reward = 20.0;
                } else if (here >= 0 && pass == IN_TAXI) {
                    newPass = here;
                } else {
                    reward = -10.0;
                }
            }
        }
        return new Transition(1.0, rawEncode(newRow, newCol, newPass, dest), reward, terminated);
    }

    /** Uniform over the states with the passenger waiting at a stand other than the destination. */
    private static double[] initialDistribution() {
        double[] p = new double[STATE_COUNT];
        double count = 0.0;
        for (int state = 0; state < STATE_COUNT; state++) {
            int pass = (state / 4) % 5;
            int dest = state % 4;
            if (pass < IN_TAXI && pass != dest) {
                p[state] += 1.0;
                count += 1.0;
            }
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= count;
        }
        return p;
    }

    /** Gymnasium's {@code action_mask(state)}: which actions change {@code state} (a new array). */
    public static boolean[] actionMask(int state) {
        decode(state); // checks the range
        boolean[] mask = new boolean[ACTION_COUNT];
        fillActionMask(state, mask);
        return mask;
    }

    private static void fillActionMask(int state, boolean[] mask) {
        int dest = state % 4;
        int i = state / 4;
        int pass = i % 5;
        i /= 5;
        int col = i % 5;
        int row = i / 5;
        int here = locationIndex(row, col);
        mask[SOUTH] = row < SIZE - 1;
        mask[NORTH] = row > 0;
        mask[EAST] = col < SIZE - 1 && openEast(row, col);
        mask[WEST] = col > 0 && openWest(row, col);
        mask[PICKUP] = pass < IN_TAXI && here == pass;
        // Gymnasium's test is "at the destination or at any stand"; the first half is implied by the second.
        mask[DROPOFF] = pass == IN_TAXI && (here == dest || here >= 0);
    }

    @Override
    protected void onStateChanged() {
        fillActionMask(state(), actionMask);
    }

    /**
     * Gymnasium's "ansi" rendering: the map with the taxi highlighted (yellow when empty, green with the passenger,
     * the cell's space drawn as '_'), the waiting passenger's stand in bold blue and the destination in magenta,
     * then the last action as {@code "  (South)"} (an empty line after a reset).
     */
    @Override
    public String renderText() {
        String[][] out = new String[GRID.length][];
        for (int r = 0; r < GRID.length; r++) {
            out[r] = new String[GRID[r].length];
            for (int c = 0; c < GRID[r].length; c++) {
                out[r][c] = String.valueOf(GRID[r][c]);
            }
        }
        Decoded d = decode(state());
        int taxiR = 1 + d.taxiRow();
        int taxiC = 2 * d.taxiCol() + 1;
        // Colors nest exactly as Gymnasium applies them, one after another to the same cell.
        if (d.passengerLocation() < IN_TAXI) {
            out[taxiR][taxiC] = colorize(out[taxiR][taxiC], YELLOW, false, true);
            int[] p = LOCATIONS[d.passengerLocation()];
            out[1 + p[0]][2 * p[1] + 1] = colorize(out[1 + p[0]][2 * p[1] + 1], BLUE, true, false);
        } else {
            String cell = out[taxiR][taxiC].equals(" ") ? "_" : out[taxiR][taxiC];
            out[taxiR][taxiC] = colorize(cell, GREEN, false, true);
        }
        int[] dl = LOCATIONS[d.destination()];
        out[1 + dl[0]][2 * dl[1] + 1] = colorize(out[1 + dl[0]][2 * dl[1] + 1], MAGENTA, false, false);
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < out.length; r++) {
            if (r > 0) {
                text.append('\n');
            }
            for (String cell : out[r]) {
                text.append(cell);
            }
        }
        text.append('\n');
        if (lastAction() >= 0) {
            text.append("  (").append(ACTION_NAMES[lastAction()]).append(")\n");
        } else {
            text.append('\n');
        }
        return text.toString();
    }
}
