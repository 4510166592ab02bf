package org.teachlearn.learn.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.GaussianPolicy;

/**
 * Hot swap: 100 models swapped in while a 1 kHz loop runs the current one; no tick fails or finds
 * no model, and no session is closed under a running tick (which would crash the JVM). Late and
 * missed ticks are printed.
 */
public class PolicySlotTest {

    /**
     * DJL (OnnxExportTest, in this JVM) creates ONNX Runtime's one environment with a thread pool and
     * refuses to start if one exists already: let it create the environment first.
     */
    @org.junit.jupiter.api.BeforeAll
    public static void djlCreatesTheEnvironment() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        ai.djl.engine.Engine.getEngine("OnnxRuntime");
    }

    @Test
    void hundredSwapsUnderAOneKilohertzLoopNeverFailATick() throws Exception {
        byte[][] models = new byte[2][];
        for (int m = 0; m < 2; m++) {
            GaussianPolicy p = new GaussianPolicy(LearnFixtures.reachLayout(), GaussianPolicy.Shape.of(256, 2), new Rng(m));
            models[m] = PolicyExport.toOnnx(p, "test", m, 0.001);
        }
        PolicySlot slot = new PolicySlot();
        slot.swap(warm(new OnnxPolicy(models[0], null)));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<String> realtime = new AtomicReference<>();
        long[] worst = new long[1];
        int[] ticks = new int[1], missed = new int[1], late = new int[1], empty = new int[1];
        Thread loop = new Thread(() -> {
            double[] obs = new double[18], action = new double[8];
            // A 1 kHz loop on a 2-core machine next to a thread loading models is preempted for whole
            // scheduler slices unless it runs real-time, as the policy server's timer does.
            realtime.set(RealtimeThread.elevate(50));
            long next = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                long start = System.nanoTime();
                PolicySlot.Ticket t = slot.enter();
                if (t == null) {
                    empty[0]++;
                } else {
                    try {
                        t.policy().act(obs, action);
                    } catch (Throwable e) {
                        failure.set(e);
                        return;
                    } finally {
                        t.leave();
                    }
                }
                long end = System.nanoTime();
                worst[0] = Math.max(worst[0], end - start);
                // late: finished after its own period; missed: its period and the next passed without it
                if (end > next + 1_000_000) late[0]++;
                if (end > next + 2_000_000) missed[0]++;
                ticks[0]++;
                next += 1_000_000;
                // park until 200 µs before the deadline, then spin: a parked thread wakes up late on a busy machine
                long sleep = next - System.nanoTime() - 200_000;
                if (sleep > 0) LockSupport.parkNanos(sleep);
                while (System.nanoTime() < next) Thread.onSpinWait();
            }
        }, "tick-loop");
        loop.start();
        for (int s = 1; s <= 100; s++) {
            slot.swap(warm(new OnnxPolicy(models[s % 2], null)));
            Thread.sleep(5);
        }
        loop.interrupt();
        loop.join(5000);
        slot.close();
        assertEquals(null, realtime.get(), "the tick loop could not run SCHED_FIFO (run the tests as root, as CI does)");
        assertEquals(null, failure.get(), "a tick failed");
        assertEquals(0, empty[0], "a tick found no model");
        assertTrue(ticks[0] > 400, "only " + ticks[0] + " ticks ran");
        System.out.printf("hot swap: 100 swaps, %d ticks, %d late, %d missed, worst tick %d µs%n", ticks[0], late[0], missed[0], worst[0] / 1000);
        // Timing is reported, not asserted yet: with SCHED_FIFO most runs miss nothing, but a tick now
        // and then stalls 1–2 ms while a session is created or closed beside it (issue 7 is open on it).
    }

    private static OnnxPolicy warm(OnnxPolicy p) throws Exception {
        double[] o = new double[p.info().obsDim()], a = new double[p.info().actDim()];
        for (int i = 0; i < 100; i++) p.act(o, a);
        return p;
    }
}
