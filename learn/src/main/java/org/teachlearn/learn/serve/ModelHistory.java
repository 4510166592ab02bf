package org.teachlearn.learn.serve;

/**
 * The models a policy server knows, as ONNX files: the one running, the one before it (what a
 * rollback returns to) and the newest published one it did not install (what switching updates on
 * installs). Bounded: at most these three files are held. Not thread-safe: the policy server keeps
 * it on its one loader thread.
 */
public final class ModelHistory {

    /** One model file: its bytes, their sha256, its version, and where it came from (for logs). */
    public record Model(byte[] onnx, String sha256, long version, String source) {

        public Model withVersion(long v) {
            return new Model(onnx, sha256, v, source);
        }

        /** "version 7 (/policy/model, ppo)" */
        public String describe() {
            return "version " + version + " (" + source + ")";
        }
    }

    private Model running, previous, waiting;

    /** {@code m} now runs; the one it replaces becomes the previous (after a rollback: the model rolled back from). */
    public void ran(Model m) {
        if (running != null) previous = running;
        running = m;
    }

    /** The same file with the same version is already running: installing it again would only cost a reload. */
    public boolean isRunning(Model m) {
        return running != null && running.version == m.version && running.sha256.equalsIgnoreCase(m.sha256);
    }

    /** A published model that was not installed; a later one replaces it. */
    public void waiting(Model m) {
        waiting = m;
    }

    /** Drops the waiting model: a later published one is running, or it could not be installed. */
    public void noneWaiting() {
        waiting = null;
    }

    public Model running() {
        return running;
    }

    public Model previous() {
        return previous;
    }

    public Model waiting() {
        return waiting;
    }
}
