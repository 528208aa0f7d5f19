package org.fusebox.web.security;

import java.util.Map;
import org.apache.karaf.jaas.modules.Encryption;
import org.apache.karaf.jaas.modules.EncryptionService;
import org.osgi.service.component.annotations.Component;

/**
 * Karaf's JAAS encryption SPI with {@link PasswordHashing}: with {@code encryption.name = fusebox-pbkdf2} in
 * etc/org.apache.karaf.jaas.cfg, Karaf's properties login module stores and checks every password of
 * etc/users.properties as a salted PBKDF2 hash ({@code {CRYPT}pbkdf2-sha256:...{CRYPT}}), and hashes a password
 * written there in clear the moment the file changes. Karaf's own "basic" encryption is an unsalted digest.
 *
 * <p>New hashes cost {@value PasswordHashing#DEFAULT_ITERATIONS} iterations (Karaf's realm passes only its own
 * encryption keys on, so the count is not configurable there); a stored hash keeps the count it was made with.
 */
@Component(service = EncryptionService.class, property = "name=" + Pbkdf2EncryptionService.NAME)
public final class Pbkdf2EncryptionService implements EncryptionService {

    public static final String NAME = "fusebox-pbkdf2";

    @Override
    public Encryption createEncryption(Map<String, String> params) {
        String n = params == null ? null : params.get("iterations");
        PasswordHashing hashing = new PasswordHashing(n == null || n.isBlank() ? PasswordHashing.DEFAULT_ITERATIONS : Integer.parseInt(n.trim()));
        return new Encryption() {
            @Override
            public String encryptPassword(String password) {
                return hashing.hash(password);
            }

            @Override
            public boolean checkPassword(String provided, String real) {
                return PasswordHashing.matches(provided, real);
            }
        };
    }
}
