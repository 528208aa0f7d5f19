package org.fusebox.driver.ocpp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client written byte by byte over a plain socket: for frames no library sends (a header that
 * claims a gigabyte, endless fragments) and for a charger that never answers a ping.
 */
final class RawSocket implements AutoCloseable {

    final Socket socket;
    final InputStream in;
    final OutputStream out;
    /** The first line of the server's answer to the upgrade, e.g. "HTTP/1.1 101 Switching Protocols". */
    final String statusLine;

    private RawSocket(Socket socket, String statusLine) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.statusLine = statusLine;
    }

    static RawSocket open(int port, String chargePointId) throws IOException {
        return open("127.0.0.1", port, chargePointId, null);
    }

    /** @param localAddress a loopback address to connect from (127.0.0.x), or {@code null} */
    static RawSocket open(String localAddress, int port, String chargePointId, String authorization) throws IOException {
        Socket s = new Socket();
        if (localAddress != null) {
            s.bind(new InetSocketAddress(localAddress, 0));
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout((int) Wait.DEADLINE.toMillis());
        String request = "GET /ocpp/" + chargePointId + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp1.6\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        return new RawSocket(s, text.isEmpty() ? "" : text.substring(0, text.indexOf("\r\n") < 0 ? text.length() : text.indexOf("\r\n")));
    }

    /** Writes a frame header (masked, as a client must) claiming {@code length} bytes of payload. */
    void header(int opcode, boolean fin, long length) throws IOException {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write((fin ? 0x80 : 0) | opcode);
        if (length < 126) {
            h.write(0x80 | (int) length);
        } else if (length <= 0xFFFF) {
            h.write(0x80 | 126);
            h.write((int) (length >> 8));
            h.write((int) length);
        } else {
            h.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                h.write((int) (length >> (8 * i)));
            }
        }
        h.write(new byte[] {0, 0, 0, 0}); // a zero mask: the payload goes as it is
        out.write(h.toByteArray());
    }

    void frame(int opcode, boolean fin, byte[] payload) throws IOException {
        header(opcode, fin, payload.length);
        out.write(payload);
        out.flush();
    }

    void text(String message) throws IOException {
        frame(1, true, message.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads frames until the server's close frame and returns its code, or -1 when the socket ends without
     * one. Pings are read and not answered.
     */
    int awaitCloseCode() throws IOException {
        try {
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    return -1;
                }
                int b1 = in.read();
                long len = b1 & 0x7F;
                if (len == 126) {
                    len = (in.read() << 8) | in.read();
                } else if (len == 127) {
                    len = 0;
                    for (int i = 0; i < 8; i++) {
                        len = (len << 8) | in.read();
                    }
                }
                byte[] payload = in.readNBytes((int) len);
                if ((b0 & 0x0F) == 8) {
                    return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no close frame within " + Wait.DEADLINE);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Reads the next text frame's payload (skipping pings and other frames). */
    String nextText() throws IOException {
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = in.read();
            long len = b1 & 0x7F;
            if (len == 126) {
                len = (in.read() << 8) | in.read();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | in.read();
                }
            }
            byte[] payload = in.readNBytes((int) len);
            if ((b0 & 0x0F) == 1) {
                return new String(payload, StandardCharsets.UTF_8);
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
