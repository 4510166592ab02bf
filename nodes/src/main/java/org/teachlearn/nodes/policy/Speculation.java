package org.teachlearn.nodes.policy;

import java.util.Arrays;
import org.teachlearn.learn.serve.OnnxPolicy;
import org.teachlearn.learn.serve.PolicySlot;
import org.teachlearn.learn.serve.SafeAction;

/**
 * Lockstep: the model run on a state's joint positions with the goal the episode had so far, on the
 * joint_states thread while that state's task/state is still on its way. A simulator publishes
 * both messages of a state back to back, on two connections read by two threads; without this the
 * model could only start once the second is in, and its whole run would add to every step. The
 * tick takes the result only if the observation it builds is exactly the one the model saw, with
 * the same model (a new episode's goal, a swap or anything else makes it run the model itself), so
 * the command is the one it would have computed. One speculation at a time; the tick waits for a
 * running one by not ticking: the speculating thread ticks when its model is done.
 *
 * <p>State changes happen under the server's lock; only {@link #run} runs outside it.
 */
final class Speculation implements SafeAction.Precomputed {

    private final double[] obs, action;
    private PolicySlot.Ticket ticket;
    private OnnxPolicy policy;
    private boolean running, ready;
    private long hits;

    Speculation(int obsDim, int actDim) {
        obs = new double[obsDim];
        action = new double[actDim];
    }

    boolean running() {
        return running;
    }

    /** Starts one on {@code observation} (copied) with the current model; false when none is loaded or one runs. */
    boolean begin(PolicySlot slot, double[] observation) {
        if (running) return false;
        PolicySlot.Ticket t = slot.enter();
        if (t == null) return false;
        // a chunk is queried once every K ticks: nothing to hide; a history model needs the tick's own observation in its stack
        if (t.policy().chunk() != 1 || t.policy().history() != 1) {
            t.leave();
            return false;
        }
        System.arraycopy(observation, 0, obs, 0, obs.length);
        ticket = t;
        policy = t.policy();
        running = true;
        ready = false;
        return true;
    }

    /** Outside the lock: the model on the copied observation. A failure is left for the tick to meet. */
    void run() {
        try {
            policy.act(obs, action);
            ready = true;
        } catch (Exception e) {
            ready = false;
        } finally {
            ticket.leave();
        }
    }

    /** Ticks that took a speculated action. */
    long hits() {
        return hits;
    }

    /** Under the lock, after {@link #run}. */
    void end() {
        running = false;
        ticket = null;
    }

    /**
     * The speculated action into {@code out} when {@code model} on {@code observation} is what it
     * computed; consumed either way. Never called while one runs (the tick waits, see above).
     */
    @Override
    public boolean take(OnnxPolicy model, double[] observation, double[] out) {
        boolean hit = ready && model == policy && Arrays.equals(obs, observation);
        if (hit) {
            System.arraycopy(action, 0, out, 0, action.length);
            hits++;
        }
        ready = false;
        policy = null;
        return hit;
    }
}
