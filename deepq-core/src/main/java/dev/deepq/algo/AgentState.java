package dev.deepq.algo;

import dev.deepq.nn.Network;
import dev.deepq.nn.ParameterView;
import dev.deepq.nn.optim.Adam;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.Map;

/** Checkpoint pieces the network agents share: networks by their PyTorch tensor names, Adam's moments and step. */
final class AgentState {
    private AgentState() {}

    static void saveNetwork(StateWriter out, Network network) {
        for (ParameterView v : network.parameterViews()) {
            out.putFloats(v.name(), network.parameters(), v.offset(), v.size(), v.shape());
        }
    }

    static void restoreNetwork(StateReader in, Network network) {
        for (ParameterView v : network.parameterViews()) {
            in.readFloats(v.name(), network.parameters(), v.offset(), v.size(), v.shape());
        }
    }

    static void saveAdam(StateWriter out, Adam adam) {
        for (Map.Entry<String, float[]> e : adam.state().entrySet()) {
            out.putFloats(e.getKey(), e.getValue());
        }
        out.putLong("steps", adam.steps());
    }

    static void restoreAdam(StateReader in, Adam adam) {
        for (Map.Entry<String, float[]> e : adam.state().entrySet()) {
            in.readFloats(e.getKey(), e.getValue());
        }
        long steps = in.getLong("steps");
        if (steps < 0) {
            throw in.error("steps", "is " + steps + ", must be >= 0");
        }
        adam.setSteps(steps);
    }
}
