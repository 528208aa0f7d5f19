package org.fusebox.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Hashtable;
import java.util.Map;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.management.testbundle.GoodActivator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;

/** STATUS-V1 on a real framework: bundles, every HealthIndicator, the last errors. */
class StatusHandlerTest {

    @TempDir
    Path tmp;

    @SuppressWarnings("all")
    private record ErrorsConfig(String[] event_topics, int size) implements RecentErrorsConfig {
        @Override
        public Class<? extends java.lang.annotation.Annotation> annotationType() {
            return RecentErrorsConfig.class;
        }
    }

    @Test
    void reportsBundlesHealthAndTheLastErrors() throws Exception {
        try (FelixFixture felix = FelixFixture.start(tmp.resolve("felix"), true)) {
            felix.context().installBundle(TestBundles.withActivator("fusebox-demo", "1.0.0", GoodActivator.class).write(tmp)
                    .toUri().toString()).start();
            RecentErrors errors = new RecentErrors(Clock.systemUTC());
            errors.configure(new ErrorsConfig(new String[0], 2));
            StatusHandler status = new StatusHandler(felix.context(), errors);
            HealthIndicator down = new HealthIndicator() {
                @Override
                public String name() {
                    return "driver.modbus";
                }

                @Override
                public Health health() {
                    return Health.down("meter unreachable");
                }
            };
            ServiceRegistration<HealthIndicator> reg = felix.context().registerService(HealthIndicator.class, down, new Hashtable<>());
            ServiceReference<HealthIndicator> ref = reg.getReference();
            status.addIndicator(down, ref);
            errors.handleEvent(new Event(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.REASON, "first")));
            errors.handleEvent(new Event(FuseboxEvents.FAILSAFE_ENTERED, Map.of(FuseboxEvents.REASON, "meter lost")));
            errors.record("DEPLOY-V1 upgrade", "rolled back");

            CloudResponse r = status.handle(new CloudRequest("1", "ops", "STATUS-V1", "GET", "status", null), (s, p, m) -> { });

            assertThat(r.status()).isEqualTo(200);
            JsonNode b = new ObjectMapper().readTree(r.body());
            assertThat(b.path("bundles").toString()).contains("fusebox-demo").contains("ACTIVE");
            assertThat(b.path("health").get(0).path("name").asText()).isEqualTo("driver.modbus");
            assertThat(b.path("health").get(0).path("status").asText()).isEqualTo("DOWN");
            assertThat(b.path("health").get(0).path("details").get(0).asText()).isEqualTo("meter unreachable");
            // only the last two are kept, oldest first
            assertThat(b.path("errors")).hasSize(2);
            assertThat(b.path("errors").get(0).path("message").asText()).isEqualTo("meter lost");
            assertThat(b.path("errors").get(0).path("source").asText()).isEqualTo(FuseboxEvents.FAILSAFE_ENTERED);
            assertThat(b.path("errors").get(1).path("message").asText()).isEqualTo("rolled back");

            status.removeIndicator(down);
            JsonNode h = new ObjectMapper().readTree(status.handle(new CloudRequest("2", "ops", "STATUS-V1", "GET", "health", null),
                    (s, p, m) -> { }).body());
            assertThat(h.path("health")).isEmpty();
            assertThat(status.handle(new CloudRequest("3", "ops", "STATUS-V1", "GET", "nope", null), (s, p, m) -> { }).status())
                    .isEqualTo(404);
        }
    }
}
