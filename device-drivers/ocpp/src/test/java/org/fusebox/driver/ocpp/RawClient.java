package org.fusebox.driver.ocpp;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;

/** A plain WebSocket pipe (Java-WebSocket's client) for sending frames no OCPP library would send. */
final class RawClient extends WebSocketClient {

    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closedWith = new CompletableFuture<>();

    private RawClient(URI uri, String subprotocol, Map<String, String> headers) {
        super(uri, new Draft_6455(List.<IExtension>of(), List.<IProtocol>of(new Protocol(subprotocol))), headers, 10_000);
    }

    static RawClient open(String url, String subprotocol, Map<String, String> headers) throws Exception {
        return open(url, subprotocol, headers, null);
    }

    static RawClient open(String url, String subprotocol, Map<String, String> headers, SSLContext tls) throws Exception {
        RawClient c = new RawClient(URI.create(url), subprotocol, headers);
        if (tls != null) {
            c.setSocketFactory(tls.getSocketFactory());
        }
        c.connectBlocking(20, TimeUnit.SECONDS);
        return c;
    }

    String awaitClosed() throws Exception {
        return closedWith.get(Wait.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    String nextMessage() throws InterruptedException {
        return received.poll(Wait.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public void onMessage(String message) {
        received.add(message);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closedWith.complete(code + " " + reason);
    }

    @Override
    public void onError(Exception ex) {
    }
}
