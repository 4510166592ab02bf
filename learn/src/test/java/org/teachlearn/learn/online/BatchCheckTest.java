package org.teachlearn.learn.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Each way a batch is refused, with the words the person running the worker needs: which field,
 * the value as sent and what it should be. One good batch is bent one way at a time.
 */
class BatchCheckTest {

    static final int OD = 5, AD = 2, N = 4;
    static final BatchCheck CHECK = new BatchCheck("reach", OD, AD);
    static final long NEWEST = 7;

    /** A well-formed batch of N rows from worker /w, policy version 7, with expert labels. */
    static Batch good() {
        return with(b -> b);
    }

    static Batch with(UnaryOperator<Fields> bend) {
        Fields f = new Fields();
        f = bend.apply(f);
        return new Batch(f.worker, f.task, f.version, f.od, f.ad, f.obs, f.action, f.logProb, f.reward, f.nextObs, f.done, f.expert, f.episode,
                f.intervention);
    }

    /** The batch's fields, for a test to change before it is built. */
    static final class Fields {
        String worker = "/w", task = "reach";
        long version = NEWEST;
        int od = OD, ad = AD;
        float[] obs = filled(N * OD, 0.1f), nextObs = filled(N * OD, 0.2f), action = filled(N * AD, 0.3f), logProb = filled(N, -1f),
                reward = filled(N, 0.5f), expert = filled(N * AD, 0.4f);
        byte[] done = {0, 0, 0, 1}, intervention = new byte[N];
        int[] episode = new int[N];
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    static String refusal(UnaryOperator<Fields> bend) {
        String p = CHECK.problem(with(bend), NEWEST);
        assertNotNull(p, "refused");
        System.out.println("refused: " + p);
        return p;
    }

    static void says(String problem, String... parts) {
        for (String part : parts) assertTrue(problem.contains(part), "'" + problem + "' says " + part);
    }

    @Test
    void aWellFormedBatchIsTaken() {
        assertNull(CHECK.problem(good(), NEWEST));
        assertNull(CHECK.problem(with(f -> {
            f.task = "";   // a worker older than 0.2 names no task
            f.expert = new float[0];
            return f;
        }), NEWEST));
    }

    @Test
    void nanLogProbMarksUnsampledRowsAndIsNotRefused() {
        Batch b = with(f -> {
            f.logProb = filled(N, Float.NaN);   // a deterministic worker
            f.expert = filled(N * AD, Float.NaN);   // no expert answered
            return f;
        });
        assertNull(CHECK.problem(b, NEWEST));
        assertTrue(!b.sampled(0) && !b.labelled(0));
    }

    @Test
    void nonFiniteValuesNameTheirField() {
        says(refusal(f -> {
            f.reward[2] = Float.NaN;
            return f;
        }), "reward[2] is NaN", "finite");
        says(refusal(f -> {
            f.obs[OD + 3] = Float.POSITIVE_INFINITY;
            return f;
        }), "obs[1][3] is Infinity");
        says(refusal(f -> {
            f.nextObs[0] = Float.NaN;
            return f;
        }), "next_obs[0][0] is NaN");
        says(refusal(f -> {
            f.action[3] = Float.NEGATIVE_INFINITY;
            return f;
        }), "action[1][1] is -Infinity");
        says(refusal(f -> {
            f.logProb[1] = Float.POSITIVE_INFINITY;
            return f;
        }), "logprob[1] is +Infinity");
    }

    @Test
    void lengthsThatDoNotFitTheRowCountAreRefused() {
        says(refusal(f -> {
            f.obs = new float[N * OD - 1];
            return f;
        }), "obs has 19 values, not 20", "obs_dim 5 per row", "for 4 transitions");
        says(refusal(f -> {
            f.nextObs = new float[3];
            return f;
        }), "next_obs has 3 values, not 20");
        says(refusal(f -> {
            f.action = new float[N];
            return f;
        }), "action has 4 values, not 8", "act_dim 2");
        says(refusal(f -> {
            f.logProb = new float[1];
            return f;
        }), "logprob has 1 values, not 4");
        says(refusal(f -> {
            f.done = new byte[5];
            return f;
        }), "done has 5 values, not 4");
        says(refusal(f -> {
            f.episode = new int[0];
            return f;
        }), "episode has 0 values, not 4");
        says(refusal(f -> {
            f.intervention = new byte[2];
            return f;
        }), "intervention has 2 values, not 4");
        says(refusal(f -> {
            f.expert = new float[3];
            return f;
        }), "expert_action has 3 values, not 0 or 8");
    }

    @Test
    void dimensionsOfAnotherArmAreRefusedAsSent() {
        says(refusal(f -> {
            f.od = 14;
            f.obs = new float[N * 14];
            f.nextObs = new float[N * 14];
            return f;
        }), "obs_dim 14 and act_dim 2, the policy has 5 and 2", "~urdf");
        // uint32 4294967295 arrives as the int -1: said as sent
        says(refusal(f -> {
            f.od = (int) 4294967295L;
            return f;
        }), "obs_dim 4294967295");
        says(refusal(f -> {
            f.ad = (int) 3000000000L;
            return f;
        }), "act_dim 3000000000");
    }

    @Test
    void flagsOutOfRangeAreRefusedAsSent() {
        says(refusal(f -> {
            f.done[1] = 7;
            return f;
        }), "done[1] is 7", "2 = truncated");
        says(refusal(f -> {
            f.done[0] = (byte) 200;   // uint8 200 is the Java byte -56
            return f;
        }), "done[0] is 200");
        says(refusal(f -> {
            f.intervention[3] = 2;
            return f;
        }), "intervention[3] is 2 (0 or 1)");
    }

    @Test
    void aVersionNeverPublishedIsRefused() {
        says(refusal(f -> {
            f.version = 4_000_000_000L;
            return f;
        }), "policy_version 4000000000 was never published (the newest is 7");
        assertNull(CHECK.problem(with(f -> {
            f.version = 0;   // old, not absurd: PPO drops it as stale, the imitation algorithms use it
            return f;
        }), NEWEST));
    }

    @Test
    void anotherTaskEmptyAndOversizedBatchesAndLongNamesAreRefused() {
        says(refusal(f -> {
            f.task = "pick_place";
            return f;
        }), "its task is 'pick_place', the trainer learns 'reach'");
        says(refusal(f -> {
            f.obs = f.nextObs = f.action = f.logProb = f.reward = f.expert = new float[0];
            f.done = f.intervention = new byte[0];
            f.episode = new int[0];
            return f;
        }), "no transitions");
        says(refusal(f -> {
            int n = BatchCheck.MAX_ROWS + 1;
            f.reward = new float[n];
            return f;
        }), "65537 transitions in one message (at most 65536");
        says(refusal(f -> {
            f.worker = "/w" + "x".repeat(10_000);
            return f;
        }), "worker name is 10002 characters long (at most 256");
        String task = refusal(f -> {
            f.task = "evil\ntrainer: version 99 published" + "y".repeat(1000);
            return f;
        });
        assertTrue(!task.contains("\n") && task.length() < 300, "a forged task name is cut and shown without its newline: " + task);
    }

    @Test
    void printableCutsLongNamesAndHidesControlCharacters() {
        assertEquals("/worker_0/policy_server", BatchCheck.printable("/worker_0/policy_server", 80));
        assertEquals("ab?c", BatchCheck.printable("ab\nc", 80));
        assertEquals("xxxx... (10 characters)", BatchCheck.printable("x".repeat(10), 4));
        for (String s : List.of("", "\u0000")) assertTrue(BatchCheck.printable(s, 80).length() <= 1);
    }
}
