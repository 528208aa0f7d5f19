package org.fusebox.rest.view;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.session.SessionStatus;
import org.fusebox.api.session.SlotEnergy;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Money;

/**
 * A recorded charging session: its metered energy and its cost per price slot.
 *
 * @param id             the session's id in the history
 * @param chargerId      charger device id
 * @param connectorId    1-based connector
 * @param transactionId  the charger's id for the session
 * @param idTag          the driver's token, or null
 * @param start          when it started
 * @param end            when it ended, null while active
 * @param status         ACTIVE, FINISHED, or LOST (ended while the gateway could not see it)
 * @param energy         metered energy
 * @param cost           the sum of the priced slots' costs, null when no slot was priced
 * @param costComplete   false when some energy was drawn while no price was known
 * @param unpricedEnergy energy drawn while no price was known
 * @param meterAnomalies register resets or jumps that were not counted
 * @param slots          energy, price and cost per price slot
 */
public record SessionRecordView(String id, String chargerId, int connectorId, String transactionId, String idTag,
        Instant start, Instant end, SessionStatus status, Energy energy, MoneyView cost, boolean costComplete,
        Energy unpricedEnergy, int meterAnomalies, List<SlotView> slots) {

    /**
     * An amount of money: exact, and rounded to the currency's minor unit.
     *
     * @param amount   exact amount
     * @param rounded  rounded half-even to the minor unit
     * @param currency ISO 4217 code
     */
    public record MoneyView(String amount, String rounded, String currency) {
        public static MoneyView of(Money m) {
            return m == null ? null
                    : new MoneyView(m.amount().stripTrailingZeros().toPlainString(), m.rounded().amount().toPlainString(),
                            m.currency().getCurrencyCode());
        }
    }

    /**
     * @param start           slot start
     * @param length          slot length
     * @param energy          energy drawn in the slot
     * @param perMegawattHour the import price in force, null when unknown
     * @param cost            the slot's cost, null when the price is unknown
     * @param priceSource     the price source, null when not known
     * @param tariff          the tariff applied, null when none or not known
     */
    public record SlotView(Instant start, Duration length, Energy energy, MoneyView perMegawattHour, MoneyView cost,
            String priceSource, String tariff) {
        static SlotView of(SlotEnergy s) {
            return new SlotView(s.start(), s.length(), s.energy(), s.priced() ? MoneyView.of(s.price().perMegawattHour()) : null,
                    MoneyView.of(s.cost()), s.priceSource(), s.tariff());
        }
    }

    public static SessionRecordView of(ChargingSession s) {
        return new SessionRecordView(s.id(), s.chargerId(), s.connectorId(), s.transactionId(), s.idTag(), s.start(), s.end(),
                s.status(), s.energy(), MoneyView.of(s.cost()), s.costComplete(), s.unpricedEnergy(), s.meterAnomalies(),
                s.slots().stream().map(SlotView::of).toList());
    }

    /**
     * The answer of {@code GET /sessions}.
     *
     * @param from     period start (inclusive)
     * @param to       period end (exclusive)
     * @param idTag    the id tag asked for, or null for all
     * @param sessions sessions overlapping the period, by start
     */
    public record ListView(Instant from, Instant to, String idTag, List<SessionRecordView> sessions) {
    }

    /**
     * What a connector's site view shows of its recorded session.
     *
     * @param id           the session's id in the history
     * @param energy       metered energy so far
     * @param cost         cost so far, null when no price was known
     * @param costComplete false when some energy was drawn while no price was known
     */
    public record SoFarView(String id, Energy energy, MoneyView cost, boolean costComplete) {
        public static SoFarView of(ChargingSession s) {
            return s == null ? null : new SoFarView(s.id(), s.energy(), MoneyView.of(s.cost()), s.costComplete());
        }
    }
}
