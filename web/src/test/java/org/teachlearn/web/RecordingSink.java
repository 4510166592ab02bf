package org.teachlearn.web;

import java.util.ArrayList;
import java.util.List;

/** A sink that keeps what the server handed it, for the tests to read. */
final class RecordingSink implements ControllerSink {

    record Frame(long seq, boolean tracked, double[] position, double[] orientation, int[] buttons, float[] axes, long sampleNanoTime, long receivedNanoTime) {
    }

    final List<Frame> frames = new ArrayList<>();
    final List<String> released = new ArrayList<>(), warnings = new ArrayList<>(), infos = new ArrayList<>();

    @Override
    public synchronized void frame(ControllerFrame f, long sampleNanoTime) {
        frames.add(new Frame(f.seq, f.tracked, f.position.clone(), f.orientation.clone(), f.buttons.clone(), f.axes.clone(), sampleNanoTime, System.nanoTime()));
    }

    @Override
    public synchronized void released(String why) {
        released.add(why);
    }

    @Override
    public synchronized void info(String message) {
        infos.add(message);
    }

    @Override
    public synchronized void warn(String message) {
        warnings.add(message);
    }

    synchronized int frameCount() {
        return frames.size();
    }

    synchronized String log() {
        return "warnings " + warnings + ", infos " + infos + ", released " + released;
    }
}
