package org.fusebox.driver.modbus.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties run by the jqwik engine; kept apart from the JUnit tests so each engine reports its own class. */
class ReadPlannerProperties {

    @Property
    void everySpanLiesInARequestAndNoRequestIsTooLong(@ForAll("spans") List<RegisterSpan> spans,
            @ForAll @IntRange(min = 1, max = 125) int cap, @ForAll @IntRange(min = 0, max = 20) int gap) {
        List<RegisterSpan> plan = new ReadPlanner(Math.max(cap, 4), gap).plan(spans);
        for (RegisterSpan request : plan) {
            assertThat(request.count()).isBetween(1, Math.max(cap, 4));
        }
        for (RegisterSpan span : spans) {
            assertThat(plan).anyMatch(r -> r.contains(span));
        }
    }

    @Property
    void disjointPointsAreEachInExactlyOneRequest(@ForAll("disjointSpans") List<RegisterSpan> spans,
            @ForAll @IntRange(min = 0, max = 20) int gap) {
        List<RegisterSpan> plan = ReadPlanner.defaults().plan(spans);
        for (RegisterSpan span : spans) {
            assertThat(plan.stream().filter(r -> r.contains(span)).count()).isEqualTo(1);
        }
        // and requests of one table never overlap, so no register is read twice
        for (RegisterSpan a : plan) {
            for (RegisterSpan b : plan) {
                if (a != b && a.registerType() == b.registerType()) {
                    assertThat(a.end() <= b.address() || b.end() <= a.address()).isTrue();
                }
            }
        }
        assertThat(plan).allMatch(r -> r.count() <= ReadPlanner.MAX_REGISTERS_PER_READ);
    }

    @Provide
    Arbitrary<List<RegisterSpan>> spans() {
        return Combinators.combine(Arbitraries.of(RegisterType.class), Arbitraries.integers().between(0, 1000),
                Arbitraries.of(1, 2, 4)).as(RegisterSpan::new).list().ofMaxSize(80);
    }

    @Provide
    Arbitrary<List<RegisterSpan>> disjointSpans() {
        // lay spans end to end with random gaps, in random tables, then shuffle
        return Combinators.combine(Arbitraries.of(1, 2, 4).list().ofMaxSize(100),
                Arbitraries.integers().between(0, 30).list().ofSize(100),
                Arbitraries.of(RegisterType.class).list().ofSize(100)).as((sizes, gaps, types) -> {
                    List<RegisterSpan> out = new ArrayList<>();
                    int[] next = new int[RegisterType.values().length];
                    for (int i = 0; i < sizes.size(); i++) {
                        RegisterType type = types.get(i);
                        int address = next[type.ordinal()] + gaps.get(i);
                        out.add(new RegisterSpan(type, address, sizes.get(i)));
                        next[type.ordinal()] = address + sizes.get(i);
                    }
                    Collections.shuffle(out, new Random(sizes.size()));
                    return out;
                });
    }
}
