package org.fusebox.simulator.ocpp;

/**
 * What an OCPP charge point asks of the simulated charger it runs on. Each is queued and applied on the
 * simulation thread at the next step; a session id that no longer matches the plugged-in EV is ignored.
 */
public interface ChargerCommands {

    /** The EV of this session may charge. */
    void authorise(String sessionId);

    /** The session ends (stopped, refused, unlocked): the EV stops drawing and leaves. */
    void endSession(String sessionId);

    /** The charger rebooted with this EV plugged in: it waits for a new authorisation. */
    void awaitAuthorisation(String sessionId);

    /** Operative or Inoperative (ChangeAvailability). */
    void setOperative(boolean operative);
}
