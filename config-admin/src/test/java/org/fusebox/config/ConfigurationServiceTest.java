package org.fusebox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.fusebox.config.api.ChangeOutcome;
import org.fusebox.config.api.ChangeOutcome.Status;
import org.fusebox.config.api.ConfigurationChange;
import org.fusebox.config.api.ConfigurationRecord;
import org.fusebox.config.api.ConfigurationService;
import org.fusebox.config.api.SnapshotInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration service over a real Felix Config Admin and Felix Metatype. */
class ConfigurationServiceTest {

    private static OsgiRuntime osgi;

    @TempDir
    Path snapshots;

    private OsgiRuntime.FailingWrites writes;
    private SnapshotStore store;
    private ConfigurationEngine service;

    @BeforeAll
    static void startFramework() throws Exception {
        osgi = new OsgiRuntime();
    }

    @AfterAll
    static void stopFramework() throws Exception {
        osgi.close();
    }

    @BeforeEach
    void freshSite() throws Exception {
        osgi.clear();
        osgi.put(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 63.0, "mode", "fast", "apiToken", "tok-123", "adminPin", "4711"));
        osgi.put(OsgiRuntime.DEVICE_FACTORY + "~meter", Map.of("host", "10.0.0.5", "port", 502, "enabled", true));
        osgi.put(OsgiRuntime.FREE, Map.of("label", "north", "password", "hunter2"));
        writes = osgi.failingWrites();
        store = new SnapshotStore(snapshots, 5, Clock.systemUTC());
        service = new ConfigurationEngine(writes.configAdmin, osgi.metatypes()::load, new SecretPolicy(SecretPolicy.DEFAULT_WORDS), store);
    }

    private static Object raw(String pid, String key) throws Exception {
        Dictionary<String, Object> d = osgi.configAdmin().getConfiguration(pid, null).getProperties();
        return d == null ? null : d.get(key);
    }

    @Test
    void aSetWithOneInvalidChangeAppliesNothingAndNamesEveryReason() throws Exception {
        var before = osgi.state();

        ChangeOutcome outcome = service.apply(List.of(
                ConfigurationChange.set(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 80.0, "mode", "slow")),
                ConfigurationChange.set(OsgiRuntime.DEVICE_FACTORY + "~meter", Map.of("host", "10.0.0.6", "port", 70000, "prot", 1)),
                ConfigurationChange.set(OsgiRuntime.LIMITS + "x", Map.of()),
                ConfigurationChange.set("other.pid", Map.of("a", "b"))));

        assertThat(outcome.status()).isEqualTo(Status.REFUSED);
        assertThat(outcome.problems()).hasSize(3);
        assertThat(outcome.problems()).anySatisfy(p -> assertThat(p).startsWith("fusebox.test.device~meter: port=70000 is invalid"));
        assertThat(outcome.problems()).anySatisfy(p -> assertThat(p).startsWith("fusebox.test.device~meter: unknown key 'prot'"));
        assertThat(outcome.problems()).anySatisfy(p -> assertThat(p).startsWith("other.pid: only fusebox.* configurations"));
        assertThat(outcome.notes()).anySatisfy(n -> assertThat(n).startsWith("fusebox.test.limitsx: no installed bundle defines its Metatype"));
        assertThat(outcome.changed()).isEmpty();
        assertThat(outcome.snapshotId()).isNull();
        assertThat(OsgiRuntime.sameState(osgi.state(), before)).isTrue();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void validateChecksLikeApplyButChangesNothing() throws Exception {
        var before = osgi.state();
        ChangeOutcome valid = service.validate(List.of(ConfigurationChange.set(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 80.0))));
        ChangeOutcome invalid = service.validate(List.of(ConfigurationChange.set(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 0.5, "mode", "turbo"))));

        assertThat(valid.status()).isEqualTo(Status.VALID);
        assertThat(invalid.status()).isEqualTo(Status.REFUSED);
        assertThat(invalid.problems()).hasSize(2);
        assertThat(OsgiRuntime.sameState(osgi.state(), before)).isTrue();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void aValidSetIsAppliedWholeWithASnapshotFirst() throws Exception {
        var before = osgi.state();
        ChangeOutcome outcome = service.apply(List.of(
                ConfigurationChange.set(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 80.0, "mode", "slow", "phases", new int[] { 1, 2, 3 })),
                ConfigurationChange.set(OsgiRuntime.DEVICE_FACTORY + "~pv", Map.of("host", "10.0.0.9", "port", 1502)),
                ConfigurationChange.delete(OsgiRuntime.FREE)));

        assertThat(outcome.status()).isEqualTo(Status.APPLIED);
        assertThat(outcome.changed()).containsExactly(OsgiRuntime.LIMITS, OsgiRuntime.DEVICE_FACTORY + "~pv", OsgiRuntime.FREE);
        var after = osgi.state();
        assertThat(after.get(OsgiRuntime.LIMITS)).containsEntry("fuseLimitAmps", 80.0).containsEntry("mode", "slow").doesNotContainKey("apiToken");
        assertThat((int[]) after.get(OsgiRuntime.LIMITS).get("phases")).containsExactly(1, 2, 3);
        assertThat(osgi.configAdmin().listConfigurations("(service.pid=fusebox.test.device~pv)")[0].getFactoryPid())
                .isEqualTo(OsgiRuntime.DEVICE_FACTORY);
        assertThat(after).doesNotContainKey(OsgiRuntime.FREE);
        assertThat(store.list()).extracting(SnapshotInfo::id).containsExactly(outcome.snapshotId());
        assertThat(OsgiRuntime.sameState(SnapshotContent.of(store, outcome.snapshotId()), before)).isTrue();
    }

    @Test
    void aWriteFailingMidwayRestoresWhatWasAlreadyApplied() throws Exception {
        var before = osgi.state();
        writes.failNextWriteOf(OsgiRuntime.FREE);

        ChangeOutcome outcome = service.apply(List.of(
                ConfigurationChange.set(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 90.0)),
                ConfigurationChange.set(OsgiRuntime.DEVICE_FACTORY + "~new", Map.of("host", "h", "port", 7)),
                ConfigurationChange.set(OsgiRuntime.FREE, Map.of("label", "south")),
                ConfigurationChange.delete(OsgiRuntime.DEVICE_FACTORY + "~meter")));

        assertThat(outcome.status()).isEqualTo(Status.FAILED);
        assertThat(outcome.problems()).containsExactly("fusebox.test.free: could not be written (java.io.IOException: injected write failure for fusebox.test.free)");
        assertThat(outcome.changed()).isEmpty();
        assertThat(outcome.snapshotId()).isNotNull();
        assertThat(OsgiRuntime.sameState(osgi.state(), before)).as("state after the failed set: %s", osgi.state()).isTrue();
    }

    @Test
    void aDeleteFailingAfterOtherDeletesRecreatesThem() throws Exception {
        var before = osgi.state();
        writes.failNextWriteOf(OsgiRuntime.FREE);

        ChangeOutcome outcome = service.apply(List.of(
                ConfigurationChange.delete(OsgiRuntime.DEVICE_FACTORY + "~meter"),
                ConfigurationChange.delete(OsgiRuntime.LIMITS),
                ConfigurationChange.delete(OsgiRuntime.FREE)));

        assertThat(outcome.status()).isEqualTo(Status.FAILED);
        var after = osgi.state();
        assertThat(OsgiRuntime.sameState(after, before)).as("state after the failed set: %s", after).isTrue();
        assertThat(osgi.configAdmin().listConfigurations("(service.pid=fusebox.test.device~meter)")[0].getFactoryPid())
                .isEqualTo(OsgiRuntime.DEVICE_FACTORY);
    }

    @Test
    void rollbackMakesTheSiteWhatItWasAtTheSnapshot() throws Exception {
        var before = osgi.state();
        SnapshotInfo snap = service.snapshot("operator checkpoint");
        assertThat(snap.reason()).isEqualTo("operator checkpoint");
        assertThat(snap.configurations()).isEqualTo(3);

        assertThat(service.apply(List.of(
                ConfigurationChange.set(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 120.0, "apiToken", "tok-999")),
                ConfigurationChange.set(OsgiRuntime.DEVICE_FACTORY + "~pv", Map.of("host", "pv", "port", 1502)),
                ConfigurationChange.delete(OsgiRuntime.FREE))).status()).isEqualTo(Status.APPLIED);
        assertThat(OsgiRuntime.sameState(osgi.state(), before)).isFalse();

        ChangeOutcome rollback = service.rollback(snap.id());

        assertThat(rollback.status()).isEqualTo(Status.APPLIED);
        assertThat(OsgiRuntime.sameState(osgi.state(), before)).as("state after rollback: %s", osgi.state()).isTrue();
        assertThat(raw(OsgiRuntime.LIMITS, "apiToken")).as("secrets come back in clear").isEqualTo("tok-123");
        assertThat(store.list()).extracting(SnapshotInfo::reason)
                .containsExactly("operator checkpoint", "before apply", "before rollback to " + snap.id());
        assertThatThrownBy(() -> service.rollback("20000101T000000000Z")).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> service.rollback("../../etc/passwd")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void aRollbackToAnInvalidSnapshotIsRefusedWhole() throws Exception {
        SnapshotInfo snap = service.snapshot("ok");
        Path file = snapshots.resolve(snap.id() + ".json");
        Files.writeString(file, Files.readString(file).replace("\"fast\"", "\"turbo\""));
        service.apply(List.of(ConfigurationChange.set(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 70.0))));
        var before = osgi.state();

        ChangeOutcome outcome = service.rollback(snap.id());

        assertThat(outcome.status()).isEqualTo(Status.REFUSED);
        assertThat(outcome.problems()).singleElement().asString().startsWith("fusebox.test.limits: mode=turbo is invalid");
        assertThat(OsgiRuntime.sameState(osgi.state(), before)).isTrue();
    }

    @Test
    void exportThenImportGivesTheSameSiteAndTheSameBytes() throws Exception {
        osgi.put(OsgiRuntime.FREE, Map.of("label", "north", "password", "hunter2", "count", 7, "ratio", 0.25f,
                "weights", new double[] { 1.5, 2.5 }, "names", List.of("a", "b"), "big", 5L, "flags", new Boolean[] { true, false },
                "letter", 'x', "odd:name", "v"));
        var before = osgi.state();
        String exported = service.exportSite();

        assertThat(service.exportSite()).isEqualTo(exported);
        assertThat(exported).doesNotContain("hunter2", "tok-123", "4711").contains("\"********\"");
        assertThat(exported.indexOf("fusebox.test.device~meter")).isLessThan(exported.indexOf("fusebox.test.free"));
        assertThat(exported.indexOf("fusebox.test.free")).isLessThan(exported.indexOf("fusebox.test.limits"));
        assertThat(exported).contains("\"count:Integer\" : 7", "\"weights:double[]\" : [\n          1.5,\n          2.5\n        ]", "\"names:Collection<String>\"",
                "\"big\" : 5", "\"odd:name:String\" : \"v\"").doesNotContain("\r");

        // change everything, then bring the export back
        service.apply(List.of(
                ConfigurationChange.set(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 10.0, "apiToken", "tok-123", "adminPin", "4711")),
                ConfigurationChange.set(OsgiRuntime.DEVICE_FACTORY + "~pv", Map.of("host", "pv")),
                ConfigurationChange.delete(OsgiRuntime.DEVICE_FACTORY + "~meter"),
                ConfigurationChange.set(OsgiRuntime.FREE, Map.of("password", "hunter2"))));
        int snapshotsBefore = store.list().size();

        ChangeOutcome imported = service.importSite(exported);

        assertThat(imported.status()).as("%s", imported).isEqualTo(Status.APPLIED);
        assertThat(store.list()).hasSize(snapshotsBefore + 1);
        assertThat(store.list().get(store.list().size() - 1).reason()).isEqualTo("before import");
        assertThat(OsgiRuntime.sameState(osgi.state(), before)).as("state after import: %s", osgi.state()).isTrue();
        assertThat(service.exportSite()).isEqualTo(exported);
    }

    @Test
    void aMalformedImportIsRefusedWithEveryReason() throws Exception {
        var before = osgi.state();
        ChangeOutcome outcome = service.importSite("""
                {"format":"fusebox-site-config/1","configurations":[
                  {"pid":"fusebox.test.limits","properties":{"fuseLimitAmps":"x","mode":null}},
                  {"properties":{}},
                  {"pid":"fusebox.test.free","properties":{"n:Integer":1.5}}]}
                """);
        assertThat(outcome.status()).isEqualTo(Status.REFUSED);
        assertThat(outcome.problems()).containsExactlyInAnyOrder(
                "fusebox.test.limits: mode has no value (leave it out to use the default)",
                "configuration #2 has no \"pid\"",
                "fusebox.test.free: n must be a whole number, got 1.5");
        assertThat(service.importSite("not json").problems()).singleElement().asString().startsWith("the document is not valid JSON");
        assertThat(OsgiRuntime.sameState(osgi.state(), before)).isTrue();
    }

    @Test
    void secretsAreMaskedEverywhereAndAMaskKeepsTheCurrentValue() throws Exception {
        ConfigurationRecord limits = service.get(OsgiRuntime.LIMITS).orElseThrow();
        assertThat(limits.properties()).containsEntry("apiToken", ConfigurationService.MASK) // by name
                .containsEntry("adminPin", ConfigurationService.MASK) // a PASSWORD attribute
                .containsEntry("mode", "fast");
        assertThat(service.get(OsgiRuntime.FREE).orElseThrow().properties()).containsEntry("password", ConfigurationService.MASK);
        assertThat(service.list()).extracting(ConfigurationRecord::pid)
                .containsExactly("fusebox.test.device~meter", "fusebox.test.free", "fusebox.test.limits");
        assertThat(service.list().toString()).doesNotContain("tok-123", "4711", "hunter2");

        ChangeOutcome kept = service.apply(List.of(ConfigurationChange.set(OsgiRuntime.LIMITS,
                Map.of("fuseLimitAmps", 70.0, "apiToken", ConfigurationService.MASK, "adminPin", "9999"))));

        assertThat(kept.status()).isEqualTo(Status.APPLIED);
        assertThat(raw(OsgiRuntime.LIMITS, "apiToken")).isEqualTo("tok-123");
        assertThat(raw(OsgiRuntime.LIMITS, "adminPin")).isEqualTo("9999");
        assertThat(raw(OsgiRuntime.LIMITS, "fuseLimitAmps")).isEqualTo(70.0);

        ChangeOutcome nothingToKeep = service.apply(List.of(ConfigurationChange.set(OsgiRuntime.DEVICE_FACTORY + "~x",
                Map.of("host", "h", "secretKey", ConfigurationService.MASK))));
        assertThat(nothingToKeep.status()).isEqualTo(Status.REFUSED);
        assertThat(nothingToKeep.problems()).anySatisfy(p -> assertThat(p).contains("secretKey is a secret given as the mask"));
    }

    @Test
    void theSecretWordsAreConfigurable() throws Exception {
        service.reconfigure(new SecretPolicy(List.of("label")), store);
        ConfigurationRecord free = service.get(OsgiRuntime.FREE).orElseThrow();
        assertThat(free.properties()).containsEntry("label", ConfigurationService.MASK).containsEntry("password", "hunter2");
        assertThat(service.get(OsgiRuntime.LIMITS).orElseThrow().properties()).as("PASSWORD attributes stay secret")
                .containsEntry("adminPin", ConfigurationService.MASK).containsEntry("apiToken", "tok-123");
    }

    @Test
    void aLeftoverTemporaryFileFromACrashedWriteIsIgnoredAndCleanedUp() throws Exception {
        SnapshotInfo good = service.snapshot("good");
        // a write that never reached its rename, as after a power cut
        Path leftover = snapshots.resolve("20990101T000000000Z" + SnapshotStore.TEMP_SUFFIX);
        Files.writeString(leftover, "{\"format\":\"fusebox-site-config/1\",\"configurations\":[{\"pid\":\"fus");
        store.finisher((temp, target) -> {
            throw new java.io.IOException("power cut before rename");
        });

        ChangeOutcome outcome = service.apply(List.of(ConfigurationChange.set(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 99.0))));

        assertThat(outcome.status()).isEqualTo(Status.FAILED);
        assertThat(outcome.problems()).singleElement().asString().contains("nothing was applied");
        assertThat(raw(OsgiRuntime.LIMITS, "fuseLimitAmps")).isEqualTo(63.0);
        try (Stream<Path> files = Files.list(snapshots)) {
            assertThat(files.filter(f -> f.toString().endsWith(SnapshotStore.TEMP_SUFFIX)).count()).isEqualTo(2);
        }
        assertThat(store.list()).extracting(SnapshotInfo::id).containsExactly(good.id());

        store.finisher((temp, target) -> Files.move(temp, target));
        assertThat(service.apply(List.of(ConfigurationChange.set(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 99.0)))).isApplied()).isTrue();
        assertThat(service.rollback(good.id()).status()).isEqualTo(Status.APPLIED);
        assertThat(raw(OsgiRuntime.LIMITS, "fuseLimitAmps")).isEqualTo(63.0);
        try (Stream<Path> files = Files.list(snapshots)) {
            assertThat(files.map(f -> f.getFileName().toString())).allMatch(n -> n.endsWith(".json") && !n.endsWith(SnapshotStore.TEMP_SUFFIX));
        }
    }

    @Test
    void aDamagedSnapshotFileIsLeftOutOfTheList() throws Exception {
        SnapshotInfo a = service.snapshot("a");
        SnapshotInfo b = service.snapshot("b");
        Files.writeString(snapshots.resolve(b.id() + ".json"), "{\"format\":\"fusebox-site-", StandardCharsets.UTF_8);

        assertThat(store.list()).extracting(SnapshotInfo::id).containsExactly(a.id());
        assertThat(service.rollback(b.id()).status()).isEqualTo(Status.REFUSED);
    }

    @Test
    void onlyTheNewestSnapshotsAreKept() throws Exception {
        SnapshotStore three = new SnapshotStore(snapshots, 3, Clock.systemUTC());
        service.reconfigure(new SecretPolicy(SecretPolicy.DEFAULT_WORDS), three);
        for (int i = 1; i <= 5; i++) {
            service.snapshot("n" + i);
        }
        assertThat(three.list()).extracting(SnapshotInfo::reason).containsExactly("n3", "n4", "n5");
        try (Stream<Path> files = Files.list(snapshots)) {
            assertThat(files.count()).isEqualTo(3);
        }
        List<String> ids = three.list().stream().map(SnapshotInfo::id).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void deleteRemovesOneConfigurationAndRefusesAnUnknownOne() throws Exception {
        assertThat(service.delete(OsgiRuntime.FREE).status()).isEqualTo(Status.APPLIED);
        assertThat(osgi.state()).doesNotContainKey(OsgiRuntime.FREE);
        assertThat(service.get(OsgiRuntime.FREE)).isEmpty();
        ChangeOutcome again = service.delete(OsgiRuntime.FREE);
        assertThat(again.status()).isEqualTo(Status.REFUSED);
        assertThat(again.problems()).containsExactly("fusebox.test.free: cannot be deleted, there is no such configuration");
    }

    @Test
    void aSetThatChangesNothingTakesNoSnapshot() {
        ChangeOutcome outcome = service.apply(List.of(ConfigurationChange.set(OsgiRuntime.FREE,
                Map.of("label", "north", "password", ConfigurationService.MASK))));
        assertThat(outcome.status()).isEqualTo(Status.APPLIED);
        assertThat(outcome.changed()).isEmpty();
        assertThat(outcome.snapshotId()).isNull();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void fileInstallBookkeepingIsKeptAndNeverExported() throws Exception {
        osgi.put(OsgiRuntime.FREE, Map.of("label", "north", "felix.fileinstall.filename", "file:/opt/karaf/etc/fusebox.test.free.cfg"));
        assertThat(service.exportSite()).doesNotContain("felix.fileinstall");
        service.apply(List.of(ConfigurationChange.set(OsgiRuntime.FREE, Map.of("label", "south"))));
        assertThat(raw(OsgiRuntime.FREE, "felix.fileinstall.filename")).isEqualTo("file:/opt/karaf/etc/fusebox.test.free.cfg");
        assertThat(raw(OsgiRuntime.FREE, "label")).isEqualTo("south");
    }
}
