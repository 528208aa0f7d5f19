package org.fusebox.market.support;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;

/**
 * The known prices of one source and zone on disk (in the bundle's data area), so a restart without
 * internet keeps them. Written to a temporary file and moved over the old one, so a crash leaves the old
 * file or the new one, never half of either. Format: a header naming the source and the zone, then
 * {@code start;length;amount;currency} per slot, amounts exact.
 */
public final class PriceCache {

    private final Path file;
    private final String header;
    private final String zone;

    /**
     * @param dir    the bundle's data area
     * @param source the feed bundle, e.g. {@code fusebox-market-awattar} (a file of another feed is refused)
     * @param zone   the zone or area the prices are for (part of the file name)
     */
    public PriceCache(Path dir, String source, String zone) {
        this.file = dir.resolve("prices-" + zone.replaceAll("[^0-9A-Za-z]", "_") + ".txt");
        this.header = "# " + source + " prices v1 zone=" + zone;
        this.zone = zone;
    }

    public Path file() {
        return file;
    }

    public void write(List<PriceSlot> slots) throws IOException {
        StringBuilder sb = new StringBuilder(slots.size() * 48);
        sb.append(header).append('\n');
        for (PriceSlot s : slots) {
            sb.append(s.start()).append(';').append(s.length()).append(';')
                    .append(s.price().perMegawattHour().amount().toPlainString()).append(';')
                    .append(s.price().currency().getCurrencyCode()).append('\n');
        }
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "prices-", ".tmp");
        try {
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The cached slots; empty when there is no file. A damaged file is refused whole, with the line. */
    public List<PriceSlot> read() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(header)) {
            throw new IOException(file + " is not a price cache of this feed for zone " + zone);
        }
        List<PriceSlot> slots = new ArrayList<>(lines.size());
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(";");
            try {
                if (f.length != 4) {
                    throw new IllegalArgumentException("expected 4 fields");
                }
                slots.add(new PriceSlot(Instant.parse(f[0]), Duration.parse(f[1]),
                        new EnergyPrice(new Money(new BigDecimal(f[2]), Currency.getInstance(f[3])))));
            } catch (RuntimeException e) {
                throw new IOException(file + " line " + (i + 1) + " is damaged: " + e.getMessage());
            }
        }
        return slots;
    }
}
