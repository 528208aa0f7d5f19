package org.fusebox.driver.ocpp.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.Handshakedata;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;

/**
 * RFC 6455 offering the ocpp1.6 subprotocol. It matches every upgrade request (the empty protocol accepts
 * anything) so that the server can look at the request itself and refuse with a precise HTTP status; the
 * library alone can only answer 404 to everything it refuses.
 */
final class OcppDraft extends Draft_6455 {

    static final String SUBPROTOCOL = "ocpp1.6";
    /** Set on the handshake response of a refused upgrade; never sent. */
    static final String REFUSAL_FIELD = "X-Fusebox-Refusal";

    private final int maxMessageBytes;

    /**
     * @param maxMessageBytes the largest frame, and the largest message its fragments add up to: the library
     *                        refuses a larger one from its header (before reading or allocating it) with close
     *                        code 1009
     */
    OcppDraft(int maxMessageBytes) {
        super(Collections.<IExtension>emptyList(), List.<IProtocol>of(new Protocol(SUBPROTOCOL), new Protocol("")),
                maxMessageBytes);
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The largest upgrade request taken: the library would otherwise collect a never-ending header whole. */
    static final int MAX_HANDSHAKE_BYTES = 16 * 1024;

    @Override
    public Handshakedata translateHandshake(ByteBuffer buf) throws InvalidHandshakeException {
        if (buf.remaining() > MAX_HANDSHAKE_BYTES) {
            throw new InvalidHandshakeException("upgrade request over " + MAX_HANDSHAKE_BYTES + " bytes");
        }
        return super.translateHandshake(buf);
    }

    /** Bytes of the fragmented message being received on this connection (one draft per connection). */
    private long fragmentedBytes;

    @Override
    public Draft copyInstance() {
        return new OcppDraft(maxMessageBytes);
    }

    /**
     * The library checks the size of a fragmented message only when its last fragment arrives; fragments that
     * never end would pile up until the heap is gone. They are counted here as they come.
     */
    @Override
    public void processFrame(WebSocketImpl webSocket, Framedata frame) throws InvalidDataException {
        Opcode op = frame.getOpcode();
        if (op == Opcode.TEXT || op == Opcode.BINARY) {
            fragmentedBytes = frame.isFin() ? 0 : frame.getPayloadData().remaining();
        } else if (op == Opcode.CONTINUOUS) {
            fragmentedBytes += frame.getPayloadData().remaining();
            if (fragmentedBytes > maxMessageBytes) {
                fragmentedBytes = 0;
                throw new LimitExceededException("fragmented message over " + maxMessageBytes + " bytes", maxMessageBytes);
            }
            if (frame.isFin()) {
                fragmentedBytes = 0;
            }
        }
        super.processFrame(webSocket, frame);
    }

    @Override
    public List<ByteBuffer> createHandshake(Handshakedata handshakedata, boolean withcontent) {
        if (handshakedata instanceof ServerHandshake && handshakedata.hasFieldValue(REFUSAL_FIELD)) {
            return Collections.singletonList(refusalResponse(decode(handshakedata.getFieldValue(REFUSAL_FIELD))));
        }
        return super.createHandshake(handshakedata, withcontent);
    }

    static String encode(Refusal r) {
        return r.httpStatus() + "|" + (r.askForBasicAuth() ? "1" : "0") + "|" + r.reasonPhrase() + "|" + r.message();
    }

    static Refusal decode(String s) {
        String[] p = s.split("\\|", 4);
        return new Refusal(Integer.parseInt(p[0]), p[2], p[3], "1".equals(p[1]));
    }

    private static ByteBuffer refusalResponse(Refusal r) {
        byte[] body = (r.message() + "\n").getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append("HTTP/1.1 ").append(r.httpStatus()).append(' ').append(r.reasonPhrase()).append("\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n")
                .append("Connection: close\r\n");
        if (r.askForBasicAuth()) {
            head.append("WWW-Authenticate: Basic realm=\"OCPP\", charset=\"UTF-8\"\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(h.length + body.length);
        b.put(h).put(body).flip();
        return b;
    }
}
