package org.fusebox.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.fusebox.config.api.ChangeOutcome;
import org.fusebox.config.api.ChangeOutcome.Status;
import org.fusebox.config.api.ConfigurationChange;

/**
 * For random sites and random sets of changes (some invalid, some hitting a write that fails), the site
 * configuration after apply-or-refuse is either wholly the new one or wholly the old one.
 */
class AtomicApplyProperties {

    private static final List<String> PIDS = List.of(OsgiRuntime.LIMITS, OsgiRuntime.DEVICE_FACTORY + "~a",
            OsgiRuntime.DEVICE_FACTORY + "~b", OsgiRuntime.FREE);

    private static OsgiRuntime osgi;
    private static Path snapshots;

    @BeforeContainer
    static void start() throws Exception {
        osgi = new OsgiRuntime();
        snapshots = Files.createTempDirectory("fusebox-config-properties");
    }

    @AfterContainer
    static void stop() throws Exception {
        osgi.close();
        try (var files = Files.walk(snapshots)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One configuration's generated properties, and whether its Metatype accepts them. */
    record Props(Map<String, Object> values, boolean valid) {
    }

    /** One generated change; {@code props == null} deletes. */
    record Change(String pid, Props props) {
        ConfigurationChange toChange() {
            return props == null ? ConfigurationChange.delete(pid) : ConfigurationChange.set(pid, props.values());
        }
    }

    private static Arbitrary<Props> propsFor(String pid, boolean onlyValid) {
        if (pid.equals(OsgiRuntime.LIMITS)) {
            Arbitrary<Double> amps = onlyValid ? Arbitraries.doubles().between(1, 1000).ofScale(1) : Arbitraries.doubles().between(-10, 1100).ofScale(1);
            Arbitrary<String> mode = onlyValid ? Arbitraries.of("fast", "slow") : Arbitraries.of("fast", "slow", "turbo");
            return Combinators.combine(amps, mode, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6).optional())
                    .as((a, m, token) -> {
                        Map<String, Object> v = new LinkedHashMap<>();
                        v.put("fuseLimitAmps", a);
                        v.put("mode", m);
                        token.ifPresent(t -> v.put("apiToken", t));
                        return new Props(v, a >= 1 && a <= 1000 && !m.equals("turbo"));
                    });
        }
        if (pid.startsWith(OsgiRuntime.DEVICE_FACTORY)) {
            Arbitrary<Integer> port = onlyValid ? Arbitraries.integers().between(1, 65535) : Arbitraries.integers().between(-5, 70000);
            return Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), port, Arbitraries.of(true, false))
                    .as((host, p, enabled) -> new Props(Map.of("host", host, "port", p, "enabled", enabled), p >= 1 && p <= 65535));
        }
        return Arbitraries.maps(Arbitraries.of("a", "b", "c"), Arbitraries.longs().between(-3, 3)).ofMaxSize(3)
                .map(m -> new Props(new TreeMap<>(m), true));
    }

    @Provide
    Arbitrary<Map<String, Props>> sites() {
        List<Arbitrary<Optional<Props>>> each = PIDS.stream().map(pid -> propsFor(pid, true).optional(0.5)).toList();
        return Combinators.combine(each).as(list -> {
            Map<String, Props> site = new TreeMap<>();
            for (int i = 0; i < PIDS.size(); i++) {
                int index = i;
                list.get(i).ifPresent(p -> site.put(PIDS.get(index), p));
            }
            return site;
        });
    }

    @Provide
    Arbitrary<List<Change>> changeSets() {
        List<Arbitrary<Optional<Change>>> each = PIDS.stream()
                .map(pid -> Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(4, propsFor(pid, false).map(p -> new Change(pid, p))),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(new Change(pid, null))))
                        .optional(0.6))
                .toList();
        return Combinators.combine(each).as(list -> list.stream().flatMap(Optional::stream).toList())
                .flatMap(changes -> Arbitraries.shuffle(changes));
    }

    @Property(tries = 100)
    void afterApplyOrRefuseTheSiteIsWhollyOldOrWhollyNew(@ForAll("sites") Map<String, Props> site, @ForAll("changeSets") List<Change> changes,
            @ForAll("failAt") Optional<Integer> failAt) throws Exception {
        osgi.clear();
        for (Map.Entry<String, Props> e : site.entrySet()) {
            osgi.put(e.getKey(), e.getValue().values());
        }
        Map<String, Map<String, Object>> old = osgi.state();
        OsgiRuntime.FailingWrites writes = osgi.failingWrites();
        ConfigurationEngine service = new ConfigurationEngine(writes.configAdmin, osgi.metatypes()::load,
                new SecretPolicy(List.of()), new SnapshotStore(snapshots, 3, Clock.systemUTC()));
        failAt.filter(i -> !changes.isEmpty()).ifPresent(i -> writes.failNextWriteOf(changes.get(i % changes.size()).pid()));

        ChangeOutcome outcome = service.apply(changes.stream().map(Change::toChange).toList());

        Map<String, Map<String, Object>> intended = new TreeMap<>(old);
        boolean valid = true;
        for (Change c : changes) {
            if (c.props() == null) {
                valid &= intended.remove(c.pid()) != null;
            } else {
                intended.put(c.pid(), new TreeMap<>(c.props().values()));
                valid &= c.props().valid();
            }
        }
        Statistics.label("outcome").collect(outcome.status());
        Map<String, Map<String, Object>> now = osgi.state();
        if (outcome.status() == Status.APPLIED) {
            assertThat(OsgiRuntime.sameState(now, intended)).as("applied, so wholly new: %s, wanted %s", now, intended).isTrue();
        } else {
            assertThat(OsgiRuntime.sameState(now, old)).as("%s, so wholly old: %s, was %s", outcome, now, old).isTrue();
        }
        assertThat(outcome.status() == Status.REFUSED).as("refused exactly when a change is invalid: %s", outcome).isEqualTo(!valid);
        if (failAt.isEmpty() || changes.isEmpty()) {
            assertThat(outcome.status()).isIn(Status.APPLIED, Status.REFUSED);
        }
        assertThat(outcome.problems().isEmpty()).as("reasons given unless applied").isEqualTo(outcome.status() == Status.APPLIED);
    }

    @Provide
    Arbitrary<Optional<Integer>> failAt() {
        return Arbitraries.integers().between(0, 10).optional(0.5);
    }
}
