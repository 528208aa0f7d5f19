package org.fusebox.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Finds secrets kept where others can read them. A password belongs in a file of the secrets directory
 * (owner-only), referenced from the .cfg file as {@code $[secret:<file name>]}: Config Admin's
 * interpolation plugin puts the value in only when the configuration is handed to the component, so
 * the .cfg file, Karaf's configuration cache and {@code config:list} hold the reference alone.
 */
final class SecretExposure {

    /** The framework property Felix's interpolation plugin reads its secrets directory from. */
    static final String SECRETS_DIR_PROPERTY = "org.apache.felix.configadmin.plugin.interpolation.secretsdir";
    private static final Pattern REFERENCE = Pattern.compile("\\$\\[secret:([^;\\]]+)");
    /** Names that say "this is a password" for a configuration without Metatype; "key" is left out (keyStorePath is no secret). */
    private static final List<String> PASSWORD_WORDS = List.of("password", "secret", "token");

    private SecretExposure() {
    }

    /**
     * @param definition the Metatype of the file's configuration, when an installed bundle defines it
     * @param secretsDir where {@code $[secret:...]} references are read from, null when none is configured
     */
    static List<String> problems(ConfigFile file, Optional<ObjectClassDefinition> definition, Path secretsDir) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : file.properties().entrySet()) {
            String value = String.valueOf(e.getValue());
            Matcher m = REFERENCE.matcher(value);
            boolean referenced = false;
            while (m.find()) {
                referenced = true;
                String name = m.group(1).trim();
                if (secretsDir == null) {
                    out.add(file.fileName() + ": " + e.getKey() + " references secret '" + name
                            + "' but no secrets directory is configured (" + SECRETS_DIR_PROPERTY + " in etc/config.properties)");
                } else if (!Files.isRegularFile(secretsDir.resolve(name).normalize())) {
                    out.add(file.fileName() + ": " + e.getKey() + " references secret '" + name + "' but "
                            + secretsDir.resolve(name).normalize() + " does not exist");
                }
            }
            if (!referenced && !value.isBlank() && isPassword(e.getKey(), definition)) {
                out.add(file.fileName() + ": " + e.getKey() + " is written in clear, readable in the file, Karaf's cache and"
                        + " config:list; put it in " + (secretsDir == null ? "etc/secrets" : secretsDir) + "/" + file.pid() + "." + e.getKey()
                        + " (chmod 600) and write " + e.getKey() + " = $[secret:" + file.pid() + "." + e.getKey() + "]");
            }
        }
        return out;
    }

    /** Secret files that others than their owner can read. */
    static List<String> exposedFiles(Path secretsDir) {
        List<String> out = new ArrayList<>();
        if (secretsDir == null || !Files.isDirectory(secretsDir)) {
            return out;
        }
        try {
            if (others(Files.getPosixFilePermissions(secretsDir))) {
                out.add(secretsDir + " can be listed by others: chmod 700 " + secretsDir);
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(secretsDir)) {
                for (Path f : ds) {
                    if (Files.isRegularFile(f) && others(Files.getPosixFilePermissions(f))) {
                        out.add(f + " is readable by others than its owner: chmod 600 " + f);
                    }
                }
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        } catch (IOException e) {
            out.add(secretsDir + " cannot be checked: " + e.getMessage());
        }
        return out;
    }

    private static boolean others(Set<PosixFilePermission> p) {
        return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
                || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE);
    }

    static boolean isPassword(String key, Optional<ObjectClassDefinition> definition) {
        if (definition.isPresent()) {
            AttributeDefinition[] ads = definition.get().getAttributeDefinitions(ObjectClassDefinition.ALL);
            for (AttributeDefinition ad : ads == null ? new AttributeDefinition[0] : ads) {
                if (ad.getID().equals(key) && ad.getType() == AttributeDefinition.PASSWORD) {
                    return true;
                }
            }
        }
        String lower = key.toLowerCase(Locale.ROOT);
        return PASSWORD_WORDS.stream().anyMatch(lower::contains);
    }
}
