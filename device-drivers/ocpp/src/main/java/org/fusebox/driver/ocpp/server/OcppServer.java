package org.fusebox.driver.ocpp.server;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket endpoint charge points connect to: {@code ws[s]://host:port/ocpp/{chargePointId}} with the
 * ocpp1.6 subprotocol. Wrong paths, subprotocols and credentials are refused with an HTTP status before the
 * upgrade; everything after it goes to the {@link ConnectionHandler}.
 */
public final class OcppServer extends WebSocketServer {

    private static final Logger LOG = LoggerFactory.getLogger(OcppServer.class);

    public static final String PATH_PREFIX = "/ocpp/";
    /** OCPP identities of at most 48 characters; the separators the configuration uses (: = , ;) are left out. */
    public static final Pattern CHARGE_POINT_ID = Pattern.compile("[A-Za-z0-9*\\-_+@.]{1,48}");

    private final ConnectionHandler handler;
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    /** What a socket is: a charge point, or an upgrade being refused. */
    private record Attachment(String chargePointId, Refusal refusal) {
    }

    private final int maxMessageBytes;

    public OcppServer(InetSocketAddress address, SSLContext tls, int connectionLostTimeoutSeconds, int maxMessageBytes,
            ConnectionHandler handler) {
        super(address, 2, List.<Draft>of(new OcppDraft(maxMessageBytes)));
        this.maxMessageBytes = maxMessageBytes;
        this.handler = handler;
        setReuseAddr(true);
        // The JDK's default backlog of 50 overflows when a whole depot reconnects at once (after a gateway
        // restart): the kernel then drops SYNs and chargers wait seconds to retry.
        setMaxPendingConnections(1024);
        setTcpNoDelay(true);
        setDaemon(true);
        setConnectionLostTimeout(connectionLostTimeoutSeconds);
        if (tls != null) {
            setWebSocketFactory(new DefaultSSLWebSocketServerFactory(tls));
        }
    }

    /** Starts and waits until the port is bound. */
    public void startAndWait(long timeoutMillis) throws Exception {
        start();
        try {
            started.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            stopQuietly();
            throw e.getCause() instanceof Exception ex ? ex : e;
        } catch (TimeoutException e) {
            stopQuietly();
            throw new TimeoutException("server did not bind within " + timeoutMillis + " ms");
        }
    }

    public void stopQuietly() {
        try {
            stop(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("stopping the OCPP server: {}", e.toString());
        }
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
            ClientHandshake request) throws InvalidDataException {
        ServerHandshakeBuilder response = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        String id = null;
        Refusal refusal;
        try {
            id = chargePointId(request.getResourceDescriptor());
            refusal = id == null
                    ? Refusal.notFound("the path must be " + PATH_PREFIX + "{chargePointId}")
                    : !offersOcpp16(request.getFieldValue("Sec-WebSocket-Protocol"))
                            ? Refusal.badRequest("the WebSocket subprotocol must be " + OcppDraft.SUBPROTOCOL)
                            : handler.admit(id, request.hasFieldValue("Authorization") ? request.getFieldValue("Authorization") : null,
                                    hostOf(conn));
        } catch (RuntimeException e) {
            LOG.error("Refusing a connection after an error", e);
            refusal = new Refusal(500, "Internal Server Error", "internal error", false);
        }
        if (refusal != null) {
            LOG.warn("Refused {} from {}: {} {}", safe(request.getResourceDescriptor()), conn.getRemoteSocketAddress(),
                    refusal.httpStatus(), refusal.message());
            response.put(OcppDraft.REFUSAL_FIELD, OcppDraft.encode(refusal));
            try {
                handler.refused(refusal);
            } catch (RuntimeException e) {
                LOG.debug("counting a refusal: {}", e.toString());
            }
        }
        conn.setAttachment(new Attachment(id, refusal));
        return response;
    }

    private static String hostOf(WebSocket conn) {
        InetSocketAddress a = conn.getRemoteSocketAddress();
        return a == null ? "?" : a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    }

    static String chargePointId(String resource) {
        if (resource == null || !resource.startsWith(PATH_PREFIX)) {
            return null;
        }
        String rest = resource.substring(PATH_PREFIX.length());
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        String id;
        try {
            id = URLDecoder.decode(rest.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return CHARGE_POINT_ID.matcher(id).matches() ? id : null;
    }

    private static boolean offersOcpp16(String header) {
        if (header == null) {
            return false;
        }
        for (String p : header.split(",")) {
            if (p.trim().equals(OcppDraft.SUBPROTOCOL)) {
                return true;
            }
        }
        return false;
    }

    private static String safe(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        Attachment a = conn.getAttachment();
        if (a == null || a.refusal() != null) {
            // the HTTP refusal has been queued in place of the 101 answer: send it and hang up
            ((WebSocketImpl) conn).flushAndClose(CloseFrame.POLICY_VALIDATION, "refused", false);
            return;
        }
        handler.opened(conn, a.chargePointId());
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Attachment a = conn.getAttachment();
        if (a != null && a.refusal() == null) {
            handler.closed(conn, a.chargePointId(), code, reason);
        }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        Attachment a = conn.getAttachment();
        if (a == null || a.refusal() != null) {
            return;
        }
        try {
            handler.message(conn, a.chargePointId(), message);
        } catch (RuntimeException e) {
            LOG.error("Handling a message from {} failed", a.chargePointId(), e);
        } catch (Error e) {
            // the library would only print it; the gateway's log must say what killed a connection
            LOG.error("Fatal error handling a message from {}; closing its connection", a.chargePointId(), e);
            conn.close(CloseFrame.ABNORMAL_CLOSE, "internal error");
            throw e;
        }
    }

    @Override
    public void onWebsocketPong(WebSocket conn, Framedata f) {
        super.onWebsocketPong(conn, f);
        Attachment a = conn.getAttachment();
        if (a != null && a.refusal() == null) {
            handler.pong(conn, a.chargePointId());
        }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        // OCPP-J is text only; a binary frame carries no unique id to answer
        conn.close(CloseFrame.REFUSE, "OCPP-J uses text frames only");
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            if (!started.completeExceptionally(ex)) {
                LOG.error("OCPP server error", ex);
            }
        } else if (ex instanceof LimitExceededException) {
            // said in onCloseInitiated: the library does not always report a frame over the limit here
            LOG.debug("Frame over the limit of {} bytes from {}", ((LimitExceededException) ex).getLimit(), conn.getRemoteSocketAddress());
        } else if (ex.getCause() instanceof Error || ex instanceof RuntimeException) {
            // the library wraps what its worker threads caught (OutOfMemoryError included) in an Exception
            LOG.error("WebSocket failure on {}", conn.getRemoteSocketAddress(), ex);
        } else {
            LOG.debug("WebSocket error on {}: {}", conn.getRemoteSocketAddress(), ex.toString());
        }
    }

    @Override
    public void onCloseInitiated(WebSocket conn, int code, String reason) {
        if (code == CloseFrame.TOOBIG) {
            Attachment a = conn.getAttachment();
            LOG.warn("Closing {} from {} with 1009: a message over the limit of {} bytes ({})", a == null ? "a connection"
                    : a.chargePointId(), conn.getRemoteSocketAddress(), maxMessageBytes, reason);
        }
    }

    @Override
    public void onStart() {
        started.complete(null);
    }
}
