package org.fusebox.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    @Test
    void aTokenWorksUntilRevokedAndTheFileNeverHoldsIt() throws Exception {
        Path file = dir.resolve("fusebox/api-tokens.properties");
        ApiTokens tokens = new ApiTokens(file, clock);
        ApiTokens.Created c = tokens.create("home-assistant", Role.DRIVER);

        assertThat(c.secret()).startsWith("fbx_" + c.token().id() + ".");
        assertThat(tokens.verify(c.secret())).contains(c.token());
        String content = Files.readString(file);
        assertThat(content).contains("home-assistant,driver,").doesNotContain(c.secret().substring(c.secret().indexOf('.') + 1));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        ApiTokens reloaded = new ApiTokens(file, clock);
        assertThat(reloaded.verify(c.secret())).contains(c.token());
        assertThat(reloaded.revoke(c.token().id())).isTrue();
        assertThat(reloaded.verify(c.secret())).isEmpty();
        assertThat(new ApiTokens(file, clock).verify(c.secret())).isEmpty();
        assertThat(reloaded.revoke(c.token().id())).isFalse();
    }

    @Test
    void guessesAndAlteredTokensFail() {
        ApiTokens tokens = new ApiTokens(dir.resolve("t.properties"), clock);
        ApiTokens.Created c = tokens.create("m", Role.ADMIN);
        String s = c.secret();
        assertThat(tokens.verify(s.substring(0, s.length() - 1) + (s.endsWith("A") ? "B" : "A"))).isEmpty();
        assertThat(tokens.verify("fbx_" + c.token().id())).isEmpty();
        assertThat(tokens.verify("Bearer " + s)).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
    }

    @Test
    void aBadNameIsRefusedAndADamagedFileIsReportedNotIgnored() throws Exception {
        ApiTokens tokens = new ApiTokens(dir.resolve("t.properties"), clock);
        assertThatThrownBy(() -> tokens.create("a,b", Role.VIEWER)).hasMessageContaining("name");
        Files.writeString(dir.resolve("bad.properties"), "abc = m,root,xyz,2026-01-01T00:00:00Z\n");
        assertThatThrownBy(() -> new ApiTokens(dir.resolve("bad.properties"), clock)).hasMessageContaining("token abc is damaged");
    }

    @Test
    void theSetupTokenWorksOnceAndNotAfterAnAdminExists() {
        SetupToken setup = new SetupToken();
        assertThat(setup.consume("anything")).isFalse();
        String t = setup.issue();
        assertThat(setup.consume("wrong")).isFalse();
        assertThat(setup.pending()).isTrue();
        assertThat(setup.consume(t)).isTrue();
        assertThat(setup.consume(t)).isFalse();
        assertThat(setup.pending()).isFalse();

        String again = setup.issue();
        String replaced = setup.issue();
        assertThat(setup.consume(again)).isFalse();
        setup.withdraw();
        assertThat(setup.consume(replaced)).isFalse();
    }
}
