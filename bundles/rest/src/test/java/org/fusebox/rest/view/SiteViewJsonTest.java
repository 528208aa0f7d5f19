package org.fusebox.rest.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;
import org.fusebox.api.units.PowerSlot;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.junit.jupiter.api.Test;

class SiteViewJsonTest {

    private final ObjectMapper mapper = ApiJson.newMapper();

    private JsonNode json(CycleReport report) throws Exception {
        return mapper.readTree(mapper.writeValueAsString(SiteView.of(report)));
    }

    @Test
    void cycleHeaderHasNumberTimeTriggerDurationAndState() throws Exception {
        JsonNode site = json(SampleCycle.report());

        assertThat(site.get("cycle").asLong()).isEqualTo(1234);
        assertThat(site.get("timestamp").asText()).isEqualTo("2024-05-01T12:00:01.500Z");
        assertThat(site.get("trigger").asText()).isEqualTo("period");
        assertThat(site.get("duration").get("millis").asDouble()).isEqualTo(3.25);
        assertThat(site.get("state").get("mode").asText()).isEqualTo("RUNNING");
        assertThat(site.get("state").get("since").asText()).isEqualTo("2024-05-01T11:59:00Z");
        assertThat(site.get("optimisers")).extracting(JsonNode::asText).containsExactly("fuse", "self-consumption");
    }

    @Test
    void topLevelKeysAreTheDocumentedOnesInOrder() throws Exception {
        JsonNode site = json(SampleCycle.report());

        List<String> keys = new ArrayList<>();
        site.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("cycle", "timestamp", "trigger", "duration", "state", "limits", "grid", "pv",
                "batteries", "chargers", "proposed", "applied", "interventions", "writeResults", "optimisers", "prices", "forecasts", "plans");
    }

    @Test
    void limitsCarryUnitsAndThePlanningLimit() throws Exception {
        JsonNode limits = json(SampleCycle.report()).get("limits");

        assertThat(limits.get("fuseLimit").get("amps").asDouble()).isEqualTo(40.0);
        assertThat(limits.get("safetyMargin").get("amps").asDouble()).isEqualTo(3.0);
        assertThat(limits.get("planningLimit").get("amps").asDouble()).isEqualTo(37.0);
        assertThat(limits.get("phases").asInt()).isEqualTo(3);
        assertThat(limits.get("nominalVoltage").get("volts").asDouble()).isEqualTo(230.0);
        assertThat(limits.get("batteryMinSoc").get("percent").asDouble()).isEqualTo(10.0);
        assertThat(limits.get("cyclePeriod").get("millis").asDouble()).isEqualTo(1000.0);
    }

    @Test
    void quantitiesAreSingleKeyObjectsRoundedToThreeDecimals() throws Exception {
        JsonNode power = json(SampleCycle.report()).get("grid").get("reading").get("power");

        // Power also has isPositive()/isNegative(); they must not leak into the wire format.
        assertThat(power.size()).isEqualTo(1);
        assertThat(power.get("watts").asDouble()).isEqualTo(7360.0);
    }

    @Test
    void gridReadingHasPowerCurrentsPerPhaseVoltageAndRegisters() throws Exception {
        JsonNode grid = json(SampleCycle.report()).get("grid");

        assertThat(grid.get("id").asText()).isEqualTo("grid");
        assertThat(grid.get("status").get("state").asText()).isEqualTo("ONLINE");
        JsonNode reading = grid.get("reading");
        assertThat(reading.get("currents").get("l1").get("amps").asDouble()).isEqualTo(31.25);
        assertThat(reading.get("currents").get("l2").get("amps").asDouble()).isEqualTo(28.0);
        assertThat(reading.get("currents").get("l3").get("amps").asDouble()).isEqualTo(30.5);
        assertThat(reading.get("voltage").get("volts").asDouble()).isEqualTo(231.4);
        assertThat(reading.get("importedTotal").get("wattHours").asDouble()).isEqualTo(12_345_600.0);
        assertThat(reading.get("exportedTotal").get("wattHours").asDouble()).isEqualTo(789.0);
        assertThat(reading.get("frequencyHz").isNull()).as("a meter that does not measure it").isTrue();
    }

    @Test
    void gridReadingCarriesTheFrequencyWhenMeasured() throws Exception {
        SiteSnapshot s = SampleCycle.report().snapshot();
        org.fusebox.api.site.GridState g = s.grid();
        SiteSnapshot withHz = new SiteSnapshot(s.cycle(), s.timestamp(), s.limits(),
                new org.fusebox.api.site.GridState(g.id(), g.name(), g.status(), g.reading().withFrequency(49.7)), s.pv(),
                s.batteries(), s.chargers(), s.prices(), s.forecasts(), s.spotPrices(), s.exportPrices(), s.zone());

        assertThat(json(SampleCycle.report(withHz)).get("grid").get("reading").get("frequencyHz").asDouble()).isEqualTo(49.7);
    }

    @Test
    void missingGridMeterIsAnExplicitNull() throws Exception {
        SiteSnapshot noGrid = SiteSnapshot.builder(SampleCycle.LIMITS).timestamp(SampleCycle.NOW).build();

        JsonNode site = json(SampleCycle.report(noGrid));

        assertThat(site.has("grid")).isTrue();
        assertThat(site.get("grid").isNull()).isTrue();
        assertThat(site.get("chargers")).isEmpty();
    }

    @Test
    void pvAndBatteryShowRatingsAndReadings() throws Exception {
        JsonNode site = json(SampleCycle.report());

        JsonNode pv = site.get("pv").get(0);
        assertThat(pv.get("ratedPower").get("watts").asDouble()).isEqualTo(10_000.0);
        assertThat(pv.get("curtailable").asBoolean()).isTrue();
        assertThat(pv.get("reading").get("power").get("watts").asDouble()).isEqualTo(4200.0);

        JsonNode battery = site.get("batteries").get(0);
        assertThat(battery.get("id").asText()).isEqualTo("bat-1");
        assertThat(battery.get("ratings").get("capacity").get("wattHours").asDouble()).isEqualTo(13_500.0);
        assertThat(battery.get("ratings").get("roundTripEfficiency").get("percent").asDouble()).isEqualTo(90.0);
        assertThat(battery.get("reading").get("soc").get("percent").asDouble()).isEqualTo(55.5);
        assertThat(battery.get("reading").get("power").get("watts").asDouble()).isEqualTo(-1500.0);
    }

    @Test
    void chargerConnectorsJoinRatingsWithReadingsAndSessions() throws Exception {
        JsonNode charger = json(SampleCycle.report()).get("chargers").get(0);

        assertThat(charger.get("id").asText()).isEqualTo("cp-1");
        assertThat(charger.get("readAt").asText()).isEqualTo("2024-05-01T12:00:01.500Z");
        JsonNode c1 = charger.get("connectors").get(0);
        assertThat(c1.get("connectorId").asInt()).isEqualTo(1);
        assertThat(c1.get("phases")).extracting(JsonNode::asText).containsExactly("L1", "L2", "L3");
        assertThat(c1.get("maxCurrent").get("amps").asDouble()).isEqualTo(32.0);
        assertThat(c1.get("reading").get("state").asText()).isEqualTo("CHARGING");
        assertThat(c1.get("reading").get("power").get("watts").asDouble()).isEqualTo(11_040.0);
        JsonNode session = c1.get("reading").get("session");
        assertThat(session.get("sessionId").asText()).isEqualTo("tx-42");
        assertThat(session.get("delivered").get("wattHours").asDouble()).isEqualTo(5200.0);
        assertThat(session.get("remaining").get("wattHours").asDouble()).isEqualTo(14_800.0);
        assertThat(session.get("departure").asText()).isEqualTo("2024-05-01T15:00:00Z");
        assertThat(session.get("batteryCapacity").isNull()).isTrue();

        JsonNode c2 = charger.get("connectors").get(1);
        assertThat(c2.get("reading").get("state").asText()).isEqualTo("AVAILABLE");
        assertThat(c2.get("reading").get("session").isNull()).isTrue();
    }

    @Test
    void offlineChargerKeepsItsConnectorsWithoutReadings() throws Exception {
        JsonNode charger = json(SampleCycle.report()).get("chargers").get(1);

        assertThat(charger.get("status").get("state").asText()).isEqualTo("OFFLINE");
        assertThat(charger.get("status").get("reason").asText()).isEqualTo("no heartbeat for 60 s");
        assertThat(charger.get("readAt").isNull()).isTrue();
        assertThat(charger.get("connectors")).hasSize(1);
        assertThat(charger.get("connectors").get(0).get("reading").isNull()).isTrue();
    }

    @Test
    void aReadingForAnUndeclaredConnectorIsShownWithoutRatings() throws Exception {
        ChargerState declared = SampleCycle.charger();
        ConnectorReading stray = new ConnectorReading(3, ConnectorState.CHARGING, Power.ofWatts(3680),
                PhaseCurrents.ofAmps(16, 0, 0), Current.ofAmps(16), Energy.ZERO, null);
        List<ConnectorReading> readings = new ArrayList<>(declared.reading().connectors());
        readings.add(stray);
        ChargerState charger = new ChargerState(declared.id(), declared.name(), declared.status(),
                declared.connectors(), new ChargerReading(SampleCycle.NOW, readings));

        ChargerView view = ChargerView.of(charger);

        assertThat(view.connectors()).extracting(ConnectorView::connectorId).containsExactly(1, 2, 3);
        assertThat(view.connectors().get(2).maxCurrent()).isNull();
        assertThat(view.connectors().get(2).reading().power()).isEqualTo(Power.ofWatts(3680));
    }

    @Test
    void setpointsAreListedPerKindSortedByDevice() throws Exception {
        JsonNode site = json(SampleCycle.report());

        JsonNode proposed = site.get("proposed").get("chargers");
        assertThat(proposed).extracting(n -> n.get("connectorId").asInt()).containsExactly(1, 2);
        assertThat(proposed.get(0).get("chargerId").asText()).isEqualTo("cp-1");
        assertThat(proposed.get(0).get("limit").get("amps").asDouble()).isEqualTo(32.0);
        assertThat(site.get("applied").get("chargers").get(0).get("limit").get("amps").asDouble()).isEqualTo(20.0);
        assertThat(site.get("applied").get("batteries").get(0).get("power").get("watts").asDouble()).isEqualTo(-2000.0);
        assertThat(site.get("applied").get("pv").get(0).get("inverterId").asText()).isEqualTo("pv-roof");
        assertThat(site.get("applied").get("pv").get(0).get("maxOutput").get("watts").asDouble()).isEqualTo(10_000.0);
    }

    @Test
    void interventionsAndWriteResultsAreReported() throws Exception {
        JsonNode site = json(SampleCycle.report());

        JsonNode intervention = site.get("interventions").get(0);
        assertThat(intervention.get("device").asText()).isEqualTo("cp-1/1");
        assertThat(intervention.get("rule").asText()).isEqualTo("fuse");
        assertThat(intervention.get("detail").asText()).isEqualTo("asked 32 A, allowed 20 A");

        List<String> devices = new ArrayList<>();
        site.get("writeResults").fieldNames().forEachRemaining(devices::add);
        assertThat(devices).containsExactly("bat-1", "cp-1/1", "cp-2/1");
        assertThat(site.get("writeResults").get("bat-1").get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(site.get("writeResults").get("bat-1").get("detail").asText()).isEqualTo("busy");
        assertThat(site.get("writeResults").get("cp-1/1").get("outcome").asText()).isEqualTo("ACCEPTED");
    }

    @Test
    void pricesForecastsAndPlansAreShownWithUnitsAndExactMoney() throws Exception {
        Instant t = SampleCycle.T0;
        SiteSnapshot snapshot = SiteSnapshot.builder(SampleCycle.LIMITS).cycle(7).timestamp(SampleCycle.NOW)
                .prices(new PriceCurve(List.of(new PriceSlot(t, Duration.ofHours(1), EnergyPrice.perMegawattHour("-4.39", "EUR"), "entsoe-BE"))))
                .forecast(new PowerForecast(ForecastKind.PV_PRODUCTION, "clear-sky", List.of(
                        new PowerSlot(t, Duration.ofMinutes(15), Power.ofWatts(1250)))))
                .build();
        PlanLine ev = new PlanLine("cp-1", 1, List.of(new PowerSlot(t, Duration.ofHours(1), Power.ofKilowatts(11))),
                Energy.ofKilowattHours(11), Energy.ofKilowattHours(20), t.plusSeconds(3600), Money.of("0.50", "EUR"), false,
                "needs 20 kWh, can get 11 kWh by 13:00");
        Plan plan = new Plan("ev-deadline", t, List.of(ev), Money.of(1.2174835159686361, "EUR"), List.of());
        CycleReport base = SampleCycle.report(snapshot);
        CycleReport report = new CycleReport(base.snapshot(), base.trigger(), base.optimisers(), base.proposed(), base.applied(),
                base.interventions(), base.writeResults(), base.state(), base.duration(), List.of(plan));

        JsonNode site = json(report);

        JsonNode price = site.get("prices").get(0);
        assertThat(price.get("start").asText()).isEqualTo("2024-05-01T12:00:00Z");
        assertThat(price.get("perMegawattHour").get("amount").asText()).isEqualTo("-4.39");
        assertThat(price.get("perMegawattHour").get("currency").asText()).isEqualTo("EUR");
        assertThat(price.get("source").asText()).isEqualTo("entsoe-BE");
        JsonNode pv = site.get("forecasts").get("PV_PRODUCTION");
        assertThat(pv.get("source").asText()).isEqualTo("clear-sky");
        assertThat(pv.get("slots").get(0).get("power").get("watts").asDouble()).isEqualTo(1250);
        assertThat(pv.get("slots").get(0).get("length").get("millis").asDouble()).isEqualTo(900_000);
        JsonNode p = site.get("plans").get(0);
        assertThat(p.get("optimiser").asText()).isEqualTo("ev-deadline");
        assertThat(p.get("expectedCost").get("amount").asText()).isEqualTo("1.2175");
        JsonNode line = p.get("lines").get(0);
        assertThat(line.get("device").asText()).isEqualTo("cp-1");
        assertThat(line.get("connector").asInt()).isEqualTo(1);
        assertThat(line.get("wanted").get("wattHours").asDouble()).isEqualTo(20_000);
        assertThat(line.get("targetMet").asBoolean()).isFalse();
        assertThat(line.get("note").asText()).contains("can get 11 kWh");
        assertThat(line.get("slots").get(0).get("power").get("watts").asDouble()).isEqualTo(11_000);
    }

    @Test
    void eachPaidSlotCarriesTheSpotAndExportPricesInForceAtItsStart() throws Exception {
        Instant t = SampleCycle.T0;
        SiteSnapshot snapshot = SiteSnapshot.builder(SampleCycle.LIMITS).cycle(7).timestamp(SampleCycle.NOW)
                .prices(new PriceCurve(List.of(
                        new PriceSlot(t, Duration.ofHours(1), EnergyPrice.perMegawattHour("250.10", "EUR"), "tariff"),
                        new PriceSlot(t.plusSeconds(3600), Duration.ofHours(1), EnergyPrice.perMegawattHour("260", "EUR"), "tariff"))))
                .spotPrices(new PriceCurve(List.of(new PriceSlot(t, Duration.ofHours(1), EnergyPrice.perMegawattHour("80.5", "EUR"), "entsoe-BE"))))
                .exportPrices(new PriceCurve(List.of(
                        new PriceSlot(t, Duration.ofHours(2), EnergyPrice.perMegawattHour("40", "EUR"), "tariff"))))
                .build();

        JsonNode prices = json(SampleCycle.report(snapshot)).get("prices");

        assertThat(prices.get(0).get("spot").get("amount").asText()).isEqualTo("80.5");
        assertThat(prices.get(0).get("export").get("amount").asText()).isEqualTo("40");
        // the market price of the second hour is not known: an explicit null, the export price still is
        assertThat(prices.get(1).get("spot").isNull()).isTrue();
        assertThat(prices.get(1).get("export").get("amount").asText()).isEqualTo("40");
    }

    @Test
    void withoutPricesForecastsOrPlansTheSectionsAreEmptyNotMissing() throws Exception {
        JsonNode site = json(SampleCycle.report());

        assertThat(site.get("prices").isArray()).isTrue();
        assertThat(site.get("prices")).isEmpty();
        assertThat(site.get("forecasts").isObject()).isTrue();
        assertThat(site.get("plans")).isEmpty();
    }
}
