package org.fusebox.rest.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.health.HealthStatus;
import org.junit.jupiter.api.Test;

class HealthViewTest {

    private static final ControlState RUNNING = new ControlState(ControlMode.RUNNING, List.of(), SampleCycle.T0);
    private static final ControlState FAILSAFE = new ControlState(ControlMode.FAILSAFE, List.of("grid meter gone"),
            SampleCycle.T0);
    private static final ControlState STOPPED = new ControlState(ControlMode.STOPPED, List.of(), SampleCycle.T0);

    private static ComponentHealthView component(String name, HealthStatus status, String... details) {
        return new ComponentHealthView(name, "fusebox-" + name, status, List.of(details));
    }

    @Test
    void runningLoopAndHealthyComponentsAreUp() {
        HealthView view = HealthView.of(Optional.of(RUNNING), List.of(component("core", HealthStatus.UP)));

        assertThat(view.status()).isEqualTo(HealthStatus.UP);
        assertThat(view.control().mode()).isEqualTo(ControlMode.RUNNING);
    }

    @Test
    void failsafeIsDegraded() {
        HealthView view = HealthView.of(Optional.of(FAILSAFE), List.of(component("core", HealthStatus.UP)));

        assertThat(view.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(view.control().reasons()).containsExactly("grid meter gone");
    }

    @Test
    void stoppedLoopIsDown() {
        assertThat(HealthView.of(Optional.of(STOPPED), List.of()).status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void noControlLoopIsDownWithANullControlSection() {
        HealthView view = HealthView.of(Optional.empty(), List.of(component("simulator", HealthStatus.UP)));

        assertThat(view.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(view.control()).isNull();
    }

    @Test
    void theWorstComponentDecidesWhenTheLoopRuns() {
        HealthView view = HealthView.of(Optional.of(RUNNING), List.of(component("core", HealthStatus.UP),
                component("simulator", HealthStatus.DEGRADED, "meter slow")));

        assertThat(view.status()).isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void componentsAreSortedWorstFirstThenByName() {
        HealthView view = HealthView.of(Optional.of(RUNNING), List.of(
                component("alpha", HealthStatus.UP),
                component("zulu", HealthStatus.DOWN, "gone"),
                component("bravo", HealthStatus.DEGRADED),
                component("alpha2", HealthStatus.DOWN)));

        assertThat(view.components()).extracting(ComponentHealthView::name)
                .containsExactly("alpha2", "zulu", "bravo", "alpha");
    }

    @Test
    void jsonShapeHasStatusControlAndComponents() throws Exception {
        ObjectMapper mapper = ApiJson.newMapper();
        HealthView view = HealthView.of(Optional.of(FAILSAFE),
                List.of(component("simulator", HealthStatus.DOWN, "meter offline")));

        JsonNode json = mapper.readTree(mapper.writeValueAsString(view));

        assertThat(json.get("status").asText()).isEqualTo("DOWN");
        assertThat(json.get("control").get("mode").asText()).isEqualTo("FAILSAFE");
        assertThat(json.get("control").get("since").asText()).isEqualTo("2024-05-01T12:00:00Z");
        JsonNode component = json.get("components").get(0);
        assertThat(component.get("name").asText()).isEqualTo("simulator");
        assertThat(component.get("bundle").asText()).isEqualTo("fusebox-simulator");
        assertThat(component.get("status").asText()).isEqualTo("DOWN");
        assertThat(component.get("details")).extracting(JsonNode::asText).containsExactly("meter offline");
    }
}
