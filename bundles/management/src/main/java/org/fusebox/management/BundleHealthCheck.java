package org.fusebox.management;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fusebox.api.cloud.RequestProgress;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Whether a bundle works: ACTIVE (RESOLVED for a fragment), every enabled DS component active or satisfied,
 * and none of its HealthIndicators DOWN. A component waiting for a configuration that does not exist counts
 * as fine (nothing to run yet); one waiting for a service counts as fine only if it was already waiting before
 * the change, so an upgrade is not blamed for a device that is simply absent.
 */
final class BundleHealthCheck {

    /** @param terminal waiting longer will not help (a component failed to activate) */
    record Result(boolean healthy, boolean terminal, List<String> problems) {
    }

    private static final long POLL_MILLIS = 100;

    private final BundleContext context;

    BundleHealthCheck(BundleContext context) {
        this.context = context;
    }

    /** Names of the bundle's components that are waiting for a reference now. */
    Set<String> waitingForReference(Bundle b) {
        Set<String> names = new HashSet<>();
        withScr(scr -> {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                        names.add(d.name);
                    }
                }
            }
            return null;
        });
        return names;
    }

    Result evaluate(Bundle b, Set<String> tolerated) {
        List<String> problems = new ArrayList<>();
        boolean terminal = false;
        boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
        int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
        if (b.getState() != expected) {
            problems.add(b.getSymbolicName() + " is " + BundleStates.name(b.getState()) + ", not " + BundleStates.name(expected));
        }
        if (!fragment && b.getState() == Bundle.ACTIVE) {
            Boolean failed = withScr(scr -> checkComponents(scr, b, tolerated, problems));
            terminal = Boolean.TRUE.equals(failed);
            checkIndicators(b, problems);
        }
        return new Result(problems.isEmpty(), terminal, problems);
    }

    /** Polls {@link #evaluate} until healthy, hopeless or {@code timeout}. */
    Result await(Bundle b, Set<String> tolerated, Duration timeout, RequestProgress progress, int percent) {
        long deadline = System.nanoTime() + timeout.toNanos();
        progress.report("health", percent, "waiting up to " + timeout.toSeconds() + " s for " + b.getSymbolicName()
                + " to be ACTIVE with its components satisfied and no DOWN health");
        while (true) {
            Result r = evaluate(b, tolerated);
            if (r.healthy() || r.terminal() || System.nanoTime() >= deadline) {
                return r;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(false, true, List.of("interrupted while waiting for health"));
            }
        }
    }

    private static boolean checkComponents(ServiceComponentRuntime scr, Bundle b, Set<String> tolerated, List<String> problems) {
        Collection<ComponentDescriptionDTO> ds = scr.getComponentDescriptionDTOs(b);
        boolean failed = false;
        if (ds.isEmpty() && b.getHeaders("").get("Service-Component") != null) {
            problems.add("its DS components are not loaded yet");
        }
        for (ComponentDescriptionDTO d : ds) {
            if (!scr.isComponentEnabled(d)) {
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                switch (c.state) {
                    case ComponentConfigurationDTO.ACTIVE, ComponentConfigurationDTO.SATISFIED,
                            ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> {
                    }
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> {
                        if (!tolerated.contains(d.name)) {
                            List<String> refs = new ArrayList<>();
                            for (var u : c.unsatisfiedReferences) {
                                refs.add(u.name);
                            }
                            problems.add("component " + d.name + " waits for reference(s) " + refs);
                        }
                    }
                    case ComponentConfigurationDTO.FAILED_ACTIVATION -> {
                        failed = true;
                        problems.add("component " + d.name + " failed to activate: " + firstLine(c.failure));
                    }
                    default -> problems.add("component " + d.name + " is in state " + c.state);
                }
            }
        }
        return failed;
    }

    private void checkIndicators(Bundle b, List<String> problems) {
        Collection<ServiceReference<HealthIndicator>> refs;
        try {
            refs = context.getServiceReferences(HealthIndicator.class, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (ServiceReference<HealthIndicator> ref : refs) {
            if (ref.getBundle() == null || ref.getBundle().getBundleId() != b.getBundleId()) {
                continue;
            }
            HealthIndicator hi = context.getService(ref);
            if (hi == null) {
                continue;
            }
            try {
                Health h = hi.health();
                if (h.status() == HealthStatus.DOWN) {
                    problems.add("health '" + hi.name() + "' is DOWN: " + String.join("; ", h.details()));
                }
            } catch (RuntimeException e) {
                problems.add("health indicator of " + b.getSymbolicName() + " threw " + e);
            } finally {
                context.ungetService(ref);
            }
        }
    }

    private <T> T withScr(java.util.function.Function<ServiceComponentRuntime, T> f) {
        ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
        if (ref == null) {
            return null;
        }
        ServiceComponentRuntime scr = context.getService(ref);
        if (scr == null) {
            return null;
        }
        try {
            return f.apply(scr);
        } finally {
            context.ungetService(ref);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no reason given)";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
