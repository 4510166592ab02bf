package org.teachlearn.nodes.policy;

import org.teachlearn.learn.serve.ExperienceBuffer;
import org.teachlearn.msgs.teach_learn.Experience;
import org.teachlearn.ros.message.Time;
import org.teachlearn.ros.node.Publisher;

/**
 * The policy server's side of {@code /experience} (teach_learn/Experience): transitions collected
 * in an {@link ExperienceBuffer} and published as one message per full batch. The message's arrays
 * are sized once; publishing a batch allocates nothing.
 */
final class ExperienceOut {

    private final ExperienceBuffer buffer;
    private final Experience msg = new Experience();
    private final Publisher<Experience> pub;

    ExperienceOut(Publisher<Experience> pub, String worker, String task, int obsDim, int actDim, int batch) {
        this.pub = pub;
        buffer = new ExperienceBuffer(obsDim, actDim, batch);
        msg.worker = worker;
        msg.task = task;
        msg.obs_dim = obsDim;
        msg.act_dim = actDim;
        msg.obs = new float[batch * obsDim];
        msg.next_obs = new float[batch * obsDim];
        msg.action = new float[batch * actDim];
        msg.executed_action = new float[batch * actDim];
        msg.expert_action = new float[batch * actDim];
        msg.logprob = new float[batch];
        msg.reward = new float[batch];
        msg.done = new byte[batch];
        msg.intervention = new byte[batch];
        msg.episode = new int[batch];
    }

    int actDim() {
        return buffer.actDim();
    }

    /**
     * The state {@code obs} arrived with its reward and done flag: closes the open transition (a new
     * episode's first state abandons it instead) and publishes a full batch.
     */
    void arrived(double[] obs, int step, double reward, boolean done, boolean truncated, Time stamp, int policyVersion) {
        if (!buffer.isOpen()) return;
        if (step == 0) {
            buffer.abandon();   // the episode was reset under it
            return;
        }
        byte flag = done ? (truncated ? ExperienceBuffer.TRUNCATED : ExperienceBuffer.TERMINAL) : ExperienceBuffer.NOT_DONE;
        if (!buffer.close(obs, reward, flag)) return;
        buffer.copyTo(msg.obs, msg.action, msg.logprob, msg.reward, msg.next_obs, msg.done, msg.expert_action, msg.episode,
                msg.executed_action, msg.intervention);
        msg.policy_version = policyVersion;
        msg.header.stamp.set(stamp);
        pub.publish(msg);
        buffer.clear();
    }

    /** The policy acted on {@code obs}: chose {@code chosen} (log-density {@code logProb}), sent {@code sent}. */
    void acted(double[] obs, double[] chosen, double[] sent, double logProb, int episode, Time stamp) {
        buffer.open(obs, chosen, sent, logProb, false, episode, stamp.toNanos());
    }

    /**
     * A person commanded the state {@code obs} through teleoperation, sending {@code sent}: an
     * intervention row, its action, executed action and label all the person's command, its
     * log-probability NaN (the policy did not choose it: never on-policy data).
     */
    void intervened(double[] obs, double[] sent, int episode, Time stamp) {
        buffer.open(obs, sent, sent, Double.NaN, true, episode, stamp.toNanos());
        buffer.label(stamp.toNanos(), sent);
    }

    /** An expert's action for the state stamped {@code stamp}; false when its transition is not open yet. */
    boolean label(Time stamp, double[] action) {
        return buffer.label(stamp.toNanos(), action);
    }
}
