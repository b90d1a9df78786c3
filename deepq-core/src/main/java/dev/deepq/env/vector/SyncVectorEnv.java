package dev.deepq.env.vector;

import dev.deepq.env.Env;
import java.util.List;

/** A {@link VectorEnv} that steps its envs one after another on the calling thread, as Gymnasium's {@code SyncVectorEnv}. */
public final class SyncVectorEnv extends VectorEnv {

    /** @param envs distinct envs with equal spaces; the vector env owns and closes them */
    public SyncVectorEnv(List<? extends Env> envs) {
        super(envs);
    }

    @Override
    protected void execute() {
        runEnvs(0, numEnvs());
    }
}
