package org.fusebox.itests;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between the gateway and a Modbus TCP server that misbehaves on the way back: it forwards
 * requests as they are, cuts the replies into Modbus TCP frames by their MBAP length, drops every
 * {@code dropEvery}-th reply (the gateway hears nothing and times out) and holds every {@code delayEvery}-th
 * for {@code delayMillis}.
 */
final class FaultyModbusProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final int dropEvery;
    private final int delayEvery;
    private final long delayMillis;
    private final AtomicInteger replies = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger delayed = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    FaultyModbusProxy(int listenPort, int upstreamPort, int dropEvery, int delayEvery, long delayMillis)
            throws IOException {
        this.listener = new ServerSocket(listenPort, 10, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.dropEvery = dropEvery;
        this.delayEvery = delayEvery;
        this.delayMillis = delayMillis;
        Thread accept = new Thread(this::accept, "itest-modbus-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    int replies() {
        return replies.get();
    }

    int dropped() {
        return dropped.get();
    }

    int delayed() {
        return delayed.get();
    }

    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                open.add(client);
                open.add(server);
                connections.incrementAndGet();
                start(() -> copy(client, server), "itest-modbus-proxy-requests");
                start(() -> replies(server, client), "itest-modbus-proxy-replies");
            } catch (IOException e) {
                if (!closed) {
                    sleep(50);
                }
            }
        }
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void copy(Socket from, Socket to) {
        byte[] buffer = new byte[512];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException gone) {
            // either side closed: close both
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void replies(Socket server, Socket client) {
        try (DataInputStream in = new DataInputStream(server.getInputStream());
                OutputStream out = client.getOutputStream()) {
            while (true) {
                byte[] header = new byte[6];
                in.readFully(header);
                int length = ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
                byte[] rest = new byte[length];
                in.readFully(rest);
                int n = replies.incrementAndGet();
                if (dropEvery > 0 && n % dropEvery == 0) {
                    dropped.incrementAndGet();
                    continue;
                }
                if (delayEvery > 0 && n % delayEvery == 0) {
                    delayed.incrementAndGet();
                    sleep(delayMillis);
                }
                out.write(header);
                out.write(rest);
                out.flush();
            }
        } catch (IOException gone) {
            // either side closed: close both
        } finally {
            closeQuietly(server);
            closeQuietly(client);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        open.forEach(FaultyModbusProxy::closeQuietly);
    }
}
