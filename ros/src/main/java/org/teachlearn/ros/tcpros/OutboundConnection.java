package org.teachlearn.ros.tcpros;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One subscriber of one of our topics. A frame is written straight from the publishing thread
 * when the socket takes it; what the socket cannot take yet waits in a buffer that the
 * {@link Flusher} drains. When more than {@code queueSize} frames wait, the oldest unsent one is
 * dropped, as roscpp does. Nothing here allocates per message once the buffer has grown.
 */
final class OutboundConnection {

    final int id;
    final String topic;
    final String subscriberId;
    final SocketChannel channel;
    private final int queueSize;
    private final int maxPendingBytes;
    private final Runnable onClose;
    private final TransportLog log;
    SelectionKey key;
    private Flusher flusher;

    private ByteBuffer pending = ByteBuffer.allocateDirect(0);
    private int pendingLen;
    private int[] frameLens;
    private int head;
    private int count;
    private boolean firstPartial;
    private boolean closed;

    long messagesSent;
    long bytesSent;
    long dropped;

    OutboundConnection(int id, String topic, String subscriberId, SocketChannel channel, int queueSize,
            int maxPendingBytes, TransportLog log, Runnable onClose) {
        this.id = id;
        this.topic = topic;
        this.subscriberId = subscriberId;
        this.channel = channel;
        this.queueSize = queueSize;
        this.maxPendingBytes = maxPendingBytes;
        this.log = log;
        this.onClose = onClose;
        this.frameLens = new int[Math.max(2, Math.min(queueSize > 0 ? queueSize + 1 : 64, 4096))];
    }

    void attach(Flusher flusher) throws IOException {
        this.flusher = flusher;
        flusher.register(this);
    }

    /** Sends {@code frame[0, limit)}; the buffer's position is used and not restored. */
    synchronized void send(ByteBuffer frame) {
        if (closed) return;
        int n = frame.limit();
        messagesSent++;
        bytesSent += n;
        if (count == 0) {
            frame.position(0);
            try {
                channel.write(frame);
            } catch (IOException e) {
                closeQuietly();
                return;
            }
            if (!frame.hasRemaining()) return;
            int written = frame.position();
            append(frame, written, n - written);
            firstPartial = true;
            flusher.wantWrite(this, true);
            return;
        }
        if ((queueSize > 0 && count >= queueSize) || pendingLen + n > maxPendingBytes) dropOldest();
        append(frame, 0, n);
    }

    /** Called by the flusher when the socket can take more. */
    synchronized void flush() {
        if (closed || pendingLen == 0) return;
        pending.position(0).limit(pendingLen);
        int written;
        try {
            written = channel.write(pending);
        } catch (IOException e) {
            closeQuietly();
            return;
        }
        pending.compact();
        pendingLen -= written;
        while (written > 0) {
            int first = frameLens[head];
            if (written >= first) {
                written -= first;
                head = (head + 1) % frameLens.length;
                count--;
                firstPartial = false;
            } else {
                frameLens[head] = first - written;
                firstPartial = true;
                written = 0;
            }
        }
        if (pendingLen == 0) flusher.wantWrite(this, false);
    }

    private void append(ByteBuffer frame, int from, int len) {
        if (count == frameLens.length) dropOldest();
        if (pending.capacity() < pendingLen + len) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(pendingLen + len, pending.capacity() * 2));
            pending.position(0).limit(pendingLen);
            bigger.put(pending);
            pending = bigger;
        }
        pending.limit(pending.capacity());
        pending.put(pendingLen, frame, from, len);
        pendingLen += len;
        frameLens[(head + count) % frameLens.length] = len;
        count++;
    }

    /** Drops the oldest frame that has not started going out. */
    private void dropOldest() {
        int skip = firstPartial ? 1 : 0;
        if (count <= skip) return;
        int offset = 0;
        for (int i = 0; i < skip; i++) offset += frameLens[(head + i) % frameLens.length];
        int victim = (head + skip) % frameLens.length;
        int len = frameLens[victim];
        pending.limit(pending.capacity());
        pending.put(offset, pending, offset + len, pendingLen - offset - len);
        pendingLen -= len;
        for (int i = skip; i < count - 1; i++) {
            frameLens[(head + i) % frameLens.length] = frameLens[(head + i + 1) % frameLens.length];
        }
        count--;
        dropped++;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    void closeQuietly() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        if (key != null) key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
        onClose.run();
    }
}
