package org.fusebox.market.nordpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fusebox.market.nordpool.Days.CET;
import static org.fusebox.market.nordpool.Days.HOUR;
import static org.fusebox.market.nordpool.Days.QH;
import static org.fusebox.market.nordpool.Days.answer;
import static org.fusebox.market.nordpool.Days.entries;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.junit.jupiter.api.Test;

/** Every shape of answer the parser accepts, and every one it refuses with its reason. */
class NordpoolParserTest {

    static final LocalDate MONDAY = LocalDate.of(2026, 12, 7);
    static final LocalDate SPRING = LocalDate.of(2026, 3, 29);
    static final LocalDate AUTUMN = LocalDate.of(2026, 10, 25);
    static final LocalDate HOURLY_ERA = LocalDate.of(2025, 9, 30); // the last day of the 60-minute MTU

    final NordpoolParser se3 = new NordpoolParser("SE3", Currency.getInstance("EUR"), CET);

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFinalQuarterHourDay() throws Exception {
        NordpoolDay d = se3.parse(b(Days.finalDay(MONDAY)), MONDAY);
        assertThat(d.preliminary()).isFalse();
        assertThat(d.updatedAt()).isEqualTo("2026-12-06T11:57:12.4173215Z");
        List<PriceSlot> s = d.slots();
        assertThat(s).hasSize(96);
        assertThat(s.get(0).start()).isEqualTo(Instant.parse("2026-12-06T23:00:00Z"));
        assertThat(s.get(0).price()).isEqualTo(EnergyPrice.perMegawattHour("41.20", "EUR"));
        assertThat(s.get(95).price().perMegawattHour().amount()).isEqualByComparingTo("76.35"); // 41.20 + 95 * 0.37
        assertThat(s.get(95).end()).isEqualTo(Instant.parse("2026-12-07T23:00:00Z"));
    }

    @Test
    void anHourlyDayBeforeTheQuarterHourMtu() throws Exception {
        NordpoolDay d = se3.parse(b(answer(HOURLY_ERA, "EUR", "Final", entries(HOURLY_ERA, HOUR, Days::price))), HOURLY_ERA);
        assertThat(d.slots()).hasSize(24).allMatch(s -> s.length().equals(HOUR));
    }

    @Test
    void dstDaysHave92And100QuarterHours() throws Exception {
        assertThat(se3.parse(b(answer(SPRING, "EUR", "Final", entries(SPRING, QH, Days::price))), SPRING).slots()).hasSize(92);
        NordpoolDay autumn = se3.parse(b(answer(AUTUMN, "EUR", "Final", entries(AUTUMN, QH, Days::price))), AUTUMN);
        assertThat(autumn.slots()).hasSize(100);
        assertThat(autumn.slots().get(0).start()).isEqualTo(Instant.parse("2026-10-24T22:00:00Z"));
        assertThat(autumn.slots().get(99).end()).isEqualTo(Instant.parse("2026-10-25T23:00:00Z"));
    }

    @Test
    void aPreliminaryDayIsMarked() throws Exception {
        NordpoolDay d = se3.parse(b(answer(MONDAY, "EUR", "Preliminary", entries(MONDAY, QH, Days::price))), MONDAY);
        assertThat(d.preliminary()).isTrue();
        assertThat(d.slots()).hasSize(96);
    }

    @Test
    void anotherStateIsRefused() {
        assertThatThrownBy(() -> se3.parse(b(answer(MONDAY, "EUR", "Cancelled", entries(MONDAY, QH, Days::price))), MONDAY))
                .hasMessage("2026-12-07: area SE3 is in state 'Cancelled', neither Final nor Preliminary");
    }

    @Test
    void aMissingSlotIsRefused() {
        List<String> e = new ArrayList<>(entries(MONDAY, QH, Days::price));
        e.remove(10);
        assertThatThrownBy(() -> se3.parse(b(answer(MONDAY, "EUR", "Final", e)), MONDAY))
                .hasMessage("2026-12-07 entry 10: missing slots from 2026-12-07T01:30:00Z to 2026-12-07T01:45:00Z");
    }

    @Test
    void trailingSlotsMissingAreRefused() {
        List<String> e = entries(MONDAY, QH, Days::price).subList(0, 90);
        assertThatThrownBy(() -> se3.parse(b(answer(MONDAY, "EUR", "Final", e)), MONDAY))
                .hasMessageContaining("entries end at 2026-12-07T21:30:00Z, the delivery day ends at 2026-12-07T23:00:00Z (90 min missing)");
    }

    @Test
    void aMissingAreaPriceIsRefused() {
        List<String> e = new ArrayList<>(entries(MONDAY, QH, Days::price));
        e.set(3, e.get(3).replaceFirst("\"SE3\":[0-9.]+,", ""));
        assertThatThrownBy(() -> se3.parse(b(answer(MONDAY, "EUR", "Final", e)), MONDAY))
                .hasMessage("2026-12-07 entry 3 (2026-12-06T23:45:00Z): no price for area SE3");
        e.set(3, e.get(3).replace("{\"SE4\"", "{\"SE3\":null,\"SE4\""));
        assertThatThrownBy(() -> se3.parse(b(answer(MONDAY, "EUR", "Final", e)), MONDAY))
                .hasMessageEndingWith("no price for area SE3 (null)");
    }

    @Test
    void anAreaWithoutStateIsRefused() {
        NordpoolParser fi = new NordpoolParser("FI", Currency.getInstance("EUR"), CET);
        assertThatThrownBy(() -> fi.parse(b(Days.finalDay(MONDAY)), MONDAY))
                .hasMessageContaining("area FI has no state in areaStates");
    }

    @Test
    void anotherCurrencyOrDayIsRefused() {
        NordpoolParser sek = new NordpoolParser("SE3", Currency.getInstance("SEK"), CET);
        assertThatThrownBy(() -> sek.parse(b(Days.finalDay(MONDAY)), MONDAY))
                .hasMessage("2026-12-07: prices are in 'EUR', asked for SEK");
        assertThatThrownBy(() -> se3.parse(b(Days.finalDay(MONDAY)), MONDAY.plusDays(1)))
                .hasMessage("2026-12-08: the answer is for delivery day '2026-12-07'");
    }

    @Test
    void overlappingOrOddSlotsAreRefused() {
        List<String> e = new ArrayList<>(entries(MONDAY, QH, Days::price));
        e.add(5, e.get(4));
        assertThatThrownBy(() -> se3.parse(b(answer(MONDAY, "EUR", "Final", e)), MONDAY))
                .hasMessageContaining("overlaps or is out of order");
        Instant start = MONDAY.atStartOfDay(CET).toInstant();
        List<String> odd = new ArrayList<>(entries(MONDAY, QH, Days::price));
        odd.set(0, Days.entry(start, start.plusSeconds(600), BigDecimal.TEN));
        assertThatThrownBy(() -> se3.parse(b(answer(MONDAY, "EUR", "Final", odd)), MONDAY))
                .hasMessageContaining("a slot of 10 min is not 15, 30 or 60 min");
        List<String> noZone = new ArrayList<>(entries(MONDAY, QH, Days::price));
        noZone.set(0, noZone.get(0).replace("2026-12-06T23:00:00Z\",\"deliveryEnd", "2026-12-06T23:00:00\",\"deliveryEnd"));
        assertThatThrownBy(() -> se3.parse(b(answer(MONDAY, "EUR", "Final", noZone)), MONDAY))
                .hasMessageContaining("deliveryStart '2026-12-06T23:00:00' is not a time with an offset");
    }

    @Test
    void malformedTruncatedAndEmptyAreRefused() {
        String whole = Days.finalDay(MONDAY);
        assertThatThrownBy(() -> se3.parse(b(whole.substring(0, whole.length() - 40)), MONDAY))
                .hasMessageStartingWith("2026-12-07: malformed or truncated JSON");
        assertThatThrownBy(() -> se3.parse(b(whole.replace("\"currency\"", "currency")), MONDAY))
                .hasMessageStartingWith("2026-12-07: malformed or truncated JSON");
        assertThatThrownBy(() -> se3.parse(b(""), MONDAY)).hasMessage("2026-12-07: the body is not a JSON object");
        assertThatThrownBy(() -> se3.parse(b(answer(MONDAY, "EUR", "Final", List.of())), MONDAY))
                .hasMessage("2026-12-07: no multiAreaEntries");
        assertThatThrownBy(() -> se3.parse(b(whole.replace("\"DayAhead\"", "\"Intraday\"")), MONDAY))
                .hasMessage("2026-12-07: market is 'Intraday', not DayAhead");
    }

    @Test
    void pricesAreExactAndNegativeOnesKept() throws Exception {
        String a = answer(MONDAY, "EUR", "Final", entries(MONDAY, QH, i -> new BigDecimal("-0.01")));
        assertThat(se3.parse(b(a), MONDAY).slots().get(7).price()).isEqualTo(EnergyPrice.perMegawattHour("-0.01", "EUR"));
        String fine = answer(MONDAY, "EUR", "Final", entries(MONDAY, QH, i -> new BigDecimal("123456.789012345")));
        assertThat(se3.parse(b(fine), MONDAY).slots().get(7).price().perMegawattHour().amount().toPlainString())
                .isEqualTo("123456.789012345");
    }
}
