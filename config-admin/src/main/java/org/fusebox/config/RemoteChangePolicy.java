package org.fusebox.config;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.fusebox.config.api.ConfigurationRecord;
import org.fusebox.config.api.ConfigurationService;

/**
 * The security settings a remote CONF-V1 request may change only with a signed safety override: who may command the
 * gateway and what it trusts (fusebox-management's whole configuration: operator and release keys, downgrades, the
 * gateway id), how charge points authenticate (OCPP security profile, auto-registration, passwords, TLS), and where the
 * cloud link connects and how (broker URL, identity, TLS stores). A change is any difference between the value now and
 * the value asked for: set, changed, removed, or the configuration deleted or created.
 */
final class RemoteChangePolicy {

    /** PID → protected keys; an empty set protects every key of the PID. */
    static final Map<String, Set<String>> PROTECTED = Map.of(
            "fusebox.management", Set.of(),
            "fusebox.driver.ocpp", Set.of("securityProfile", "autoRegistration", "autoRegistrationPassword", "passwords",
                    "tlsEnabled", "tlsKeystorePath", "tlsKeystorePassword"),
            "fusebox.cloud.mqtt", Set.of("brokerUrl", "clientId", "account", "namespace", "username", "password",
                    "trustStorePath", "trustStorePassword", "keyStorePath", "keyStorePassword"));

    private final ConfigurationService service;

    RemoteChangePolicy(ConfigurationService service) {
        this.service = service;
    }

    static boolean isProtected(String pid) {
        return pid != null && PROTECTED.containsKey(pid);
    }

    /**
     * The protected settings {@code entries} would change, as {@code pid: key} (or {@code pid (deleted)}); empty when none.
     *
     * @param whole whether the entries are the whole site (an import: a protected PID missing from them is deleted)
     */
    List<String> protectedChanges(List<SiteDocument.Entry> entries, boolean whole) {
        Set<String> out = new TreeSet<>();
        Set<String> named = new TreeSet<>();
        for (SiteDocument.Entry e : entries) {
            named.add(e.pid());
            if (!isProtected(e.pid())) {
                continue;
            }
            Optional<ConfigurationRecord> now = service.get(e.pid());
            if (e.delete()) {
                now.ifPresent(r -> out.add(e.pid() + " (deleted)"));
                continue;
            }
            Map<String, Object> before = now.map(ConfigurationRecord::properties).orElse(Map.of());
            out.addAll(changedKeys(e.pid(), before, e.properties()));
        }
        if (whole) {
            for (String pid : PROTECTED.keySet()) {
                if (!named.contains(pid) && service.get(pid).isPresent()) {
                    out.add(pid + " (deleted)");
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** The protected settings deleting {@code pid} would remove. */
    List<String> protectedDeletion(String pid) {
        return isProtected(pid) && service.get(pid).isPresent() ? List.of(pid + " (deleted)") : List.of();
    }

    private static List<String> changedKeys(String pid, Map<String, Object> before, Map<String, Object> after) {
        Set<String> keys = PROTECTED.get(pid);
        Set<String> candidates = new TreeSet<>(keys);
        if (keys.isEmpty()) {
            candidates.addAll(before.keySet());
            candidates.addAll(after.keySet());
        }
        List<String> changed = new ArrayList<>();
        for (String k : candidates) {
            Object a = after.get(k);
            Object b = before.get(k);
            // a secret sent back as the mask keeps its current value: no change
            if (ConfigurationService.MASK.equals(a) && b != null) {
                continue;
            }
            if (!Objects.equals(normalise(a), normalise(b))) {
                changed.add(pid + ": " + k);
            }
        }
        return changed;
    }

    /** Values as text, arrays and collections as lists of text, so that 8887 and "8887" or [a] and a String[] compare alike. */
    private static Object normalise(Object v) {
        if (v == null) {
            return null;
        }
        if (v.getClass().isArray()) {
            List<String> l = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                l.add(String.valueOf(Array.get(v, i)));
            }
            return l;
        }
        if (v instanceof Collection<?> c) {
            List<String> l = new ArrayList<>();
            c.forEach(x -> l.add(String.valueOf(x)));
            return l;
        }
        return String.valueOf(v);
    }
}
