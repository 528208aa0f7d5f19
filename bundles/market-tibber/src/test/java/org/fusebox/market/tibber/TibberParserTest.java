package org.fusebox.market.tibber;

import org.fusebox.market.support.FeedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fusebox.market.tibber.Answers.BERLIN;
import static org.fusebox.market.tibber.Answers.HOME;
import static org.fusebox.market.tibber.Answers.OSLO;
import static org.fusebox.market.tibber.Answers.OTHER_HOME;
import static org.fusebox.market.tibber.Answers.answer;
import static org.fusebox.market.tibber.Answers.day;
import static org.fusebox.market.tibber.Answers.home;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.junit.jupiter.api.Test;

/** Every shape of answer the parser accepts, and every one it refuses with its reason. */
class TibberParserTest {

    static final Duration QH = Duration.ofMinutes(15);
    static final Duration HOUR = Duration.ofHours(1);
    static final LocalDate MONDAY = LocalDate.of(2026, 12, 7);
    static final LocalDate SPRING = LocalDate.of(2026, 3, 29); // 23 h in Europe: 92 quarter hours
    static final LocalDate AUTUMN = LocalDate.of(2026, 10, 25); // 25 h: 100 quarter hours

    final TibberParser quarter = new TibberParser(Optional.empty(), Resolution.QUARTER_HOURLY, Optional.empty());

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aNormalDayAndTomorrowAtFifteenMinutesInNok() throws Exception {
        TibberPrices p = quarter.parse(b(Answers.oneHome(MONDAY, true)));
        assertThat(p.homeId()).isEqualTo(HOME);
        assertThat(p.currency()).isEqualTo(Currency.getInstance("NOK"));
        assertThat(p.todaySlots()).isEqualTo(96);
        assertThat(p.tomorrowSlots()).isEqualTo(96);
        List<PriceSlot> s = p.slots();
        assertThat(s).hasSize(192);
        assertThat(s.get(0).start()).isEqualTo(Instant.parse("2026-12-06T23:00:00Z")); // 00:00+01:00
        assertThat(s.get(0).length()).isEqualTo(QH);
        // 0.1000 NOK/kWh is 100.0 NOK/MWh, exactly
        assertThat(s.get(0).price()).isEqualTo(EnergyPrice.perMegawattHour("100.0", "NOK"));
        assertThat(s.get(95).price().perMegawattHour().amount()).isEqualByComparingTo("223.5"); // 0.1000 + 95 * 0.0013
        assertThat(s.get(96).start()).isEqualTo(Instant.parse("2026-12-07T23:00:00Z"));
        assertThat(s.get(96).price().perMegawattHour().amount()).isEqualByComparingTo("109.1"); // price(7)
        assertThat(s.get(191).end()).isEqualTo(Instant.parse("2026-12-08T23:00:00Z"));
    }

    @Test
    void tomorrowEmptyBeforePublicationIsTodayOnly() throws Exception {
        TibberPrices p = quarter.parse(b(Answers.oneHome(MONDAY, false)));
        assertThat(p.todaySlots()).isEqualTo(96);
        assertThat(p.tomorrowSlots()).isZero();
        assertThat(p.slots()).hasSize(96);
    }

    @Test
    void tomorrowNullIsTodayOnly() throws Exception {
        String a = Answers.oneHome(MONDAY, false).replace("\"tomorrow\":[]", "\"tomorrow\":null");
        assertThat(quarter.parse(b(a)).tomorrowSlots()).isZero();
    }

    @Test
    void springDayHas92QuarterHoursAndAutumnDay100() throws Exception {
        String spring = answer(home(HOME, OSLO, day(SPRING, OSLO, QH, "NOK", Answers::price),
                day(SPRING.plusDays(1), OSLO, QH, "NOK", Answers::price)));
        TibberPrices p = quarter.parse(b(spring));
        assertThat(p.todaySlots()).isEqualTo(92);
        assertThat(p.tomorrowSlots()).isEqualTo(96);
        // 01:45+01:00 is followed by 03:00+02:00: one instant later by 15 minutes
        assertThat(p.slots().get(8).start()).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));

        String autumn = answer(home(HOME, BERLIN, day(AUTUMN.minusDays(1), BERLIN, QH, "EUR", Answers::price),
                day(AUTUMN, BERLIN, QH, "EUR", Answers::price)));
        TibberPrices q = quarter.parse(b(autumn));
        assertThat(q.todaySlots()).isEqualTo(96);
        assertThat(q.tomorrowSlots()).isEqualTo(100);
        assertThat(q.slots().get(q.slots().size() - 1).end()).isEqualTo(Instant.parse("2026-10-25T23:00:00Z"));
        assertGapless(q.slots());
    }

    @Test
    void hourlyResolutionOnADstDay() throws Exception {
        TibberParser hourly = new TibberParser(Optional.empty(), Resolution.HOURLY, Optional.empty());
        String a = answer(home(HOME, OSLO, day(AUTUMN, OSLO, HOUR, "NOK", Answers::price), List.of()));
        TibberPrices p = hourly.parse(b(a));
        assertThat(p.todaySlots()).isEqualTo(25);
        assertThat(p.slots()).allMatch(s -> s.length().equals(HOUR));
    }

    @Test
    void hourlyPricesWhenQuarterHoursWereAskedForAreRefused() {
        String a = answer(home(HOME, OSLO, day(MONDAY, OSLO, HOUR, "NOK", Answers::price), List.of()));
        assertThatThrownBy(() -> quarter.parse(b(a))).isInstanceOf(FeedException.class)
                .hasMessageContaining("missing slots").hasMessageContaining("60 min later, expected 15");
    }

    @Test
    void aMissingSlotIsRefused() {
        List<String> today = new ArrayList<>(day(MONDAY, OSLO, QH, "NOK", Answers::price));
        today.remove(40);
        String a = answer(home(HOME, OSLO, today, List.of()));
        assertThatThrownBy(() -> quarter.parse(b(a))).hasMessageContaining("today: missing slots after 2026-12-07T08:45:00Z");
    }

    @Test
    void aTruncatedDayIsRefused() {
        List<String> tomorrow = day(MONDAY.plusDays(1), OSLO, QH, "NOK", Answers::price).subList(0, 50);
        String a = answer(home(HOME, OSLO, day(MONDAY, OSLO, QH, "NOK", Answers::price), tomorrow));
        assertThatThrownBy(() -> quarter.parse(b(a))).hasMessageContaining("tomorrow (2026-12-08 in Europe/Oslo) has 50 slots")
                .hasMessageContaining("a whole day has 96");
    }

    @Test
    void slotsOutOfOrderAreRefused() {
        List<String> today = new ArrayList<>(day(MONDAY, OSLO, QH, "NOK", Answers::price));
        java.util.Collections.swap(today, 3, 4);
        String a = answer(home(HOME, OSLO, today, List.of()));
        assertThatThrownBy(() -> quarter.parse(b(a))).hasMessageContaining("out of order or repeated");
    }

    @Test
    void aNullOrTextTotalIsRefused() {
        String a = Answers.oneHome(MONDAY, false).replaceFirst("\"total\":[0-9.]+", "\"total\":null");
        assertThatThrownBy(() -> quarter.parse(b(a))).hasMessageContaining("today[0] (2026-12-06T23:00:00Z) has no total price (null)");
        String t = Answers.oneHome(MONDAY, false).replaceFirst("\"total\":([0-9.]+)", "\"total\":\"$1\"");
        assertThatThrownBy(() -> quarter.parse(b(t))).hasMessageContaining("has no total price");
    }

    @Test
    void startsAtWithoutOffsetIsRefused() {
        String a = Answers.oneHome(MONDAY, false).replaceFirst("T00:00:00.000\\+01:00", "T00:00:00");
        assertThatThrownBy(() -> quarter.parse(b(a))).hasMessageContaining("today[0]: startsAt '2026-12-07T00:00:00' is not a time with an offset");
    }

    @Test
    void graphQlErrorsWithHttp200AreRefusedEvenNextToData() {
        assertThatThrownBy(() -> quarter.parse(b(Answers.errors("Context creation failed: invalid token", "UNAUTHENTICATED"))))
                .hasMessage("GraphQL errors: Context creation failed: invalid token [UNAUTHENTICATED]");
        String partial = Answers.oneHome(MONDAY, true).replaceFirst("^\\{", "{\"errors\":[{\"message\":\"priceInfo timed out\"}],");
        assertThatThrownBy(() -> quarter.parse(b(partial))).hasMessage("GraphQL errors: priceInfo timed out");
    }

    @Test
    void malformedAndTruncatedJsonAreRefused() {
        String whole = Answers.oneHome(MONDAY, true);
        assertThatThrownBy(() -> quarter.parse(b(whole.substring(0, whole.length() / 2))))
                .hasMessageContaining("malformed or truncated JSON");
        assertThatThrownBy(() -> quarter.parse(b(whole.replace("\"startsAt\"", "startsAt"))))
                .hasMessageContaining("malformed or truncated JSON").hasMessageContaining("line 1");
        assertThatThrownBy(() -> quarter.parse(b(whole + "}"))).hasMessageContaining("malformed or truncated JSON");
        assertThatThrownBy(() -> quarter.parse(b("[]"))).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> quarter.parse(b(""))).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> quarter.parse(b("{\"data\":{}}"))).hasMessageContaining("no data.viewer.homes");
    }

    @Test
    void severalHomesNeedAHomeId() throws Exception {
        String two = answer(home(HOME, OSLO, day(MONDAY, OSLO, QH, "NOK", Answers::price), List.of()),
                home(OTHER_HOME, OSLO, day(MONDAY, OSLO, QH, "NOK", i -> BigDecimal.ONE), List.of()));
        assertThatThrownBy(() -> quarter.parse(b(two))).hasMessageContaining("2 homes and no homeId")
                .hasMessageContaining(HOME + ", " + OTHER_HOME);
        TibberParser chosen = new TibberParser(Optional.of(OTHER_HOME), Resolution.QUARTER_HOURLY, Optional.empty());
        TibberPrices p = chosen.parse(b(two));
        assertThat(p.homeId()).isEqualTo(OTHER_HOME);
        assertThat(p.slots().get(0).price()).isEqualTo(EnergyPrice.perMegawattHour("1000", "NOK"));
        TibberParser unknown = new TibberParser(Optional.of("nope"), Resolution.QUARTER_HOURLY, Optional.empty());
        assertThatThrownBy(() -> unknown.parse(b(two))).hasMessageContaining("home nope is not in this account");
        assertThatThrownBy(() -> quarter.parse(b(answer()))).hasMessage("the account has no homes");
    }

    @Test
    void aHomeWithoutSubscriptionIsRefused() {
        String a = answer(Answers.homeWithoutSubscription(HOME, OSLO));
        assertThatThrownBy(() -> quarter.parse(b(a))).hasMessage("home " + HOME + " has no current subscription with prices");
    }

    @Test
    void noPricesForTodayIsRefused() {
        String a = answer(home(HOME, OSLO, List.of(), List.of()));
        assertThatThrownBy(() -> quarter.parse(b(a))).hasMessage("home " + HOME + ": no prices for today");
    }

    @Test
    void aCurrencyOtherThanTheConfiguredOneIsRefused() throws Exception {
        TibberParser sek = new TibberParser(Optional.empty(), Resolution.QUARTER_HOURLY, Optional.of(Currency.getInstance("SEK")));
        assertThatThrownBy(() -> sek.parse(b(Answers.oneHome(MONDAY, false))))
                .hasMessage("prices are in NOK, the configuration expects SEK");
        List<String> mixed = new ArrayList<>(day(MONDAY, OSLO, QH, "NOK", Answers::price));
        mixed.set(10, mixed.get(10).replace("NOK", "EUR"));
        assertThatThrownBy(() -> quarter.parse(b(answer(home(HOME, OSLO, mixed, List.of())))))
                .hasMessageContaining("more than one currency: NOK and EUR");
        String bad = Answers.oneHome(MONDAY, false).replaceFirst("NOK", "XYZW");
        assertThatThrownBy(() -> quarter.parse(b(bad))).hasMessageContaining("currency 'XYZW' is not ISO 4217");
    }

    @Test
    void tomorrowMustFollowToday() {
        String a = answer(home(HOME, OSLO, day(MONDAY, OSLO, QH, "NOK", Answers::price),
                day(MONDAY.plusDays(2), OSLO, QH, "NOK", Answers::price)));
        assertThatThrownBy(() -> quarter.parse(b(a))).hasMessageContaining("tomorrow starts at 2026-12-08T23:00:00Z, not where today ends");
    }

    @Test
    void negativePricesAreKept() throws Exception {
        String a = answer(home(HOME, BERLIN, day(MONDAY, BERLIN, QH, "EUR", i -> new BigDecimal("-0.0123")), List.of()));
        assertThat(quarter.parse(b(a)).slots().get(5).price()).isEqualTo(EnergyPrice.perMegawattHour("-12.3", "EUR"));
    }

    static void assertGapless(List<PriceSlot> slots) {
        for (int i = 1; i < slots.size(); i++) {
            assertThat(slots.get(i).start()).isEqualTo(slots.get(i - 1).end());
        }
    }
}
