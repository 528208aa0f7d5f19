package org.fusebox.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * What is wrong with the {@code etc/fusebox.*.cfg} files: a file file install cannot read (with its line,
 * and what the PID holds meanwhile), a file whose PID nothing defines (misspelt, so never read), and
 * secrets kept in clear. A file for one of Fusebox's own features that is not installed is only noted.
 * Unknown keys and out-of-range values in a readable file are {@link MetatypeValidator}'s.
 */
final class ConfigFilesCheck {

    /** @param problems what makes the files' health DEGRADED; @param notes worth knowing, not wrong */
    record Report(List<String> problems, List<String> notes) {
    }

    private ConfigFilesCheck() {
    }

    /**
     * @param definitions the Metatype definitions of the installed bundles
     * @param definedPids every PID and factory PID they define (for "did you mean")
     * @param current     what Config Admin holds for a PID now, if anything
     * @param secretsDir  the directory {@code $[secret:...]} is read from, or null
     */
    static Report evaluate(List<ConfigFile> files, MetatypeLookup.Definitions definitions, Collection<String> definedPids,
            Function<String, Optional<Map<String, Object>>> current, SecretPolicy masking, Path secretsDir) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> candidates = new TreeSet<>(definedPids);
        candidates.addAll(KnownPids.FEATURES.keySet());
        for (ConfigFile f : files) {
            Optional<ObjectClassDefinition> ocd = definitions.of(f.pid(), f.factoryPid());
            if (f.error().isPresent()) {
                Optional<Map<String, Object>> now = current.apply(f.pid());
                problems.add(f.error().get() + "; " + (now.isPresent()
                        ? f.pid() + " keeps the configuration it had: " + Describe.properties(now.get(), masking, ocd)
                        : f.pid() + " has no configuration until the file is fixed"));
                continue;
            }
            if (ocd.isEmpty()) {
                Optional<String> feature = KnownPids.featureOf(f.definingPid());
                if (feature.isPresent()) {
                    notes.add(f.fileName() + ": for feature " + feature.get() + ", which is not installed (feature:install " + feature.get() + ")");
                } else {
                    Optional<String> meant = KnownPids.closest(f.definingPid(), candidates);
                    problems.add(f.fileName() + ": no installed bundle defines PID " + f.definingPid() + ", so nothing reads this file"
                            + meant.map(m -> " (did you mean " + m + "?)").orElse(""));
                }
            }
            problems.addAll(SecretExposure.problems(f, ocd, secretsDir));
        }
        problems.addAll(SecretExposure.exposedFiles(secretsDir));
        return new Report(List.copyOf(problems), List.copyOf(notes));
    }
}
