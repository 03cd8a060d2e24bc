package io.leadsync.scoring.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CutoffPlannerTest {

    /** 100 leads scored 0..99; those scoring 80 or more converted, and every tenth below. */
    private static List<Backtest.Scored> leads() {
        List<Backtest.Scored> scored = new ArrayList<>();
        for (int score = 0; score < 100; score++) {
            scored.add(new Backtest.Scored(score, score, score >= 80 || score % 10 == 0));
        }
        return scored;
    }

    @Test
    void picksTheLowestThresholdWithinCapacityAndSaysWhatItBuys() {
        // 400 leads a week, capacity 80: at most a fifth of the leads may be MQLs
        CutoffPlanner.Plan plan = CutoffPlanner.plan(leads(), 400, 80);

        assertThat(plan.threshold()).isEqualTo(80);
        assertThat(plan.mqlsPerWeek()).isCloseTo(80, within(1e-9));
        assertThat(plan.conversionRate()).isEqualTo(1.0);
        assertThat(plan.recall()).isCloseTo(20.0 / 28, within(1e-9));
        assertThat(plan.baseRate()).isCloseTo(0.28, within(1e-9));
    }

    @Test
    void moreCapacityLowersTheThresholdAndTheConversionItBuys() {
        CutoffPlanner.Plan tight = CutoffPlanner.plan(leads(), 400, 40);
        CutoffPlanner.Plan loose = CutoffPlanner.plan(leads(), 400, 200);

        assertThat(loose.threshold()).isLessThan(tight.threshold());
        assertThat(loose.conversionRate()).isLessThan(tight.conversionRate());
        assertThat(loose.recall()).isGreaterThan(tight.recall());
        assertThatThrownBy(() -> CutoffPlanner.plan(List.of(), 400, 40)).hasMessageContaining("no backtested cases");
    }
}
