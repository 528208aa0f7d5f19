package org.fusebox.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MeasurementTest {

    @Test
    void aValidCounterAndGaugeKeepTheirValuesAndSortTheirLabels() {
        Map<String, String> labels = new HashMap<>();
        labels.put("reason", "timeout");
        labels.put("device", "grid");
        Measurement c = Measurement.counter("requests_failed_total", "Requests that failed", labels, 3);
        assertThat(c.kind()).isEqualTo(Measurement.Kind.COUNTER);
        assertThat(c.value()).isEqualTo(3.0);
        assertThat(List.copyOf(c.labels().keySet())).containsExactly("device", "reason");
        labels.put("device", "changed");
        assertThat(c.labels()).containsEntry("device", "grid");
        assertThatThrownBy(() -> c.labels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);

        Measurement g = Measurement.gauge("queue_depth", "Messages queued", -2.5);
        assertThat(g.kind()).isEqualTo(Measurement.Kind.GAUGE);
        assertThat(g.labels()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Requests", "9lives", "requests-failed", "requests.failed", "r\u00e9quests", "x_info",
            "x_created", "x_bucket"})
    void aBadNameIsRefusedNamingIt(String name) {
        assertThatThrownBy(() -> Measurement.gauge(name, "help", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "'");
    }

    @Test
    void countersEndInTotalAndGaugesDoNot() {
        assertThatThrownBy(() -> Measurement.counter("requests", "help", 1)).hasMessageContaining("must end in _total");
        assertThatThrownBy(() -> Measurement.gauge("requests_total", "help", 1)).hasMessageContaining("marks counters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Device", "__reserved", "a-b", "1st", ""})
    void aBadLabelNameIsRefused(String label) {
        assertThatThrownBy(() -> Measurement.gauge("depth", "help", Map.of(label, "v"), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label name '" + label + "'");
    }

    @Test
    void valuesAreFiniteAndCountersNotNegative() {
        assertThatThrownBy(() -> Measurement.gauge("depth", "help", Double.NaN)).hasMessageContaining("finite");
        assertThatThrownBy(() -> Measurement.gauge("depth", "help", Double.POSITIVE_INFINITY)).hasMessageContaining("finite");
        assertThatThrownBy(() -> Measurement.counter("sent_total", "help", -1)).hasMessageContaining("not negative");
        assertThat(Measurement.counter("sent_total", "help", 0).value()).isZero();
    }

    @Test
    void nullsAndMultiLineHelpAndTooManyLabelsAreRefused() {
        assertThatThrownBy(() -> Measurement.gauge(null, "help", 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Measurement("depth", "help", null, Map.of(), 1)).isInstanceOf(NullPointerException.class);
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("device", null);
        assertThatThrownBy(() -> Measurement.gauge("depth", "help", nullValue, 1)).hasMessageContaining("label device has no value");
        assertThatThrownBy(() -> Measurement.gauge("depth", "two\nlines", 1)).hasMessageContaining("one line");
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= Measurement.MAX_LABELS; i++) {
            many.put("l" + i, "v");
        }
        assertThatThrownBy(() -> Measurement.gauge("depth", "help", many, 1)).hasMessageContaining("at most " + Measurement.MAX_LABELS);
    }
}
