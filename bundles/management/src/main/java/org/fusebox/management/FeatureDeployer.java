package org.fusebox.management;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.fusebox.api.cloud.RequestProgress;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Installs, upgrades and removes a feature through {@link FeatureOps}, health-checks every bundle of it, and
 * installs the previous version again (or removes the new feature) on failure.
 */
final class FeatureDeployer {

    static final String KIND = "feature";

    record Result(BundleDeployer.Outcome outcome, String feature, String fromVersion, String toVersion, String reason,
            List<String> refreshed) {

        boolean ok() {
            return outcome == BundleDeployer.Outcome.INSTALLED || outcome == BundleDeployer.Outcome.UPGRADED
                    || outcome == BundleDeployer.Outcome.UNINSTALLED;
        }
    }

    private final BundleContext context;
    private final FeatureOps ops;
    private final BundleDeployer bundles;
    private final UpgradeJournal journal;
    private final UpgradeHistory history;
    private final Duration healthTimeout;
    private final Clock clock;

    FeatureDeployer(BundleContext context, FeatureOps ops, BundleDeployer bundles, UpgradeJournal journal,
            UpgradeHistory history, Duration healthTimeout, Clock clock) {
        this.context = context;
        this.ops = ops;
        this.bundles = bundles;
        this.journal = journal;
        this.history = history;
        this.healthTimeout = healthTimeout;
        this.clock = clock;
    }

    /** @param version the version to install, or null to uninstall */
    Result apply(String name, String version, String requestId, RequestProgress progress) throws Exception {
        String from = ops.installedVersion(name).orElse(null);
        Set<String> tolerated = new HashSet<>();
        if (from != null) {
            for (Bundle b : bundlesOf(name, from)) {
                tolerated.addAll(bundles.health().waitingForReference(b));
            }
        }
        journal.begin(new UpgradeJournal.Entry(KIND, name, from, version, null, false, requestId, clock.instant()));
        List<String> refreshed = new ArrayList<>();
        try {
            if (version == null) {
                Set<String> members = symbolicNames(bundlesOf(name, from));
                ops.uninstall(name, from);
                progress.report("uninstall", 90, "uninstalled feature " + name + " " + from);
                journal.clear();
                history.recordFeature(name, new UpgradeHistory.Previous(from, null), members);
                return new Result(BundleDeployer.Outcome.UNINSTALLED, name, from, null, "", refreshed);
            }
            ops.install(name, version);
            progress.report("install", 75, "feature " + name + " " + version + " installed");
            List<Bundle> members = bundlesOf(name, version);
            for (Bundle b : members) {
                refreshed.addAll(bundles.refreshIfPending(b, progress));
            }
            long deadline = System.nanoTime() + healthTimeout.toNanos();
            List<String> problems = new ArrayList<>();
            for (Bundle b : members) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                BundleHealthCheck.Result h = bundles.health().await(b, tolerated, left, progress, 85);
                problems.addAll(h.problems());
            }
            if (!problems.isEmpty()) {
                throw new BundleDeployer.HealthException(String.join("; ", problems));
            }
            progress.report("health", 95, "all " + members.size() + " bundles of " + name + " " + version + " are healthy");
            journal.clear();
            history.recordFeature(name, new UpgradeHistory.Previous(from, null), symbolicNames(members));
            return new Result(from == null ? BundleDeployer.Outcome.INSTALLED : BundleDeployer.Outcome.UPGRADED, name, from,
                    version, "", refreshed);
        } catch (Exception e) {
            String reason = (e instanceof BundleDeployer.HealthException ? "health check failed: " : "") + BundleDeployer.describe(e);
            progress.report("rollback", -1, "feature " + name + " " + version + " failed (" + reason + "); restoring "
                    + (from == null ? "the state without it" : from));
            try {
                restore(name, from, version, progress);
                journal.clear();
                return new Result(BundleDeployer.Outcome.ROLLED_BACK, name, from, version, reason, refreshed);
            } catch (Exception r) {
                progress.report("rollback", -1, "rollback of feature " + name + " failed: " + BundleDeployer.describe(r));
                return new Result(BundleDeployer.Outcome.ROLLBACK_FAILED, name, from, version,
                        reason + "; rollback failed too: " + BundleDeployer.describe(r), refreshed);
            }
        }
    }

    Optional<String> recover(UpgradeJournal.Entry e, RequestProgress progress) throws Exception {
        restore(e.name(), e.fromVersion(), e.toVersion(), progress);
        journal.clear();
        return Optional.of("interrupted " + e.describe() + " (request " + e.requestId() + ") was not confirmed healthy: restored "
                + (e.fromVersion() == null ? "the state without it" : e.fromVersion()));
    }

    private void restore(String name, String from, String to, RequestProgress progress) throws Exception {
        if (from != null) {
            ops.install(name, from);
            progress.report("rollback", -1, "feature " + name + " " + from + " installed again");
        } else if (to != null && ops.installedVersion(name).isPresent()) {
            ops.uninstall(name, to);
            progress.report("rollback", -1, "feature " + name + " " + to + " removed again");
        }
    }

    private static Set<String> symbolicNames(List<Bundle> bundles) {
        Set<String> out = new HashSet<>();
        for (Bundle b : bundles) {
            if (b.getSymbolicName() != null) {
                out.add(b.getSymbolicName());
            }
        }
        return out;
    }

    private List<Bundle> bundlesOf(String name, String version) throws Exception {
        List<Bundle> out = new ArrayList<>();
        for (String location : ops.bundleLocations(name, version)) {
            Bundle b = context.getBundle(location);
            if (b != null) {
                out.add(b);
            }
        }
        return out;
    }
}
