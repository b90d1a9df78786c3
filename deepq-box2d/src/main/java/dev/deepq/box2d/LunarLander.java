package dev.deepq.box2d;

import dev.deepq.env.Env;
import dev.deepq.env.RgbFrame;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.DType;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.random.Rng;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import org.jbox2d.callbacks.ContactImpulse;
import org.jbox2d.callbacks.ContactListener;
import org.jbox2d.collision.Manifold;
import org.jbox2d.collision.shapes.EdgeShape;
import org.jbox2d.collision.shapes.PolygonShape;
import org.jbox2d.common.Vec2;
import org.jbox2d.dynamics.Body;
import org.jbox2d.dynamics.BodyDef;
import org.jbox2d.dynamics.BodyType;
import org.jbox2d.dynamics.FixtureDef;
import org.jbox2d.dynamics.World;
import org.jbox2d.dynamics.contacts.Contact;
import org.jbox2d.dynamics.joints.RevoluteJointDef;

/**
 * LunarLander-v3 and LunarLanderContinuous-v3 as Gymnasium 1.0.0's {@code lunar_lander.py}, on JBox2D: the same
 * terrain, lander polygon, legs on motorised revolute joints, engine impulses with their random dispersion (drawn
 * from {@link #rng()} in Gymnasium's order), observation, reward shaping and termination.
 *
 * <p>JBox2D and Box2D 2.3.5 do not round alike, so trajectories drift apart over an episode: fidelity is statistical
 * (see docs/BOX2D.md). The random draws are exact: the terrain, the initial push and every dispersion pair are
 * NumPy's numbers for the same seed.
 *
 * <p>Gymnasium's exhaust particles are Box2D bodies that collide with the ground only and are created only when
 * rendering ("a decoration, with no impact on the physics"), so this port leaves them out. A new Box2D world is built
 * at every reset (as Gymnasium 1.0.0 does), so an episode depends only on its seed and actions.
 *
 * <p>Checkpoints work mid-episode: the Box2D world cannot be serialized exactly, so the state is the generator as the
 * episode began plus the episode's actions, and restoring replays them into a new world (bit-identical, as an episode
 * is a deterministic function of those; at most 1,000 steps under the registered TimeLimit).
 */
public final class LunarLander extends Env {
    static final double FPS = 50;
    static final double SCALE = 30.0;
    static final double MAIN_ENGINE_POWER = 13.0;
    static final double SIDE_ENGINE_POWER = 0.6;
    static final double INITIAL_RANDOM = 1000.0;
    static final double[][] LANDER_POLY = {{-14, 17}, {-17, 0}, {-17, -10}, {17, -10}, {17, 0}, {14, 17}};
    static final double LEG_AWAY = 20;
    static final double LEG_DOWN = 18;
    static final double LEG_W = 2;
    static final double LEG_H = 8;
    static final double LEG_SPRING_TORQUE = 40;
    static final double SIDE_ENGINE_HEIGHT = 14;
    static final double SIDE_ENGINE_AWAY = 12;
    static final double MAIN_ENGINE_Y_LOCATION = 4;
    static final int VIEWPORT_W = 600;
    static final int VIEWPORT_H = 400;
    static final int CHUNKS = 11;
    static final double W = VIEWPORT_W / SCALE;
    static final double H = VIEWPORT_H / SCALE;

    private final boolean continuous;
    private final double gravity;
    private final boolean enableWind;
    private final double windPower;
    private final double turbulencePower;

    private World world;
    private Body lander;
    private final Body[] legs = new Body[2];
    private final boolean[] legContact = new boolean[2];
    private boolean gameOver;
    private boolean hasPrevShaping;
    private double prevShaping;
    private long windIdx;
    private long torqueIdx;
    private double helipadX1;
    private double helipadX2;
    private double helipadY;
    private final double[] chunkX = new double[CHUNKS];
    private final double[] smoothY = new double[CHUNKS];
    private final double[] height = new double[CHUNKS + 1];
    private final Vec2 impulse = new Vec2();
    private final Vec2 impulsePoint = new Vec2();
    private final Vec2 force = new Vec2();
    private final ContactListener contactDetector = new ContactDetector();
    private LunarLanderRenderer renderer;
    /** The generator as the episode began, and the episode's actions: replaying them rebuilds the world exactly. */
    private Rng episodeStartRng;
    private double[] actionLog = new double[256];
    private int actionLogLength;

    /** Gymnasium's defaults: discrete actions, gravity -10, no wind. */
    public LunarLander() {
        this(false, -10.0, false, 15.0, 1.5);
    }

    /**
     * @param continuous Box(-1, 1, (2,)) throttles instead of Discrete(4)
     * @param gravity vertical gravity, strictly between -12 and 0
     * @param enableWind whether wind and turbulence push the lander while no leg touches the ground
     * @param windPower the largest wind force (Gymnasium recommends 0 to 20)
     * @param turbulencePower the largest turbulence torque (Gymnasium recommends 0 to 2)
     */
    public LunarLander(boolean continuous, double gravity, boolean enableWind, double windPower,
                       double turbulencePower) {
        super(observationBox(), continuous ? new Box(-1, 1, new int[] {2}, DType.FLOAT32) : new Discrete(4));
        if (!(gravity > -12.0 && gravity < 0.0)) {
            throw new IllegalArgumentException("LunarLander gravity must be between -12 and 0 (exclusive), got " + gravity);
        }
        if (!Double.isFinite(windPower) || !Double.isFinite(turbulencePower)) {
            throw new IllegalArgumentException("LunarLander wind_power and turbulence_power must be finite numbers, got "
                    + windPower + " and " + turbulencePower);
        }
        this.continuous = continuous;
        this.gravity = gravity;
        this.enableWind = enableWind;
        this.windPower = windPower;
        this.turbulencePower = turbulencePower;
    }

    /** Gymnasium's observation bounds: position ±1.5, velocities ±5, angle ±π, angular velocity ±5, leg flags 0..1. */
    static Box observationBox() {
        double[] low = {-1.5, -1.5, -5.0, -5.0, -Math.PI, -5.0, -0.0, -0.0};
        double[] high = {1.5, 1.5, 5.0, 5.0, Math.PI, 5.0, 1.0, 1.0};
        return Box.float32(low, high);
    }

    public boolean isContinuous() {
        return continuous;
    }

    @Override
    public String id() {
        return spec() != null ? super.id() : continuous ? "LunarLanderContinuous-v3" : "LunarLander-v3";
    }

    @Override
    protected void resetEnv(boolean seeded, long seed) {
        episodeStartRng = rng().copy();
        actionLogLength = 0;
        startEpisode();
    }

    /** Builds a new world from the generator's current state (draws terrain, push, wind offsets, one dispersion). */
    private void startEpisode() {
        world = new World(new Vec2(0f, (float) gravity));
        world.setContactListener(contactDetector);
        gameOver = false;
        hasPrevShaping = false;
        legContact[0] = false;
        legContact[1] = false;

        buildTerrain();
        buildLander();
        if (enableWind) {
            windIdx = rng().integers(-9999, 9999);
            torqueIdx = rng().integers(-9999, 9999);
        }
        buildLegs();
        // Gymnasium's reset returns the observation of one no-op step (which also draws one dispersion pair)
        simulate(0.0, 0.0, 0.0);
    }

    private void buildTerrain() {
        rng().uniform(0, H / 2, height);
        for (int i = 0; i < CHUNKS; i++) {
            chunkX[i] = W / (CHUNKS - 1) * i;
        }
        helipadX1 = chunkX[CHUNKS / 2 - 1];
        helipadX2 = chunkX[CHUNKS / 2 + 1];
        helipadY = H / 4;
        for (int k = -2; k <= 2; k++) {
            height[CHUNKS / 2 + k] = helipadY;
        }
        for (int i = 0; i < CHUNKS; i++) {
            // i = 0 reads height[-1], the last element, as Python's negative index does
            double previous = height[i == 0 ? CHUNKS : i - 1];
            smoothY[i] = 0.33 * (previous + height[i] + height[i + 1]);
        }
        Body moon = world.createBody(new BodyDef());
        EdgeShape bottom = new EdgeShape();
        bottom.set(new Vec2(0f, 0f), new Vec2((float) W, 0f));
        FixtureDef bottomFixture = new FixtureDef();
        bottomFixture.shape = bottom;
        bottomFixture.density = 0f;
        bottomFixture.friction = 0.2f;
        moon.createFixture(bottomFixture);
        for (int i = 0; i < CHUNKS - 1; i++) {
            EdgeShape edge = new EdgeShape();
            edge.set(new Vec2((float) chunkX[i], (float) smoothY[i]), new Vec2((float) chunkX[i + 1], (float) smoothY[i + 1]));
            FixtureDef fixture = new FixtureDef();
            fixture.shape = edge;
            fixture.density = 0f;
            fixture.friction = 0.1f;
            moon.createFixture(fixture);
        }
    }

    private void buildLander() {
        BodyDef def = new BodyDef();
        def.type = BodyType.DYNAMIC;
        def.position.set((float) (W / 2), (float) H);
        def.angle = 0f;
        lander = world.createBody(def);
        Vec2[] vertices = new Vec2[LANDER_POLY.length];
        for (int i = 0; i < vertices.length; i++) {
            vertices[i] = new Vec2((float) (LANDER_POLY[i][0] / SCALE), (float) (LANDER_POLY[i][1] / SCALE));
        }
        PolygonShape shape = new PolygonShape();
        shape.set(vertices, vertices.length);
        FixtureDef fixture = new FixtureDef();
        fixture.shape = shape;
        fixture.density = 5.0f;
        fixture.friction = 0.1f;
        fixture.filter.categoryBits = 0x0010;
        fixture.filter.maskBits = 0x001; // collides with the ground only
        fixture.restitution = 0.0f;
        lander.createFixture(fixture);
        double fx = rng().uniform(-INITIAL_RANDOM, INITIAL_RANDOM);
        double fy = rng().uniform(-INITIAL_RANDOM, INITIAL_RANDOM);
        force.set((float) fx, (float) fy);
        lander.applyForceToCenter(force);
    }

    private void buildLegs() {
        for (int side = 0; side < 2; side++) {
            int i = side == 0 ? -1 : 1;
            BodyDef def = new BodyDef();
            def.type = BodyType.DYNAMIC;
            def.position.set((float) (W / 2 - i * LEG_AWAY / SCALE), (float) H);
            def.angle = (float) (i * 0.05);
            Body leg = world.createBody(def);
            PolygonShape box = new PolygonShape();
            box.setAsBox((float) (LEG_W / SCALE), (float) (LEG_H / SCALE));
            FixtureDef fixture = new FixtureDef();
            fixture.shape = box;
            fixture.density = 1.0f;
            fixture.restitution = 0.0f;
            fixture.filter.categoryBits = 0x0020;
            fixture.filter.maskBits = 0x001;
            leg.createFixture(fixture);

            RevoluteJointDef joint = new RevoluteJointDef();
            joint.bodyA = lander;
            joint.bodyB = leg;
            joint.localAnchorA.set(0f, 0f);
            joint.localAnchorB.set((float) (i * LEG_AWAY / SCALE), (float) (LEG_DOWN / SCALE));
            joint.enableMotor = true;
            joint.enableLimit = true;
            joint.maxMotorTorque = (float) LEG_SPRING_TORQUE;
            joint.motorSpeed = (float) (0.3 * i); // low enough not to jump back into the sky
            if (i == -1) {
                joint.lowerAngle = (float) (0.9 - 0.5);
                joint.upperAngle = 0.9f;
            } else {
                joint.lowerAngle = -0.9f;
                joint.upperAngle = (float) (-0.9 + 0.5);
            }
            world.createJoint(joint);
            legs[side] = leg;
        }
    }

    @Override
    protected void stepEnv(int action) {
        logAction(action, 0.0);
        applyDiscrete(action);
    }

    private void applyDiscrete(int action) {
        switch (action) {
            case 1 -> simulate(0.0, 1.0, -1.0);
            case 2 -> simulate(1.0, 0.0, 0.0);
            case 3 -> simulate(0.0, 1.0, 1.0);
            default -> simulate(0.0, 0.0, 0.0);
        }
    }

    @Override
    protected void stepEnv(double[] action) {
        logAction(action[0], action[1]);
        applyContinuous(action);
    }

    private void logAction(double a0, double a1) {
        if (actionLogLength + 2 > actionLog.length) {
            actionLog = java.util.Arrays.copyOf(actionLog, actionLog.length * 2);
        }
        actionLog[actionLogLength++] = a0;
        actionLog[actionLogLength++] = a1;
    }

    private void applyContinuous(double[] action) {
        // Gymnasium clips the action and casts it to float32; the powers below are float32 numbers too
        float main = clip((float) action[0], -1f, 1f);
        float lateral = clip((float) action[1], -1f, 1f);
        double mainPower = main > 0f ? (clip(main, 0f, 1f) + 1f) * 0.5f : 0.0;
        double sidePower = 0.0;
        double direction = 0.0;
        if (Math.abs(lateral) > 0.5f) {
            direction = Math.signum(lateral);
            sidePower = clip(Math.abs(lateral), 0.5f, 1f);
        }
        simulate(mainPower, sidePower, direction);
    }

    private static float clip(float v, float lo, float hi) {
        return Math.min(Math.max(v, lo), hi);
    }

    /** One Gymnasium step: wind, engine impulses, a Box2D step of 1/50 s, then observation, reward and termination. */
    private void simulate(double mainPower, double sidePower, double direction) {
        if (enableWind && !(legContact[0] || legContact[1])) {
            double windMag = Math.tanh(Math.sin(0.02 * windIdx) + Math.sin(Math.PI * 0.01 * windIdx)) * windPower;
            windIdx++;
            force.set((float) windMag, 0f);
            lander.applyForceToCenter(force);
            double torqueMag = Math.tanh(Math.sin(0.02 * torqueIdx) + Math.sin(Math.PI * 0.01 * torqueIdx))
                    * turbulencePower;
            torqueIdx++;
            lander.applyTorque((float) torqueMag);
        }

        double angle = lander.getAngle();
        double tip0 = Math.sin(angle);
        double tip1 = Math.cos(angle);
        double side0 = -tip1;
        double side1 = tip0;
        double dispersion0 = rng().uniform(-1.0, 1.0) / SCALE;
        double dispersion1 = rng().uniform(-1.0, 1.0) / SCALE;
        Vec2 position = lander.getPosition();

        if (mainPower > 0.0) {
            double ox = tip0 * (MAIN_ENGINE_Y_LOCATION / SCALE + 2 * dispersion0) + side0 * dispersion1;
            double oy = -tip1 * (MAIN_ENGINE_Y_LOCATION / SCALE + 2 * dispersion0) - side1 * dispersion1;
            impulsePoint.set((float) (position.x + ox), (float) (position.y + oy));
            impulse.set((float) (-ox * MAIN_ENGINE_POWER * mainPower), (float) (-oy * MAIN_ENGINE_POWER * mainPower));
            lander.applyLinearImpulse(impulse, impulsePoint);
        }
        if (sidePower > 0.0) {
            double ox = tip0 * dispersion0 + side0 * (3 * dispersion1 + direction * SIDE_ENGINE_AWAY / SCALE);
            double oy = -tip1 * dispersion0 - side1 * (3 * dispersion1 + direction * SIDE_ENGINE_AWAY / SCALE);
            // Gymnasium uses 17 here, not SIDE_ENGINE_HEIGHT, for the horizontal offset
            impulsePoint.set((float) (position.x + ox - tip0 * 17 / SCALE),
                    (float) (position.y + oy + tip1 * SIDE_ENGINE_HEIGHT / SCALE));
            impulse.set((float) (-ox * SIDE_ENGINE_POWER * sidePower), (float) (-oy * SIDE_ENGINE_POWER * sidePower));
            lander.applyLinearImpulse(impulse, impulsePoint);
        }

        world.step((float) (1.0 / FPS), 6 * 30, 2 * 30);

        Vec2 pos = lander.getPosition();
        Vec2 vel = lander.getLinearVelocity();
        double s0 = (pos.x - W / 2) / (W / 2);
        double s1 = (pos.y - (helipadY + LEG_DOWN / SCALE)) / (H / 2);
        double s2 = vel.x * (W / 2) / FPS;
        double s3 = vel.y * (H / 2) / FPS;
        double s4 = lander.getAngle();
        double s5 = 20.0 * lander.getAngularVelocity() / FPS;
        double s6 = legContact[0] ? 1.0 : 0.0;
        double s7 = legContact[1] ? 1.0 : 0.0;
        observation[0] = (float) s0;
        observation[1] = (float) s1;
        observation[2] = (float) s2;
        observation[3] = (float) s3;
        observation[4] = (float) s4;
        observation[5] = (float) s5;
        observation[6] = s6;
        observation[7] = s7;

        double shaping = -100 * Math.sqrt(s0 * s0 + s1 * s1) - 100 * Math.sqrt(s2 * s2 + s3 * s3)
                - 100 * Math.abs(s4) + 10 * s6 + 10 * s7;
        double reward = hasPrevShaping ? shaping - prevShaping : 0.0;
        prevShaping = shaping;
        hasPrevShaping = true;
        reward -= mainPower * 0.30;
        reward -= sidePower * 0.03;

        boolean terminated = false;
        if (gameOver || Math.abs(s0) >= 1.0) {
            terminated = true;
            reward = -100;
        }
        if (!lander.isAwake()) {
            terminated = true;
            reward = 100;
        }
        result.set(reward, terminated, false);
    }

    /** Whether the lander's body touched the ground (Gymnasium's {@code game_over}). */
    boolean gameOver() {
        return gameOver;
    }

    /** Whether the lander came to rest (Box2D put it to sleep), which ends the episode with +100. */
    boolean landerAtRest() {
        return lander != null && !lander.isAwake();
    }

    /** The body contact flags Gymnasium keeps: the lander's body ends the episode, the legs only report contact. */
    private final class ContactDetector implements ContactListener {
        @Override
        public void beginContact(Contact contact) {
            Body a = contact.getFixtureA().getBody();
            Body b = contact.getFixtureB().getBody();
            if (lander == a || lander == b) {
                gameOver = true;
            }
            for (int i = 0; i < 2; i++) {
                if (legs[i] == a || legs[i] == b) {
                    legContact[i] = true;
                }
            }
        }

        @Override
        public void endContact(Contact contact) {
            Body a = contact.getFixtureA().getBody();
            Body b = contact.getFixtureB().getBody();
            for (int i = 0; i < 2; i++) {
                if (legs[i] == a || legs[i] == b) {
                    legContact[i] = false;
                }
            }
        }

        @Override
        public void preSolve(Contact contact, Manifold oldManifold) {}

        @Override
        public void postSolve(Contact contact, ContactImpulse impulse) {}
    }

    // ---- rendering ----

    @Override
    public boolean supportsRgbRender() {
        return true;
    }

    /** A 600×400 frame as Gymnasium draws it: black sky over white ground, the helipad flags, the lander and legs. */
    @Override
    public RgbFrame renderRgb() {
        if (world == null) {
            throw new IllegalStateException(id() + ": renderRgb() called before reset()");
        }
        if (renderer == null) {
            renderer = new LunarLanderRenderer(VIEWPORT_W, VIEWPORT_H, SCALE);
        }
        return renderer.draw(chunkX, smoothY, H, helipadX1, helipadX2, helipadY, lander, legs);
    }

    @Override
    protected void closeEnv() {
        world = null;
        lander = null;
        legs[0] = null;
        legs[1] = null;
    }

    // ---- checkpoints ----

    /**
     * Saves the generator as the episode began and the episode's actions. Box2D's world (contacts, warm-starting
     * impulses, sleep timers, broad-phase tree) has no exact serialized form, but an episode is a deterministic
     * function of those two (a new world per reset), so {@link #restoreEnvState} rebuilds it by replay, exactly.
     */
    @Override
    protected void saveEnvState(StateWriter out) {
        out.putBoolean("episode_started", episodeStartRng != null);
        if (episodeStartRng != null) {
            out.putRng("episode_start_rng", episodeStartRng);
            out.putDoubles("episode_actions", actionLog, actionLogLength);
        }
    }

    @Override
    protected void restoreEnvState(StateReader in) {
        if (!in.getBoolean("episode_started")) {
            episodeStartRng = null;
            actionLogLength = 0;
            world = null;
            return;
        }
        Rng start = in.getRng("episode_start_rng");
        double[] actions = in.doubles("episode_actions");
        if (actions.length % 2 != 0) {
            throw in.error("episode_actions", "must hold two numbers per step, got " + actions.length);
        }
        setRng(start.copy());
        episodeStartRng = start;
        actionLogLength = 0;
        startEpisode();
        double[] action = new double[2];
        for (int i = 0; i < actions.length; i += 2) {
            logAction(actions[i], actions[i + 1]);
            if (continuous) {
                action[0] = actions[i];
                action[1] = actions[i + 1];
                applyContinuous(action);
            } else {
                applyDiscrete((int) actions[i]);
            }
        }
    }
}
