package org.fusebox.simulator.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.units.Phase;

/**
 * An AC charger with one connector, behaving like an OCPP 1.6 charge point: it applies the current limit
 * its controller sets (below the minimum means paused), falls back to its failsafe current when the
 * controller goes quiet, and walks through the OCPP connector states as EVs come and go.
 */
public final class ChargePoint {

    /** Time between plug-in and the start of charging (authorisation, EV handshake). */
    static final Duration PREPARING_TIME = Duration.ofSeconds(30);
    /** Time between the end of a session and the cable being unplugged. */
    static final Duration FINISHING_TIME = Duration.ofSeconds(60);

    private final int number;
    private final List<Phase> phases;
    private final double minAmps;
    private final double maxAmps;
    private final double failsafeAmps;
    private final double volts;
    private final Watchdog watchdog;
    private final LongSupplier realNanos;

    private double commandedAmps;
    private double limitAmps;
    /** Set when a protocol layer (OCPP) decides the limit and authorises sessions instead of the watchdog. */
    private boolean externallyGoverned;
    private double governedAmps;
    private boolean operative = true;
    private Instant now;
    private ConnectorState state = ConnectorState.AVAILABLE;
    private ChargingSession session;
    private Instant stateUntil;
    private double amps;
    private double meterWattHours;

    ChargePoint(int number, List<Phase> phases, SiteConfig c, LongSupplier realNanos) {
        this.number = number;
        this.phases = List.copyOf(phases);
        this.minAmps = c.chargerMinAmps();
        this.maxAmps = c.chargerMaxAmps();
        this.failsafeAmps = c.chargerFailsafeAmps();
        this.volts = c.nominalVolts();
        this.watchdog = new Watchdog(c.failsafeTimeout().toNanos());
        this.realNanos = realNanos;
        this.limitAmps = failsafeAmps;
        this.governedAmps = failsafeAmps;
    }

    /**
     * Hands the limit and authorisation to a protocol layer, as a networked charger has them: from now on
     * the limit is whatever {@link #governLimit} last said (the watchdog no longer applies), and an EV
     * waits in PREPARING until {@link #authorise} is called for its session, the one plugged in now included.
     */
    public void governExternally() {
        externallyGoverned = true;
        if (session != null && state == ConnectorState.PREPARING) {
            session.authorised(false);
        }
    }

    /** The limit in force now, decided by the protocol layer; takes effect at the next step. */
    public void governLimit(double amps) {
        if (!(amps >= 0) || Double.isInfinite(amps)) {
            throw new IllegalArgumentException("current limit must be a finite number of amps, at least 0, got " + amps);
        }
        governedAmps = amps;
    }

    /** Lets the EV of this session charge; false when that session is no longer here. */
    public boolean authorise(String sessionId) {
        if (!isCurrent(sessionId)) {
            return false;
        }
        session.authorised(true);
        return true;
    }

    /**
     * Ends the session early (stopped remotely, refused, unlocked): the EV stops drawing and leaves after
     * the usual finishing time. False when that session is no longer here or is ending already.
     */
    public boolean endSession(String sessionId) {
        if (!isCurrent(sessionId) || state == ConnectorState.FINISHING) {
            return false;
        }
        state = ConnectorState.FINISHING;
        stateUntil = (now == null ? session.startedAt() : now).plus(FINISHING_TIME);
        return true;
    }

    /** After a reboot of the charger: the EV is still plugged in and must be authorised again. */
    public boolean awaitAuthorisation(String sessionId) {
        if (!isCurrent(sessionId) || state == ConnectorState.FINISHING) {
            return false;
        }
        session.authorised(false);
        state = ConnectorState.PREPARING;
        stateUntil = now == null ? session.startedAt() : now;
        return true;
    }

    /** Inoperative: once free, the connector turns UNAVAILABLE and arriving EVs pass it by. */
    public void setOperative(boolean operative) {
        this.operative = operative;
        if (operative && state == ConnectorState.UNAVAILABLE) {
            state = ConnectorState.AVAILABLE;
        } else if (!operative && state == ConnectorState.AVAILABLE) {
            state = ConnectorState.UNAVAILABLE;
        }
    }

    public boolean operative() {
        return operative;
    }

    private boolean isCurrent(String sessionId) {
        return session != null && session.sessionId().equals(sessionId);
    }

    /** Sets the current limit per phase, as an OCPP charging profile would; feeds the watchdog. */
    public void setCurrentLimit(double amps) {
        if (!(amps >= 0) || Double.isInfinite(amps)) {
            throw new IllegalArgumentException("current limit must be a finite number of amps, at least 0, got " + amps);
        }
        commandedAmps = amps;
        watchdog.feed(realNanos.getAsLong());
    }

    void plugIn(ChargingSession newSession, Instant at) {
        if (state != ConnectorState.AVAILABLE) {
            throw new IllegalStateException("connector " + number + " is " + state);
        }
        session = newSession;
        session.authorised(!externallyGoverned);
        state = ConnectorState.PREPARING;
        stateUntil = at.plus(PREPARING_TIME);
    }

    /** Advances over the {@code seconds} ending at {@code now}. */
    void advance(Instant now, double seconds, long realNow) {
        this.now = now;
        double wanted = externallyGoverned ? governedAmps : watchdog.expired(realNow) ? failsafeAmps : commandedAmps;
        limitAmps = Math.min(maxAmps, wanted);
        amps = 0;
        switch (state) {
            case AVAILABLE, UNAVAILABLE -> {
                // nothing plugged in
            }
            case FINISHING -> {
                if (!now.isBefore(stateUntil)) {
                    state = operative ? ConnectorState.AVAILABLE : ConnectorState.UNAVAILABLE;
                    session = null;
                    stateUntil = null;
                }
            }
            default -> serveVehicle(now, seconds);
        }
    }

    private void serveVehicle(Instant now, double seconds) {
        if (!now.isBefore(session.departure())) {
            state = ConnectorState.FINISHING;
            stateUntil = now.plus(FINISHING_TIME);
            return;
        }
        if (state == ConnectorState.PREPARING && (now.isBefore(stateUntil) || !session.authorised())) {
            return;
        }
        if (!session.needsEnergy()) {
            state = ConnectorState.SUSPENDED_EV;
        } else if (limitAmps < minAmps) {
            // OCPP: 0 pauses; anything under the minimum cannot be offered to an AC EV, so it pauses too
            state = ConnectorState.SUSPENDED_EVSE;
        } else {
            state = ConnectorState.CHARGING;
            charge(seconds);
        }
    }

    private void charge(double seconds) {
        if (seconds <= 0) {
            return;
        }
        double offered = Math.min(limitAmps, session.vehicle().acceptedAmps(session.socPercent()));
        double wattHours = offered * volts * phases.size() * seconds / 3600.0;
        double remaining = session.remainingWattHours();
        if (wattHours > remaining) {
            // the EV finishes within this step: report the average current it drew
            wattHours = remaining;
            offered = wattHours * 3600.0 / (volts * phases.size() * seconds);
        }
        amps = offered;
        session.deliver(wattHours);
        meterWattHours += wattHours;
    }

    /** 1-based charger number, also used in device ids. */
    public int number() {
        return number;
    }

    public List<Phase> phases() {
        return phases;
    }

    public double minAmps() {
        return minAmps;
    }

    public double maxAmps() {
        return maxAmps;
    }

    public double failsafeAmps() {
        return failsafeAmps;
    }

    public ConnectorState state() {
        return state;
    }

    /** The limit applied in the last step: the commanded one (capped at the rating), or the failsafe current. */
    public double limitAmps() {
        return limitAmps;
    }

    /** Current drawn on each of {@link #phases()} in the last step. */
    public double amps() {
        return amps;
    }

    /** Current drawn on {@code phase}: {@link #amps()} on the connector's phases, zero elsewhere. */
    public double amps(Phase phase) {
        return phases.contains(phase) ? amps : 0;
    }

    public double watts() {
        return amps * volts * phases.size();
    }

    /** The connector's energy register, over every session. */
    public double meterWattHours() {
        return meterWattHours;
    }

    public Optional<ChargingSession> session() {
        return Optional.ofNullable(session);
    }
}
