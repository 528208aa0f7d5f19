package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The core checks every value itself, from the raw properties, whatever path they came by. */
class CoreSettingsTest {

    private static Map<String, Object> file(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("service.pid", "fusebox.core");
        m.put("felix.fileinstall.filename", "file:/opt/fusebox/etc/fusebox.core.cfg");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static CoreSettings.InvalidConfigurationException refused(Map<String, Object> props) {
        try {
            CoreSettings.from(props);
        } catch (CoreSettings.InvalidConfigurationException e) {
            return e;
        }
        throw new AssertionError("accepted " + props);
    }

    @Test
    void aFileGivesStringsAndTheyAreCheckedLikeNumbers() {
        CoreSettings s = CoreSettings.from(file("fuseLimitAmps", "63", "safetyMarginAmps", " 2.5 ", "phases", "3",
                "connectorReadingMaxAgeMillis", "4000"));

        assertThat(s.limits().fuseLimit().amps()).isEqualTo(63.0);
        assertThat(s.limits().safetyMargin().amps()).isEqualTo(2.5);
        assertThat(s.limits().connectorReadingMaxAge().toMillis()).isEqualTo(4000);
        assertThat(s.values()).containsEntry("fuseLimitAmps", "63").containsEntry("safetyMarginAmps", "2.5");
    }

    @Test
    void aFuseAboveTheMetatypeMaximumIsRefusedByTheCoreItself() {
        assertThat(refused(file("fuseLimitAmps", "1e9")).reasons()).containsExactly("fuseLimitAmps must be within 1..4000 A, got 1.0E9");
        assertThat(refused(file("fuseLimitAmps", 0.5)).reasons()).containsExactly("fuseLimitAmps must be within 1..4000 A, got 0.5");
        assertThat(refused(file("fuseLimitAmps", "-5")).reasons()).containsExactly("fuseLimitAmps must be a positive number of amps, got -5.0");
        assertThat(CoreSettings.from(file("fuseLimitAmps", 4000)).limits().fuseLimit().amps()).isEqualTo(4000.0);
    }

    @Test
    void notANumberIsRefused() {
        assertThat(refused(file("fuseLimitAmps", "NaN")).reasons()).containsExactly("fuseLimitAmps must be a finite number, got NaN");
        assertThat(refused(file("fuseLimitAmps", Double.POSITIVE_INFINITY)).reasons())
                .containsExactly("fuseLimitAmps must be a finite number, got Infinity");
        assertThat(refused(file("fuseLimitAmps", "sixty-three")).reasons()).containsExactly("fuseLimitAmps must be a number, got 'sixty-three'");
        assertThat(refused(file("fuseLimitAmps", true)).reasons()).containsExactly("fuseLimitAmps must be a number, got Boolean true");
        assertThat(refused(file("fuseLimitAmps", 63, "phases", "3.5")).reasons()).containsExactly("phases must be a whole number, got 3.5");
    }

    @Test
    void aMissingFuseIsNotConfiguredAndATypoIsNamed() {
        CoreSettings.InvalidConfigurationException typo = refused(file("fuseLimitAmp", "25"));

        assertThat(typo.fuseMissing()).isTrue();
        assertThat(typo.reasons()).containsExactly(
                "fuseLimitAmps is not configured: there is no default for the fuse; set it in etc/fusebox.core.cfg",
                "unknown key fuseLimitAmp (did you mean fuseLimitAmps?): not used");
        assertThat(refused(Map.of()).fuseMissing()).isTrue();
        assertThat(refused(null).fuseMissing()).isTrue();
        // a typo beside a valid fuse is refused too, so it cannot quietly leave another limit at its default
        CoreSettings.InvalidConfigurationException margin = refused(file("fuseLimitAmps", 63, "safetyMarginAmp", 10));
        assertThat(margin.fuseMissing()).isFalse();
        assertThat(margin.reasons()).containsExactly("unknown key safetyMarginAmp (did you mean safetyMarginAmps?): not used");
    }

    @Test
    void everyRangeTheMetatypeStatesIsEnforced() {
        assertThat(refused(file("fuseLimitAmps", 63, "safetyMarginAmps", 63)).reasons())
                .containsExactly("safetyMarginAmps must be at least 0 and below fuseLimitAmps (63.0), got 63.0");
        assertThat(refused(file("fuseLimitAmps", 63, "safetyMarginAmps", -1)).reasons())
                .containsExactly("safetyMarginAmps must be at least 0 and below fuseLimitAmps (63.0), got -1.0");
        assertThat(refused(file("fuseLimitAmps", 63, "phases", 2)).reasons()).containsExactly("phases must be 1 or 3, got 2");
        assertThat(refused(file("fuseLimitAmps", 63, "nominalVoltage", 50)).reasons())
                .containsExactly("nominalVoltage must be within 100..400 V, got 50.0");
        assertThat(refused(file("fuseLimitAmps", 63, "batteryMinSocPercent", -1, "batteryMaxSocPercent", 120)).reasons())
                .containsExactly("batteryMinSocPercent must be within 0..100, got -1.0", "batteryMaxSocPercent must be within 0..100, got 120.0");
        assertThat(refused(file("fuseLimitAmps", 63, "batteryMinSocPercent", 90, "batteryMaxSocPercent", 10)).reasons())
                .containsExactly("batteryMinSocPercent (90.0) must be below batteryMaxSocPercent (10.0)");
        assertThat(refused(file("fuseLimitAmps", 63, "cyclePeriodMillis", 10)).reasons())
                .containsExactly("cyclePeriodMillis must be within 50..60000, got 10");
        assertThat(refused(file("fuseLimitAmps", 63, "connectorReadingMaxAgeMillis", -1)).reasons())
                .containsExactly("connectorReadingMaxAgeMillis must be within 0..600000, got -1");
        assertThat(refused(file("fuseLimitAmps", 63, "missingDeviceReportMillis", 10)).reasons())
                .containsExactly("missingDeviceReportMillis must be within 1000..2592000000, got 10");
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        assertThatThrownBy(() -> CoreSettings.from(file("fuseLimitAmps", "1e9", "phases", 2, "nominalVoltage", "x")))
                .isInstanceOf(CoreSettings.InvalidConfigurationException.class)
                .hasMessageContaining("fuseLimitAmps must be within 1..4000 A")
                .hasMessageContaining("phases must be 1 or 3")
                .hasMessageContaining("nominalVoltage must be a number, got 'x'");
    }

    @Test
    void theSiteZoneIsAKnownZoneIdOrAbsent() {
        assertThat(CoreSettings.from(file("fuseLimitAmps", 63, "siteTimeZone", " Europe/Brussels ")).zone())
                .isEqualTo(java.time.ZoneId.of("Europe/Brussels"));
        assertThat(CoreSettings.from(file("fuseLimitAmps", 63)).zone()).isNull();
        assertThat(CoreSettings.from(file("fuseLimitAmps", 63, "siteTimeZone", "")).zone()).isNull();
        assertThat(refused(file("fuseLimitAmps", 63, "siteTimeZone", "Mars/Olympus")).reasons())
                .singleElement().asString().startsWith("siteTimeZone must be a time zone id such as Europe/Brussels, got 'Mars/Olympus'");
        assertThat(refused(file("fuseLimitAmps", 63, "siteTimeZone", 5)).reasons()).singleElement().asString().contains("Integer 5");
        // Kept as given, so that the last valid configuration reads back the same.
        CoreSettings s = CoreSettings.from(file("fuseLimitAmps", 63, "siteTimeZone", "Europe/Berlin", "priceFeeds", "a, b"));
        assertThat(CoreSettings.from(new HashMap<>(s.values()))).isEqualTo(s);
    }

    @Test
    void priceFeedsAreIdsInOrderFromAStringOrAnArray() {
        assertThat(CoreSettings.from(file("fuseLimitAmps", 63, "priceFeeds", "entsoe-BE, energycharts-BE")).priceFeeds())
                .containsExactly("entsoe-BE", "energycharts-BE");
        assertThat(CoreSettings.from(file("fuseLimitAmps", 63, "priceFeeds", new String[] { "b", "a" })).priceFeeds()).containsExactly("b", "a");
        assertThat(CoreSettings.from(file("fuseLimitAmps", 63)).priceFeeds()).isEmpty();
        assertThat(refused(file("fuseLimitAmps", 63, "priceFeeds", "a,,b")).reasons()).containsExactly("priceFeeds has an empty feed id in 'a,,b'");
        assertThat(refused(file("fuseLimitAmps", 63, "priceFeeds", "a, a")).reasons()).containsExactly("priceFeeds names a twice");
    }
}
