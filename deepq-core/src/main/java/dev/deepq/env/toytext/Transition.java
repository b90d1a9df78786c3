package dev.deepq.env.toytext;

/**
 * One possible outcome of taking an action in a state of a tabular env: Gymnasium's {@code P[s][a]} entry
 * {@code (prob, next_state, reward, terminated)}.
 *
 * @param probability the chance of this outcome
 * @param nextState the state the env moves to
 * @param reward the reward paid for the move
 * @param terminated whether the episode ends (a hole or goal, a delivery)
 */
public record Transition(double probability, int nextState, double reward, boolean terminated) {}
