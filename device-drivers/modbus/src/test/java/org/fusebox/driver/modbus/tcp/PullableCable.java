package org.fusebox.driver.modbus.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder between the driver and the server that can be unplugged: {@link #unplug()} resets every
 * open connection and refuses new ones, as a device that loses power does. j2mod's slave keeps serving
 * connections it already accepted after it is closed, so closing the slave alone would not drop the link.
 */
public final class PullableCable implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;

    public PullableCable(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.port = freePortBelowEphemeralRange();
    }

    /**
     * A free port that the kernel never hands out as a client's source port. While the cable is unplugged
     * nothing listens on it, and a connect to a port inside the ephemeral range can then, rarely, be given that
     * very port as its source and connect to itself (TCP simultaneous open): the driver would talk to its own
     * echo instead of being refused.
     */
    private static int freePortBelowEphemeralRange() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = 20_000 + random.nextInt(12_000);
            try (ServerSocket probe = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return probe.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port between 20000 and 32000 on loopback");
    }

    public int port() {
        return port;
    }

    public PullableCable plugIn() throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        listener = server;
        Thread acceptor = new Thread(() -> acceptLoop(server), "cable-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    public void unplug() throws IOException {
        ServerSocket server = listener;
        listener = null;
        if (server != null) {
            server.close();
        }
        for (Socket s : sockets) {
            if (!s.isClosed()) {
                s.setSoLinger(true, 0); // reset, not a polite close
            }
            closeQuietly(s);
        }
        sockets.clear();
        awaitRefused();
    }

    /**
     * Returns once a connect to the cable's port is refused. A listening socket closed while its accept thread
     * is blocked is only released once that thread wakes, so for a moment after {@link #unplug()} a connect
     * could still be taken.
     */
    private void awaitRefused() throws IOException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                probe.setSoLinger(true, 0);
            } catch (java.net.ConnectException refused) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IOException("port " + port + " still takes connections after the cable was unplugged");
    }

    private void acceptLoop(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                return; // unplugged
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[512];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side went away; closing both below tells the other
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "cable-pump");
        t.setDaemon(true);
        t.start();
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
        unplug();
    }
}
