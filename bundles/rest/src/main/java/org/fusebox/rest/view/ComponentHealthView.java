package org.fusebox.rest.view;

import java.util.Comparator;
import java.util.List;
import org.fusebox.api.health.HealthStatus;

/**
 * What one HealthIndicator said.
 *
 * @param name    the indicator's name, e.g. {@code core}
 * @param bundle  symbolic name of the bundle that registered it
 * @param status  UP, DEGRADED or DOWN
 * @param details what is wrong, one line each
 */
public record ComponentHealthView(String name, String bundle, HealthStatus status, List<String> details) {

    /** Worst first, then by name: the line that needs attention comes first. */
    public static final Comparator<ComponentHealthView> WORST_FIRST = Comparator
            .comparing(ComponentHealthView::status, Comparator.reverseOrder())
            .thenComparing(ComponentHealthView::name)
            .thenComparing(ComponentHealthView::bundle, Comparator.nullsFirst(Comparator.naturalOrder()));
}
