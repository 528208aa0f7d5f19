package org.fusebox.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.fusebox.api.units.Phase;

class ExternalLoadTest {

    @Property(tries = 50)
    void theGridMeterSeesTheExternalLoadOnTopOfTheSite(@ForAll @DoubleRange(min = -100, max = 100) double l1,
            @ForAll @DoubleRange(min = -100, max = 100) double l2, @ForAll @DoubleRange(min = -100, max = 100) double l3) {
        TestSites.ManualNanos real = new TestSites.ManualNanos();
        SiteModel without = new SiteModel(TestSites.quiet().build(), real);
        SiteModel with = new SiteModel(TestSites.quiet().build(), real);
        ExternalLoad load = new ExternalLoad();
        with.connectExternalLoad(load);
        load.set(l1, l2, l3);

        without.step(Duration.ofMinutes(5));
        with.step(Duration.ofMinutes(5));

        double[] added = {l1, l2, l3};
        for (Phase p : Phase.values()) {
            assertThat(with.grid().amps(p) - without.grid().amps(p)).isCloseTo(added[p.ordinal()], within(1e-9));
        }
    }

    @Property(tries = 20)
    void anOverloadCausedByTheExternalLoadIsRecorded(@ForAll @DoubleRange(min = 70, max = 200) double amps) {
        SiteModel m = new SiteModel(TestSites.quiet().fuseLimitAmps(63).build(), new TestSites.ManualNanos());
        ExternalLoad load = new ExternalLoad();
        m.connectExternalLoad(load);
        load.set(0, amps, 0);
        m.step(Duration.ofSeconds(10));
        assertThat(m.grid().isOverloaded()).isTrue();
        assertThat(m.grid().overloadSeconds()).isCloseTo(10, within(1e-6));
        load.set(0, 0, 0);
        m.step(Duration.ofSeconds(10));
        assertThat(m.grid().overloadSeconds()).isCloseTo(10, within(1e-6));
    }
}
