package org.fusebox.management;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.fusebox.api.cloud.RequestProgress;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Installs, updates and removes single bundles in place, health-checks the result and puts the previous bytes
 * back on any failure. Every change is preceded by a journal entry that is cleared only once the outcome is
 * settled, so {@link #recover} can finish the job after a crash.
 *
 * <p>Only the changed bundle's dependency closure is refreshed, and only when the old revision is still wired
 * to other bundles: unrelated bundles never stop.
 */
final class BundleDeployer {

    static final String KIND = "bundle";
    /** Location of bundles this service installs fresh; updates keep the original location. */
    static final String LOCATION_PREFIX = "fusebox-management:";

    enum Outcome { INSTALLED, UPGRADED, UNINSTALLED, ROLLED_BACK, ROLLBACK_FAILED }

    record Result(Outcome outcome, String symbolicName, String fromVersion, String toVersion, String reason,
            List<String> refreshed) {

        boolean ok() {
            return outcome == Outcome.INSTALLED || outcome == Outcome.UPGRADED || outcome == Outcome.UNINSTALLED;
        }
    }

    private final BundleContext context;
    private final Path previousDir;
    private final UpgradeJournal journal;
    private final UpgradeHistory history;
    private final BundleHealthCheck health;
    private final Duration healthTimeout;
    private final Duration refreshTimeout;
    private final Clock clock;

    BundleDeployer(BundleContext context, Path stagingDir, UpgradeJournal journal, UpgradeHistory history,
            Duration healthTimeout, Duration refreshTimeout, Clock clock) {
        this.context = context;
        this.previousDir = stagingDir.resolve("previous");
        this.journal = journal;
        this.history = history;
        this.health = new BundleHealthCheck(context);
        this.healthTimeout = healthTimeout;
        this.refreshTimeout = refreshTimeout;
        this.clock = clock;
    }

    BundleHealthCheck health() {
        return health;
    }

    /** The installed bundle with that symbolic name (the highest version if several). */
    Optional<Bundle> find(String symbolicName) {
        return find(context, symbolicName);
    }

    static Optional<Bundle> find(BundleContext context, String symbolicName) {
        Bundle best = null;
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && (best == null || b.getVersion().compareTo(best.getVersion()) > 0)) {
                best = b;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Puts {@code newJar} in place of the bundle named {@code symbolicName} (installing it when absent), or
     * removes the bundle when {@code newJar} is null. The caller has verified the bytes.
     *
     * @param watch whether the new version is remembered as put there by this service (install, upgrade), so that
     *              a later change behind its back is reported; false for its own rollback
     */
    Result apply(String symbolicName, Path newJar, String newVersion, String requestId, boolean watch, RequestProgress progress)
            throws IOException {
        Bundle existing = find(symbolicName).orElse(null);
        String from = existing == null ? null : existing.getVersion().toString();
        boolean wasActive = existing != null && existing.getState() == Bundle.ACTIVE;
        Path previous = null;
        Set<String> tolerated = Set.of();
        if (existing != null) {
            previous = snapshot(existing);
            tolerated = health.waitingForReference(existing);
            progress.report("keep-previous", 70, "kept " + symbolicName + " " + from + " as " + previous.getFileName());
        }
        journal.begin(new UpgradeJournal.Entry(KIND, symbolicName, from, newVersion, previous, wasActive, requestId, clock.instant()));
        Bundle target = existing;
        List<String> refreshed = new ArrayList<>();
        try {
            if (newJar == null) {
                existing.uninstall();
                progress.report("uninstall", 80, "uninstalled " + symbolicName + " " + from);
                refreshed.addAll(refreshIfPending(existing, progress));
                journal.clear();
                history.recordBundle(symbolicName, new UpgradeHistory.Previous(from, previous), null);
                return new Result(Outcome.UNINSTALLED, symbolicName, from, null, "", refreshed);
            }
            try (InputStream in = Files.newInputStream(newJar)) {
                if (existing == null) {
                    target = context.installBundle(LOCATION_PREFIX + symbolicName, in);
                    progress.report("install", 75, "installed " + symbolicName + " " + newVersion + " as bundle " + target.getBundleId());
                } else {
                    existing.update(in);
                    progress.report("update", 75, "updated bundle " + existing.getBundleId() + " from " + from + " to " + newVersion);
                }
            }
            refreshed.addAll(refreshIfPending(target, progress));
            start(target, progress);
            BundleHealthCheck.Result h = health.await(target, tolerated, healthTimeout, progress, 85);
            if (!h.healthy()) {
                throw new HealthException(String.join("; ", h.problems()));
            }
            progress.report("health", 95, symbolicName + " " + newVersion + " is healthy");
            journal.clear();
            history.recordBundle(symbolicName, new UpgradeHistory.Previous(from, previous),
                    watch ? new UpgradeHistory.Placed(target.getVersion().toString(), requestId) : null);
            return new Result(existing == null ? Outcome.INSTALLED : Outcome.UPGRADED, symbolicName, from, newVersion, "", refreshed);
        } catch (BundleException | HealthException | IOException | RuntimeException e) {
            String reason = (e instanceof HealthException ? "health check failed: " : "") + describe(e);
            progress.report("rollback", -1, symbolicName + " " + (newVersion == null ? "removal" : newVersion) + " failed ("
                    + reason + "); restoring " + (from == null ? "the state without it" : from));
            try {
                restore(symbolicName, previous, wasActive, progress);
                journal.clear();
                return new Result(Outcome.ROLLED_BACK, symbolicName, from, newVersion, reason, refreshed);
            } catch (BundleException | IOException | RuntimeException r) {
                // the journal stays: the next activation tries again
                progress.report("rollback", -1, "rollback of " + symbolicName + " failed: " + describe(r));
                return new Result(Outcome.ROLLBACK_FAILED, symbolicName, from, newVersion,
                        reason + "; rollback failed too: " + describe(r), refreshed);
            }
        }
    }

    /**
     * Brings the bundle back to {@code previous} bytes (or removes it when null), restarts it if it was ACTIVE
     * and reports its health; used after a failed change and after a crash.
     */
    void restore(String symbolicName, Path previous, boolean wasActive, RequestProgress progress) throws BundleException, IOException {
        Bundle current = find(symbolicName).orElse(null);
        if (previous == null) {
            if (current != null) {
                current.uninstall();
                progress.report("rollback", -1, "removed " + symbolicName + ", which was not installed before");
                refreshIfPending(current, progress);
            }
            return;
        }
        try (InputStream in = Files.newInputStream(previous)) {
            if (current == null) {
                current = context.installBundle(LOCATION_PREFIX + symbolicName, in);
            } else {
                current.update(in);
            }
        }
        progress.report("rollback", -1, "restored " + symbolicName + " " + current.getVersion() + " from " + previous.getFileName());
        refreshIfPending(current, progress);
        if (wasActive) {
            current.start();
            BundleHealthCheck.Result h = health.await(current, health.waitingForReference(current), healthTimeout, progress, -1);
            progress.report("rollback", -1, symbolicName + " " + current.getVersion() + " is " + BundleStates.name(current.getState())
                    + (h.healthy() ? " and healthy" : ", health: " + String.join("; ", h.problems())));
        }
    }

    /** Finishes a change a crash interrupted; @return what was done, or empty when nothing was in flight. */
    Optional<String> recover(UpgradeJournal.Entry e, RequestProgress progress) throws BundleException, IOException {
        restore(e.name(), e.previousJar(), e.wasActive(), progress);
        journal.clear();
        return Optional.of("interrupted " + e.describe() + " (request " + e.requestId() + ", started " + e.started()
                + ") was not confirmed healthy: restored " + (e.fromVersion() == null ? "the state without it" : e.fromVersion()));
    }

    private void start(Bundle b, RequestProgress progress) throws BundleException {
        if (b.getHeaders("").get(Constants.FRAGMENT_HOST) != null) {
            progress.report("start", 80, b.getSymbolicName() + " is a fragment: not started");
            return;
        }
        b.start();
        progress.report("start", 80, b.getSymbolicName() + " " + b.getVersion() + " is " + BundleStates.name(b.getState()));
    }

    /**
     * Refreshes the bundle's dependency closure if its old revision is still in use; @return the bundles
     * refreshed (empty when no refresh was needed).
     */
    List<String> refreshIfPending(Bundle b, RequestProgress progress) throws BundleException {
        FrameworkWiring fw = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        if (!fw.getRemovalPendingBundles().contains(b)) {
            progress.report("refresh", 78, "no refresh needed: no other bundle is wired to the old revision of " + b.getSymbolicName());
            return List.of();
        }
        Collection<Bundle> closure = fw.getDependencyClosure(List.of(b));
        List<String> names = new ArrayList<>();
        for (Bundle c : closure) {
            names.add(c.getSymbolicName() + " (" + c.getBundleId() + ")");
        }
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<FrameworkEvent> result = new AtomicReference<>();
        fw.refreshBundles(List.of(b), ev -> {
            result.set(ev);
            done.countDown();
        });
        try {
            if (!done.await(refreshTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BundleException("refresh of " + names + " did not finish within " + refreshTimeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BundleException("interrupted while refreshing " + names);
        }
        if (result.get().getType() == FrameworkEvent.ERROR) {
            throw new BundleException("refresh of " + names + " failed", result.get().getThrowable());
        }
        progress.report("refresh", 78, "refreshed only the dependency closure of " + b.getSymbolicName() + ": " + names);
        return names;
    }

    /** Writes the bundle's current content (its own entries, not its fragments') to a jar in the staging directory. */
    Path snapshot(Bundle b) throws IOException {
        Files.createDirectories(previousDir);
        Version v = b.getVersion();
        Path out = previousDir.resolve(b.getSymbolicName() + "-" + v + ".jar");
        Path tmp = previousDir.resolve(out.getFileName() + ".tmp");
        URL manifest = b.getEntry("META-INF/MANIFEST.MF");
        if (manifest == null) {
            throw new IOException(b.getSymbolicName() + " has no META-INF/MANIFEST.MF entry to keep");
        }
        try (OutputStream fo = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(fo)) {
            copyEntry(jar, "META-INF/", null);
            copyEntry(jar, "META-INF/MANIFEST.MF", manifest);
            Deque<String> dirs = new ArrayDeque<>(List.of("/"));
            while (!dirs.isEmpty()) {
                Enumeration<String> paths = b.getEntryPaths(dirs.pop());
                while (paths != null && paths.hasMoreElements()) {
                    String p = paths.nextElement();
                    if (p.equals("META-INF/") || p.equals("META-INF/MANIFEST.MF")) {
                        if (p.endsWith("/")) {
                            dirs.push(p);
                        }
                        continue;
                    }
                    if (p.endsWith("/")) {
                        copyEntry(jar, p, null);
                        dirs.push(p);
                    } else {
                        copyEntry(jar, p, b.getEntry(p));
                    }
                }
            }
        }
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return out;
    }

    private static void copyEntry(JarOutputStream jar, String name, URL content) throws IOException {
        jar.putNextEntry(new ZipEntry(name));
        if (content != null) {
            try (InputStream in = content.openStream()) {
                in.transferTo(jar);
            }
        }
        jar.closeEntry();
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        Throwable c = e.getCause();
        while (c != null && c != e) {
            sb.append(" <- ").append(c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
            e = c;
            c = c.getCause();
        }
        return sb.toString();
    }

    /** The new version did not become healthy in time. */
    static final class HealthException extends Exception {
        private static final long serialVersionUID = 1L;

        HealthException(String message) {
            super(message);
        }
    }
}
