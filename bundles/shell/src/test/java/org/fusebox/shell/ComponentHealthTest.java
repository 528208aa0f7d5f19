package org.fusebox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.junit.jupiter.api.Test;

class ComponentHealthTest {

    static HealthIndicator indicator(String name, Supplier<Health> health) {
        return new HealthIndicator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Health health() {
                return health.get();
            }
        };
    }

    @Test
    void sortsWorstFirstThenByName() {
        List<ComponentHealth> all = ComponentHealth.checkAll(List.of(
                indicator("b", Health::up),
                indicator("c", () -> Health.down("x")),
                indicator("a", Health::up),
                indicator("d", () -> Health.degraded("y"))));

        assertThat(all).extracting(ComponentHealth::name).containsExactly("c", "d", "a", "b");
    }

    @Test
    void aThrowingIndicatorIsDownWithTheError() {
        ComponentHealth h = ComponentHealth.check(indicator("broken", () -> {
            throw new IllegalStateException("boom");
        }));

        assertThat(h.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(h.details()).singleElement().asString().contains("boom");
    }

    @Test
    void aNullAnswerIsDown() {
        assertThat(ComponentHealth.check(indicator("silent", () -> null)).status()).isEqualTo(HealthStatus.DOWN);
    }
}
