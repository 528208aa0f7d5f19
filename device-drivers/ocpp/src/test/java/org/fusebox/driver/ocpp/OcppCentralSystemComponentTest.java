package org.fusebox.driver.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Map;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;

/** A refused configuration leaves the previous one running, and the health indicator says why. */
class OcppCentralSystemComponentTest {

    private final OcppCentralSystemComponent component = new OcppCentralSystemComponent();

    /** No charger connects in this test, so nothing is ever registered. */
    private static final BundleContext CONTEXT = (BundleContext) Proxy.newProxyInstance(
            OcppCentralSystemComponentTest.class.getClassLoader(), new Class<?>[] {BundleContext.class},
            (p, m, a) -> {
                throw new UnsupportedOperationException(m.getName());
            });

    @AfterEach
    void stop() {
        component.deactivate();
    }

    @Test
    void invalidFirstConfigurationStartsNothingAndAValidOneStaysWhenTheNextIsRefused() {
        component.activate(CONTEXT, Configs.of(Map.of("port", -1, "bootPolicy", "Whenever")));
        Health down = component.health();
        assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(String.join("\n", down.details())).contains("refused").contains("port -1").contains("bootPolicy 'Whenever'");
        assertThat(component.engine()).isNull();

        component.modified(Configs.of(Map.of("port", 0, "bindHost", "127.0.0.1", "chargePoints", new String[] {"CP1"})));
        assertThat(component.health().status()).isEqualTo(HealthStatus.UP);
        int port = component.engine().port();
        assertThat(port).isPositive();

        component.modified(Configs.of(Map.of("port", 0, "bindHost", "127.0.0.1", "callRetries", 99)));
        Health degraded = component.health();
        assertThat(degraded.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(degraded.details()).anySatisfy(d -> assertThat(d).contains("previous configuration stays").contains("callRetries 99"));
        assertThat(component.engine().port()).isEqualTo(port);
        assertThat(component.engine().settings().chargePoint("CP1")).isNotNull();
    }
}
