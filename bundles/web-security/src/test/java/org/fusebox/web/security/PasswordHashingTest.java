package org.fusebox.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.karaf.jaas.modules.Encryption;
import org.junit.jupiter.api.Test;

class PasswordHashingTest {

    private final PasswordHashing hashing = new PasswordHashing(PasswordHashing.MIN_ITERATIONS);

    @Test
    void theRightPasswordMatchesAndAWrongOneDoesNot() {
        String stored = hashing.hash("correct horse battery");
        assertThat(PasswordHashing.matches("correct horse battery", stored)).isTrue();
        assertThat(PasswordHashing.matches("correct horse batterY", stored)).isFalse();
        assertThat(PasswordHashing.matches("", stored)).isFalse();
    }

    @Test
    void equalPasswordsHashApartAndTheHashHidesThePassword() {
        String a = hashing.hash("same password");
        String b = hashing.hash("same password");
        assertThat(a).isNotEqualTo(b).startsWith("pbkdf2-sha256:10000:").doesNotContain("same password");
        assertThat(a.split(":")).hasSize(4);
    }

    @Test
    void theIterationCountTravelsWithTheHash() {
        String older = new PasswordHashing(20_000).hash("pw-1234567890");
        assertThat(PasswordHashing.matches("pw-1234567890", older)).isTrue();
        String tampered = older.replace(":20000:", ":10000:");
        assertThat(PasswordHashing.matches("pw-1234567890", tampered)).isFalse();
    }

    @Test
    void anythingElseNeverMatches() {
        assertThat(PasswordHashing.matches("karaf", "karaf")).isFalse();
        assertThat(PasswordHashing.matches("x", "pbkdf2-sha256:1:AA:AA")).isFalse();
        assertThat(PasswordHashing.matches("x", "pbkdf2-sha256:abc:AA:AA")).isFalse();
        assertThat(PasswordHashing.matches("x", "pbkdf2-sha256:10000:!!:AA")).isFalse();
        assertThat(PasswordHashing.matches(null, hashing.hash("x"))).isFalse();
        assertThatThrownBy(() -> new PasswordHashing(5)).hasMessageContaining("iterations");
    }

    @Test
    void karafsEncryptionSpiHashesAndChecks() {
        Encryption e = new Pbkdf2EncryptionService().createEncryption(Map.of());
        String stored = e.encryptPassword("a long password");
        assertThat(stored).startsWith("pbkdf2-sha256:" + PasswordHashing.DEFAULT_ITERATIONS + ":");
        assertThat(e.checkPassword("a long password", stored)).isTrue();
        assertThat(e.checkPassword("a long passwort", stored)).isFalse();
    }
}
