package org.fusebox.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionStoreTest {

    private final MutableClock clock = new MutableClock();
    private final SessionStore store = new SessionStore(clock, Duration.ofMinutes(30), Duration.ofHours(12), 3);

    @Test
    void aSessionIsFoundByItsIdAndCarriesItsOwnCsrfToken() {
        Session a = store.open("ann", Role.DRIVER);
        Session b = store.open("bob", Role.VIEWER);
        assertThat(store.touch(a.id())).contains(a);
        assertThat(a.id()).hasSize(43).isNotEqualTo(b.id());
        assertThat(a.csrfToken()).isNotEqualTo(b.csrfToken()).isNotEqualTo(a.id());
        assertThat(store.touch("guess")).isEmpty();
        assertThat(store.touch(null)).isEmpty();
    }

    @Test
    void anIdleSessionEndsButAnActiveOneLivesUntilItsLifetime() {
        Session idle = store.open("ann", Role.VIEWER);
        Session busy = store.open("bob", Role.VIEWER);
        for (int i = 0; i < 24; i++) { // 11 h 36 min
            clock.advance(Duration.ofMinutes(29));
            assertThat(store.touch(busy.id())).isPresent();
        }
        assertThat(store.touch(idle.id())).isEmpty();
        clock.advance(Duration.ofMinutes(29)); // 12 h 05 min after login
        assertThat(store.touch(busy.id())).isEmpty();
    }

    @Test
    void theStoreIsBoundedAndEndsTheOldestFirst() {
        Session first = store.open("a", Role.VIEWER);
        clock.advance(Duration.ofSeconds(1));
        Session second = store.open("b", Role.VIEWER);
        clock.advance(Duration.ofSeconds(1));
        store.open("c", Role.VIEWER);
        clock.advance(Duration.ofSeconds(1));
        store.open("d", Role.VIEWER);
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.touch(first.id())).isEmpty();
        assertThat(store.touch(second.id())).isPresent();
    }

    @Test
    void logoutAndRemovalEndSessions() {
        Session a = store.open("ann", Role.ADMIN);
        Session a2 = store.open("ann", Role.ADMIN);
        Session b = store.open("bob", Role.ADMIN);
        store.close(b.id());
        store.closeAllOf("ann");
        assertThat(store.touch(a.id())).isEmpty();
        assertThat(store.touch(a2.id())).isEmpty();
        assertThat(store.touch(b.id())).isEmpty();
    }

    @Test
    void csrfIsCheckedOnCookieWritesOnly() {
        Session s = store.open("ann", Role.DRIVER);
        Caller bySession = new Caller("ann", Role.DRIVER, "session", Optional.of(s));
        assertThat(AuthFilter.csrfOk("GET", bySession, null)).isTrue();
        assertThat(AuthFilter.csrfOk("HEAD", bySession, null)).isTrue();
        assertThat(AuthFilter.csrfOk("POST", bySession, null)).isFalse();
        assertThat(AuthFilter.csrfOk("DELETE", bySession, "wrong")).isFalse();
        assertThat(AuthFilter.csrfOk("POST", bySession, store.open("bob", Role.DRIVER).csrfToken())).isFalse();
        assertThat(AuthFilter.csrfOk("POST", bySession, s.csrfToken())).isTrue();
        // a token or Basic credentials are never sent by a browser on its own: no CSRF token needed
        assertThat(AuthFilter.csrfOk("POST", new Caller("m", Role.DRIVER, "token", Optional.empty()), null)).isTrue();
        assertThat(AuthFilter.csrfOk("POST", new Caller("m", Role.DRIVER, "basic", Optional.empty()), null)).isTrue();
    }

    @Test
    void theCookieIsHttpOnlyStrictAndSecureOverHttps() {
        assertThat(AuthServlet.cookie("abc", 60, false)).isEqualTo("FUSEBOX_SESSION=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict");
        assertThat(AuthServlet.cookie("abc", 60, true)).endsWith("; Secure");
    }
}
