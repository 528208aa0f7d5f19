package org.fusebox.itests;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Records bundle events while it is open, to check that an install, an uninstall or an upgrade
 * touched only the bundles it was meant to touch (no refresh, no restart of anything else).
 *
 * <pre>
 * try (BundleEventRecorder recorder = BundleEventRecorder.open(bundleContext)) {
 *     featuresService.installFeature(...);
 *     recorder.assertBaselineUntouched("installing x");
 * }
 * </pre>
 *
 * The baseline is the set of bundles (and their states) when the recorder was opened. A baseline
 * bundle counts as disturbed when it was stopped, refreshed (UNRESOLVED/RESOLVED), updated or
 * uninstalled, or started while it was neither ACTIVE nor STARTING at the baseline. A STARTED event
 * for a bundle that was ACTIVE or STARTING and never stopped is not a restart and is ignored:
 * Karaf's features deployer calls start() on its own bundle (org.apache.karaf.features.core) at the
 * end of each deployment.
 *
 * <p>Synchronous, so events are seen in order and none is missed between open() and the action.
 */
public final class BundleEventRecorder implements SynchronousBundleListener, AutoCloseable {

    /** Events that mean a running (or resolved) bundle was disturbed. */
    private static final Set<Integer> DISTURBING = Set.of(
            BundleEvent.STOPPING, BundleEvent.STOPPED, BundleEvent.STARTING, BundleEvent.STARTED,
            BundleEvent.UPDATED, BundleEvent.UNRESOLVED, BundleEvent.RESOLVED, BundleEvent.UNINSTALLED);

    private static final Set<Integer> STOPS = Set.of(BundleEvent.STOPPING, BundleEvent.STOPPED);
    private static final Set<Integer> STARTS = Set.of(BundleEvent.STARTING, BundleEvent.STARTED);

    private final BundleContext context;
    private final Map<Long, Integer> baseline;
    private final List<Recorded> events = new ArrayList<>();

    private BundleEventRecorder(BundleContext context) {
        this.context = context;
        Map<Long, Integer> states = new HashMap<>();
        for (Bundle b : context.getBundles()) {
            states.put(b.getBundleId(), b.getState());
        }
        this.baseline = Collections.unmodifiableMap(states);
    }

    /** Takes the baseline (bundles present now, and their states) and starts recording. */
    public static BundleEventRecorder open(BundleContext context) {
        BundleEventRecorder recorder = new BundleEventRecorder(context);
        context.addBundleListener(recorder);
        return recorder;
    }

    /** Bundle id to state when the recorder was opened. */
    public Map<Long, Integer> baseline() {
        return baseline;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle b = event.getBundle();
        synchronized (events) {
            events.add(new Recorded(b.getBundleId(), b.getSymbolicName() + "/" + b.getVersion(), event.getType()));
        }
    }

    /** All events seen so far. */
    public List<Recorded> events() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    /** Events that disturbed a baseline bundle (see the class comment). */
    public List<Recorded> disturbed() {
        List<Recorded> all = events();
        Set<Long> stopped = all.stream().filter(e -> STOPS.contains(e.type)).map(e -> e.bundleId)
                .collect(Collectors.toSet());
        return all.stream()
                .filter(e -> baseline.containsKey(e.bundleId) && DISTURBING.contains(e.type))
                .filter(e -> !(STARTS.contains(e.type) && !stopped.contains(e.bundleId)
                        && (baseline.get(e.bundleId) == Bundle.ACTIVE || baseline.get(e.bundleId) == Bundle.STARTING)))
                .collect(Collectors.toList());
    }

    /** Fails if a baseline bundle was stopped, restarted, refreshed, updated or uninstalled. */
    public void assertBaselineUntouched(String during) {
        fail(disturbed(), during);
    }

    /**
     * Fails if one of {@code bundleIds} (a subset of the baseline, e.g. "every Fusebox bundle but
     * the one being updated") was stopped, restarted, refreshed, updated or uninstalled.
     */
    public void assertUntouched(Collection<Long> bundleIds, String during) {
        fail(disturbed().stream().filter(e -> bundleIds.contains(e.bundleId)).collect(Collectors.toList()), during);
    }

    private void fail(List<Recorded> bad, String during) {
        if (!bad.isEmpty()) {
            throw new AssertionError("unrelated bundles were disturbed while " + during + ":\n  "
                    + bad.stream().map(Recorded::toString).collect(Collectors.joining("\n  "))
                    + "\nall events:\n  "
                    + events().stream().map(Recorded::toString).collect(Collectors.joining("\n  ")));
        }
    }

    public void clear() {
        synchronized (events) {
            events.clear();
        }
    }

    @Override
    public void close() {
        context.removeBundleListener(this);
    }

    /** One bundle event. */
    public static final class Recorded {
        public final long bundleId;
        public final String bundle;
        public final int type;

        Recorded(long bundleId, String bundle, int type) {
            this.bundleId = bundleId;
            this.bundle = bundle;
            this.type = type;
        }

        @Override
        public String toString() {
            return bundleId + " " + bundle + " " + typeName(type);
        }

        static String typeName(int type) {
            switch (type) {
                case BundleEvent.INSTALLED: return "INSTALLED";
                case BundleEvent.STARTED: return "STARTED";
                case BundleEvent.STOPPED: return "STOPPED";
                case BundleEvent.UPDATED: return "UPDATED";
                case BundleEvent.UNINSTALLED: return "UNINSTALLED";
                case BundleEvent.RESOLVED: return "RESOLVED";
                case BundleEvent.UNRESOLVED: return "UNRESOLVED";
                case BundleEvent.STARTING: return "STARTING";
                case BundleEvent.STOPPING: return "STOPPING";
                case BundleEvent.LAZY_ACTIVATION: return "LAZY_ACTIVATION";
                default: return Integer.toString(type);
            }
        }
    }
}
