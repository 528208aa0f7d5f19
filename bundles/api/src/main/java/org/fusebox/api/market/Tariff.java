package org.fusebox.api.market;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What the site pays and earns per slot, from the market prices. The control core asks the one Tariff
 * service every cycle, on its own thread: it must compute, never block on I/O.
 *
 * @since 1.1
 */
@ConsumerType
public interface Tariff {

    /**
     * The site's prices over {@code [from, to)}.
     *
     * @param from           start of the horizon
     * @param to             end of the horizon (a tariff without market prices fills it)
     * @param market         the market curve, each slot naming its feed ({@link PriceSlot#source()}); may be empty
     * @param retailSources  the ids of the feeds whose prices are retail ({@link PriceKind#RETAIL}): passed through
     * @param zone           the site's time zone, which time bands follow
     * @return the prices; never null
     * @throws IllegalArgumentException when the market prices cannot be priced, e.g. in another currency than
     *                                  the tariff's; the message says why
     */
    SitePrices prices(Instant from, Instant to, PriceCurve market, Set<String> retailSources, ZoneId zone);
}
