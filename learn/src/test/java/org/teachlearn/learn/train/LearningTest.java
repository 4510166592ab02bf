package org.teachlearn.learn.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Short versions of the imitation results (bench/learn-results.sh runs the full ones): behaviour
 * cloning reaches from 50 demonstrations and picks and places from 50, and DAgger beats behaviour
 * cloning under pushes with the same expert labels ({@link OffPolicyLearningTest} has SAC, TD3 and
 * DDPG, {@link OnPolicyLearningTest} PPO and the other on-policy algorithms: three classes, so
 * that the two test JVMs share them).
 */
class LearningTest extends TrainRuns {

    @Test
    void behaviourCloningFromFiftyDemonstrationsReaches() throws Exception {
        Path out = train("bc", "--demos", "50", "--epochs", "150", "--eval-episodes", "50");
        double success = last(out, "eval_success_rate");
        assertTrue(success >= 0.9, "BC from 50 demonstrations reached in " + success * 100 + " % of evaluation episodes");
    }

    @Test
    void behaviourCloningPicksAndPlacesWithTheHandFeatureAndADecayingRate() throws Exception {
        // the full figure (100 demonstrations, 300 epochs: 95-99 %) comes from bench results; here half the
        // demonstrations and a third of the epochs (75 % over 20 episodes at 100 and at 150 epochs)
        Path out = train("bc", "--task", "pick_place", "--demos", "50", "--epochs", "100", "--demo-noise", "0.005", "--control-period", "0.05",
                "--hidden", "256x256", "--hand-feature", "on", "--lr-decay", "linear", "--eval-episodes", "20");
        double success = last(out, "eval_success_rate");
        assertTrue(success >= 0.5, "BC from 50 pick-and-place demonstrations succeeded in " + success * 100 + " % of evaluation episodes");
    }

    @Test
    void daggerBeatsBehaviourCloningUnderPushesWithTheSameLabels() throws Exception {
        Path bc = train("bc", "--pushes", "--demos", "100", "--demo-noise", "0", "--demo-settle", "0", "--epochs", "150",
                "--eval-episodes", "50", "--seed", "2");
        long labels = (long) last(bc, "labels");
        Path dagger = train("dagger", "--pushes", "--labels", Long.toString(labels), "--dagger-demos", "25", "--iterations", "6",
                "--demo-noise", "0", "--demo-settle", "0", "--epochs", "150", "--eval-episodes", "50", "--seed", "2");
        double b = last(bc, "eval_success_rate"), d = last(dagger, "eval_success_rate");
        assertTrue(last(dagger, "labels") <= labels, "DAgger used more labels than BC");
        assertTrue(d >= b + 0.15, "DAgger " + d * 100 + " % vs BC " + b * 100 + " % with " + labels + " labels under pushes");
    }
}
