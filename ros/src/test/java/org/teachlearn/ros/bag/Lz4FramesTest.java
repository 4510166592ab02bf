package org.teachlearn.ros.bag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.Random;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.junit.jupiter.api.Test;

/** Our LZ4 frames decompress to what went in (read by commons-compress; Python's roslz4 reads them in BagInteropTest), and fast. */
class Lz4FramesTest {

    private static byte[] roundTrip(Lz4Frames lz4, byte[] data) throws Exception {
        byte[] frame = lz4.compress(data, data.length);
        try (var in = new FramedLZ4CompressorInputStream(new ByteArrayInputStream(frame))) {
            return in.readAllBytes();
        }
    }

    @Test
    void everyKindOfInputComesBackAsItWas() throws Exception {
        Lz4Frames lz4 = new Lz4Frames();
        Random r = new Random(1);
        for (int n : new int[] {0, 1, 5, 12, 13, 17, 100, 65_536, 70_000, 5 << 20}) {
            byte[] zeros = new byte[n], noise = new byte[n], text = new byte[n];
            r.nextBytes(noise);
            for (int i = 0; i < n; i++) text[i] = (byte) ("joint_states position velocity effort ".charAt(i % 38) + (i % 1000 == 0 ? 1 : 0));
            assertArrayEquals(zeros, roundTrip(lz4, zeros), "zeros " + n);
            assertArrayEquals(noise, roundTrip(lz4, noise), "noise " + n);
            assertArrayEquals(text, roundTrip(lz4, text), "text " + n);
        }
    }

    @Test
    void aCameraFrameCompressesInAFewMilliseconds() throws Exception {
        Lz4Frames lz4 = new Lz4Frames();
        Random r = new Random(2);
        byte[] scene = new byte[640 * 480 * 3], noise = new byte[scene.length];
        for (int k = 0; k < scene.length; k++) scene[k] = (byte) ((k / 3) % 640 / 5 + k / 1920 / 4);
        for (int j = 0; j < 2000; j++) scene[r.nextInt(scene.length)] ^= 1;
        r.nextBytes(noise);
        for (byte[] image : new byte[][] {scene, noise}) {
            for (int i = 0; i < 100; i++) lz4.compress(image, image.length);   // warm-up: compiled
            long t0 = System.nanoTime();
            int size = 0;
            for (int i = 0; i < 20; i++) size = lz4.compress(image, image.length).length;
            double ms = (System.nanoTime() - t0) / 20 / 1e6;
            System.out.printf("lz4: 640x480 rgb8 %s: %.2f ms, %d -> %d bytes%n", image == scene ? "scene" : "noise", ms, image.length, size);
            assertTrue(ms < 25, ms + " ms per frame: too slow for a 30 Hz camera (33 ms apart)");
            assertArrayEquals(image, roundTrip(lz4, image));
        }
    }
}
