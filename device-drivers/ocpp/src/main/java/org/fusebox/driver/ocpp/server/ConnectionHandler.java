package org.fusebox.driver.ocpp.server;

import org.java_websocket.WebSocket;

/** What the OCPP server hands over; every method is called on a WebSocket thread and must not block. */
public interface ConnectionHandler {

    /**
     * Decides on an upgrade whose path and subprotocol are already correct.
     *
     * @param authorization the Authorization header, or {@code null}
     * @param remote        the remote address, as text
     * @return {@code null} to let it in, or why not
     */
    Refusal admit(String chargePointId, String authorization, String remote);

    void opened(WebSocket socket, String chargePointId);

    void message(WebSocket socket, String chargePointId, String text);

    void closed(WebSocket socket, String chargePointId, int code, String reason);

    /** An upgrade was refused (by {@link #admit} or by the server: a wrong path or subprotocol, an error). */
    default void refused(Refusal refusal) {
    }

    /** The charge point answered a WebSocket ping. */
    default void pong(WebSocket socket, String chargePointId) {
    }
}
