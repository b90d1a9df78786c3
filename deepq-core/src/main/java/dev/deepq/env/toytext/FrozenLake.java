package dev.deepq.env.toytext;

import dev.deepq.env.EnvOptions;
import dev.deepq.random.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * FrozenLake-v1 exactly as Gymnasium 0.29.1's {@code FrozenLakeEnv}: walk from S to G over frozen tiles (F) without
 * falling into a hole (H). Actions: 0 left, 1 down, 2 right, 3 up. The observation is {@code row * ncol + col}.
 * Reaching G pays 1 and terminates; falling into H terminates with 0; every other step pays 0.
 *
 * <p>On a slippery lake ({@code is_slippery}, the default) the move goes in the intended direction or in either
 * perpendicular one, each with probability 1/3, drawn from the env's generator exactly as Gymnasium draws it; so a
 * seeded run replays Gymnasium's trajectory bit for bit. Moves into a wall leave the agent in place.
 *
 * <p>Options: {@code desc} (a custom map: rows of S, F, H, G; it wins over {@code map_name}), {@code map_name}
 * ({@code "4x4"} or {@code "8x8"}), {@code is_slippery}. <b>Difference from Gymnasium:</b> when both {@code desc}
 * and {@code map_name} are null, Gymnasium generates an unseeded random 8x8 map, different on every construction;
 * deepq instead generates {@link #generateRandomMap(int, double, long) generateRandomMap(map_size, 0.8, map_seed)}
 * with the deepq-only options {@code map_size} (default 8) and {@code map_seed} (default 0), so every run is
 * reproducible. Both options are ignored when a map is given.
 */
public final class FrozenLake extends TabularEnv {
    public static final int LEFT = 0;
    public static final int DOWN = 1;
    public static final int RIGHT = 2;
    public static final int UP = 3;

    /** Gymnasium's {@code MAPS}. */
    public static final Map<String, List<String>> MAPS = Map.of(
            "4x4", List.of("SFFF", "FHFH", "FFFH", "HFFG"),
            "8x8", List.of(
                    "SFFFFFFF",
                    "FFFFFFFF",
                    "FFFHFFFF",
                    "FFFFFHFF",
                    "FFFHFFFF",
                    "FHHFFFHF",
                    "FHFFHFHF",
                    "FFFHFFFG"));

    /** The frozen-tile probability {@code generate_random_map} uses when Gymnasium makes a map itself. */
    public static final double DEFAULT_FROZEN_PROBABILITY = 0.8;

    private static final String[] ACTION_NAMES = {"Left", "Down", "Right", "Up"};
    /** Attempts before {@link #generateRandomMap} gives up instead of looping forever as Gymnasium would. */
    private static final int MAX_MAP_ATTEMPTS = 1_000_000;

    private final char[][] grid;
    private final boolean slippery;

    /** The default: the 4x4 map, slippery. */
    public FrozenLake() {
        this("4x4", true);
    }

    /** One of Gymnasium's maps ({@code "4x4"} or {@code "8x8"}). */
    public FrozenLake(String mapName, boolean slippery) {
        this(parseMap(namedMap(mapName)), slippery);
    }

    /** A custom map: equal-length rows of S (start), F (frozen), H (hole) and G (goal). */
    public FrozenLake(List<String> desc, boolean slippery) {
        this(parseMap(desc), slippery);
    }

    private FrozenLake(char[][] grid, boolean slippery) {
        super(transitionTable(grid, slippery), initialDistribution(grid), false);
        this.grid = grid;
        this.slippery = slippery;
    }

    /**
     * The env for {@code make} options {@code desc}, {@code map_name}, {@code is_slippery}, {@code map_size} and
     * {@code map_seed} (see the class comment).
     */
    public static FrozenLake fromOptions(EnvOptions options) {
        boolean slippery = options.getBoolean("is_slippery");
        List<String> desc = options.getStringList("desc");
        if (desc != null) {
            return new FrozenLake(desc, slippery);
        }
        String mapName = options.getString("map_name");
        if (mapName != null) {
            if (!MAPS.containsKey(mapName)) {
                throw new IllegalArgumentException(options.envId() + ": option 'map_name' must be \"4x4\", \"8x8\" or null"
                        + " (a random map), got '" + mapName + "'");
            }
            return new FrozenLake(mapName, slippery);
        }
        int size = options.getInt("map_size");
        long seed = longOption(options, "map_seed");
        return new FrozenLake(generateRandomMap(size, DEFAULT_FROZEN_PROBABILITY, seed), slippery);
    }

    private static long longOption(EnvOptions options, String key) {
        Object value = options.raw(key);
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException(options.envId() + ": option '" + key + "' must be an integer, got '" + value + "'");
    }

    private static List<String> namedMap(String mapName) {
        List<String> map = mapName == null ? null : MAPS.get(mapName);
        if (map == null) {
            throw new IllegalArgumentException("FrozenLake: unknown map name '" + mapName + "'; valid names are \"4x4\" and \"8x8\"");
        }
        return map;
    }

    private static char[][] parseMap(List<String> desc) {
        if (desc == null || desc.isEmpty()) {
            throw new IllegalArgumentException("FrozenLake: the map (desc) must have at least one row, got " + desc);
        }
        int columns = desc.get(0) == null ? 0 : desc.get(0).length();
        if (columns == 0) {
            throw new IllegalArgumentException("FrozenLake: map row 0 is empty; rows are strings of S, F, H and G");
        }
        char[][] grid = new char[desc.size()][];
        int starts = 0;
        int goals = 0;
        for (int r = 0; r < grid.length; r++) {
            String row = desc.get(r);
            if (row == null || row.length() != columns) {
                throw new IllegalArgumentException("FrozenLake: map row " + r + " '" + row + "' has "
                        + (row == null ? 0 : row.length()) + " cells but row 0 has " + columns + "; all rows must be equally long");
            }
            grid[r] = row.toCharArray();
            for (int c = 0; c < columns; c++) {
                switch (grid[r][c]) {
                    case 'S' -> starts++;
                    case 'G' -> goals++;
                    case 'F', 'H' -> { }
                    default -> throw new IllegalArgumentException("FrozenLake: map row " + r + " '" + row + "' has '"
                            + grid[r][c] + "' at column " + c + "; valid cells are S (start), F (frozen), H (hole), G (goal)");
                }
            }
        }
        if (starts == 0) {
            throw new IllegalArgumentException("FrozenLake: the map " + desc + " has no start cell 'S'");
        }
        if (goals == 0) {
            throw new IllegalArgumentException("FrozenLake: the map " + desc + " has no goal cell 'G'");
        }
        return grid;
    }

    /** Gymnasium's table: holes and goals loop to themselves (terminated); slippery moves try a-1, a, a+1 (mod 4). */
    private static Transition[][][] transitionTable(char[][] grid, boolean slippery) {
        int rows = grid.length;
        int cols = grid[0].length;
        Transition[][][] table = new Transition[rows * cols][4][];
        for (int row = 0; row < rows; row++) {
            for (int col = 0; col < cols; col++) {
                int s = row * cols + col;
                for (int a = 0; a < 4; a++) {
                    char letter = grid[row][col];
                    if (letter == 'G' || letter == 'H') {
                        table[s][a] = new Transition[] {new Transition(1.0, s, 0.0, true)};
                    } else if (slippery) {
                        table[s][a] = new Transition[] {
                            move(grid, row, col, Math.floorMod(a - 1, 4), 1.0 / 3.0),
                            move(grid, row, col, a, 1.0 / 3.0),
                            move(grid, row, col, (a + 1) % 4, 1.0 / 3.0)};
                    } else {
                        table[s][a] = new Transition[] {move(grid, row, col, a, 1.0)};
                    }
                }
            }
        }
        return table;
    }

    private static Transition move(char[][] grid, int row, int col, int direction, double probability) {
        int rows = grid.length;
        int cols = grid[0].length;
        switch (direction) {
            case LEFT -> col = Math.max(col - 1, 0);
            case DOWN -> row = Math.min(row + 1, rows - 1);
            case RIGHT -> col = Math.min(col + 1, cols - 1);
            default -> row = Math.max(row - 1, 0);
        }
        char letter = grid[row][col];
        return new Transition(probability, row * cols + col, letter == 'G' ? 1.0 : 0.0, letter == 'G' || letter == 'H');
    }

    /** Uniform over the S cells, as {@code (desc == b"S") / count}. */
    private static double[] initialDistribution(char[][] grid) {
        int cols = grid[0].length;
        double[] p = new double[grid.length * cols];
        double count = 0.0;
        for (int r = 0; r < grid.length; r++) {
            for (int c = 0; c < cols; c++) {
                if (grid[r][c] == 'S') {
                    p[r * cols + c] = 1.0;
                    count += 1.0;
                }
            }
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= count;
        }
        return p;
    }

    /**
     * Gymnasium's {@code generate_random_map(size, p, seed)}: a size x size map of F (probability {@code p}) and H,
     * with S top-left and G bottom-right, redrawn until G can be reached from S. Draws exactly as Gymnasium does
     * ({@code np_random.choice(["F", "H"], (size, size), p=[p, 1 - p])} from {@code default_rng(seed)}), so the same
     * arguments give the same map. {@code p} above 1 counts as 1, as in Gymnasium.
     *
     * @throws IllegalArgumentException if {@code size < 2} or {@code p <= 0} (Gymnasium would loop forever), or the
     *     seed is negative
     */
    public static List<String> generateRandomMap(int size, double p, long seed) {
        if (size < 2) {
            throw new IllegalArgumentException("generateRandomMap: size must be at least 2 (a 1x1 map has no room for"
                    + " both S and G), got " + size);
        }
        if (!(p > 0.0)) {
            throw new IllegalArgumentException("generateRandomMap: p (the frozen-tile probability) must be in (0, 1],"
                    + " got " + p);
        }
        if (seed < 0) {
            throw new IllegalArgumentException("generateRandomMap: seed must be a non-negative integer, got " + seed);
        }
        return generateRandomMap(size, p, Rng.seeded(seed));
    }

    /** {@link #generateRandomMap(int, double, long)} drawing from {@code rng} (arguments already checked). */
    static List<String> generateRandomMap(int size, double p, Rng rng) {
        double frozen = Math.min(1.0, p);
        // Generator.choice with p: cdf = cumsum(p) / cdf[-1]; index = searchsorted(cdf, random(), side="right").
        double hole = 1.0 - frozen;
        double total = frozen + hole;
        double frozenCdf = frozen / total;
        char[][] board = new char[size][size];
        for (int attempt = 0; attempt < MAX_MAP_ATTEMPTS; attempt++) {
            for (char[] row : board) {
                for (int c = 0; c < size; c++) {
                    row[c] = rng.random() < frozenCdf ? 'F' : 'H';
                }
            }
            board[0][0] = 'S';
            board[size - 1][size - 1] = 'G';
            if (goalReachable(board)) {
                List<String> rows = new ArrayList<>(size);
                for (char[] row : board) {
                    rows.add(new String(row));
                }
                return List.copyOf(rows);
            }
        }
        throw new IllegalArgumentException("generateRandomMap: no " + size + "x" + size + " map with a path from S to G"
                + " in " + MAX_MAP_ATTEMPTS + " attempts at p=" + p + "; use a larger p");
    }

    /** Gymnasium's {@code is_valid}: whether G can be reached from (0, 0) through cells that are not holes. */
    static boolean goalReachable(char[][] board) {
        int size = board.length;
        boolean[] discovered = new boolean[size * size];
        int[] frontier = new int[size * size * 4 + 1];
        int top = 0;
        frontier[top++] = 0;
        int[][] directions = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
        while (top > 0) {
            int cell = frontier[--top];
            if (discovered[cell]) {
                continue;
            }
            discovered[cell] = true;
            int r = cell / size;
            int c = cell % size;
            for (int[] d : directions) {
                int rNew = r + d[0];
                int cNew = c + d[1];
                if (rNew < 0 || rNew >= size || cNew < 0 || cNew >= size) {
                    continue;
                }
                if (board[rNew][cNew] == 'G') {
                    return true;
                }
                if (board[rNew][cNew] != 'H' && !discovered[rNew * size + cNew]) {
                    frontier[top++] = rNew * size + cNew;
                }
            }
        }
        return false;
    }

    /** The map as rows of S, F, H and G. */
    public List<String> desc() {
        List<String> rows = new ArrayList<>(grid.length);
        for (char[] row : grid) {
            rows.add(new String(row));
        }
        return List.copyOf(rows);
    }

    public int rows() {
        return grid.length;
    }

    public int columns() {
        return grid[0].length;
    }

    public boolean isSlippery() {
        return slippery;
    }

    /**
     * Gymnasium's "ansi" rendering: the last action as {@code "  (Left)"} (an empty line after a reset), then the map
     * with the agent's cell highlighted in red.
     */
    @Override
    public String renderText() {
        int cols = grid[0].length;
        int row = state() / cols;
        int col = state() % cols;
        StringBuilder out = new StringBuilder();
        if (lastAction() >= 0) {
            out.append("  (").append(ACTION_NAMES[lastAction()]).append(")\n");
        } else {
            out.append('\n');
        }
        for (int r = 0; r < grid.length; r++) {
            for (int c = 0; c < cols; c++) {
                String cell = String.valueOf(grid[r][c]);
                out.append(r == row && c == col ? colorize(cell, RED, false, true) : cell);
            }
            out.append('\n');
        }
        return out.toString();
    }
}
