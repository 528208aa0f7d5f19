package org.fusebox.market.caiso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fusebox.market.caiso.OasisFiles.NODE;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fusebox.api.market.PriceSlot;
import org.junit.jupiter.api.Test;

/** The SingleZip answer: the CSV and its quirks, the error report inside the ZIP, damaged and hostile ZIPs. */
class OasisReportReaderTest {

    static final LocalDate JULY_14 = LocalDate.of(2026, 7, 14);
    static final LocalDate SPRING = LocalDate.of(2026, 3, 8); // 23 hours in Pacific time
    static final LocalDate FALL = LocalDate.of(2026, 11, 1); // 25 hours

    final OasisReportReader reader = new OasisReportReader(NODE);

    List<PriceSlot> slots(byte[] body) throws ReportRefused {
        return ((OasisReport.Prices) reader.read(body)).slots();
    }

    @Test
    void aNormalDayIsTwentyFourHourlyLmpsInUsdFromPacificMidnight() throws Exception {
        List<PriceSlot> s = slots(OasisFiles.zipOfCsv(JULY_14));
        assertThat(s).hasSize(24);
        assertThat(s.get(0).start()).isEqualTo(Instant.parse("2026-07-14T07:00:00Z")); // midnight PDT
        assertThat(s.get(23).end()).isEqualTo(Instant.parse("2026-07-15T07:00:00Z"));
        assertThat(s).allMatch(p -> p.length().equals(Duration.ofHours(1)));
        assertThat(s.get(0).price().currency().getCurrencyCode()).isEqualTo("USD");
        // exact: the LMP row, not the energy component (28.1) nor a sum of components
        assertThat(s.get(0).price().perMegawattHour().amount()).isEqualByComparingTo(OasisFiles.lmp(JULY_14, 1));
        assertThat(s.get(13).price().perMegawattHour().amount()).isEqualByComparingTo(OasisFiles.lmp(JULY_14, 14));
    }

    @Test
    void theSpringDayHasTwentyThreeHoursAndTheFallDayTwentyFive() throws Exception {
        List<PriceSlot> spring = slots(OasisFiles.zipOfCsv(SPRING));
        assertThat(spring).hasSize(23);
        assertThat(spring.get(0).start()).isEqualTo(Instant.parse("2026-03-08T08:00:00Z")); // midnight PST
        assertThat(spring.get(22).end()).isEqualTo(Instant.parse("2026-03-09T07:00:00Z")); // midnight PDT
        List<PriceSlot> fall = slots(OasisFiles.zipOfCsv(FALL));
        assertThat(fall).hasSize(25);
        assertThat(fall.get(0).start()).isEqualTo(Instant.parse("2026-11-01T07:00:00Z"));
        assertThat(fall.get(24).end()).isEqualTo(Instant.parse("2026-11-02T08:00:00Z"));
        // hour ending 2 and 3 are both 01:xx local, an hour apart in UTC
        assertThat(fall.get(2).start()).isEqualTo(Instant.parse("2026-11-01T09:00:00Z"));
    }

    @Test
    void onClockChangeDaysTheHourNumberMayFollowTheLocalClock() throws Exception {
        // spring: hour ending 2 is followed by hour ending 4; autumn: the repeated hour numbered 25
        String spring = OasisFiles.csv(SPRING);
        for (int he = 23; he >= 3; he--) {
            spring = spring.replace(",2026-03-08," + he + ",", ",2026-03-08," + (he + 1) + ",");
        }
        assertThat(slots(OasisFiles.zip("x.csv", spring))).hasSize(23);
        String fall = OasisFiles.csv(FALL);
        String repeated = fall.lines().filter(l -> l.startsWith("2026-11-01T09:00:00")).reduce("", (a, b) -> a + b + "\n");
        String renumbered = fall.replace(repeated, repeated.replace(",2026-11-01,3,", ",2026-11-01,25,"));
        assertThat(slots(OasisFiles.zip("x.csv", renumbered))).hasSize(25);
        // a number that fits no way of counting is still refused
        String wrong = fall.replace(repeated, repeated.replace(",2026-11-01,3,", ",2026-11-01,7,"));
        assertThatThrownBy(() -> reader.read(OasisFiles.zip("x.csv", wrong))).hasMessageContaining("does not match the interval");
    }

    @Test
    void twoTradeDaysInOneFile() throws Exception {
        assertThat(slots(OasisFiles.zipOfCsv(JULY_14, JULY_14.plusDays(1)))).hasSize(48);
    }

    @Test
    void onlyTheLmpRowsAreUsedAndTheComponentsAreNamedInTheNote() throws Exception {
        OasisReport.Prices p = (OasisReport.Prices) reader.read(OasisFiles.zipOfCsv(JULY_14));
        assertThat(p.note()).contains("24 hourly LMPs", "MCC=24", "MCE=24", "MCL=24", "MGHG=24");
    }

    @Test
    void aFileWithOnlyComponentsIsRefused() {
        String onlyComponents = OasisFiles.csv(JULY_14).lines().filter(l -> !l.contains(",LMP,LMP_PRC,"))
                .reduce("", (a, b) -> a + b + "\n");
        assertThatThrownBy(() -> reader.read(OasisFiles.zip("x.csv", onlyComponents)))
                .isInstanceOf(ReportRefused.class).hasMessageContaining("no rows of LMP_TYPE LMP").hasMessageContaining("MCE=24");
    }

    @Test
    void noDataInsideTheZipIsNotAFailure() throws Exception {
        OasisReport r = reader.read(OasisFiles.zip("INVALID_REQUEST.xml", OasisFiles.noData()));
        assertThat(r).isInstanceOf(OasisReport.NoData.class);
        assertThat(((OasisReport.NoData) r).description()).contains("No data returned");
    }

    @Test
    void anotherErrorReportIsRefusedWithItsCodeAndText() {
        assertThatThrownBy(() -> reader.read(OasisFiles.zip("INVALID_REQUEST.xml",
                OasisFiles.error("1004", "Data can be requested for period of 31 days only"))))
                .isInstanceOf(ReportRefused.class).hasMessageContaining("OASIS error 1004").hasMessageContaining("31 days");
    }

    @Test
    void anErrorReportWithoutAZipIsReadToo() throws Exception {
        assertThat(reader.read(OasisFiles.noData().getBytes(StandardCharsets.UTF_8))).isInstanceOf(OasisReport.NoData.class);
    }

    @Test
    void anXmlFileThatIsNotAnErrorReportIsRefused() {
        assertThatThrownBy(() -> reader.read(OasisFiles.zip("x.xml", "<OASISReport><other/></OASISReport>")))
                .isInstanceOf(ReportRefused.class).hasMessageContaining("no ERR_CODE");
        assertThatThrownBy(() -> reader.read(OasisFiles.zip("x.xml", "<OASISReport><ERR_CODE>10")))
                .isInstanceOf(ReportRefused.class).hasMessageContaining("not well-formed");
    }

    @Test
    void anXmlDoctypeIsNotFollowed() {
        String evil = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<r><ERR_CODE>&x;</ERR_CODE></r>";
        assertThatThrownBy(() -> reader.read(OasisFiles.zip("x.xml", evil))).isInstanceOf(ReportRefused.class);
    }

    @Test
    void aTruncatedZipIsRefused() {
        byte[] whole = OasisFiles.zipOfCsv(JULY_14);
        for (int keep : new int[] { 10, whole.length / 2, whole.length - 30, whole.length - 1 }) {
            assertThatThrownBy(() -> reader.read(OasisFiles.cut(whole, keep))).as("cut at " + keep)
                    .isInstanceOf(ReportRefused.class).hasMessageContaining("truncated");
        }
    }

    @Test
    void aZipBombIsRefusedBeforeItIsParsed() {
        byte[] zeros = new byte[(int) OasisZip.MAX_UNCOMPRESSED_BYTES + 1];
        byte[] bomb = OasisFiles.zip(Map.of("big.csv", zeros));
        assertThat(bomb.length).isLessThan(64 * 1024);
        assertThatThrownBy(() -> reader.read(bomb)).isInstanceOf(ReportRefused.class).hasMessageContaining("inflates to more than");
    }

    @Test
    void tooManyMembersOrNoneOrTwoCsvAreRefused() {
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i <= OasisZip.MAX_MEMBERS; i++) {
            many.put("m" + i + ".txt", new byte[1]);
        }
        assertThatThrownBy(() -> reader.read(OasisFiles.zip(many))).hasMessageContaining("more than " + OasisZip.MAX_MEMBERS);
        assertThatThrownBy(() -> reader.read(OasisFiles.zip(Map.of())))
                .isInstanceOf(ReportRefused.class).hasMessageContaining("empty");
        Map<String, byte[]> two = new LinkedHashMap<>();
        two.put("a.csv", OasisFiles.csv(JULY_14).getBytes(StandardCharsets.UTF_8));
        two.put("b.csv", OasisFiles.csv(JULY_14).getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> reader.read(OasisFiles.zip(two))).hasMessageContaining("two CSV files");
    }

    @Test
    void anHtmlPageIsNotAZip() {
        assertThatThrownBy(() -> reader.read("<html><body>busy</body></html>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ReportRefused.class);
        assertThatThrownBy(() -> reader.read("Too many requests".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ReportRefused.class).hasMessageContaining("not a ZIP");
    }

    @Test
    void aMissingColumnIsNamed() {
        String csv = OasisFiles.csv(JULY_14).replace("LMP_TYPE", "KIND");
        assertThatThrownBy(() -> reader.read(OasisFiles.zip("x.csv", csv))).hasMessageContaining("lacks the column(s) LMP_TYPE");
    }

    @Test
    void malformedRowsAreRefusedWithTheirLine() {
        String csv = OasisFiles.csv(JULY_14);
        String lmpRow = csv.lines().filter(l -> l.contains(",LMP,LMP_PRC,")).findFirst().orElseThrow();
        String badPrice = lmpRow.replace("," + OasisFiles.lmp(JULY_14, 1) + ",", ",n/a,");
        assertThatThrownBy(() -> reader.read(OasisFiles.zip("x.csv", csv.replace(lmpRow, badPrice))))
                .hasMessageContaining("line 2").hasMessageContaining("'n/a' is not a number");
        assertThatThrownBy(() -> reader.read(OasisFiles.zip("x.csv", csv.replace(lmpRow, lmpRow + ",extra"))))
                .hasMessageContaining("line 2 has 17 fields, the header 16");
        assertThatThrownBy(() -> reader.read(OasisFiles.zip("x.csv", csv.replace(lmpRow, lmpRow.replace("2026-07-14T07", "2026-07-14X07")))))
                .hasMessageContaining("bad time field");
    }

    @Test
    void aPartialDayIsRefusedNotHalfUsed() {
        String csv = OasisFiles.csv(JULY_14);
        String last = csv.lines().filter(l -> l.contains(",2026-07-14,24,") && l.contains(",LMP,LMP_PRC,")).findFirst().orElseThrow();
        assertThatThrownBy(() -> reader.read(OasisFiles.zip("x.csv", csv.replace(last + "\n", ""))))
                .hasMessageContaining("trade day 2026-07-14 has 23 of its 24 hours");
    }

    @Test
    void aDuplicateHourAnotherNodeOrMarketOrAWrongHourNumberIsRefused() {
        String csv = OasisFiles.csv(JULY_14);
        String lmpRow = csv.lines().filter(l -> l.contains(",LMP,LMP_PRC,")).findFirst().orElseThrow();
        assertThatThrownBy(() -> reader.read(OasisFiles.zip("x.csv", csv + lmpRow + "\n"))).hasMessageContaining("a second LMP row");
        assertThatThrownBy(() -> reader.read(OasisFiles.zip("x.csv", csv.replace(lmpRow, lmpRow.replace(",DAM,", ",RTM,")))))
                .hasMessageContaining("market RTM");
        assertThatThrownBy(() -> new OasisReportReader("TH_SP15_GEN-APND").read(OasisFiles.zipOfCsv(JULY_14)))
                .hasMessageContaining("node " + NODE + ", asked for TH_SP15_GEN-APND");
        assertThatThrownBy(() -> reader.read(OasisFiles.zip("x.csv", csv.replace(lmpRow, lmpRow.replace(",2026-07-14,1,", ",2026-07-14,2,")))))
                .hasMessageContaining("does not match the interval");
    }

    @Test
    void aFifteenMinuteIntervalIsNotDayAhead() {
        String csv = OasisFiles.csv(JULY_14);
        String lmpRow = csv.lines().filter(l -> l.contains(",LMP,LMP_PRC,")).findFirst().orElseThrow();
        String quarter = lmpRow.replace("2026-07-14T08:00:00-00:00", "2026-07-14T07:15:00-00:00");
        assertThatThrownBy(() -> reader.read(OasisFiles.zip("x.csv", csv.replace(lmpRow, quarter)))).hasMessageContaining("not one hour");
    }

    @Test
    void quotedFieldsAndCrLfAreRead() throws Exception {
        String csv = OasisFiles.csv(JULY_14).replace(",DAM,", ",\"DAM\",").replace("\n", "\r\n");
        assertThat(slots(OasisFiles.zip("x.csv", csv))).hasSize(24);
    }
}
