package org.fusebox.optimiser.evdeadline;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated configuration of the arrival reserve.
 *
 * @param enabled         whether to learn arrivals and keep room for them
 * @param weeks           how many weeks of sessions the profile learns from
 * @param minObservations sessions a weekday needs in the window before room is kept for it
 * @param margin          fraction added to the expected energy and power (0.1 = 10% more)
 * @param zone            the zone weekdays and times of day are learned in; null: the site's
 */
record ArrivalSettings(boolean enabled, int weeks, int minObservations, double margin, ZoneId zone) {

    static final ArrivalSettings DEFAULTS = new ArrivalSettings(true, 4, 8, 0.1, null);

    /** @throws IllegalArgumentException naming every bad value */
    static ArrivalSettings from(EvDeadlineConfig c) {
        List<String> errors = new ArrayList<>();
        if (c.arrivalLearningWeeks() < 1 || c.arrivalLearningWeeks() > 52) {
            errors.add("arrivalLearningWeeks must be within 1..52, got " + c.arrivalLearningWeeks());
        }
        if (c.arrivalMinObservations() < 1 || c.arrivalMinObservations() > 10_000) {
            errors.add("arrivalMinObservations must be within 1..10000, got " + c.arrivalMinObservations());
        }
        double margin = c.arrivalSafetyMargin();
        if (!(margin >= 0 && margin <= 2)) {
            errors.add("arrivalSafetyMargin must be within 0..2, got " + margin);
        }
        ZoneId zone = null;
        String z = c.siteZone() == null ? "" : c.siteZone().trim();
        try {
            zone = z.isEmpty() ? null : ZoneId.of(z);
        } catch (DateTimeException e) {
            errors.add("siteZone must be a time zone id such as Europe/Brussels, got '" + z + "'");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new ArrivalSettings(c.arrivalReserve(), c.arrivalLearningWeeks(), c.arrivalMinObservations(), margin, zone);
    }
}
