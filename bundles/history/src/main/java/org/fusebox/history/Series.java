package org.fusebox.history;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One recorded series: the name clients ask for, the rrd4j data source that holds it, and its unit.
 *
 * @param name       what the API calls it, e.g. {@code grid.l1}
 * @param dataSource the rrd4j data source name (at most 20 characters of {@code [a-zA-Z0-9_]})
 * @param unit       the unit word of the API's JSON conventions: {@code amps}, {@code watts}, {@code percent}
 * @param min        the least value stored; anything below is stored as unknown (a meter's glitch)
 * @param max        the most value stored
 */
record Series(String name, String dataSource, String unit, double min, double max) {

    private static final Pattern DATA_SOURCE = Pattern.compile("[a-zA-Z0-9_]{1,20}");

    Series {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        if (!DATA_SOURCE.matcher(dataSource).matches()) {
            throw new IllegalArgumentException("not an rrd4j data source name: " + dataSource);
        }
    }
}
