package dev.deepq.algo;

/** How an actor's objective reads a {@link CriticEnsemble}: which value of Q(s, a) the policy climbs. */
public enum ActorQ {
    /** The smallest critic's value per sample (SAC, as Stable-Baselines3 and CleanRL run it). */
    MIN,
    /** The mean over all critics (REDQ's and DroQ's policy objective). */
    MEAN,
    /** The first critic alone (TD3 and DDPG). */
    FIRST
}
