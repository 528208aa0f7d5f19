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
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
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
