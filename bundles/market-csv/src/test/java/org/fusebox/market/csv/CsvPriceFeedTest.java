package org.fusebox.market.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.market.PriceSlot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** The component: loading, refusing, keeping the previous prices, health and events. */
class CsvPriceFeedTest {

    @TempDir
    Path dir;

    final List<Event> events = new ArrayList<>();
    final CsvPriceFeed feed = new CsvPriceFeed(Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC));
    Path good;

    @BeforeEach
    void setUp() throws Exception {
        feed.setEventAdmin(new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                events.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                events.add(event);
            }
        });
        good = Files.writeString(dir.resolve("good.csv"),
                "t,p\n2024-01-01T00:00:00Z,10\n2024-01-01T01:00:00Z,20\n2024-01-01T02:00:00Z,-5\n");
    }

    @Test
    void loadsAndServesOverlappingSlots() {
        feed.configure(TestConfig.file(good).withId("be-dam"));
        assertThat(feed.id()).isEqualTo("be-dam");
        assertThat(feed.name()).isEqualTo("market.csv");
        assertThat(feed.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(feed.prices(Instant.parse("2024-01-01T00:30:00Z"), Instant.parse("2024-01-01T01:00:01Z")).slots())
                .extracting(PriceSlot::start)
                .containsExactly(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-01T01:00:00Z"));
        assertThat(feed.prices(Instant.parse("2024-01-01T01:00:00Z"), Instant.parse("2024-01-01T02:00:00Z")).slots()).hasSize(1);
        assertThat(feed.prices(Instant.parse("2023-12-31T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z")).isEmpty()).isTrue();
        assertThat(feed.prices(Instant.parse("2024-01-01T03:00:00Z"), Instant.parse("2024-01-02T00:00:00Z")).isEmpty()).isTrue();
        assertThat(feed.prices(Instant.parse("2023-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z")).slots()).hasSize(3);
        assertThat(feed.prices(Instant.parse("2024-01-01T02:00:00Z"), Instant.parse("2024-01-01T01:00:00Z")).isEmpty()).isTrue();
        assertThat(events).isEmpty();
    }

    @Test
    void anInvalidFileKeepsThePreviousPricesAndDegrades() throws Exception {
        feed.configure(TestConfig.file(good));
        Path bad = Files.writeString(dir.resolve("bad.csv"), "t,p\n2024-01-01T00:00:00Z,10\n2024-01-01T01:00:00Z,ten\n");
        feed.configure(TestConfig.file(bad).withId("other"));

        assertThat(feed.id()).isEqualTo("csv");
        assertThat(feed.prices(Instant.MIN, Instant.MAX).slots()).hasSize(3);
        assertThat(feed.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(feed.health().details()).singleElement().asString()
                .contains("previous 3 slots stay in force", "bad.csv line 3", "bad number 'ten'");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getTopic()).isEqualTo(FuseboxEvents.CONFIG_REJECTED);
            assertThat(e.getProperty(FuseboxEvents.PID)).isEqualTo("fusebox.market.csv");
            assertThat((String) e.getProperty(FuseboxEvents.REASON)).contains("line 3");
        });

        feed.configure(TestConfig.file(good));
        assertThat(feed.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void anUnreadableFileKeepsThePreviousPrices() {
        feed.configure(TestConfig.file(good));
        feed.configure(TestConfig.file(dir.resolve("missing.csv")));
        assertThat(feed.prices(Instant.MIN, Instant.MAX).slots()).hasSize(3);
        assertThat(feed.health().details()).singleElement().asString().contains("cannot read", "missing.csv");
        assertThat(events).hasSize(1);
    }

    @Test
    void anInvalidConfigurationIsRefusedNamingEveryBadValue() {
        feed.configure(TestConfig.file(good));
        feed.configure(new TestConfig(" ", "Mars/Olympus", "EURO", "a b", -1, false));
        assertThat(feed.prices(Instant.MIN, Instant.MAX).slots()).hasSize(3);
        assertThat(feed.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(feed.health().details().get(0)).contains("configuration fusebox.market.csv refused",
                "file must be set", "timeZone 'Mars/Olympus'", "currency 'EURO'", "id 'a b'", "slotMinutes");
        assertThat(events).hasSize(1);
    }

    @Test
    void aFirstFailureLeavesNoPricesAndWorksWithoutEventAdmin() {
        CsvPriceFeed lonely = new CsvPriceFeed();
        lonely.configure(TestConfig.file(dir.resolve("missing.csv")).withId("x"));
        assertThat(lonely.prices(Instant.MIN, Instant.MAX).isEmpty()).isTrue();
        assertThat(lonely.id()).isEqualTo("x");
        assertThat(lonely.health().details().get(0)).contains("no prices loaded");
    }

    @Test
    void shiftToCurrentYearReplaysOntoTheClocksYear() throws Exception {
        Path year = Files.writeString(dir.resolve("y.csv"),
                "t,p\n02jan2023 08:00:00,42\n02jan2023 09:00:00,43\n");
        feed.configure(TestConfig.file(year).shifted());
        // Monday 2 January 2023 lands on Mondays: in 2025 (k = 104 weeks, which gives 30 Dec 2024, outside
        // 2025, so the k+52 fallback) on 29 Dec 2025; in 2026 (k = 157 weeks) on 5 Jan 2026
        assertThat(feed.prices(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2028-01-01T00:00:00Z")).slots())
                .extracting(PriceSlot::start)
                .containsExactly(Instant.parse("2025-12-29T07:00:00Z"), Instant.parse("2025-12-29T08:00:00Z"),
                        Instant.parse("2026-01-05T07:00:00Z"), Instant.parse("2026-01-05T08:00:00Z"));
        assertThat(feed.health().status()).isEqualTo(HealthStatus.UP);
    }
}
