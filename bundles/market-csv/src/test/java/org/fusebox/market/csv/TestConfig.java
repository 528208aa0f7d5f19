package org.fusebox.market.csv;

import java.lang.annotation.Annotation;
import java.nio.file.Path;

/** A configuration as DS would hand it over, built in tests. */
@SuppressWarnings("all")
record TestConfig(String file, String timeZone, String currency, String id, int slotMinutes, boolean shiftToCurrentYear)
        implements CsvPriceFeedConfig {

    static TestConfig file(Path file) {
        return new TestConfig(file.toString(), "Europe/Brussels", "EUR", "csv", 0, false);
    }

    TestConfig withZone(String z) {
        return new TestConfig(file, z, currency, id, slotMinutes, shiftToCurrentYear);
    }

    TestConfig withCurrency(String c) {
        return new TestConfig(file, timeZone, c, id, slotMinutes, shiftToCurrentYear);
    }

    TestConfig withId(String i) {
        return new TestConfig(file, timeZone, currency, i, slotMinutes, shiftToCurrentYear);
    }

    TestConfig shifted() {
        return new TestConfig(file, timeZone, currency, id, slotMinutes, true);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return CsvPriceFeedConfig.class;
    }
}
