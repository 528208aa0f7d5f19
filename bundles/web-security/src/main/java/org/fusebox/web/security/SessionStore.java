package org.fusebox.web.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Server-side sessions, in memory and bounded: each lives at most {@code lifetime} from login and ends earlier
 * after {@code idle} without a request; when {@code maxSessions} are open, a new login ends the oldest. A restart
 * ends every session (users log in again); nothing of a session is ever written to disk.
 */
public final class SessionStore {

    public static final String COOKIE = "FUSEBOX_SESSION";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private record Entry(Session session, Instant lastSeen) {
    }

    private final Clock clock;
    private final Duration idle;
    private final Duration lifetime;
    private final int maxSessions;
    private final Map<String, Entry> sessions = new LinkedHashMap<>();

    public SessionStore(Clock clock, Duration idle, Duration lifetime, int maxSessions) {
        if (idle.isNegative() || idle.isZero() || lifetime.compareTo(idle) < 0 || maxSessions < 1) {
            throw new IllegalArgumentException("sessions need idle > 0, lifetime >= idle and maxSessions >= 1");
        }
        this.clock = clock;
        this.idle = idle;
        this.lifetime = lifetime;
        this.maxSessions = maxSessions;
    }

    public synchronized Session open(String user, Role role) {
        Instant now = clock.instant();
        purge(now);
        while (sessions.size() >= maxSessions) {
            sessions.values().stream().min(Comparator.comparing(e -> e.session().created()))
                    .ifPresent(oldest -> sessions.remove(oldest.session().id()));
        }
        Session s = new Session(Secrets.random(32), user, role, Secrets.random(32), now, now.plus(lifetime));
        sessions.put(s.id(), new Entry(s, now));
        return s;
    }

    /** The live session with this id, its idle clock restarted; empty when unknown, idle too long or expired. */
    public synchronized Optional<Session> touch(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Entry e = sessions.get(id);
        if (e == null) {
            return Optional.empty();
        }
        if (!alive(e, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        sessions.put(id, new Entry(e.session(), now));
        return Optional.of(e.session());
    }

    public synchronized void close(String id) {
        sessions.remove(id);
    }

    /** Ends every session of {@code user} (the account was removed or its role changed). */
    public synchronized void closeAllOf(String user) {
        sessions.values().removeIf(e -> e.session().user().equals(user));
    }

    public synchronized int size() {
        purge(clock.instant());
        return sessions.size();
    }

    public Duration lifetime() {
        return lifetime;
    }

    private boolean alive(Entry e, Instant now) {
        return now.isBefore(e.session().expires()) && now.isBefore(e.lastSeen().plus(idle));
    }

    private void purge(Instant now) {
        sessions.values().removeIf(e -> !alive(e, now));
    }
}
