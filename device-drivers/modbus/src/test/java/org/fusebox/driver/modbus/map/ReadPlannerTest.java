package org.fusebox.driver.modbus.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadPlannerTest {

    private static RegisterSpan holding(int address, int count) {
        return new RegisterSpan(RegisterType.HOLDING, address, count);
    }

    @Test
    void neighboursBecomeOneRead() {
        List<RegisterSpan> plan = new ReadPlanner(125, 0).plan(List.of(holding(4, 2), holding(0, 2), holding(2, 2)));
        assertThat(plan).containsExactly(holding(0, 6));
    }

    @Test
    void smallGapIsReadThroughLargeGapSplits() {
        ReadPlanner planner = new ReadPlanner(125, 3);
        assertThat(planner.plan(List.of(holding(0, 2), holding(5, 2)))).containsExactly(holding(0, 7));
        assertThat(planner.plan(List.of(holding(0, 2), holding(6, 2)))).containsExactly(holding(0, 2), holding(6, 2));
    }

    @Test
    void registerTablesAreNeverMixed() {
        List<RegisterSpan> plan = new ReadPlanner(125, 10).plan(List.of(holding(0, 2),
                new RegisterSpan(RegisterType.INPUT, 2, 2)));
        assertThat(plan).hasSize(2);
    }

    @Test
    void longRunsAreCutAt125() {
        List<RegisterSpan> spans = new ArrayList<>();
        for (int a = 0; a < 300; a += 2) {
            spans.add(holding(a, 2));
        }
        List<RegisterSpan> plan = ReadPlanner.defaults().plan(spans);
        assertThat(plan).containsExactly(holding(0, 124), holding(124, 124), holding(248, 52));
    }

    @Test
    void sdm630MapNeedsTwoReads() {
        // 0x00..0x11 and 0x34..0x4B: the gap of 34 registers is too wide to read through with gap 8
        List<RegisterSpan> spans = List.of(new RegisterSpan(RegisterType.INPUT, 0, 18),
                new RegisterSpan(RegisterType.INPUT, 0x34, 2), new RegisterSpan(RegisterType.INPUT, 0x46, 6));
        assertThat(ReadPlanner.defaults().plan(spans)).hasSize(3);
        assertThat(new ReadPlanner(125, 40).plan(spans)).hasSize(1);
    }

    @Test
    void scaleFactorRegisterIsPartOfThePlan() {
        Point watts = Point.of("W", RegisterType.HOLDING, 40083, PointType.INT16).withScaleFactorAt(40084);
        assertThat(new ReadPlanner(125, 0).planPoints(List.of(watts))).containsExactly(holding(40083, 2));
    }

    @Test
    void badLimitsAreRejected() {
        assertThatThrownBy(() -> new ReadPlanner(126, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReadPlanner(10, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
