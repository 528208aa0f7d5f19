package org.fusebox.driver.modbus.map;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The points of one device model.
 *
 * @param name   what the map describes, e.g. "Eastron SDM630"
 * @param points the points, names unique
 */
public record RegisterMap(String name, List<Point> points) {

    public RegisterMap {
        Objects.requireNonNull(name, "name");
        points = List.copyOf(points);
        Set<String> seen = new HashSet<>();
        for (Point p : points) {
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException(name + ": point name '" + p.name() + "' is used twice");
            }
        }
    }

    public Optional<Point> point(String pointName) {
        return points.stream().filter(p -> p.name().equals(pointName)).findFirst();
    }
}
