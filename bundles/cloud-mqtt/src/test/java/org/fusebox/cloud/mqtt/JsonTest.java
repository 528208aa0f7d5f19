package org.fusebox.cloud.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Intervention;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.PvReading;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.session.SessionStatus;
import org.fusebox.api.session.SlotEnergy;
import org.fusebox.api.site.PvState;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Power;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void telemetryCarriesTheWholeSnapshotInUnitsAndIsoTimes() throws Exception {
        SiteSnapshot site = new TestSites().charger("cp1", TestSites.THREE, 32, ConnectorState.CHARGING, 16)
                .battery("bat1", 55, -2000).uncontrolled(5, 6, 7).build();
        site = new SiteSnapshot(site.cycle(), site.timestamp(), site.limits(), site.grid(), List.of(new PvState("pv1", "roof",
                DeviceStatus.online(TestSites.T0), Power.ofKilowatts(10), true, new PvReading(TestSites.T0, Power.ofWatts(-4000),
                        Power.ofKilowatts(10), Energy.ZERO))), site.batteries(), site.chargers(), site.prices());
        CycleReport r = new CycleReport(site, "LIMIT_BREACH grid", List.of("fuse"), Setpoints.empty(), Setpoints.empty(),
                List.of(new Intervention("cp1/1", "fuse", "asked 32 A, allowed 16 A")), Map.of(),
                new ControlState(ControlMode.FAILSAFE, List.of("grid meter gone"), TestSites.T0), Duration.ofMillis(4));
        String text = new String(Json.telemetry(r), StandardCharsets.UTF_8);
        JsonNode j = Json.MAPPER.readTree(text);
        assertThat(j.get("trigger").asText()).isEqualTo("LIMIT_BREACH grid");
        assertThat(j.get("state").get("mode").asText()).isEqualTo("FAILSAFE");
        assertThat(j.get("state").get("reasons").get(0).asText()).isEqualTo("grid meter gone");
        assertThat(j.get("durationMicros").asLong()).isEqualTo(4000);
        assertThat(j.get("timestamp").asText()).isEqualTo("2026-01-15T18:00:00Z");
        JsonNode s = j.get("site");
        assertThat(s.get("grid").get("reading").get("currents").get("l1").get("amps").asDouble()).isGreaterThan(5);
        assertThat(s.get("chargers").get(0).get("id").asText()).isEqualTo("cp1");
        assertThat(s.get("batteries").get(0).get("reading").get("soc").get("value").asDouble()).isEqualTo(55.0);
        assertThat(s.get("limits").get("cyclePeriod").asText()).isEqualTo("PT1S");
        JsonNode pv = s.get("pv").get(0);
        assertThat(pv.get("curtailable").asBoolean()).isTrue();
        assertThat(pv.get("reading").get("power").get("watts").asDouble()).isEqualTo(-4000.0);
        // only record components, no convenience is-methods
        assertThat(text).doesNotContain("\"negative\"").doesNotContain("\"online\"").doesNotContain("\"empty\"");
        assertThat(j.get("interventions").get(0).get("rule").asText()).isEqualTo("fuse");
    }

    @Test
    void telemetryCarriesEachActiveSessionsEnergyAndCostSoFar() throws Exception {
        SiteSnapshot site = new TestSites().charger("cp1", TestSites.THREE, 32, ConnectorState.CHARGING, 16).build();
        CycleReport r = new CycleReport(site, "period", List.of(), Setpoints.empty(), Setpoints.empty(), List.of(), Map.of(),
                new ControlState(ControlMode.RUNNING, List.of(), TestSites.T0), Duration.ofMillis(1));
        EnergyPrice price = EnergyPrice.perMegawattHour("123.45", "EUR");
        Energy e = Energy.ofWattHours(2500);
        ChargingSession priced = new ChargingSession("cp1/1/9", "cp1", 1, "9", "TAG1", TestSites.T0, null, SessionStatus.ACTIVE, e,
                List.of(new SlotEnergy(TestSites.T0, Duration.ofMinutes(15), e, price, price.costOf(e), "csv", null)),
                price.costOf(e), 0, TestSites.T0);
        ChargingSession unpriced = new ChargingSession("cp2/1/3", "cp2", 1, "3", null, TestSites.T0, null, SessionStatus.ACTIVE, e,
                List.of(new SlotEnergy(TestSites.T0, Duration.ofMinutes(15), e, null, null, null, null)), null, 0, TestSites.T0);

        JsonNode j = Json.MAPPER.readTree(Json.telemetry(r, List.of(priced, unpriced)));

        JsonNode first = j.get("sessions").get(0);
        assertThat(first.get("id").asText()).isEqualTo("cp1/1/9");
        assertThat(first.get("idTag").asText()).isEqualTo("TAG1");
        assertThat(first.get("energyWh").asDouble()).isEqualTo(2500);
        assertThat(first.get("cost").asText()).isEqualTo("0.308625");
        assertThat(first.get("currency").asText()).isEqualTo("EUR");
        assertThat(first.get("costComplete").asBoolean()).isTrue();
        JsonNode second = j.get("sessions").get(1);
        assertThat(second.get("cost").isNull()).as("unknown, not zero").isTrue();
        assertThat(second.get("costComplete").asBoolean()).isFalse();
        assertThat(Json.MAPPER.readTree(Json.telemetry(r)).get("sessions")).isEmpty();
    }

    @Test
    void lifecycleEventReplyAndProgressShapes() throws Exception {
        JsonNode birth = Json.MAPPER.readTree(Json.lifecycle("gw", "connected", Instant.parse("2026-01-01T00:00:00Z"),
                Map.of("fusebox-core", "0.1.0")));
        assertThat(birth.get("bundles").get("fusebox-core").asText()).isEqualTo("0.1.0");
        assertThat(birth.get("timestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");

        JsonNode event = Json.MAPPER.readTree(Json.event("fusebox/x/Y", Instant.EPOCH,
                Map.of("event.topics", "fusebox/x/Y", "n", 3, "list", new String[] { "a", "b" }, "other", new Object() {
                    @Override
                    public String toString() {
                        return "custom";
                    }
                })));
        assertThat(event.get("properties").has("event.topics")).isFalse();
        assertThat(event.get("properties").get("n").asInt()).isEqualTo(3);
        assertThat(event.get("properties").get("list").get(1).asText()).isEqualTo("b");
        assertThat(event.get("properties").get("other").asText()).isEqualTo("custom");

        JsonNode json = Json.MAPPER.readTree(Json.reply("r1", CloudResponse.ok("{\"a\":[1,2]}")));
        assertThat(json.get("body").get("a").get(1).asInt()).isEqualTo(2);
        JsonNode text = Json.MAPPER.readTree(Json.reply("r1", new CloudResponse(409, "plain text".getBytes(), "busy")));
        assertThat(text.get("body").asText()).isEqualTo("plain text");
        assertThat(text.get("status").asInt()).isEqualTo(409);
        assertThat(text.get("message").asText()).isEqualTo("busy");
        JsonNode empty = Json.MAPPER.readTree(Json.reply("r1", CloudResponse.error(500, "x")));
        assertThat(empty.get("body").isNull()).isTrue();
    }
}
