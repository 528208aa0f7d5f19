package org.fusebox.optimiser.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.control.Tier;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

class PhysicsAuditTest {

    /** Collects what is posted, as EventAdmin would deliver it. */
    static final class Events implements EventAdmin {
        final List<Event> posted = new ArrayList<>();

        @Override
        public void postEvent(Event event) {
            posted.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            posted.add(event);
        }

        List<Event> variances() {
            return posted.stream().filter(e -> e.getTopic().equals(PhysicsAudit.VARIANCE)).toList();
        }

        List<Event> finals() {
            return variances().stream().filter(e -> Boolean.TRUE.equals(e.getProperty(PhysicsAudit.FINAL))).toList();
        }
    }

    static AuditConfig config(double threshold, double efficiency, double minKwh, int baselineMinutes) {
        return new AuditConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            @Override
            public double varianceThresholdPercent() {
                return threshold;
            }

            @Override
            public double evChargingEfficiencyPercent() {
                return efficiency;
            }

            @Override
            public double minSessionKwh() {
                return minKwh;
            }

            @Override
            public int baselineMinutes() {
                return baselineMinutes;
            }
        };
    }

    private final Events events = new Events();
    private final PhysicsAudit audit = new PhysicsAudit();
    private final Setpoints proposal = Setpoints.empty().withChargerLimit(new ConnectorRef("a", 1), Current.ofAmps(16));

    PhysicsAuditTest() {
        audit.setEventAdmin(events);
        audit.configure(config(15, 90, 5, 15));
    }

    private void feed(List<SiteSnapshot> snapshots) {
        for (SiteSnapshot s : snapshots) {
            assertThat(audit.optimise(s, proposal)).isSameAs(proposal);
        }
    }

    /** 20 minutes idle (the baseline), then a two-hour session at 11 kW (22 kWh), then unplugged. */
    private AuditSite session(double claim, boolean soc) {
        AuditSite site = new AuditSite(7, 20_000);
        AuditSite.Charger a = site.charger("a");
        a.claim = claim;
        a.reportsSoc = soc;
        feed(site.run(120));
        site.plug("a", "tx-1", 20);
        feed(site.run(720));
        site.unplug("a");
        feed(site.run(3));
        return site;
    }

    @Test
    void isAPhysicalTierOptimiserThatChangesNothing() {
        assertThat(audit.tier()).isEqualTo(Tier.PHYSICAL);
        assertThat(audit.name()).isEqualTo("audit");
        assertThat(audit.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void anHonestChargerOverManyCyclesRaisesNothing() {
        session(1.0, true);
        assertThat(events.variances()).isEmpty();
        assertThat(audit.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aChargerThatClaimsThirtyPercentTooMuchIsReportedOnceMidSessionAndOnceAtTheEnd() {
        session(1.3, true);
        assertThat(events.variances()).hasSize(2);
        assertThat(events.variances().get(0).getProperty(PhysicsAudit.FINAL)).isEqualTo(false);
        Event e = events.finals().get(0);
        assertThat(e.getProperty(PhysicsAudit.SESSION_ID)).isEqualTo("tx-1");
        assertThat(e.getProperty(FuseboxEvents.DEVICE)).isEqualTo("a");
        assertThat(e.getProperty(PhysicsAudit.CONNECTOR)).isEqualTo(1);
        // 22 kWh really flowed: 28.6 claimed, 19.8 reached the battery (integer SoC: within a point), 22 at the site.
        assertThat((double) e.getProperty(PhysicsAudit.DISPENSED_KWH)).isCloseTo(28.6, within(0.05));
        assertThat((double) e.getProperty(PhysicsAudit.RECEIVED_KWH)).isCloseTo(19.8, within(0.6));
        assertThat((double) e.getProperty(PhysicsAudit.SITE_KWH)).isCloseTo(22.0, within(0.5));
        assertThat((double) e.getProperty(PhysicsAudit.VARIANCE_PERCENT)).isCloseTo(30, within(4.0));
        assertThat(audit.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(audit.health().details()).anyMatch(d -> d.contains("tx-1") && d.contains("dispensed 28.5"));
    }

    @Test
    void aChargerThatClaimsTooLittleIsReportedWithANegativeVariance() {
        session(0.7, true);
        Event e = events.finals().get(0);
        assertThat((double) e.getProperty(PhysicsAudit.VARIANCE_PERCENT)).isCloseTo(-30, within(4.0));
    }

    @Test
    void withoutSocTheSiteMeterIsTheReference() {
        session(1.3, false);
        assertThat(events.finals()).hasSize(1);
        Event e = events.finals().get(0);
        assertThat(e.getProperty(PhysicsAudit.BASIS)).isEqualTo("site");
        assertThat(e.getPropertyNames()).doesNotContain(PhysicsAudit.RECEIVED_KWH);
        assertThat((double) e.getProperty(PhysicsAudit.VARIANCE_PERCENT)).isCloseTo(30, within(3.0));
    }

    @Test
    void withoutSocAnHonestChargerPassesTheSiteCheckDespiteANoisyLoad() {
        session(1.0, false);
        assertThat(events.variances()).isEmpty();
    }

    @Test
    void aRestartThatResetsTheSessionCounterIsBridgedByTheConnectorRegister() {
        AuditSite site = new AuditSite(11, 20_000);
        AuditSite.Charger a = site.charger("a");
        feed(site.run(120));
        site.plug("a", "tx-2", 30);
        feed(site.run(300));
        a.online = false; // rebooting: no reading for a minute, the EV keeps charging
        feed(site.run(6));
        a.online = true;
        a.delivered = 0; // the session counter restarted; the lifetime register kept counting
        feed(site.run(400));
        site.unplug("a");
        feed(site.run(2));
        assertThat(events.variances()).isEmpty();
        assertThat(audit.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aRestartThatLosesEveryCounterLeavesTheSessionUnjudgedRatherThanAccused() {
        AuditSite site = new AuditSite(13, 20_000);
        AuditSite.Charger a = site.charger("a");
        feed(site.run(120));
        site.plug("a", "tx-3", 30);
        feed(site.run(300));
        a.online = false;
        feed(site.run(6));
        a.online = true;
        a.delivered = 0;
        a.meterTotal = 0; // a replaced meter: nothing bridges the gap
        feed(site.run(400));
        site.unplug("a");
        feed(site.run(2));
        assertThat(events.variances()).isEmpty();
        assertThat(audit.health().details()).anyMatch(d -> d.contains("tx-3 not judged") && d.contains("restarted"));
        assertThat(audit.health().status()).as("counters lost: a data fault").isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void aSessionWithNothingToJudgeItAgainstIsANoteNotADegradation() {
        // No SoC from the EV and the audit started with the session (no baseline): nothing to compare with.
        AuditSite site = new AuditSite(19, 20_000);
        AuditSite.Charger a = site.charger("a");
        a.reportsSoc = false;
        site.plug("a", "tx-4", 30);
        feed(site.run(700));
        site.unplug("a");
        feed(site.run(2));

        assertThat(events.variances()).isEmpty();
        assertThat(audit.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(audit.health().details()).singleElement().asString().contains("tx-4 not judged")
                .contains("EV: no SoC reported").contains("site: no baseline before the session");
    }

    @Test
    void withTwoSessionsAtOnceTheDishonestOneIsFoundByItsEvAndTheHonestOneIsNotAccused() {
        AuditSite site = new AuditSite(17, 15_000);
        site.charger("a");
        site.charger("b").claim = 1.4;
        feed(site.run(120));
        site.plug("a", "tx-a", 10);
        site.plug("b", "tx-b", 25);
        feed(site.run(720));
        site.unplug("a");
        site.unplug("b");
        feed(site.run(2));
        assertThat(events.finals()).hasSize(1);
        Event e = events.finals().get(0);
        assertThat(e.getProperty(PhysicsAudit.SESSION_ID)).isEqualTo("tx-b");
        assertThat(e.getProperty(PhysicsAudit.BASIS)).isEqualTo("ev");
        assertThat((double) e.getProperty(PhysicsAudit.VARIANCE_PERCENT)).isCloseTo(40, within(4.0));
    }

    @Test
    void aShortSessionIsNotJudged() {
        AuditSite site = new AuditSite(19, 20_000);
        site.charger("a").claim = 1.5;
        feed(site.run(120));
        site.plug("a", "tx-4", 50);
        feed(site.run(90)); // 15 minutes at 11 kW claimed as 4.1 kWh, under the 5 kWh minimum
        site.unplug("a");
        feed(site.run(2));
        assertThat(events.variances()).isEmpty();
    }

    @Test
    void aBadConfigurationIsRefusedWithEveryReasonAndThePreviousOneStays() {
        audit.configure(config(20, 85, 3, 10));
        audit.configure(config(0, 120, 0, 0));
        assertThat(audit.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(String.join(" ", audit.health().details())).contains("varianceThresholdPercent",
                "evChargingEfficiencyPercent", "minSessionKwh", "baselineMinutes");
        assertThat(audit.settings().threshold()).isEqualTo(0.20);
        assertThat(audit.settings().efficiency()).isEqualTo(0.85);
        assertThat(events.posted).anyMatch(e -> e.getTopic().equals(FuseboxEvents.CONFIG_REJECTED)
                && PhysicsAudit.PID.equals(e.getProperty(FuseboxEvents.PID)));
        audit.configure(config(15, 90, 5, 15));
        assertThat(audit.health().status()).isEqualTo(HealthStatus.UP);
    }
}
