package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.fusebox.api.control.ChargingRequest;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;

/** The book alone, with snapshots built by hand: the cases the control loop cannot stage on demand. */
class ChargingRequestBookTest {

    private static final Instant T0 = Instant.parse("2026-11-23T18:00:00Z");
    private static final ConnectorRef CP1 = new ConnectorRef("cp", 1);
    private static final ConnectorRef CP2 = new ConnectorRef("cp", 2);
    private static final SiteLimits LIMITS = new SiteLimits(Current.ofAmps(40), Current.ofAmps(2), 3, Voltage.NOMINAL_230,
            Percent.of(20), Percent.of(100), Duration.ofSeconds(1));

    private final ChargingRequestBook book = new ChargingRequestBook();

    private static EvSession session(String id) {
        return new EvSession(id, null, T0.minusSeconds(600), Energy.ofWattHours(1000), null, null, null, null);
    }

    private static ConnectorReading connector(int id, EvSession session) {
        return new ConnectorReading(id, session == null ? ConnectorState.AVAILABLE : ConnectorState.CHARGING, Power.ZERO,
                PhaseCurrents.ZERO, Current.ZERO, Energy.ZERO, session);
    }

    private static ChargerReading reading(Instant at, EvSession one, EvSession two) {
        return new ChargerReading(at, List.of(connector(1, one), connector(2, two)));
    }

    private static EvCharger charger(ChargerReading reading) {
        return new EvCharger() {
            @Override
            public String id() {
                return "cp";
            }

            @Override
            public DeviceStatus status() {
                return DeviceStatus.online(T0);
            }

            @Override
            public List<ConnectorInfo> connectors() {
                return List.of(info(1), info(2));
            }

            @Override
            public Optional<ChargerReading> reading() {
                return Optional.of(reading);
            }

            @Override
            public CompletionStage<WriteResult> setCurrentLimit(int connectorId, Current limit) {
                return CompletableFuture.completedFuture(WriteResult.accepted());
            }
        };
    }

    private static ConnectorInfo info(int id) {
        return new ConnectorInfo(id, TestSites.THREE, Current.ofAmps(6), Current.ofAmps(32), Current.ofAmps(6));
    }

    private static SiteSnapshot snapshot(ChargerReading reading) {
        return SiteSnapshot.builder(LIMITS).timestamp(T0)
                .charger(new ChargerState("cp", "CP", DeviceStatus.online(T0), List.of(info(1), info(2)), reading)).build();
    }

    private static EvSession sessionOf(SiteSnapshot s, int connector) {
        return s.charger("cp").orElseThrow().connectorReading(connector).orElseThrow().session();
    }

    private void submit(ConnectorRef ref, ChargerReading now) {
        book.submit(new ChargingRequest(ref, Energy.ofKilowattHours(10), T0.plusSeconds(3600), T0), Optional.of(charger(now)), T0);
    }

    @Test
    void aReadingOlderThanTheOneTheRequestWasCheckedAgainstDoesNotEndIt() {
        // the EV was plugged in just before the request; the control thread still has the reading before that
        submit(CP1, reading(T0, session("tx-1"), null));

        SiteSnapshot stale = book.overlay(snapshot(reading(T0.minusSeconds(1), null, null)));
        assertThat(sessionOf(stale, 1)).isNull();
        assertThat(book.get(CP1)).isPresent();

        SiteSnapshot fresh = book.overlay(snapshot(reading(T0.plusSeconds(1), session("tx-1"), null)));
        assertThat(sessionOf(fresh, 1).energyRequested()).isEqualTo(Energy.ofWattHours(11_000));
    }

    @Test
    void aChargerWithoutAFreshReadingKeepsItsRequest() {
        submit(CP1, reading(T0, session("tx-1"), null));

        SiteSnapshot offline = book.overlay(snapshot(null));

        assertThat(offline.charger("cp").orElseThrow().reading()).isNull();
        assertThat(book.get(CP1)).isPresent();
    }

    @Test
    void onlyTheConnectorWithARequestIsChangedAndTheRestOfTheSnapshotIsKept() {
        ChargerReading now = reading(T0, session("tx-1"), session("tx-2"));
        submit(CP2, now);
        SiteSnapshot before = snapshot(now);

        SiteSnapshot after = book.overlay(before);

        assertThat(sessionOf(after, 1)).isEqualTo(session("tx-1"));
        assertThat(sessionOf(after, 2).departure()).isEqualTo(T0.plusSeconds(3600));
        assertThat(after.timestamp()).isEqualTo(before.timestamp());
        assertThat(after.limits()).isEqualTo(before.limits());
        assertThat(after.charger("cp").orElseThrow().connectors()).isEqualTo(before.charger("cp").orElseThrow().connectors());
    }

    @Test
    void withNothingHeldTheSnapshotIsReturnedAsItIs() {
        SiteSnapshot s = snapshot(reading(T0, session("tx-1"), null));

        assertThat(book.overlay(s)).isSameAs(s);
    }

    @Test
    void requestsAreListedByChargerAndConnector() {
        ChargerReading now = reading(T0, session("tx-1"), session("tx-2"));
        submit(CP2, now);
        submit(CP1, now);

        assertThat(book.all()).extracting(ChargingRequest::connector).containsExactly(CP1, CP2);
    }
}
