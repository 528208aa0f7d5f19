package org.fusebox.market.pjm;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code da_hrl_lmps} answers in the format the Data Miner 2 API guide describes: {@code items[]} with
 * the feed's column names, {@code totalRows}, and {@code links} with rel self/next. Written here.
 */
final class DataMinerJson {

    static final long PNODE = 51288; // a hub id is a plain number, like any pnode
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private DataMinerJson() {
    }

    /** The total LMP of hour ending {@code he} of {@code day}: 25.0 + he + day-of-month / 100, with a trailing digit. */
    static String lmp(LocalDate day, int he) {
        return String.format("%d.%02d%d", 25 + he, day.getDayOfMonth(), he % 10);
    }

    static String item(Instant start, long pnode, String lmp) {
        String utc = LOCAL.format(start.atZone(ZoneOffset.UTC));
        String ept = LOCAL.format(start.atZone(TradeDays.EASTERN));
        return "{\"datetime_beginning_utc\":\"" + utc + "\",\"datetime_beginning_ept\":\"" + ept + "\",\"pnode_id\":" + pnode
                + ",\"total_lmp_da\":" + lmp + ",\"system_energy_price_da\":24.5,\"congestion_price_da\":0.61,"
                + "\"marginal_loss_price_da\":-0.07}";
    }

    /** One item per hour of each whole trade day. */
    static List<String> items(LocalDate... days) {
        List<String> out = new ArrayList<>();
        for (LocalDate day : days) {
            Instant s = TradeDays.start(day);
            for (int he = 1; he <= TradeDays.hours(day); he++) {
                out.add(item(s.plusSeconds(3600L * (he - 1)), PNODE, lmp(day, he)));
            }
        }
        return out;
    }

    static String page(List<String> items, long totalRows, String self, String next) {
        StringBuilder sb = new StringBuilder("{\"links\":[{\"rel\":\"self\",\"href\":\"").append(self).append("\"}");
        if (next != null) {
            sb.append(",{\"rel\":\"next\",\"href\":\"").append(next).append("\"}");
        }
        sb.append("],\"items\":[").append(String.join(",", items)).append("],\"searchSpecification\":{\"rowCount\":")
                .append(items.size()).append("},\"totalRows\":").append(totalRows).append('}');
        return sb.toString();
    }

    static String whole(LocalDate... days) {
        List<String> items = items(days);
        return page(items, items.size(), "http://127.0.0.1/api/v1/da_hrl_lmps", null);
    }
}
