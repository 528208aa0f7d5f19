package org.fusebox.driver.modbus.peer;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Modbus TCP peer that misbehaves on purpose, one way at a time: silence, a close in the middle of a
 * request, garbage, a frame cut short, a wrong byte count, an exception reply. In {@link Behaviour#NORMAL}
 * it answers reads of holding registers from a small image, so a test can show the driver recovers.
 */
public final class ScriptedModbusServer implements AutoCloseable {

    public enum Behaviour {
        NORMAL,
        /** Reads the request and never answers. */
        SILENT,
        /** Reads the request and closes the connection. */
        CLOSE_MID_REQUEST,
        /** Answers with bytes that are not a Modbus TCP frame (wrong protocol id, nonsense length). */
        GARBLED,
        /** Announces a full frame in the header, sends half of it, then nothing. */
        TRUNCATED,
        /** A well-framed reply whose byte count gives fewer registers than were asked for. */
        WRONG_BYTE_COUNT,
        /** Exception code 4, server device failure. */
        DEVICE_FAILURE,
        /** A well-formed reply that carries another transaction id than the request's. */
        WRONG_TRANSACTION_ID
    }

    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final int[] holding = new int[256];
    private volatile Behaviour behaviour = Behaviour.NORMAL;

    public ScriptedModbusServer() throws IOException {
        listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "scripted-modbus-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public void behave(Behaviour next) {
        behaviour = next;
    }

    public void setHolding(int address, int... words) {
        for (int i = 0; i < words.length; i++) {
            holding[address + i] = words[i] & 0xFFFF;
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "scripted-modbus-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            while (true) {
                int transaction = in.readUnsignedShort();
                in.readUnsignedShort(); // protocol
                int length = in.readUnsignedShort();
                byte[] pdu = new byte[length];
                in.readFully(pdu);
                int unit = pdu[0] & 0xFF;
                int function = pdu[1] & 0xFF;
                int address = ((pdu[2] & 0xFF) << 8) | (pdu[3] & 0xFF);
                int quantity = ((pdu[4] & 0xFF) << 8) | (pdu[5] & 0xFF);
                switch (behaviour) {
                    case SILENT -> {
                        // keep the connection, say nothing
                    }
                    case CLOSE_MID_REQUEST -> {
                        return;
                    }
                    case GARBLED -> {
                        out.write(new byte[] {(byte) (transaction >>> 8), (byte) transaction, 0x13, 0x37, 0, 2, 0x55,
                                0x55});
                        out.flush();
                    }
                    case TRUNCATED -> {
                        byte[] frame = reply(transaction, unit, function, address, quantity, quantity * 2);
                        out.write(frame, 0, frame.length / 2);
                        out.flush();
                    }
                    case WRONG_BYTE_COUNT -> {
                        out.write(reply(transaction, unit, function, address, quantity, Math.max(0, quantity * 2 - 2)));
                        out.flush();
                    }
                    case DEVICE_FAILURE -> {
                        out.write(new byte[] {(byte) (transaction >>> 8), (byte) transaction, 0, 0, 0, 3, (byte) unit,
                                (byte) (function | 0x80), 4});
                        out.flush();
                    }
                    case WRONG_TRANSACTION_ID -> {
                        out.write(reply((transaction + 1) & 0xFFFF, unit, function, address, quantity, quantity * 2));
                        out.flush();
                    }
                    case NORMAL -> {
                        out.write(reply(transaction, unit, function, address, quantity, quantity * 2));
                        out.flush();
                    }
                }
            }
        } catch (IOException e) {
            // the client went away, or the test closed us
        }
    }

    /** A read reply carrying {@code byteCount} bytes of register data, framed consistently. */
    private byte[] reply(int transaction, int unit, int function, int address, int quantity, int byteCount) {
        byte[] frame = new byte[9 + byteCount];
        int length = 3 + byteCount;
        frame[0] = (byte) (transaction >>> 8);
        frame[1] = (byte) transaction;
        frame[4] = (byte) (length >>> 8);
        frame[5] = (byte) length;
        frame[6] = (byte) unit;
        frame[7] = (byte) function;
        frame[8] = (byte) byteCount;
        for (int i = 0; i < byteCount / 2; i++) {
            int word = address + i < holding.length ? holding[address + i] : 0;
            frame[9 + 2 * i] = (byte) (word >>> 8);
            frame[10 + 2 * i] = (byte) word;
        }
        return frame;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (SocketException ignored) {
                // closing anyway
            }
        }
    }
}
