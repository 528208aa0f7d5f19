package org.fusebox.forecast.simple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.PowerSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastComponentTest {

    @TempDir
    Path dir;

    /** A control loop whose last cycle is five minutes later each time it is asked, at a constant load. */
    static final class MinuteLoop implements ControlLoop {
        final AtomicInteger calls = new AtomicInteger();
        final Instant start;
        final double watts;

        MinuteLoop(Instant start, double watts) {
            this.start = start;
            this.watts = watts;
        }

        @Override
        public void requestCycle(String reason) {
        }

        @Override
        public ControlState state() {
            return new ControlState(ControlMode.RUNNING, List.of(), start);
        }

        @Override
        public Optional<CycleReport> lastCycle() {
            SiteSnapshot s = ProfileForecasterTest.site(start.plusSeconds(300L * calls.getAndIncrement()), watts);
            return Optional.of(new CycleReport(s, "period", List.of(), Setpoints.empty(), Setpoints.empty(), List.of(), Map.of(),
                    state(), Duration.ZERO));
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 30 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void learnsFromTheControlLoopPersistsOnStopAndReadsItBackAfterARestart() throws Exception {
        Path store = dir.resolve("load.profile");
        Map<String, Object> config = Map.of("sampleSeconds", 1, "zone", "UTC", "storeFile", store.toString(),
                "curveWatts", new String[] { "250" });
        LoadForecast first = new LoadForecast();
        MinuteLoop loop = new MinuteLoop(ProfileForecasterTest.MONDAY_10, 1800);
        first.setControlLoop(loop);
        first.configure(Configs.of(LoadForecastConfig.class, config));
        // The sampler runs once a second: wait for one full quarter-hour (three samples) and one more.
        await(() -> loop.calls.get() >= 4);
        first.deactivate();
        assertThat(store).exists();
        assertThat(first.health().status()).isEqualTo(HealthStatus.UP);

        LoadForecast second = new LoadForecast();
        second.configure(Configs.of(LoadForecastConfig.class, config));
        Instant nextMonday = ProfileForecasterTest.MONDAY_10.plus(Duration.ofDays(7));
        PowerForecast f = second.forecast(nextMonday, nextMonday.plus(Duration.ofMinutes(30)));
        assertThat(f.kind()).isEqualTo(ForecastKind.SITE_LOAD);
        assertThat(f.source()).isEqualTo("simple-load");
        assertThat(f.slots()).extracting(PowerSlot::power).extracting(p -> p.watts())
                .satisfiesExactly(w -> assertThat(w).isCloseTo(1800, within(1e-6)), w -> assertThat(w).isIn(1800.0, 250.0));
        second.deactivate();
    }

    @Test
    void aRefusedConfigurationKeepsThePreviousAndReportsDegraded() {
        PvForecast pv = new PvForecast();
        pv.configure(Configs.of(PvForecastConfig.class, Map.of("peakPowerWatts", 5000.0, "zone", "UTC", "storeFile",
                dir.resolve("pv.profile").toString())));
        Instant noon = Instant.parse("2026-01-12T13:00:00Z");
        double before = pv.forecast(noon, noon.plusSeconds(1)).slots().get(0).power().watts();
        assertThat(before).isGreaterThan(4900);

        pv.configure(Configs.of(PvForecastConfig.class, Map.of("peakPowerWatts", 5000.0, "sunset", "05:00")));
        assertThat(pv.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(pv.health().details()).singleElement().asString()
                .contains("fusebox.forecast.pv refused, previous one stays in force").contains("sunrise 07:00 must be before sunset 05:00");
        assertThat(pv.forecast(noon, noon.plusSeconds(1)).slots().get(0).power().watts()).isEqualTo(before);
        assertThat(pv.kind()).isEqualTo(ForecastKind.PV_PRODUCTION);
        assertThat(pv.name()).isEqualTo("forecast.pv");
        pv.deactivate();
    }

    @Test
    void anUnreadableStoreIsReportedAndLearningStartsEmpty() throws Exception {
        Path store = dir.resolve("broken.profile");
        Files.writeString(store, "not a profile");
        LoadForecast load = new LoadForecast();
        load.configure(Configs.of(LoadForecastConfig.class, Map.of("storeFile", store.toString())));
        assertThat(load.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(load.health().details()).singleElement().asString().contains("cannot read the learned profile");
        assertThat(load.engine().profile().knownCells()).isZero();
        load.deactivate();
    }
}
