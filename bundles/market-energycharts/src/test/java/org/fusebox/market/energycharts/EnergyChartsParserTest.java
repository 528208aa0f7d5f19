package org.fusebox.market.energycharts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fusebox.market.energycharts.Documents.BERLIN;
import static org.fusebox.market.energycharts.Documents.day;
import static org.fusebox.market.energycharts.Documents.days;
import static org.fusebox.market.energycharts.Documents.document;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.fusebox.market.support.FeedException;
import org.fusebox.market.support.FetchResult;
import org.junit.jupiter.api.Test;

/** The document: resolution, the clock-change days, nulls and gaps, and every refusal with its reason. */
class EnergyChartsParserTest {

    static final Duration H = Duration.ofHours(1);
    static final Duration QH = Duration.ofMinutes(15);
    static final Instant ALWAYS = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant NEVER = Instant.parse("2100-01-01T00:00:00Z");
    final EnergyChartsParser parser = new EnergyChartsParser();

    FetchResult parse(String doc) throws FeedException {
        return parser.parse(doc.getBytes(StandardCharsets.UTF_8), ALWAYS, NEVER);
    }

    String refusal(String doc) {
        try {
            parse(doc);
        } catch (FeedException e) {
            return e.getMessage();
        }
        throw new AssertionError("not refused: " + doc);
    }

    @Test
    void anHourlyAndAQuarterHourDay() throws Exception {
        LocalDate d = LocalDate.of(2025, 3, 12);
        FetchResult hourly = parse(days(d, d, H, i -> i == 2 ? "-0.01" : "97.35"));
        assertThat(hourly.slots()).hasSize(24).allMatch(s -> s.length().equals(H));
        assertThat(hourly.slots().get(0).start()).isEqualTo(Instant.parse("2025-03-11T23:00:00Z"));
        assertThat(hourly.slots().get(2).price().perMegawattHour().amount()).isEqualByComparingTo(new BigDecimal("-0.01"));
        assertThat(hourly.slots().get(0).price().currency().getCurrencyCode()).isEqualTo("EUR");
        assertThat(parse(day(LocalDate.of(2025, 10, 8), QH, "101")).slots()).hasSize(96).allMatch(s -> s.length().equals(QH));
    }

    @Test
    void theClockChangeDays() throws Exception {
        LocalDate spring = LocalDate.of(2025, 3, 30);
        LocalDate autumn = LocalDate.of(2025, 10, 26);
        assertThat(parse(day(spring, H, "50")).slots()).hasSize(23);
        assertThat(parse(day(autumn, H, "50")).slots()).hasSize(25);
        assertThat(parse(day(spring, QH, "50")).slots()).hasSize(92);
        assertThat(parse(day(autumn, QH, "50")).slots()).hasSize(100);
    }

    @Test
    void nullsAndSkippedSlotsStayUnknownAndAreNoted() throws Exception {
        LocalDate d = LocalDate.of(2025, 10, 8);
        // tomorrow not published: its values come as nulls
        FetchResult r = parse(days(d, d.plusDays(1), QH, i -> i >= 96 || i == 10 ? "null" : "80"));
        assertThat(r.slots()).hasSize(95);
        assertThat(r.note()).contains("97 null price(s) stay unknown");
        assertThat(r.slots()).noneMatch(s -> s.start().equals(d.atStartOfDay(BERLIN).toInstant().plus(QH.multipliedBy(10))));

        long t0 = d.atStartOfDay(BERLIN).toEpochSecond();
        FetchResult gap = parse(document(List.of(t0, t0 + 900, t0 + 1800, t0 + 4500), List.of("1", "2", "3", "4"), "EUR / MWh"));
        assertThat(gap.slots()).hasSize(4);
        assertThat(gap.note()).contains("2 slot(s) without a value stay unknown");

        assertThat(parse(day(d, QH, "null")).hasPrices()).isFalse();
        assertThat(parse(document(List.of(), List.of(), "EUR / MWh")).hasPrices()).isFalse();
    }

    @Test
    void valuesOutsideTheIntervalAreLeftOut() throws Exception {
        LocalDate d = LocalDate.of(2025, 10, 8);
        Instant from = d.atStartOfDay(BERLIN).toInstant();
        FetchResult r = parser.parse(days(d.minusDays(1), d, QH, i -> "70").getBytes(StandardCharsets.UTF_8), from,
                from.plus(Duration.ofDays(1)));
        assertThat(r.slots()).hasSize(96);
        assertThat(r.slots().get(0).start()).isEqualTo(from);
        assertThat(r.note()).contains("96 value(s) outside the interval");
    }

    @Test
    void badDocumentsAreRefusedWithTheirReason() {
        long t = Instant.parse("2025-10-08T10:00:00Z").getEpochSecond();
        String good = day(LocalDate.of(2025, 10, 8), QH, "80");
        assertThat(refusal(good.substring(0, good.length() - 40))).startsWith("truncated JSON");
        assertThat(refusal("{\"unix_seconds\":[1,2,],\"price\":[]}")).startsWith("malformed JSON");
        assertThat(refusal("Internal Server Error")).startsWith("malformed JSON");
        assertThat(refusal(good.replace("EUR / MWh", "EUR / kWh"))).contains("unit", "EUR / kWh");
        assertThat(refusal(good.replace("EUR / MWh", "PLN / MWh"))).contains("unit", "PLN");
        assertThat(refusal(good.replace(",\"unit\":\"EUR / MWh\"", ""))).contains("unit null");
        assertThat(refusal(document(List.of(t, t + 900, t + 1800), List.of("1", "2"), "EUR / MWh"))).contains("3 times but 2 prices");
        assertThat(refusal(document(List.of(t, t + 900, t + 900), List.of("1", "2", "3"), "EUR / MWh"))).contains("unix_seconds[2]", "not after");
        assertThat(refusal(document(List.of(t, t + 900, t + 1860), List.of("1", "2", "3"), "EUR / MWh"))).contains("unix_seconds[2]", "15-minute");
        assertThat(refusal(document(List.of(t, t + 1800, t + 3600), List.of("1", "2", "3"), "EUR / MWh"))).contains("30 min apart");
        assertThat(refusal(document(List.of(t, t + 900), List.of("1", "\"2\""), "EUR / MWh"))).contains("price[1]", "not a number");
        assertThat(refusal(document(List.of(t), List.of("1"), "EUR / MWh"))).contains("single value");
        assertThat(refusal("{\"price\":[1],\"unit\":\"EUR / MWh\"}")).contains("\"unix_seconds\" or \"price\" is missing");
        assertThat(refusal("[1,2,3]")).contains("expected a JSON object");
    }

    @Test
    void aDeprecatedEndpointIsUsedAndSaid() throws Exception {
        FetchResult r = parse(day(LocalDate.of(2025, 10, 8), QH, "80").replace("\"deprecated\":false", "\"deprecated\":true"));
        assertThat(r.slots()).hasSize(96);
        assertThat(r.note()).contains("deprecated");
    }
}
