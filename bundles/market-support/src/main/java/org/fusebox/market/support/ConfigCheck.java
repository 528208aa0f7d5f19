package org.fusebox.market.support;

import java.net.URI;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects every reason a feed configuration is wrong, so it is refused once with all of them
 * ({@link #throwIfAny}) rather than one per attempt. Each method returns the checked value, or null when
 * it is wrong.
 */
public final class ConfigCheck {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");
    private final List<String> reasons = new ArrayList<>();

    public void require(boolean ok, String reason) {
        if (!ok) {
            reasons.add(reason);
        }
    }

    /** An http(s) URL with a host and no query. */
    public URI httpUrl(String key, String value) {
        try {
            URI u = URI.create(value == null ? "" : value.trim());
            if (("https".equals(u.getScheme()) || "http".equals(u.getScheme())) && u.getHost() != null && u.getQuery() == null) {
                return u;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        reasons.add(key + " must be an http(s) URL without a query, got '" + value + "'");
        return null;
    }

    /** A feed id: letters, digits, '.', '_', '-'. */
    public String id(String key, String value) {
        String v = value == null ? "" : value.trim();
        if (ID.matcher(v).matches()) {
            return v;
        }
        reasons.add(key + " must be letters, digits, '.', '_' or '-', got '" + v + "'");
        return null;
    }

    public ZoneId zone(String key, String value) {
        try {
            return ZoneId.of(value.trim());
        } catch (DateTimeException | NullPointerException e) {
            reasons.add(key + " is not a time zone: '" + value + "'");
            return null;
        }
    }

    /** A local time HH:mm. */
    public LocalTime time(String key, String value) {
        try {
            return LocalTime.parse(value.trim());
        } catch (DateTimeException | NullPointerException e) {
            reasons.add(key + " must be HH:mm, got '" + value + "'");
            return null;
        }
    }

    /** {@code value} within {@code min..max}; {@code why} (may be empty) is added to the reason. */
    public int range(String key, int value, int min, int max, String why) {
        if (value < min || value > max) {
            reasons.add(key + " must be " + min + ".." + max + (why.isEmpty() ? "" : " (" + why + ")") + ", got " + value);
        }
        return value;
    }

    public int atLeast(String key, int value, int min) {
        if (value < min) {
            reasons.add(key + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    public List<String> reasons() {
        return List.copyOf(reasons);
    }

    /** Throws {@link IllegalArgumentException} with every reason joined by "; " when there is any. */
    public void throwIfAny() {
        if (!reasons.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", reasons));
        }
    }
}
