package org.fusebox.itests;

import static org.fusebox.itests.SiteReadings.importWatts;
import static org.fusebox.itests.SiteReadings.uncontrolledWatts;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Hashtable;
import org.apache.karaf.features.FeaturesService;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudRequestHandler;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.CycleReport;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A VPP dispatch on the running demo: feature {@code fusebox-vpp} installed, its {@code VPP-V1} application (the
 * service the cloud link hands remote requests to) asked for the site's flexibility and given a shed dispatch three
 * site minutes ahead (18 s at the demo's speed), for three minutes. During the event the core holds the dispatch's target as an import limit and the simulated grid
 * meter comes under it; afterwards the event's report gives the baseline from the meter before the start, the
 * measured import during the event and what was delivered.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VppDispatchIT extends FuseboxKarafTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Configuration
    public Option[] options() {
        // evening on the site's clock (no PV), EVs arriving often: the site imports far more than the target
        return withOptions(demoSite(), editConfigurationFilePut("etc/fusebox.simulator.cfg", "startTime", LocalDate.now() + "T22:00"),
                editConfigurationFilePut("etc/fusebox.simulator.cfg", "evArrivalMeanMinutes", "0.5"));
    }

    @Test
    public void aShedDispatchIsHeldAtTheMeterAndReportedAgainstItsBaseline() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        java.util.concurrent.atomic.AtomicReference<CycleReport> busy = new java.util.concurrent.atomic.AtomicReference<>();
        waitFor("EVs drawing at least 12 kW more than the uncontrolled load", () -> loop.lastCycle()
                .filter(r -> r.state().mode() == ControlMode.RUNNING && uncontrolledWatts(r) >= 0
                        && importWatts(r) - uncontrolledWatts(r) > 12_000).map(r -> {
                            busy.set(r);
                            return true;
                        }).orElse(false));
        featuresService.installFeature("fusebox-vpp", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        try {
            Hashtable<String, Object> config = new Hashtable<>();
            config.put("baselineMinutes", 5);
            config.put("samplePeriodSeconds", 1);
            // the demo's EVs have no departures, so little of their charging counts as flexible: the target is what matters
            config.put("acceptBeyondOffer", true);
            awaitService(ConfigurationAdmin.class).getConfiguration("fusebox.vpp", null).update(config);
            CloudRequestHandler vpp = vppApplication();

            CloudResponse flexibility = ask(vpp, "GET", "flexibility", null);
            assertEquals(flexibility.message() + " " + new String(flexibility.body(), StandardCharsets.UTF_8), 200, flexibility.status());

            CycleReport now = loop.lastCycle().orElseThrow();
            // 5 kW above the load nothing controls, measured when the estimate was sound (not below zero while readings lag)
            double targetKw = Math.round(uncontrolledWatts(busy.get()) / 100 + 50) / 10.0;
            Instant start = now.snapshot().timestamp().plus(Duration.ofMinutes(3)).truncatedTo(ChronoUnit.SECONDS);
            Instant end = start.plus(Duration.ofMinutes(3));
            String dispatch = "{\"id\":\"itest-evt-1\",\"start\":\"" + start + "\",\"end\":\"" + end + "\",\"importTargetKw\":" + targetKw + "}";
            CloudResponse accepted = ask(vpp, "EXEC", "dispatch", dispatch);
            String answer = accepted.message() + " " + new String(accepted.body(), StandardCharsets.UTF_8) + " for " + dispatch;
            assertEquals(answer, 200, accepted.status());
            assertTrue(answer, JSON.readTree(accepted.body()).path("accepted").asBoolean());

            waitFor("the event under way with its target in force in the core", () -> loop.lastCycle()
                    .filter(r -> !r.snapshot().timestamp().isBefore(start) && r.snapshot().limits().grid().importLimit() != null
                            && Math.abs(r.snapshot().limits().grid().importLimit().watts() - targetKw * 1000) < 1e-6)
                    .isPresent());
            assertTrue(loop.lastCycle().orElseThrow().snapshot().limits().grid().reason(),
                    loop.lastCycle().orElseThrow().snapshot().limits().grid().reason().contains("itest-evt-1"));
            waitFor("the meter under the " + targetKw + " kW target", () -> loop.lastCycle()
                    .map(r -> importWatts(r) <= targetKw * 1000).orElse(false));

            waitFor("the event over", () -> loop.lastCycle().map(r -> r.snapshot().timestamp().isAfter(end.plusSeconds(30))).orElse(false));
            waitFor("the event's report", () -> report(vpp) != null);
            JsonNode report = report(vpp);
            System.out.println("VppDispatchIT: target " + targetKw + " kW; report " + report);
            double baseline = report.path("baselineKw").asDouble(Double.NaN);
            double measured = report.path("measuredKw").asDouble(Double.NaN);
            assertTrue(report.toString(), baseline > targetKw + 3);
            // the mean over the event includes its first cycle or two, before the EVs have followed the limit
            assertTrue(report.toString(), measured <= targetKw + 0.25 * (baseline - targetKw));
            assertEquals(report.toString(), baseline - measured, report.path("deliveredKw").asDouble(), 0.01);
            assertTrue(report.toString(), report.path("deliveredKwh").asDouble() > 0);
            assertTrue(report.toString(), report.path("baselineSamples").asInt() > 0 && report.path("measuredSamples").asInt() > 0);
            waitFor("the limit lifted after the event", () -> loop.lastCycle()
                    .map(r -> r.snapshot().limits().grid().importLimit() == null).orElse(false));
        } finally {
            featuresService.uninstallFeature("fusebox-vpp", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
    }

    private CloudRequestHandler vppApplication() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            for (ServiceReference<CloudRequestHandler> ref : bundleContext.getServiceReferences(CloudRequestHandler.class, null)) {
                CloudRequestHandler h = bundleContext.getService(ref);
                if (h != null && "VPP-V1".equals(h.app())) {
                    return h;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no VPP-V1 application registered");
    }

    private static CloudResponse ask(CloudRequestHandler app, String method, String resource, String body) throws Exception {
        CloudRequest request = new CloudRequest("itest-" + System.nanoTime(), "itest-operator", "VPP-V1", method, resource,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        return app.handle(request, (step, percent, message) -> { });
    }

    /** The report of the test's event, or null while there is none. */
    private static JsonNode report(CloudRequestHandler vpp) {
        try {
            CloudResponse r = ask(vpp, "GET", "reports", null);
            for (JsonNode rep : JSON.readTree(r.body()).path("reports")) {
                if ("itest-evt-1".equals(rep.path("id").asText())) {
                    return rep;
                }
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }
}
