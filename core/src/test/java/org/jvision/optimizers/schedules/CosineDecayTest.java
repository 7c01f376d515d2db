package org.jvision.optimizers.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jvision.optimizers.schedules.ScheduleAssertions.assertRate;

import org.junit.jupiter.api.Test;

class CosineDecayTest {
    @Test
    void startsAtTheInitialRateIsHalfWayAtTheMiddleAndEndsAtTheMinimum() {
        CosineDecay cosine = new CosineDecay(10, 0f);
        assertRate(cosine, 0.1f, 0, 0, 100, 0.1);
        assertRate(cosine, 0.1f, 5, 0, 100, 0.05);
        // Over 5 epochs the middle is half-way through epoch 2 (t = 2.5).
        assertRate(new CosineDecay(5, 0f), 0.1f, 2, 50, 100, 0.05);
    }

    @Test
    void followsTheCosineEveryStep() {
        CosineDecay cosine = new CosineDecay(10, 0.01f);
        // t = 2.5: cos(pi/4) = 0.7071067811865476
        assertRate(cosine, 0.1f, 2, 50, 100, 0.01 + 0.09 * (1 + 0.7071067811865476) / 2);
        // t = 5: half-way between 0.1 and 0.01
        assertRate(cosine, 0.1f, 5, 0, 100, 0.055);
        // t = 7.5: cos(3pi/4) = -0.7071067811865476
        assertRate(cosine, 0.1f, 7, 50, 100, 0.01 + 0.09 * (1 - 0.7071067811865476) / 2);
        // every step differs from the one before: smooth, not per epoch
        assertThat(cosine.learningRate(0.1f, 3, 1, 100)).isLessThan(cosine.learningRate(0.1f, 3, 0, 100));
    }

    @Test
    void staysAboveTheMinimumWithinTrainingAndAtItAfterwards() {
        CosineDecay cosine = new CosineDecay(10, 0f);
        // The last step of the last epoch: t = 9.99, lr = 0.1 (1 + cos(0.999 pi)) / 2
        assertRate(cosine, 0.1f, 9, 99, 100, 0.1 * (1 + Math.cos(Math.PI * 0.999)) / 2);
        assertThat(cosine.learningRate(0.1f, 9, 99, 100)).isPositive();
        assertThat(cosine.learningRate(0.1f, 10, 0, 100)).isZero();
        assertThat(cosine.learningRate(0.1f, 25, 3, 100)).isZero();
        assertThat(new CosineDecay(10, 0.001f).learningRate(0.1f, 12, 0, 100)).isEqualTo(0.001f);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new CosineDecay(0, 0f)).hasMessage("CosineDecay: totalEpochs must be >= 1, received: 0");
        assertThatThrownBy(() -> new CosineDecay(5, -1e-3f))
                .hasMessage("CosineDecay: minLearningRate must be a finite number >= 0, received: -0.001");
    }
}
