package org.fusebox.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudRequestHandler;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.api.cloud.RequestProgress;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.security.AuthorisedRequest;
import org.fusebox.api.security.OperatorRequestVerifier;
import org.fusebox.api.security.Refusal;
import org.fusebox.api.security.RequestRefusedException;
import org.fusebox.management.crypto.TrustedKeys;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code DEPLOY-V1} application: lists bundles and features, and installs, upgrades, removes and rolls back
 * one bundle or one feature at a time from signed artifacts. Also the {@code management} health indicator.
 */
@Component(service = { CloudRequestHandler.class, HealthIndicator.class }, configurationPid = DeployHandler.PID,
        immediate = true)
@Designate(ocd = ManagementConfig.class)
public final class DeployHandler implements CloudRequestHandler, HealthIndicator {

    static final String PID = "fusebox.management";
    static final String APP = "DEPLOY-V1";
    private static final Logger LOG = LoggerFactory.getLogger(DeployHandler.class);
    private static final Pattern FEATURE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the last change did, for health. */
    private record LastOutcome(HealthStatus status, String text) {
    }

    /** A bundle this service put in place that is now another version (found null: no longer installed). */
    private record Revert(String symbolicName, String expected, String found, String requestId) {

        String text() {
            return symbolicName + ": " + expected + " put there by request " + requestId + " was "
                    + (found == null ? "removed (a feature operation?); send the install again"
                            : "replaced by " + found + " (a feature operation?); send the upgrade again");
        }
    }

    private final Clock clock;
    private final Object lock = new Object();
    private final FeatureOps featureOps;
    private final RecentErrors errors;
    private final OperatorRequestVerifier verifier;
    private volatile EventAdmin eventAdmin;

    private BundleContext context;
    private ManagementSettings settings;
    private volatile String configError;
    private volatile TrustedKeys keys;
    private volatile LastOutcome last;
    private ExecutorService recoveryThread;
    private Future<?> recovery = CompletableFuture.completedFuture(null);
    /** Bundles put in place by this service and found changed behind its back, by symbolic name. */
    private volatile Map<String, Revert> reverted = Map.of();
    /** Coalesces the bundle events of a burst (a feature operation) into one check. */
    private final AtomicBoolean revertCheckQueued = new AtomicBoolean();
    private final BundleListener revertListener = this::bundleChanged;

    @Activate
    public DeployHandler(@Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            FeatureOps featureOps, @Reference RecentErrors errors, @Reference OperatorRequestVerifier verifier) {
        this(featureOps, errors, verifier, Clock.systemUTC());
    }

    DeployHandler(FeatureOps featureOps, RecentErrors errors, OperatorRequestVerifier verifier, Clock clock) {
        this.featureOps = featureOps;
        this.errors = errors;
        this.verifier = verifier;
        this.clock = clock;
    }

    @Activate
    void activate(BundleContext bc, ManagementConfig config) {
        this.context = bc;
        configure(config);
        recoveryThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "fusebox-management-recovery"));
        // a recovery may wait for health for a minute: not on the DS thread
        recovery = recoveryThread.submit(this::recoverInterrupted);
        bc.addBundleListener(revertListener);
        // a revert may have happened while this component was not running
        checkReverts();
    }

    @Modified
    void configure(ManagementConfig config) {
        synchronized (lock) {
            try {
                settings = ManagementSettings.from(config, System.getProperty("karaf.base"), System.getProperty("karaf.etc"),
                        System.getProperty("karaf.data"));
                configError = null;
            } catch (IllegalArgumentException e) {
                String kept = settings == null ? "defaults in force" : "previous configuration stays in force";
                configError = "configuration " + PID + " refused, " + kept + ": " + e.getMessage();
                LOG.error(configError);
                post(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, PID, FuseboxEvents.REASON, e.getMessage()));
                if (settings == null) {
                    settings = ManagementSettings.from(Defaults.INSTANCE, System.getProperty("karaf.base"),
                            System.getProperty("karaf.etc"), System.getProperty("karaf.data"));
                }
            }
            keys = TrustedKeys.load(settings.trustedKeys());
            LOG.info("trusted keys from {}: {}{}", settings.trustedKeys(), keys.keyIds(),
                    keys.problems().isEmpty() ? "" : " (problems: " + keys.problems() + ")");
        }
    }

    @Deactivate
    void deactivate() {
        try {
            context.removeBundleListener(revertListener);
        } catch (IllegalStateException e) {
            // the bundle is stopping: its listeners go with it
        }
        if (recoveryThread != null) {
            recoveryThread.shutdownNow();
        }
    }

    /** Completes once the activation's crash recovery has run; for tests. */
    Future<?> recovery() {
        return recovery;
    }

    /**
     * Queues a comparison of the bundles this service put in place with what is installed now. It runs on the
     * recovery thread and under the operation lock, so an operation of this service is never judged half-way:
     * it is compared with what that operation recorded once it is done. @return completes when the check has run
     */
    Future<?> checkReverts() {
        revertCheckQueued.set(true);
        try {
            return recoveryThread.submit(() -> {
                if (revertCheckQueued.getAndSet(false)) {
                    synchronized (lock) {
                        compareWithPlaced();
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // deactivated
            return CompletableFuture.completedFuture(null);
        }
    }

    private void bundleChanged(BundleEvent event) {
        int type = event.getType();
        if ((type == BundleEvent.UPDATED || type == BundleEvent.UNINSTALLED || type == BundleEvent.INSTALLED)
                && !revertCheckQueued.get()) {
            checkReverts();
        }
    }

    /** Caller holds {@code lock}. Reports each newly found revert once; forgets those that are resolved. */
    private void compareWithPlaced() {
        Map<String, Revert> now = new TreeMap<>();
        try {
            for (Map.Entry<String, UpgradeHistory.Placed> e : history().placed().entrySet()) {
                String bsn = e.getKey();
                UpgradeHistory.Placed placed = e.getValue();
                Optional<Bundle> current = BundleDeployer.find(context, bsn);
                if (current.isPresent() && current.get().getVersion().equals(Version.parseVersion(placed.version()))) {
                    continue;
                }
                Revert r = new Revert(bsn, placed.version(), current.map(b -> b.getVersion().toString()).orElse(null),
                        placed.requestId());
                now.put(bsn, r);
                if (!r.equals(reverted.get(bsn))) {
                    reportRevert(r);
                }
            }
        } catch (IOException | RuntimeException e) {
            // IllegalStateException: this bundle is stopping; a bad history file is worth a log, not a revert
            LOG.warn("cannot compare the bundles put in place with the installed ones: {}", BundleDeployer.describe(e));
            return;
        }
        reverted = Map.copyOf(now);
    }

    private void reportRevert(Revert r) {
        LOG.warn("bundle {} was changed behind this service's back: expected {} (request {}), found {}. {}", r.symbolicName(),
                r.expected(), r.requestId(), r.found() == null ? "none (uninstalled)" : r.found(), r.text());
        Map<String, Object> props = new HashMap<>();
        props.put(ManagementEvents.KIND, BundleDeployer.KIND);
        props.put(ManagementEvents.NAME, r.symbolicName());
        props.put(ManagementEvents.EXPECTED, r.expected());
        props.put(ManagementEvents.FOUND, r.found() == null ? "" : r.found());
        props.put(ManagementEvents.REQUEST_ID, r.requestId());
        props.put(FuseboxEvents.REASON, r.text());
        if (eventAdmin != null) {
            // reaches STATUS-V1's errors through RecentErrors' fusebox/management/* subscription
            post(ManagementEvents.REVERTED, props);
        } else {
            errors.record(APP + " revert", r.text());
        }
    }

    @Override
    public String app() {
        return APP;
    }

    @Override
    public CloudResponse handle(CloudRequest request, RequestProgress progress) throws Exception {
        Steps steps = new Steps(progress);
        String method = request.method().toUpperCase(Locale.ROOT);
        String resource = request.resource();
        synchronized (lock) {
            try {
                JsonNode body = parse(request.body());
                if (method.equals("GET") && resource.equals("bundles")) {
                    ObjectNode out = JSON.createObjectNode();
                    out.set("bundles", BundleListing.bundles(context, body.path("all").asBoolean(false)));
                    return ok(out);
                }
                if (method.equals("GET") && resource.equals("features")) {
                    return ok(listFeatures());
                }
                if (method.equals("EXEC")) {
                    switch (resource) {
                        case "install", "upgrade", "uninstall", "rollback" -> {
                            // every change is an operator's signed decision; nothing is looked at before
                            AuthorisedRequest signed = verifier.verify(request);
                            steps.report("authorise", 0, "signed by operator key " + signed.keyId()
                                    + (signed.safetyOverride() ? ", with a safety override" : ""));
                            return exec(resource, parse(signed.body()), request.requestId(), signed.safetyOverride(), steps);
                        }
                        default -> {
                        }
                    }
                }
                return CloudResponse.error(404, "DEPLOY-V1 has no " + method + " " + resource
                        + " (GET bundles|features, EXEC install|upgrade|uninstall|rollback)");
            } catch (RequestRefusedException e) {
                return notAuthorised(method + " " + resource, resource, e, request.requestId(), steps);
            } catch (OperationException e) {
                String what = method + " " + resource;
                steps.report("refused", -1, e.getMessage());
                if (e.status() >= 400) {
                    errors.record(APP + " " + what, e.getMessage());
                    post(ManagementEvents.REFUSED, Map.of(FuseboxEvents.REASON, e.getMessage(),
                            ManagementEvents.REQUEST_ID, request.requestId()));
                }
                ObjectNode out = JSON.createObjectNode();
                out.put("operation", resource);
                out.put("outcome", "REFUSED");
                out.put("reason", e.getMessage());
                out.set("steps", steps.json());
                return new CloudResponse(e.status(), JSON.writeValueAsBytes(out), e.getMessage());
            }
        }
    }

    /** A refused authorisation: the code and reason go back, recorded like any refusal, and nothing was looked at. */
    private CloudResponse notAuthorised(String what, String op, RequestRefusedException e, String requestId, Steps steps)
            throws IOException {
        String reason = e.refusal() + ": " + e.getMessage();
        steps.report("refused", -1, reason);
        errors.record(APP + " " + what, reason);
        post(ManagementEvents.REFUSED, Map.of(FuseboxEvents.REASON, reason, ManagementEvents.REQUEST_ID, requestId));
        ObjectNode out = JSON.createObjectNode();
        out.put("operation", op);
        out.put("outcome", "REFUSED");
        out.put("code", e.refusal().name());
        out.put("reason", e.getMessage());
        out.set("steps", steps.json());
        return new CloudResponse(e.refusal().status(), JSON.writeValueAsBytes(out), reason);
    }

    /** Removing a safety-critical bundle or feature remotely needs the operator's explicit, signed override. */
    private static void requireOverride(boolean override, Set<String> critical, String kind, String name, String what)
            throws RequestRefusedException {
        if (critical.contains(name) && !override) {
            throw new RequestRefusedException(Refusal.SAFETY_OVERRIDE_REQUIRED, what + " " + kind + " " + name
                    + " is safety-critical (the SafetyGuard and fuse protection depend on it): sign the request with "
                    + "\"safetyOverride\": true to do it anyway");
        }
    }

    private CloudResponse exec(String op, JsonNode body, String requestId, boolean override, Steps steps) throws Exception {
        boolean isBundle = body.hasNonNull("symbolicName");
        boolean isFeature = body.hasNonNull("feature");
        if (isBundle == isFeature) {
            throw OperationException.invalid("the body must name either symbolicName (a bundle) or feature, not "
                    + (isBundle ? "both" : "neither"));
        }
        try {
            return isBundle ? execBundle(op, body, requestId, override, steps) : execFeature(op, body, requestId, override, steps);
        } finally {
            // at once, not after the queued event: health and STATUS-V1 are current when the response goes out
            compareWithPlaced();
        }
    }

    private CloudResponse execBundle(String op, JsonNode body, String requestId, boolean override, Steps steps) throws Exception {
        String bsn = body.path("symbolicName").asText().trim();
        if (bsn.isEmpty() || bsn.contains(";")) {
            throw OperationException.invalid("symbolicName '" + bsn + "' is not a bundle symbolic name");
        }
        if (bsn.equals(context.getBundle().getSymbolicName()) || bsn.equals(context.getBundle(0).getSymbolicName())
                || bsn.equals("system.bundle")) {
            throw new OperationException(409, bsn + " cannot be changed by this service itself (upgrade its feature instead)");
        }
        BundleDeployer deployer = bundleDeployer();
        Optional<Bundle> existing = deployer.find(bsn);
        BundleDeployer.Result r;
        switch (op) {
            case "install", "upgrade" -> {
                List<String> problems = new ArrayList<>();
                Version version = null;
                try {
                    version = Version.parseVersion(body.path("version").asText(""));
                    if (version.equals(Version.emptyVersion)) {
                        problems.add("version is required");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add("version '" + body.path("version").asText() + "' is not an OSGi version");
                }
                SignedArtifact art = SignedArtifact.from(text(body, "url"), text(body, "sha256"), text(body, "signature"),
                        text(body, "keyId"), problems);
                if (!problems.isEmpty()) {
                    throw OperationException.invalid(String.join("; ", problems));
                }
                steps.report("validate", 0, op + " " + bsn + " " + version + " from " + art.url());
                if (op.equals("install") && existing.isPresent()) {
                    throw new OperationException(409, bsn + " " + existing.get().getVersion() + " is already installed: use upgrade");
                }
                if (op.equals("upgrade") && existing.isEmpty()) {
                    throw new OperationException(404, bsn + " is not installed: use install");
                }
                if (op.equals("upgrade") && version.equals(existing.get().getVersion())) {
                    // nothing to do, and re-installing the same version would restart the bundle for nothing
                    throw new OperationException(409, bsn + " " + version + " is already installed");
                }
                if (existing.isPresent() && version.compareTo(existing.get().getVersion()) < 0 && !settings.allowDowngrade()
                        && !body.path("allowDowngrade").asBoolean(false)) {
                    throw new OperationException(409, bsn + " " + version + " is older than the installed "
                            + existing.get().getVersion() + ": a downgrade needs allowDowngrade");
                }
                Path jar = fetchAndVerify(art, steps);
                ArtifactVerifier.verifyBundle(jar, bsn, version, steps);
                r = deployer.apply(bsn, jar, version.toString(), requestId, true, steps);
                if (r.outcome() == BundleDeployer.Outcome.UPGRADED) {
                    keepThroughFeatureOperations(bsn, existing.get().getLocation(), version.toString(), jar, steps);
                }
            }
            case "uninstall" -> {
                if (existing.isEmpty()) {
                    throw new OperationException(404, bsn + " is not installed");
                }
                requireOverride(override, settings.safetyCriticalBundles(), "bundle", bsn, "uninstalling");
                steps.report("validate", 0, "uninstall " + bsn + " " + existing.get().getVersion());
                // a pin stays: the bundle's feature still wants it, and Karaf installs it again (the pinned version) at
                // its next feature operation, which this service reports; uninstall the feature to remove it for good
                r = deployer.apply(bsn, null, null, requestId, false, steps);
            }
            default -> {
                UpgradeHistory.Previous prev = history().previous(BundleDeployer.KIND, bsn)
                        .orElseThrow(() -> new OperationException(404, "no earlier version of " + bsn + " was kept by this service"));
                steps.report("validate", 0, "rollback " + bsn + " to " + (prev.version() == null ? "not installed" : prev.version()));
                if (prev.jar() == null) {
                    if (existing.isEmpty()) {
                        throw new OperationException(409, bsn + " is already not installed");
                    }
                    requireOverride(override, settings.safetyCriticalBundles(), "bundle", bsn, "rolling back (uninstalling)");
                    r = deployer.apply(bsn, null, null, requestId, false, steps);
                } else {
                    if (!Files.isRegularFile(prev.jar())) {
                        throw new OperationException(409, "the kept copy " + prev.jar() + " of " + bsn + " is gone");
                    }
                    // our own earlier copy: trusted, but it must still be what it claims to be
                    ArtifactVerifier.verifyBundle(prev.jar(), bsn, Version.parseVersion(prev.version()), steps);
                    r = deployer.apply(bsn, prev.jar(), prev.version(), requestId, false, steps);
                    if (r.outcome() == BundleDeployer.Outcome.UPGRADED && existing.isPresent()) {
                        keepThroughFeatureOperations(bsn, existing.get().getLocation(), prev.version(), prev.jar(), steps);
                    }
                }
            }
        }
        return respond(op, "bundle", bsn, r.outcome(), r.fromVersion(), r.toVersion(), r.reason(), r.refreshed(), requestId, steps);
    }

    /**
     * After a confirmed upgrade or rollback of a bundle Karaf's features installed (a {@code mvn:} location): pins the
     * version now in place through Karaf's bundle overrides, or removes the pin when the bundle is back at (or below)
     * its feature's own version, then lets Karaf apply its overrides. Without that, the next feature operation of any
     * feature would put the feature's version back (see {@link KarafOverrides}). A failure here does not undo the
     * change: it is reported, and the bundle is then watched as before (REVERTED).
     */
    private void keepThroughFeatureOperations(String bsn, String location, String version, Path jar, Steps steps) {
        FeatureOps ops = featureOps;
        Optional<KarafOverrides> overrides = KarafOverrides.ofKaraf();
        Optional<KarafOverrides.Coordinates> c = KarafOverrides.coordinates(location);
        if (ops == null || overrides.isEmpty() || c.isEmpty()) {
            return;
        }
        try {
            boolean abovePackaged = Version.parseVersion(version).compareTo(c.get().version()) > 0;
            String what;
            if (abovePackaged) {
                overrides.get().pin(bsn, c.get(), version, jar);
                what = bsn + " " + version + " kept through feature operations and restarts (Karaf bundle override of "
                        + c.get().group() + "/" + c.get().artifact() + ")";
            } else if (overrides.get().unpin(bsn)) {
                what = "bundle override of " + bsn + " removed: its feature's own version applies again";
            } else {
                return;
            }
            ops.refreshOverrides();
            steps.report("pin", 98, what);
            LOG.info(what);
        } catch (Exception e) {
            String reason = "could not pin " + bsn + " " + version + " through Karaf's overrides (the next feature operation may "
                    + "put the feature's version back): " + BundleDeployer.describe(e);
            LOG.warn(reason, e);
            errors.record(APP + " pin", reason);
            steps.report("pin", 98, reason);
        }
    }

    private CloudResponse execFeature(String op, JsonNode body, String requestId, boolean override, Steps steps) throws Exception {
        FeatureOps ops = featureOps;
        if (ops == null) {
            throw new OperationException(503, "Karaf's FeaturesService is not available here");
        }
        String name = body.path("feature").asText().trim();
        String version = text(body, "version");
        List<String> problems = new ArrayList<>();
        if (!FEATURE_NAME.matcher(name).matches()) {
            problems.add("feature '" + name + "' is not a feature name");
        }
        SignedArtifact repo = null;
        if (op.equals("install") || op.equals("upgrade")) {
            if (version == null || version.isBlank()) {
                problems.add("version is required");
            }
            JsonNode r = body.path("repository");
            if (!r.isMissingNode() && !r.isNull()) {
                repo = SignedArtifact.from(text(r, "url"), text(r, "sha256"), text(r, "signature"), text(r, "keyId"), problems);
            }
        }
        if (!problems.isEmpty()) {
            throw OperationException.invalid(String.join("; ", problems));
        }
        FeatureDeployer deployer = new FeatureDeployer(context, ops, bundleDeployer(), journal(), history(),
                settings.healthTimeout(), clock);
        Optional<String> installed = ops.installedVersion(name);
        FeatureDeployer.Result r;
        switch (op) {
            case "install", "upgrade" -> {
                steps.report("validate", 0, op + " feature " + name + " " + version);
                if (op.equals("install") && installed.isPresent()) {
                    throw new OperationException(409, "feature " + name + " " + installed.get() + " is already installed: use upgrade");
                }
                if (op.equals("upgrade") && installed.isEmpty()) {
                    throw new OperationException(404, "feature " + name + " is not installed: use install");
                }
                if (repo != null) {
                    Path xml = fetchAndVerify(repo, steps);
                    Path kept = settings.staging().resolve("repositories").resolve(repo.sha256() + ".xml");
                    Files.createDirectories(kept.getParent());
                    Files.copy(xml, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    ops.addRepository(kept.toUri());
                    steps.report("repository", 68, "features repository " + kept.getFileName() + " added");
                }
                if (!ops.exists(name, version)) {
                    throw new OperationException(404, "no feature " + name + " " + version + " in the known repositories"
                            + (repo == null ? " (a signed repository may be given)" : ""));
                }
                r = deployer.apply(name, version, requestId, steps);
            }
            case "uninstall" -> {
                if (installed.isEmpty()) {
                    throw new OperationException(404, "feature " + name + " is not installed");
                }
                requireOverride(override, settings.safetyCriticalFeatures(), "feature", name, "uninstalling");
                r = deployer.apply(name, null, requestId, steps);
            }
            default -> {
                UpgradeHistory.Previous prev = history().previous(FeatureDeployer.KIND, name)
                        .orElseThrow(() -> new OperationException(404, "no earlier version of feature " + name + " is known"));
                if (prev.version() == null) {
                    requireOverride(override, settings.safetyCriticalFeatures(), "feature", name, "rolling back (uninstalling)");
                }
                steps.report("validate", 0, "rollback feature " + name + " to " + (prev.version() == null ? "not installed" : prev.version()));
                r = deployer.apply(name, prev.version(), requestId, steps);
            }
        }
        return respond(op, "feature", name, r.outcome(), r.fromVersion(), r.toVersion(), r.reason(), r.refreshed(), requestId, steps);
    }

    /** Refuses an untrusted key before downloading, then downloads and checks hash and signature. */
    private Path fetchAndVerify(SignedArtifact art, Steps steps) throws Exception {
        keys = TrustedKeys.load(settings.trustedKeys());
        PublicKey key = ArtifactVerifier.trustedKey(keys, art.keyId());
        ArtifactDownloader dl = downloader();
        Path file;
        try {
            file = dl.download(art.url(), art.sha256(), steps, 5, 50);
        } catch (ArtifactDownloader.FatalDownloadException e) {
            throw OperationException.invalid("download refused: " + e.getMessage());
        } catch (IOException e) {
            throw new OperationException(500, "download failed: " + e.getMessage(), e);
        }
        try {
            ArtifactVerifier.verifyHashAndSignature(file, art, key, steps);
        } catch (OperationException e) {
            // bad bytes must not be resumed or reused by the next request
            dl.discard(art.sha256());
            throw e;
        }
        return file;
    }

    private CloudResponse respond(String op, String kind, String name, BundleDeployer.Outcome outcome, String from, String to,
            String reason, List<String> refreshed, String requestId, Steps steps) throws IOException {
        Map<String, Object> props = new HashMap<>();
        props.put(ManagementEvents.KIND, kind);
        props.put(ManagementEvents.NAME, name);
        props.put(ManagementEvents.REQUEST_ID, requestId);
        if (from != null) {
            props.put(ManagementEvents.FROM, from);
        }
        if (to != null) {
            props.put(ManagementEvents.TO, to);
        }
        String summary = op + " " + kind + " " + name + " " + (from == null ? "(none)" : from) + " -> " + (to == null ? "(none)" : to);
        switch (outcome) {
            case INSTALLED, UPGRADED, UNINSTALLED -> {
                last = new LastOutcome(HealthStatus.UP, summary + ": " + outcome);
                post(ManagementEvents.UPGRADED, props);
                steps.report("done", 100, summary + ": " + outcome);
            }
            case ROLLED_BACK -> {
                last = new LastOutcome(HealthStatus.DEGRADED, summary + " failed and was rolled back: " + reason);
                props.put(FuseboxEvents.REASON, reason);
                post(ManagementEvents.ROLLED_BACK, props);
                errors.record(APP + " " + op, summary + " rolled back: " + reason);
                steps.report("done", 100, summary + ": rolled back");
            }
            default -> {
                last = new LastOutcome(HealthStatus.DOWN, summary + " failed and could not be rolled back: " + reason);
                props.put(FuseboxEvents.REASON, reason);
                post(ManagementEvents.ROLLBACK_FAILED, props);
                errors.record(APP + " " + op, summary + " ROLLBACK FAILED: " + reason);
                steps.report("done", 100, summary + ": rollback failed");
            }
        }
        LOG.info("{} {}: {}{}", requestId, summary, outcome, reason.isEmpty() ? "" : " (" + reason + ")");
        ObjectNode out = JSON.createObjectNode();
        out.put("operation", op);
        out.put("kind", kind);
        out.put("name", name);
        out.put("outcome", outcome.name());
        out.put("fromVersion", from);
        out.put("toVersion", to);
        out.put("reason", reason);
        ArrayNode ref = out.putArray("refreshed");
        refreshed.forEach(ref::add);
        out.set("steps", steps.json());
        boolean ok = outcome == BundleDeployer.Outcome.INSTALLED || outcome == BundleDeployer.Outcome.UPGRADED
                || outcome == BundleDeployer.Outcome.UNINSTALLED;
        return new CloudResponse(ok ? 200 : 500, JSON.writeValueAsBytes(out), ok ? "" : reason);
    }

    private ObjectNode listFeatures() throws Exception {
        FeatureOps ops = featureOps;
        if (ops == null) {
            throw new OperationException(503, "Karaf's FeaturesService is not available here");
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode arr = out.putArray("features");
        for (FeatureOps.FeatureInfo f : ops.fuseboxFeatures()) {
            ObjectNode n = arr.addObject();
            n.put("name", f.name());
            n.put("version", f.version());
            n.put("installed", f.installed());
            n.put("state", f.state());
        }
        return out;
    }

    private void recoverInterrupted() {
        synchronized (lock) {
            UpgradeJournal journal = journal();
            Optional<UpgradeJournal.Entry> entry;
            try {
                entry = journal.read();
            } catch (IOException e) {
                last = new LastOutcome(HealthStatus.DOWN, "cannot read the upgrade journal: " + e.getMessage());
                LOG.error(last.text());
                return;
            }
            if (entry.isEmpty()) {
                return;
            }
            UpgradeJournal.Entry e = entry.get();
            RequestProgress log = (step, pct, msg) -> LOG.warn("recovery {}: {}", step, msg);
            try {
                Optional<String> done;
                if (e.kind().equals(FeatureDeployer.KIND)) {
                    if (featureOps == null) {
                        last = new LastOutcome(HealthStatus.DEGRADED, "interrupted " + e.describe()
                                + " waits for Karaf's FeaturesService to be restored");
                        LOG.warn(last.text());
                        return;
                    }
                    done = new FeatureDeployer(context, featureOps, bundleDeployer(), journal, history(), settings.healthTimeout(),
                            clock).recover(e, log);
                } else {
                    done = bundleDeployer().recover(e, log);
                }
                last = new LastOutcome(HealthStatus.DEGRADED, done.orElse(""));
                LOG.warn(last.text());
                errors.record(APP + " recovery", last.text());
                post(ManagementEvents.RECOVERED, Map.of(ManagementEvents.KIND, e.kind(), ManagementEvents.NAME, e.name(),
                        FuseboxEvents.REASON, last.text(), ManagementEvents.REQUEST_ID, e.requestId()));
            } catch (Exception ex) {
                last = new LastOutcome(HealthStatus.DOWN, "could not restore after interrupted " + e.describe() + ": "
                        + BundleDeployer.describe(ex));
                LOG.error(last.text(), ex);
                errors.record(APP + " recovery", last.text());
                post(ManagementEvents.ROLLBACK_FAILED, Map.of(ManagementEvents.KIND, e.kind(), ManagementEvents.NAME, e.name(),
                        FuseboxEvents.REASON, last.text()));
            }
        }
    }

    @Override
    public String name() {
        return "management";
    }

    @Override
    public Health health() {
        HealthStatus status = HealthStatus.UP;
        List<String> details = new ArrayList<>();
        TrustedKeys k = keys;
        if (k != null && k.keyIds().isEmpty()) {
            status = status.worst(HealthStatus.DEGRADED);
            details.add("no trusted keys in " + k.directory() + ": every install and upgrade will be refused");
        }
        if (k != null) {
            for (String p : k.problems()) {
                if (!k.keyIds().isEmpty() || !p.contains("does not exist")) {
                    status = status.worst(HealthStatus.DEGRADED);
                    details.add("trusted key " + p);
                }
            }
        }
        if (configError != null) {
            status = status.worst(HealthStatus.DEGRADED);
            details.add(configError);
        }
        LastOutcome l = last;
        if (l != null && l.status() != HealthStatus.UP) {
            status = status.worst(l.status());
            details.add(l.text());
        }
        for (Revert r : reverted.values()) {
            status = status.worst(HealthStatus.DEGRADED);
            details.add(r.text());
        }
        return new Health(status, status == HealthStatus.UP ? List.of() : details);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin ea) {
        eventAdmin = ea;
    }

    void unsetEventAdmin(EventAdmin ea) {
        if (eventAdmin == ea) {
            eventAdmin = null;
        }
    }

    private void post(String topic, Map<String, ?> props) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(topic, props));
        }
    }

    private UpgradeJournal journal() {
        return new UpgradeJournal(settings.staging().resolve("journal.properties"));
    }

    private UpgradeHistory history() {
        return new UpgradeHistory(settings.staging().resolve("history.properties"));
    }

    private BundleDeployer bundleDeployer() {
        return new BundleDeployer(context, settings.staging(), journal(), history(), settings.healthTimeout(),
                settings.refreshTimeout(), clock);
    }

    private ArtifactDownloader downloader() {
        return new ArtifactDownloader(settings.staging().resolve("downloads"), settings.downloadAttempts(), settings.retryDelay(),
                settings.connectTimeout(), settings.readTimeout(), settings.maxArtifactBytes());
    }

    private static JsonNode parse(byte[] body) throws OperationException {
        if (body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            if (n == null || n.isMissingNode()) {
                return JSON.createObjectNode();
            }
            if (!n.isObject()) {
                throw OperationException.invalid("the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw OperationException.invalid("the body is not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static CloudResponse ok(ObjectNode out) throws IOException {
        return new CloudResponse(200, JSON.writeValueAsBytes(out), "");
    }

    /** Forwards progress and keeps every step for the response body. */
    private static final class Steps implements RequestProgress {
        private final RequestProgress target;
        private final ArrayNode json = JSON.createArrayNode();

        Steps(RequestProgress target) {
            this.target = target;
        }

        @Override
        public void report(String step, int percent, String message) {
            ObjectNode n = json.addObject();
            n.put("step", step);
            n.put("percent", percent);
            n.put("message", message);
            try {
                target.report(step, percent, message);
            } catch (RuntimeException e) {
                LOG.warn("progress for step {} not delivered: {}", step, e.toString());
            }
        }

        ArrayNode json() {
            return json;
        }
    }

    static ManagementConfig defaults() {
        return Defaults.INSTANCE;
    }

    /** The configuration defaults, used when the very first configuration is refused. */
    @SuppressWarnings("all")
    private static final class Defaults implements ManagementConfig {
        static final Defaults INSTANCE = new Defaults();

        @Override public String trustedKeysDirectory() { return ""; }
        @Override public String stagingDirectory() { return ""; }
        @Override public int healthTimeoutSeconds() { return 60; }
        @Override public int refreshTimeoutSeconds() { return 60; }
        @Override public int downloadAttempts() { return 3; }
        @Override public int retryDelaySeconds() { return 2; }
        @Override public int connectTimeoutSeconds() { return 15; }
        @Override public int readTimeoutSeconds() { return 60; }
        @Override public int maxArtifactMegabytes() { return 128; }
        @Override public boolean allowDowngrade() { return false; }
        @Override public String operatorKeysDirectory() { return ""; }
        @Override public String gatewayId() { return ""; }
        @Override public int maxRequestValiditySeconds() { return 900; }
        @Override public int clockSkewSeconds() { return 60; }
        @Override public String[] safetyCriticalBundles() { return new String[] { "fusebox-core", "fusebox-api" }; }
        @Override public String[] safetyCriticalFeatures() { return new String[] { "fusebox-core", "fusebox-api", "fusebox-demo" }; }
        @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return ManagementConfig.class; }
    }
}
