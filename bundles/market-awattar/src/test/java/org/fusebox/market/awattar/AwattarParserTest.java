package org.fusebox.market.awattar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fusebox.market.awattar.Documents.BERLIN;
import static org.fusebox.market.awattar.Documents.day;
import static org.fusebox.market.awattar.Documents.days;
import static org.fusebox.market.awattar.Documents.entry;
import static org.fusebox.market.awattar.Documents.list;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.market.support.FeedException;
import org.fusebox.market.support.FetchResult;
import org.junit.jupiter.api.Test;

/** The document: slot lengths, the clock-change days, gaps, and every refusal with its reason. */
class AwattarParserTest {

    static final Duration H = Duration.ofHours(1);
    static final Duration QH = Duration.ofMinutes(15);
    static final Instant ALWAYS = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant NEVER = Instant.parse("2100-01-01T00:00:00Z");
    final AwattarParser parser = new AwattarParser();

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
    void anHourlyDayHas24SlotsWithExactPrices() throws Exception {
        LocalDate d = LocalDate.of(2025, 3, 12);
        FetchResult r = parse(list(days(d, d, H, i -> i == 3 ? "-5.12" : "42.09")));
        assertThat(r.slots()).hasSize(24).allMatch(s -> s.length().equals(H));
        assertThat(r.slots().get(0).start()).isEqualTo(Instant.parse("2025-03-11T23:00:00Z"));
        assertThat(r.slots().get(0).price().perMegawattHour().amount()).isEqualByComparingTo(new BigDecimal("42.09"));
        assertThat(r.slots().get(3).price().perMegawattHour().amount()).isEqualByComparingTo(new BigDecimal("-5.12"));
        assertThat(r.slots().get(0).price().currency().getCurrencyCode()).isEqualTo("EUR");
        assertThat(r.note()).isEmpty();
    }

    @Test
    void aQuarterHourDayHas96Slots() throws Exception {
        FetchResult r = parse(day(LocalDate.of(2025, 10, 8), QH, "88.8"));
        assertThat(r.slots()).hasSize(96).allMatch(s -> s.length().equals(QH));
    }

    @Test
    void theClockChangeDaysHave23And25HoursOr92And100QuarterHours() throws Exception {
        LocalDate spring = LocalDate.of(2025, 3, 30);
        LocalDate autumn = LocalDate.of(2025, 10, 26);
        assertThat(parse(day(spring, H, "50")).slots()).hasSize(23);
        assertThat(parse(day(autumn, H, "50")).slots()).hasSize(25);
        assertThat(parse(day(spring, QH, "50")).slots()).hasSize(92);
        List<PriceSlot> autumnQh = parse(day(autumn, QH, "50")).slots();
        assertThat(autumnQh).hasSize(100);
        assertThat(autumnQh.get(99).end()).isEqualTo(LocalDate.of(2025, 10, 27).atStartOfDay(BERLIN).toInstant());
    }

    @Test
    void aMissingEntryStaysUnknownAndIsNoted() throws Exception {
        LocalDate d = LocalDate.of(2025, 3, 12);
        List<String> entries = new ArrayList<>(days(d, d, H, i -> "40"));
        entries.remove(5);
        entries.remove(5);
        FetchResult r = parse(list(entries));
        assertThat(r.slots()).hasSize(22);
        assertThat(r.note()).contains("2 slot(s) without an entry stay unknown");
    }

    @Test
    void entriesOutsideTheIntervalAreLeftOutAndNoneInsideIsNoData() throws Exception {
        LocalDate d = LocalDate.of(2025, 3, 12);
        byte[] doc = list(days(d, d.plusDays(1), H, i -> "40")).getBytes(StandardCharsets.UTF_8);
        Instant from = d.atStartOfDay(BERLIN).toInstant();
        FetchResult r = parser.parse(doc, from, from.plus(Duration.ofHours(24)));
        assertThat(r.slots()).hasSize(24);
        assertThat(r.note()).contains("24 entries outside the interval");
        assertThat(parse(list(List.of())).hasPrices()).isFalse();
    }

    @Test
    void badDocumentsAreRefusedWithTheirReason() {
        Instant t = Instant.parse("2025-03-12T10:00:00Z");
        String good = day(LocalDate.of(2025, 3, 12), H, "40");
        assertThat(refusal(good.substring(0, good.length() / 2))).startsWith("truncated JSON");
        assertThat(refusal("{\"object\":\"list\",\"data\":[}")).startsWith("malformed JSON");
        assertThat(refusal("<html>maintenance</html>")).startsWith("malformed JSON");
        assertThat(refusal(good + "{}")).startsWith("malformed JSON");
        assertThat(refusal("{\"object\":\"error\",\"data\":[]}")).contains("\"object\":\"list\"");
        assertThat(refusal("{\"object\":\"list\"}")).contains("\"data\" is missing");
        assertThat(refusal(list(List.of(entry(t, t.plus(H), "40", "Ct/kWh"))))).contains("data[0]", "unit", "Ct/kWh");
        assertThat(refusal(list(List.of(entry(t, t.plus(H), "null", "Eur/MWh"))))).contains("data[0]", "marketprice null");
        assertThat(refusal(list(List.of(entry(t, t.plus(H), "\"40\"", "Eur/MWh"))))).contains("not a number");
        assertThat(refusal(list(List.of(entry(t, t.plus(Duration.ofMinutes(45)), "40", "Eur/MWh"))))).contains("45 min, expected 15 or 60");
        assertThat(refusal(list(List.of(entry(t.plusSeconds(60), t.plusSeconds(3660), "40", "Eur/MWh"))))).contains("boundary");
        assertThat(refusal(list(List.of(entry(t, t.plus(H), "40", "Eur/MWh"), entry(t.plus(QH), t.plus(QH).plus(QH), "40", "Eur/MWh")))))
                .contains("data[1]", "overlapping");
        assertThat(refusal(list(List.of(entry(t.plus(H), t.plus(H).plus(H), "40", "Eur/MWh"), entry(t, t.plus(H), "40", "Eur/MWh")))))
                .contains("out of order");
        assertThat(refusal("{\"object\":\"list\",\"object\":\"list\",\"data\":[]}")).contains("Duplicate field");
        assertThatThrownBy(() -> parse("")).hasMessageContaining("JSON");
    }
}
