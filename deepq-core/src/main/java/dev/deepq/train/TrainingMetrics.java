package dev.deepq.train;

import dev.deepq.state.Checkpointable;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named training statistics an agent updates in place (no allocation): the names are fixed at construction, the
 * values change as training goes. NaN means "not measured yet".
 */
public final class TrainingMetrics implements Checkpointable {
    private final String[] names;
    private final double[] values;

    public TrainingMetrics(String... names) {
        this.names = names.clone();
        this.values = new double[names.length];
        Arrays.fill(values, Double.NaN);
    }

    public void set(int index, double value) {
        values[index] = value;
    }

    public double get(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        throw new IllegalArgumentException("no metric '" + name + "'; metrics are " + Arrays.toString(names));
    }

    public int size() {
        return names.length;
    }

    public String name(int index) {
        return names[index];
    }

    public double value(int index) {
        return values[index];
    }

    public Map<String, Double> toMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], values[i]);
        }
        return map;
    }

    /** Saves the values (a resumed run logs the same latest loss until the next update). */
    @Override
    public void saveState(StateWriter out) {
        out.putDoubles("values", values);
    }

    @Override
    public void restoreState(StateReader in) {
        in.readDoubles("values", values);
    }
}
