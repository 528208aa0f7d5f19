package org.fusebox.market.pjm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fusebox.market.pjm.DataMinerJson.PNODE;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.market.PriceSlot;
import org.junit.jupiter.api.Test;

/** One page and a set of pages: the items, Eastern trade days, duplicates, early ends, malformed JSON. */
class PjmPageTest {

    static final LocalDate JULY_14 = LocalDate.of(2026, 7, 14);
    static final LocalDate SPRING = LocalDate.of(2026, 3, 8);
    static final LocalDate FALL = LocalDate.of(2026, 11, 1);

    static PjmPage page(String json) throws ReportRefused {
        return PjmPage.parse(json.getBytes(StandardCharsets.UTF_8), PNODE, 1);
    }

    static List<PriceSlot> slots(String... pages) throws ReportRefused {
        PjmPages all = new PjmPages();
        for (String p : pages) {
            all.add(page(p));
        }
        return ((PjmReport.Prices) all.result("test")).slots();
    }

    @Test
    void aNormalDayIsTwentyFourHoursFromEasternMidnightInUsdExactly() throws Exception {
        List<PriceSlot> s = slots(DataMinerJson.whole(JULY_14));
        assertThat(s).hasSize(24);
        assertThat(s.get(0).start()).isEqualTo(Instant.parse("2026-07-14T04:00:00Z"));
        assertThat(s.get(23).end()).isEqualTo(Instant.parse("2026-07-15T04:00:00Z"));
        assertThat(s.get(0).price().currency().getCurrencyCode()).isEqualTo("USD");
        // total_lmp_da, not the energy component (24.5), and not rounded through a double
        assertThat(s.get(5).price().perMegawattHour().amount()).isEqualByComparingTo(DataMinerJson.lmp(JULY_14, 6));
        assertThat(s.get(5).price().perMegawattHour().amount().scale()).isEqualTo(3);
    }

    @Test
    void clockChangeDaysHaveTwentyThreeAndTwentyFiveHours() throws Exception {
        List<PriceSlot> spring = slots(DataMinerJson.whole(SPRING));
        assertThat(spring).hasSize(23);
        assertThat(spring.get(0).start()).isEqualTo(Instant.parse("2026-03-08T05:00:00Z"));
        assertThat(spring.get(22).end()).isEqualTo(Instant.parse("2026-03-09T04:00:00Z"));
        List<PriceSlot> fall = slots(DataMinerJson.whole(FALL));
        assertThat(fall).hasSize(25);
        assertThat(fall.get(24).end()).isEqualTo(Instant.parse("2026-11-02T05:00:00Z"));
    }

    @Test
    void theNextLinkIsRead() throws Exception {
        String json = DataMinerJson.page(DataMinerJson.items(JULY_14).subList(0, 10), 24, "http://h/a?startRow=1",
                "http://h/a?startRow=11");
        PjmPage p = page(json);
        assertThat(p.rows()).hasSize(10);
        assertThat(p.totalRows()).isEqualTo(24);
        assertThat(p.next()).isEqualTo("http://h/a?startRow=11");
    }

    @Test
    void pagesAreJoinedAndRepeatedRowsDropped() throws Exception {
        List<String> items = DataMinerJson.items(JULY_14);
        // the second page starts two rows early: the same hours, the same prices
        String first = DataMinerJson.page(items.subList(0, 12), 24, "s", "n");
        String second = DataMinerJson.page(items.subList(10, 24), 24, "n", null);
        PjmPages all = new PjmPages();
        all.add(page(first));
        all.add(page(second));
        PjmReport.Prices p = (PjmReport.Prices) all.result("test");
        assertThat(p.slots()).hasSize(24);
        assertThat(p.note()).contains("2 pages", "2 repeated rows dropped");
    }

    @Test
    void theSameHourWithAnotherPriceIsRefused() throws Exception {
        List<String> items = new ArrayList<>(DataMinerJson.items(JULY_14));
        String changed = items.get(3).replace("\"total_lmp_da\":" + DataMinerJson.lmp(JULY_14, 4), "\"total_lmp_da\":99.9");
        PjmPages all = new PjmPages();
        all.add(page(DataMinerJson.page(items.subList(0, 12), 25, "s", "n")));
        assertThatThrownBy(() -> all.add(page(DataMinerJson.page(List.of(changed), 25, "n", null))))
                .isInstanceOf(ReportRefused.class).hasMessageContaining("two prices").hasMessageContaining("99.9");
    }

    @Test
    void pagingThatEndsEarlyIsRefused() throws Exception {
        PjmPages all = new PjmPages();
        all.add(page(DataMinerJson.page(DataMinerJson.items(JULY_14).subList(0, 12), 24, "s", null)));
        assertThat(all.complete()).isFalse();
        assertThatThrownBy(() -> all.result("test")).hasMessageContaining("paging ended after 12 of 24 rows");
    }

    @Test
    void aCountThatChangesBetweenPagesIsRefused() throws Exception {
        PjmPages all = new PjmPages();
        List<String> items = DataMinerJson.items(JULY_14);
        all.add(page(DataMinerJson.page(items.subList(0, 12), 24, "s", "n")));
        assertThatThrownBy(() -> all.add(page(DataMinerJson.page(items.subList(12, 24), 48, "n", null))))
                .hasMessageContaining("totalRows changed from 24 to 48");
    }

    @Test
    void aPartialDayIsRefused() {
        List<String> items = DataMinerJson.items(JULY_14, JULY_14.plusDays(1)).subList(0, 30);
        assertThatThrownBy(() -> slots(DataMinerJson.page(items, 30, "s", null)))
                .hasMessageContaining("trade day 2026-07-15 has 6 of its 24 hours");
    }

    @Test
    void noRowsIsNoDataNotAFailure() throws Exception {
        PjmPages all = new PjmPages();
        all.add(page(DataMinerJson.page(List.of(), 0, "s", null)));
        assertThat(all.result("x")).isInstanceOf(PjmReport.NoData.class);
    }

    @Test
    void malformedOrTruncatedJsonIsRefused() {
        String whole = DataMinerJson.whole(JULY_14);
        assertThatThrownBy(() -> page(whole.substring(0, whole.length() / 2))).hasMessageContaining("malformed or truncated JSON");
        assertThatThrownBy(() -> page(whole + "}")).hasMessageContaining("malformed or truncated JSON");
        assertThatThrownBy(() -> page("[1,2]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> page("{\"items\":[]}")).hasMessageContaining("no totalRows");
        assertThatThrownBy(() -> page("{\"errors\":[{\"field\":\"Filters\",\"message\":\"Date range cannot exceed 366 days\"}]}"))
                .hasMessageContaining("no items[]").hasMessageContaining("366 days");
    }

    @Test
    void badItemsAreRefusedWithTheirPosition() {
        String item = DataMinerJson.items(JULY_14).get(0);
        String wrap = "{\"items\":[%s],\"totalRows\":1,\"links\":[]}";
        assertThatThrownBy(() -> page(String.format(wrap, item.replace("\"pnode_id\":" + PNODE, "\"pnode_id\":1"))))
                .hasMessageContaining("item 1").hasMessageContaining("pnode_id 1, asked for " + PNODE);
        assertThatThrownBy(() -> page(String.format(wrap, item.replace("\"total_lmp_da\":" + DataMinerJson.lmp(JULY_14, 1),
                "\"total_lmp_da\":\"n/a\"")))).hasMessageContaining("total_lmp_da is missing or not a number");
        assertThatThrownBy(() -> page(String.format(wrap, item.replace("2026-07-14T00:00:00", "2026-07-14T01:00:00"))))
                .hasMessageContaining("is not datetime_beginning_utc");
        assertThatThrownBy(() -> page(String.format(wrap, item.replace("\"datetime_beginning_utc\"", "\"x\""))))
                .hasMessageContaining("no datetime_beginning_utc");
    }
}
