package org.teachlearn.ros.tcpros;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The node's one thread for outbound topic connections: it finishes writes the publishing
 * thread could not complete, and notices subscribers that hang up.
 */
final class Flusher implements AutoCloseable {

    private final Selector selector;
    private final Thread thread;
    private final ByteBuffer discard = ByteBuffer.allocateDirect(4096);
    private volatile boolean running = true;

    Flusher(String name) throws IOException {
        selector = Selector.open();
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    void register(OutboundConnection c) throws IOException {
        c.channel.configureBlocking(false);
        c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
        selector.wakeup();
    }

    void wantWrite(OutboundConnection c, boolean on) {
        SelectionKey k = c.key;
        if (k == null || !k.isValid()) return;
        try {
            k.interestOps(on ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        } catch (java.nio.channels.CancelledKeyException e) {
            return;
        }
        if (on) selector.wakeup();
    }

    private void run() {
        while (running) {
            try {
                selector.select(this::handle, 1000);
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                if (!running) return;
            }
        }
    }

    private void handle(SelectionKey k) {
        OutboundConnection c = (OutboundConnection) k.attachment();
        try {
            if (k.isReadable()) {
                discard.clear();
                if (c.channel.read(discard) < 0) {
                    c.closeQuietly();
                    return;
                }
            }
            if (k.isValid() && k.isWritable()) c.flush();
        } catch (IOException | java.nio.channels.CancelledKeyException e) {
            c.closeQuietly();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
