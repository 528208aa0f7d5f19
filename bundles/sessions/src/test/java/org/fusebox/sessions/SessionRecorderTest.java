package org.fusebox.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.session.SessionStatus;
import org.fusebox.api.session.SlotEnergy;
import org.fusebox.api.units.Money;
import org.junit.jupiter.api.Test;

class SessionRecorderTest {

    private final SessionRecorder recorder = new SessionRecorder(RecorderSettings.DEFAULTS, slot -> "test-feed");
    private final Site site = new Site();
    private final List<ChargingSession> seen = new ArrayList<>();

    private void observe() {
        seen.addAll(recorder.observe(site.build()));
    }

    private ChargingSession last(String id) {
        ChargingSession found = null;
        for (ChargingSession s : seen) {
            if (s.id().equals(id)) {
                found = s;
            }
        }
        for (ChargingSession s : recorder.active()) {
            if (s.id().equals(id)) {
                found = s;
            }
        }
        assertThat(found).as("session " + id).isNotNull();
        return found;
    }

    @Test
    void energyAcrossASlotBoundaryIsSplitInProportionToTimeAndPricedPerSlot() {
        site.prices(Site.quarterHours(Site.T0, "100", "200"));
        site.at(Site.T0.plus(Duration.ofMinutes(14))).charging("cp1", "7", "TAG1", 1000);
        observe();
        site.at(Site.T0.plus(Duration.ofMinutes(16))).charging("cp1", "7", "TAG1", 3000);
        observe();

        ChargingSession s = last("cp1/1/7");
        assertThat(s.status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(s.idTag()).isEqualTo("TAG1");
        assertThat(s.slots()).hasSize(2);
        assertThat(s.slots().get(0).energy().wattHours()).isCloseTo(1000, within(1e-9));
        assertThat(s.slots().get(1).energy().wattHours()).isCloseTo(1000, within(1e-9));
        assertThat(s.slots().get(0).cost()).isEqualTo(Money.of("0.1", "EUR"));
        assertThat(s.slots().get(1).cost()).isEqualTo(Money.of("0.2", "EUR"));
        assertThat(s.cost()).isEqualTo(Money.of("0.3", "EUR"));
        assertThat(s.costComplete()).isTrue();
        assertThat(s.slots()).extracting(SlotEnergy::priceSource).containsOnly("test-feed");
        assertThat(s.energy().wattHours()).isEqualTo(2000);
    }

    @Test
    void withoutPricesTheCostIsUnknownNotZero() {
        site.at(Site.T0).charging("cp1", "7", null, 0);
        observe();
        site.plus(Duration.ofMinutes(20)).charging("cp1", "7", null, 2000);
        observe();

        ChargingSession s = last("cp1/1/7");
        assertThat(s.energy().wattHours()).isEqualTo(2000);
        assertThat(s.cost()).isNull();
        assertThat(s.costComplete()).isFalse();
        assertThat(s.completeCost()).isEmpty();
        assertThat(s.unpricedEnergy().wattHours()).isEqualTo(2000);
        assertThat(s.slots()).allSatisfy(slot -> {
            assertThat(slot.priced()).isFalse();
            assertThat(slot.length()).isEqualTo(Duration.ofMinutes(15));
        });
        // 0..15 min and 15..20 min
        assertThat(s.slots()).hasSize(2);
        assertThat(s.slots().get(0).energy().wattHours()).isCloseTo(1500, within(1e-9));
    }

    @Test
    void pricesBecomingKnownMidSessionPriceOnlyTheEnergyAfterThem() {
        site.at(Site.T0).charging("cp1", "7", null, 0);
        observe();
        site.plus(Duration.ofMinutes(15)).charging("cp1", "7", null, 1000);
        observe();
        site.prices(Site.quarterHours(Site.T0.plus(Duration.ofMinutes(15)), "300"));
        site.plus(Duration.ofMinutes(15)).charging("cp1", "7", null, 3000);
        observe();

        ChargingSession s = last("cp1/1/7");
        assertThat(s.energy().wattHours()).isEqualTo(3000);
        assertThat(s.cost()).isEqualTo(Money.of("0.6", "EUR"));
        assertThat(s.costComplete()).isFalse();
        assertThat(s.unpricedEnergy().wattHours()).isEqualTo(1000);
    }

    @Test
    void aRegisterGoingBackwardsIsAResetNotNegativeEnergy() {
        site.at(Site.T0).charging("cp1", "7", null, 5000);
        observe();
        site.plus(Duration.ofMinutes(1)).charging("cp1", "7", null, 5100);
        observe();
        site.plus(Duration.ofMinutes(1)).charging("cp1", "7", null, 20); // the charger rebooted its meter
        observe();
        site.plus(Duration.ofMinutes(1)).charging("cp1", "7", null, 120);
        observe();

        ChargingSession s = last("cp1/1/7");
        assertThat(s.energy().wattHours()).isCloseTo(200, within(1e-9));
        assertThat(s.meterAnomalies()).isEqualTo(1);
    }

    @Test
    void aRegisterJumpBeyondWhatAConnectorDrawsIsNotCounted() {
        site.at(Site.T0).charging("cp1", "7", null, 5000);
        observe();
        site.plus(Duration.ofSeconds(1)).charging("cp1", "7", null, 5000 + 1_000_000);
        observe();
        site.plus(Duration.ofSeconds(60)).charging("cp1", "7", null, 5000 + 1_000_000 + 100);
        observe();

        ChargingSession s = last("cp1/1/7");
        assertThat(s.energy().wattHours()).isCloseTo(100, within(1e-9));
        assertThat(s.meterAnomalies()).isEqualTo(1);
    }

    @Test
    void aStaleReadingCountsNothingUntilAFreshMeasurement() {
        Instant measured = Site.T0;
        site.at(Site.T0).connector("cp1", ConnectorState.CHARGING, "7", null, 1000, measured);
        observe();
        // the charger stopped sending meter values: the reading repeats the old measurement
        site.plus(Duration.ofMinutes(5)).connector("cp1", ConnectorState.CHARGING, "7", null, 1000, measured);
        observe();
        assertThat(last("cp1/1/7").energy().wattHours()).isZero();
        site.plus(Duration.ofMinutes(5)).connector("cp1", ConnectorState.CHARGING, "7", null, 1600, site.now());
        observe();
        assertThat(last("cp1/1/7").energy().wattHours()).isCloseTo(600, within(1e-9));
    }

    @Test
    void finishingEndsTheSessionEvenWhileTheCableStaysIn() {
        site.at(Site.T0).charging("cp1", "7", "TAG1", 0);
        observe();
        site.plus(Duration.ofMinutes(10)).charging("cp1", "7", "TAG1", 1000);
        observe();
        Instant finishedAt = site.plus(Duration.ofMinutes(1)).now();
        site.connector("cp1", ConnectorState.FINISHING, "7", "TAG1", 1050, finishedAt);
        observe();
        site.plus(Duration.ofMinutes(30)).connector("cp1", ConnectorState.FINISHING, "7", "TAG1", 1050, site.now());
        observe();
        site.plus(Duration.ofMinutes(1)).connector("cp1", ConnectorState.AVAILABLE, null, null, 1050, site.now());
        observe();

        ChargingSession s = last("cp1/1/7");
        assertThat(s.status()).isEqualTo(SessionStatus.FINISHED);
        assertThat(s.end()).isEqualTo(finishedAt);
        assertThat(s.energy().wattHours()).isCloseTo(1050, within(1e-9));
        assertThat(recorder.active()).isEmpty();
    }

    @Test
    void theSameTransactionBackAfterAChargerRebootContinuesTheSession() {
        site.at(Site.T0).charging("cp1", "7", "TAG1", 0);
        observe();
        site.plus(Duration.ofMinutes(10)).charging("cp1", "7", "TAG1", 1000);
        observe();
        // rebooting: the charger reports no session for a while
        site.plus(Duration.ofSeconds(30)).connector("cp1", ConnectorState.UNAVAILABLE, null, null, 0, site.now());
        observe();
        assertThat(recorder.active()).isEmpty();
        site.plus(Duration.ofMinutes(2)).charging("cp1", "7", "TAG1", 1100);
        observe();
        site.plus(Duration.ofMinutes(10)).charging("cp1", "7", "TAG1", 2100);
        observe();

        assertThat(recorder.active()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo("cp1/1/7");
            assertThat(s.energy().wattHours()).isCloseTo(2100, within(1e-9));
            assertThat(s.status()).isEqualTo(SessionStatus.ACTIVE);
            assertThat(s.end()).isNull();
        });
        assertThat(seen).extracting(ChargingSession::id).containsOnly("cp1/1/7");
    }

    @Test
    void aChargerGoneForLongerThanLostAfterClosesItsSessionAsLostWhenLastSeen() {
        site.at(Site.T0).charging("cp1", "7", null, 0);
        observe();
        Instant lastSeen = site.plus(Duration.ofMinutes(10)).now();
        site.charging("cp1", "7", null, 1000);
        observe();
        site.plus(Duration.ofMinutes(30)); // the charger is gone from the site
        observe();
        assertThat(recorder.active()).hasSize(1);
        site.plus(Duration.ofMinutes(31));
        observe();

        ChargingSession s = last("cp1/1/7");
        assertThat(s.status()).isEqualTo(SessionStatus.LOST);
        assertThat(s.end()).isEqualTo(lastSeen);
        assertThat(s.energy().wattHours()).isCloseTo(1000, within(1e-9));
    }

    @Test
    void aNewTransactionEndsThePreviousOneAndStartsItsOwn() {
        site.at(Site.T0).charging("cp1", "7", "A", 0);
        observe();
        site.plus(Duration.ofMinutes(10)).charging("cp1", "7", "A", 1000);
        observe();
        site.plus(Duration.ofSeconds(1)).charging("cp1", "8", "B", 1000);
        observe();
        site.plus(Duration.ofMinutes(10)).charging("cp1", "8", "B", 1500);
        observe();

        assertThat(last("cp1/1/7").status()).isEqualTo(SessionStatus.FINISHED);
        assertThat(last("cp1/1/7").energy().wattHours()).isCloseTo(1000, within(1e-9));
        assertThat(last("cp1/1/8").idTag()).isEqualTo("B");
        assertThat(last("cp1/1/8").energy().wattHours()).isCloseTo(500, within(1e-9));
    }

    @Test
    void aTransactionIdUsedAgainLaterIsANewSessionWithItsOwnId() {
        site.at(Site.T0).charging("cp1", "1", null, 0);
        observe();
        site.plus(Duration.ofMinutes(1)).connector("cp1", ConnectorState.AVAILABLE, null, null, 10, site.now());
        observe();
        site.plus(Duration.ofHours(3)).charging("cp1", "1", null, 10);
        observe();

        assertThat(recorder.active()).singleElement().satisfies(s -> assertThat(s.id()).startsWith("cp1/1/1@"));
    }

    @Test
    void siteTimeIsTheAxisWhenTheDriverClockDiffers() {
        // the simulator runs site time ten times faster than the driver's (real) clock
        Instant real = Instant.parse("2026-03-02T08:00:00Z");
        site.prices(Site.quarterHours(Site.T0, "100", "300"));
        site.at(Site.T0).connector("cp1", ConnectorState.CHARGING, "7", null, 0, real, real);
        observe();
        site.at(Site.T0.plus(Duration.ofMinutes(10))).connector("cp1", ConnectorState.CHARGING, "7", null, 1000,
                real.plusSeconds(60), real.plusSeconds(60));
        observe();
        site.at(Site.T0.plus(Duration.ofMinutes(20))).connector("cp1", ConnectorState.CHARGING, "7", null, 2000,
                real.plusSeconds(120), real.plusSeconds(120));
        observe();

        ChargingSession s = last("cp1/1/7");
        assertThat(s.slots()).extracting(SlotEnergy::start).containsExactly(Site.T0, Site.T0.plus(Duration.ofMinutes(15)));
        assertThat(s.slots().get(0).energy().wattHours()).isCloseTo(1500, within(1e-9));
        assertThat(s.cost()).isEqualTo(Money.of("0.3", "EUR"));
        assertThat(s.lastSeen()).isEqualTo(Site.T0.plus(Duration.ofMinutes(20)));
    }

    @Test
    void aFrozenReadingOfAnOfflineChargerIsNotNewsAndEndsLost() {
        Instant frozen = Site.T0.plus(Duration.ofMinutes(5));
        site.at(Site.T0).charging("cp1", "7", null, 0);
        observe();
        site.at(frozen).charging("cp1", "7", null, 500);
        observe();
        // the charger went offline: the driver keeps its last reading, Unavailable, with the session
        for (int minutes = 10; minutes <= 70; minutes += 10) {
            site.at(Site.T0.plus(Duration.ofMinutes(minutes)))
                    .connector("cp1", ConnectorState.UNAVAILABLE, "7", null, 500, frozen, frozen);
            observe();
        }
        ChargingSession s = last("cp1/1/7");
        assertThat(s.status()).isEqualTo(SessionStatus.LOST);
        assertThat(s.end()).isEqualTo(frozen);
        assertThat(s.energy().wattHours()).isCloseTo(500, within(1e-9));
    }
}
